import { request } from 'node:http';
import iconv from 'iconv-lite';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { challengeAnswer, CHALLENGE_COOKIE } from '../../crawlers/platforms/jcms/replica.ts';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

function call(host: string, path: string, opts: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Res> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: { Host: host, ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' } : {}), ...(opts.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const b = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ZJ_FORM = { col: '1', appid: '1', webid: '3096', path: '/', columnid: '1229776842', sourceContentType: '1', unitid: '4406521', webname: '浙江省人民政府门户网站', permissiontype: '0' };

describe('replay server', () => {
  it('routes by Host and serves robots.txt per host', async () => {
    expect((await call('www.lishui.gov.cn', '/robots.txt')).text).toContain('Disallow: /module/xxgk/xxgkAnnualReport.jsp');
    expect((await call('www.haining.gov.cn', '/robots.txt')).text).not.toContain('xxgkAnnualReport');
    expect((await call('www.example.com', '/')).status).toBe(404);
  });

  it('serves jcms column pages with an embedded <datastore> and the jpage initialiser', async () => {
    const r = await call('www.zj.gov.cn', '/col/col1229776842/index.html');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/<div id="4406521"><script type="text\/xml"><datastore>/);
    expect(r.text.match(/<record>/g)).toHaveLength(15);
    expect(r.text).toMatch(/totalRecord: 43/);
  });

  it('answers the classic POST data proxy only with the page parameters', async () => {
    const ok = await call('www.zj.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15', { form: ZJ_FORM });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/text\/xml/);
    expect(ok.text).toContain('<totalrecord>43</totalrecord>');
    expect(ok.text.match(/<record>/g)).toHaveLength(15);
    expect((await call('www.zj.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15', { form: { ...ZJ_FORM, webid: '' } })).status).toBe(400);
    expect((await call('www.zj.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15', { form: { ...ZJ_FORM, unitid: '1' } })).status).toBe(404);
    // the newer GET proxy does not exist on a classic build
    expect((await call('www.zj.gov.cn', '/module/web/jpage/dataproxy.jsp?page=2&webid=3096&columnid=1229776842&unitid=4406521')).status).toBe(404);
  });

  it('serves the page=1 <nextgroup> template on the column page and GET answers with totalrecord/totalpage, no <nextgroup> (dingxi, gxt evidence)', async () => {
    const col = await call('www.ningbo.gov.cn', '/col/col1229095999/index.html');
    expect(col.text).toMatch(/<nextgroup><!\[CDATA\[<a href="\/module\/web\/jpage\/dataproxy\.jsp\?page=1&/);
    const q = (p: number): string => `/module/web/jpage/dataproxy.jsp?page=${p}&appid=1&webid=3028&path=/&columnid=1229095999&unitid=5832190&webname=x&permissiontype=0`;
    const p1 = await call('www.ningbo.gov.cn', q(1));
    expect(p1.text).not.toContain('<nextgroup>');
    expect(p1.text).toMatch(/<totalrecord>32<\/totalrecord><totalpage>3<\/totalpage>/);
    const p3 = await call('www.ningbo.gov.cn', q(3));
    expect(p3.text).toContain('宁波市人民政府2020年度政府信息公开工作年度报告');
    expect((await call('www.ningbo.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=1&endrecord=12&perpage=12', { form: { ...ZJ_FORM, webid: '3028', columnid: '1229095999', unitid: '5832190' } })).status).toBe(404);
  });

  it('answers 404 on the classic proxy of an upgraded host, which pages on the GET proxy (jshrss evidence)', async () => {
    const col = await call('www.zjtz.gov.cn', '/col/col1229199350/index.html');
    expect(col.text).not.toContain('proxyUrl');
    const form = { ...ZJ_FORM, webid: '3133', columnid: '1229199350', unitid: (/<div id="(\d+)"><script type="text\/xml">/.exec(col.text) ?? [])[1] ?? '' };
    expect((await call('www.zjtz.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15', { form })).status).toBe(404);
    const get = await call('www.zjtz.gov.cn', `/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3133&path=/&columnid=1229199350&unitid=${form.unitid}&permissiontype=0`);
    expect(get.status).toBe(200);
    expect(get.text).toContain('<totalpage>');
  });

  it('answers conditional requests with 304', async () => {
    const path = '/art/2024/2/8/art_1229781527_5264708.html';
    const first = await call('www.haining.gov.cn', path);
    expect(first.status).toBe(200);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    const byEtag = await call('www.haining.gov.cn', path, { headers: { 'If-None-Match': etag } });
    expect(byEtag.status).toBe(304);
    expect(byEtag.body.length).toBe(0);
    expect((await call('www.haining.gov.cn', path, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    expect((await call('www.haining.gov.cn', path, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
  });

  it('answers the first Quzhou data-proxy request with 429 and Retry-After', async () => {
    const form = { ...ZJ_FORM, webid: '2946', columnid: '1229037201', unitid: '4901234' };
    const first = await call('www.qz.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=16&endrecord=31&perpage=15', { form });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect((await call('www.qz.gov.cn', '/module/jpage/dataproxy.jsp?startrecord=16&endrecord=31&perpage=15', { form })).status).toBe(200);
  });

  it('redirects the Taizhou home page and a moved article', async () => {
    const home = await call('www.zjtz.gov.cn', '/');
    expect([home.status, home.headers.location]).toEqual([302, '/index.html']);
    const moved = await call('www.zjtz.gov.cn', '/art/2024/3/29/art_1229199350_59034560.html');
    expect([moved.status, moved.headers.location]).toEqual([301, '/art/2024/3/29/art_1229199350_59034567.html']);
  });

  it('serves the legacy page in GBK with the charset only in <meta>', async () => {
    const r = await call('zfxxgk.zj.gov.cn', '/xxgk/jcms_files/jcms1/web1/site/art/2015/3/27/art_10758_1184502.html');
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.text).not.toContain('浙江省2014年度政府信息公开工作报告');
    expect(iconv.decode(r.body, 'gb18030')).toContain('浙江省2014年度政府信息公开工作报告');
    expect(r.text).toContain('charset=gb2312');
  });

  it('serves attachments: a PDF as octet-stream via downfile.jsp and a Word .doc from the OSS mirror', async () => {
    const pdf = await call('www.huzhou.gov.cn', '/module/download/downfile.jsp?classid=0&filename=8f3c2a1b9d7e4f60a1b2c3d4e5f60718.pdf');
    expect(pdf.headers['content-type']).toBe('application/octet-stream');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await call('zjjcmspublic.oss-cn-hangzhou.aliyuncs.com', '/jcms_files/jcms1/web3175/site/attach/-1/2103291600sxnb.doc');
    expect(doc.body.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toBe(true);
  });

  it('serves a jpaas shell with several unit scripts, JSON unit answers and paramJson paging (miit evidence)', async () => {
    const shell = await call('www.hangzhou.gov.cn', '/col/col1229506050/index.html');
    expect(shell.text).not.toContain('<datastore>');
    expect(shell.text.match(/queryData=/g)).toHaveLength(3);
    const api = (tag: string, pageNo: number): string =>
      `/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=149&tplSetId=a7f0c3d2e1b94c5d8e6f&pageType=column&tagId=${encodeURIComponent(tag)}&editType=null&pageId=1229506050&paramJson=${encodeURIComponent(JSON.stringify({ pageNo, pageSize: 4 }))}`;
    const pages = await Promise.all([1, 2, 3].map(async (n) => JSON.parse((await call('www.hangzhou.gov.cn', api('分页列表', n))).text) as { success: boolean; data: { html: string } }));
    expect(pages.every((p) => p.success)).toBe(true);
    expect(pages.map((p) => p.data.html).join('')).toContain('/col/col1229506050/art/2024/art_3ed700cdcd56c7dea9f536da308d9115.html');
    expect(pages[2]?.data.html).not.toContain('<li>');
    expect((JSON.parse((await call('www.hangzhou.gov.cn', api('页头', 1))).text) as { data: { html: string } }).data.html).not.toContain('/art/');
    expect((await call('www.hangzhou.gov.cn', api('分页列表', 1).replace('tplSetId=a7f0c3d2e1b94c5d8e6f&', ''))).status).toBe(400);
  });

  it('publishes a new report and a corrected one in the updated mode', async () => {
    const col = '/col/col1229900011/index.html';
    expect((await call('www.haining.gov.cn', col)).text).not.toContain('2024年度政府信息公开工作年度报告');
    server.setMode('updated');
    try {
      expect((await call('www.haining.gov.cn', col)).text).toContain('海宁市人民政府2024年度政府信息公开工作年度报告');
    } finally {
      server.setMode('initial');
    }
  });

  it('keeps the challenge host closed to plain HTTP: 412 with a script, unless the script’s cookie is sent', async () => {
    const r = await call('www.zhoushan.gov.cn', '/');
    expect(r.status).toBe(412);
    expect(r.text).toMatch(/<script r="m">/);
    expect(String(r.headers['set-cookie'])).toMatch(/FSSBBIl1UgzbN7N80S=/);
    const token = /content="([0-9a-f]+)"/.exec(r.text)?.[1] ?? '';
    expect((await call('www.zhoushan.gov.cn', '/', { headers: { Cookie: `${CHALLENGE_COOKIE}=wrong` } })).status).toBe(412);
    const passed = await call('www.zhoushan.gov.cn', '/', { headers: { Cookie: `${CHALLENGE_COOKIE}=${encodeURIComponent(challengeAnswer(token))}` } });
    expect(passed.status).toBe(200);
    expect((await call('www.zhoushan.gov.cn', '/robots.txt')).status).toBe(200);
  });

  it('lets a real browser (Debian chromium) through the challenge', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', `--host-resolver-rules=MAP www.zhoushan.gov.cn 127.0.0.1:${server.port}`],
    });
    try {
      const page = await browser.newPage();
      await page.goto('http://www.zhoushan.gov.cn/col/col1229108045/index.html');
      // the script sets the cookie and reloads; wait for the reloaded page's list
      await page.waitForSelector('text=政府信息公开年报', { timeout: 15_000 });
      expect(await page.content()).toContain('舟山市人民政府2023年度政府信息公开工作年度报告');
      const statuses = server.requests.filter((q) => q.host === 'www.zhoushan.gov.cn' && q.path === '/col/col1229108045/index.html').map((q) => q.status);
      expect(statuses).toEqual([412, 200]);
    } finally {
      await browser.close();
    }
  });
});
