/**
 * A live recording (issue 12, point 5) stores what the crawler saw and nothing that identifies a
 * session: no Cookie / Set-Cookie / Authorization headers, no session ids or tokens in URLs or forms.
 * (Real Zhejiang portals set JSESSIONID, SERVERID, ZJYHZXSESSIONID, acw_tc cookies: notes
 * portals-and-templates.md "Anti-bot", zj-request-evidence.md.)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PageFetcher } from '../../../src/crawl/context.ts';
import type { FetchRequest, FetchResult } from '../../../src/crawl/fetch/index.ts';
import { RecordingFetcher } from '../../../testkit/recording/record.ts';
import { RecordedFetcher, redactUrl } from '../../../testkit/recording/recording.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const live: PageFetcher = {
  async fetch(req: FetchRequest): Promise<FetchResult> {
    const body = Buffer.from('<html><body>ok</body></html>');
    return {
      url: req.url,
      finalUrl: `${req.url.replace(/\?.*$/, '')};jsessionid=ABCDEF0123456789`,
      status: 200,
      ok: true,
      headers: { 'content-type': 'text/html', 'set-cookie': 'JSESSIONID=ABCDEF0123456789; Path=/; HttpOnly', 'x-cookie': 'SERVERID=abc|1|2' },
      contentType: 'text/html',
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
      text: () => body.toString(),
      notModified: false,
      changed: true,
      viaBrowser: false,
    };
  },
};

describe('recordings keep no secrets', () => {
  it('writes no headers, cookies, session ids or tokens, and still answers from the recording', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogi-rec-'));
    dirs.push(dir);
    const rec = new RecordingFetcher(live, dir);
    const url = 'https://www.zj.gov.cn/module/jpage/dataproxy.jsp;jsessionid=ABCDEF0123456789?startrecord=1&endrecord=45&perpage=15&token=s3cr3t';
    await rec.fetch({ url, form: { col: '1', webid: '3096', sessionid: 'ABCDEF0123456789' }, headers: { Cookie: 'JSESSIONID=ABCDEF0123456789; SERVERID=abc', Referer: 'https://www.zj.gov.cn/' } });
    writeFileSync(join(dir, 'recording.json'), JSON.stringify(rec.exchanges));
    const all = [readFileSync(join(dir, 'recording.json'), 'utf8'), ...readdirSync(join(dir, 'pages')).map((f) => readFileSync(join(dir, 'pages', f), 'utf8'))].join('\n');
    expect(all).not.toMatch(/ABCDEF0123456789|s3cr3t|SERVERID|cookie|set-cookie|Referer/i);
    expect(Object.keys(rec.exchanges[0] ?? {}).sort()).toEqual(['contentType', 'file', 'finalUrl', 'form', 'method', 'status', 'url']);
    expect(rec.exchanges[0]?.url).toBe('https://www.zj.gov.cn/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&token=REDACTED');
    // a replay of the same request (with whatever session it carries) finds the recording
    const replay = new RecordedFetcher(dir);
    const res = await replay.fetch({ url: url.replace('ABCDEF0123456789', 'OTHER'), form: { col: '1', webid: '3096', sessionid: 'other' } });
    expect(res.text()).toContain('ok');
  });

  it('redactUrl leaves ordinary URLs alone', () => {
    const u = 'https://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=001008003015001&fbtime=2024';
    expect(redactUrl(u)).toBe(u);
  });
});
