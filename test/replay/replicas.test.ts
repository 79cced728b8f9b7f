/**
 * Replicas are data in each site's folder (crawlers/<prov>/<slug>/replica.yml): a new site's replica
 * is served without touching testkit code, and a bad file fails naming the file and the field.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSites } from '../../src/crawl/registry.ts';
import { defaultReplicas, expectedReports, GENERATED_YEARS, loadReplicas, type Replicas } from '../../testkit/replay/replicas.ts';
import { startReplayServer } from '../../testkit/replay/server.ts';
import { JcmsPortalReplica } from '../../crawlers/platforms/jcms/replica.ts';

/** the jcms portal replicas among them (crawlers/platforms/jcms/replica/portal.ts) */
const portals = (replicas: Replicas): JcmsPortalReplica['portal'][] => replicas.flatMap((r) => (r instanceof JcmsPortalReplica ? [r.portal] : []));

const SITE = `id: zj-newtown
name: 新城县人民政府门户网站
region: "330481"
level: county
platform: jcms
start: [https://www.newtown.gov.cn/col/col1229000777/index.html]
`;

const REPLICA = `siteName: 新城县人民政府门户网站
webid: "4001"
discovery: none
xxgkCol: "1229000700"
columns:
  - id: "1229000777"
    name: 政府信息公开年报
    unitid: "8000001"
    paging: classic
    group: 15
    records: li
    fillers: 3
    reports:
      - { seed: seed002, scale: 2, agency: 新城县人民政府, pub: "2024-03-01 10:00", path: /art/2024/3/1/art_1229000777_1.html, format: html }
`;

function folder(replica: string | null, site = SITE): string {
  const root = mkdtempSync(join(tmpdir(), 'ogi-replica-'));
  mkdirSync(join(root, 'zj', 'newtown'), { recursive: true });
  writeFileSync(join(root, 'zj', 'newtown', 'site.yml'), site);
  if (replica !== null) writeFileSync(join(root, 'zj', 'newtown', 'replica.yml'), replica);
  return root;
}

function get(port: number, host: string, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('replicas', () => {
  it('has one for every site in crawlers/, on the host and scheme of its start URL', () => {
    const sites = loadSites();
    const r = defaultReplicas();
    expect(r.map((x) => x.site).sort()).toEqual(sites.map((s) => s.id));
    for (const x of portals(r)) expect(sites.find((s) => s.id === x.site)?.start[0]).toMatch(new RegExp(`^${x.scheme}://${x.host.replace(/\./g, '\\.')}/`));
    // a platform folder's replica (crawlers/platforms/<platform>/replica.ts) answers its site's start host
    for (const x of r) expect(x.hosts).toContain(new URL(sites.find((s) => s.id === x.site)?.start[0] ?? 'http://none/').hostname);
  });

  it('serves a new site folder’s replica.yml with no testkit change', async () => {
    const replicas = loadReplicas(loadSites(folder(REPLICA)));
    expect(expectedReports('initial', replicas).map((e) => e.url)).toEqual(['https://www.newtown.gov.cn/art/2024/3/1/art_1229000777_1.html']);
    const server = await startReplayServer({ replicas });
    try {
      const col = await get(server.port, 'www.newtown.gov.cn', '/col/col1229000777/index.html');
      expect(col.status).toBe(200);
      expect(col.text).toContain('新城县人民政府2023年度政府信息公开工作年度报告');
      expect((await get(server.port, 'www.newtown.gov.cn', '/art/2024/3/1/art_1229000777_1.html')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('rejects a bad replica.yml naming the file and the field', () => {
    const root = folder(REPLICA.replace('paging: classic', 'paging: infinite'));
    expect(() => loadReplicas(loadSites(root))).toThrow(/replica-invalid: .*zj\/newtown\/replica\.yml: columns\.0\.paging: /);
  });

  it('generates the replica of a jcms site without replica.yml from its site.yml: home page → 政府信息公开 → column, GET-proxy paging', async () => {
    const replicas = loadReplicas(loadSites(folder(null, SITE.replace('start: [https://www.newtown.gov.cn/col/col1229000777/index.html]', 'start: [https://www.newtown.gov.cn/]'))));
    const [h] = portals(replicas);
    expect(h?.site).toBe('zj-newtown');
    expect(h?.discovery).toBe('direct');
    expect(h?.columns.map((c) => c.paging)).toEqual(['nextgroup']);
    const expected = expectedReports('initial', replicas);
    expect(expected.map((e) => [e.values.agency, e.values.year])).toEqual(GENERATED_YEARS.map((y) => ['新城县人民政府门户网站', y]));
    const server = await startReplayServer({ replicas });
    try {
      const home = await get(server.port, 'www.newtown.gov.cn', '/');
      const xxgk = /href="(\/col\/col\d+\/index\.html)">政府信息公开</.exec(home.text)?.[1] ?? '';
      const dir = await get(server.port, 'www.newtown.gov.cn', xxgk);
      expect(dir.text).toContain(`/col/col${h?.columns[0]?.id}/index.html">政府信息公开年报`);
      for (const e of expected) expect((await get(server.port, 'www.newtown.gov.cn', new URL(e.url).pathname)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('generates columns with the evidenced start column ids, reached without discovery', () => {
    const replicas = loadReplicas(loadSites(folder(null)));
    expect(portals(replicas)[0]?.discovery).toBe('none');
    expect(portals(replicas)[0]?.columns.map((c) => c.id)).toEqual(['1229000777']);
    for (const e of expectedReports('initial', replicas)) expect(new URL(e.url).pathname).toContain('/art_1229000777_');
  });

  it('serves a file mirror host two sites share, each site’s attachment from its own files; and starts each server afresh (a once-only 429)', async () => {
    const root = folder(REPLICA.replace('      - { seed: seed002', '      - { seed: seed001, scale: 1, agency: 新城县人民政府, pub: "2021-03-29 16:00", path: /art/2021/3/29/art_1229000777_2.html, format: doc, attachment: "http://mirror.example.com/web1/a.doc", file: a.doc }\n      - { seed: seed002').replace('discovery: none', 'discovery: none\nrateLimitProxyOnce: true'));
    mkdirSync(join(root, 'zj', 'newtown', 'replica-files'));
    writeFileSync(join(root, 'zj', 'newtown', 'replica-files', 'a.doc'), 'bytes of a');
    mkdirSync(join(root, 'zj', 'oldtown', 'replica-files'), { recursive: true });
    writeFileSync(join(root, 'zj', 'oldtown', 'site.yml'), SITE.replace('zj-newtown', 'zj-oldtown').replace(/newtown/g, 'oldtown'));
    writeFileSync(
      join(root, 'zj', 'oldtown', 'replica.yml'),
      REPLICA.replace(/newtown/g, 'oldtown').replace('format: html }', 'format: pdf, attachment: "http://mirror.example.com/web2/b.pdf", file: b.pdf }'),
    );
    writeFileSync(join(root, 'zj', 'oldtown', 'replica-files', 'b.pdf'), 'bytes of b');
    const replicas = loadReplicas(loadSites(root));
    for (let run = 0; run < 2; run++) {
      const server = await startReplayServer({ replicas });
      try {
        expect(await get(server.port, 'mirror.example.com', '/web1/a.doc')).toEqual({ status: 200, text: 'bytes of a' });
        expect(await get(server.port, 'mirror.example.com', '/web2/b.pdf')).toEqual({ status: 200, text: 'bytes of b' });
        expect((await get(server.port, 'mirror.example.com', '/web3/c.pdf')).status).toBe(404);
        expect((await get(server.port, 'mirror.example.com', '/robots.txt')).status).toBe(404);
        const proxy = '/module/jpage/dataproxy.jsp?startrecord=1&endrecord=15&perpage=15';
        expect((await get(server.port, 'www.newtown.gov.cn', proxy)).status).toBe(429);
        expect((await get(server.port, 'www.newtown.gov.cn', proxy)).status).not.toBe(429);
      } finally {
        await server.close();
      }
    }
  });
});
