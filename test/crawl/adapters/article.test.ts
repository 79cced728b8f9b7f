/**
 * Attachments of report pages as the real portals give them. The snippets are built from the
 * evidence: the zj.gov.cn spider in shared/evidence/zhejiang/zj-request-evidence.md (article body
 * #zoom, attachments //*[@id="zoom"]//a/@href, "PDFs also given as var pdfurl =
 * "/module/download/downfile.jsp?filename=<32hex>.pdf&classid=0""), the OSS file host in notes
 * portals-and-templates.md "Attachments" (http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/
 * jcms1/web<webid>/site/attach/-1/<name>.pdf), and pdf viewers (`/pdfjs/web/viewer.html?file=…`,
 * iframe/embed/object) [assumed markup: no capture of a Zhejiang page with a viewer is stored; pdf.js
 * resolves file= against the viewer URL].
 */
import { describe, expect, it } from 'vitest';
import { parseArticle, unwrapViewer } from '../../../src/crawl/adapters/article.ts';

const URL_ = 'https://www.zj.gov.cn/art/2024/1/31/art_1229776842_60197657.html';
const HEAD = `<head><meta name="ArticleTitle" content="浙江省人民政府2023年度政府信息公开工作年度报告"><meta name="PubDate" content="2024-01-31 10:00"></head>`;
const HEX = '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c';

describe('report page attachments', () => {
  it('finds a PDF given only as var pdfurl in a script (zj-request-evidence.md, zj.gov.cn)', () => {
    const html = `<html>${HEAD}<body><div id="zoom"><p>（详见附件）</p></div>
<script type="text/javascript">
  var pdfurl = "/module/download/downfile.jsp?filename=${HEX}.pdf&classid=0";
  $(function(){ PDFObject.embed(pdfurl, "#pdfview"); });
  var share = "https://www.zj.gov.cn/js/share.js";
</script></body></html>`;
    const a = parseArticle(html, URL_);
    expect(a.attachments).toEqual([{ url: `https://www.zj.gov.cn/module/download/downfile.jsp?filename=${HEX}.pdf&classid=0`, name: `${HEX}.pdf` }]);
  });

  it('ignores script URLs that name no document, and the datastore of a column', () => {
    const html = `<html>${HEAD}<body><div id="zoom"></div><script>var path = "/module/download/downfile.jsp"; var js = "/script/jquery.js";</script>
<script type="text/xml"><datastore><record><![CDATA[<li><a href="/art/x.pdf">x</a></li>]]></record></datastore></script></body></html>`;
    expect(parseArticle(html, URL_).attachments).toEqual([]);
  });

  it('unwraps a pdf.js viewer in an iframe to the file it shows (file= decoded, resolved against the viewer)', () => {
    const file = encodeURIComponent(`/module/download/downfile.jsp?filename=${HEX}.pdf&classid=0`);
    const html = `<html>${HEAD}<body><div id="zoom"><p>正文</p></div><div class="pdf"><iframe src="/pdfjs/web/viewer.html?file=${file}" width="100%"></iframe></div></body></html>`;
    expect(parseArticle(html, URL_).attachments.map((a) => a.url)).toEqual([`https://www.zj.gov.cn/module/download/downfile.jsp?filename=${HEX}.pdf&classid=0`]);
  });

  it('takes documents in <embed src> and <object data>, and a viewer link in the body', () => {
    const html = `<html>${HEAD}<body><div id="zoom">
<embed src="/attach/0/report2023.pdf" type="application/pdf">
<object data="https://www.zj.gov.cn/attach/0/table2023.pdf" type="application/pdf"></object>
<a href="/static/pdfjs/web/viewer.html?file=http%253A%252F%252Fwww.zj.gov.cn%252Fattach%252F0%252Fview.pdf">在线阅读</a>
</div></body></html>`;
    expect(parseArticle(html, URL_).attachments).toEqual([
      { url: 'http://www.zj.gov.cn/attach/0/view.pdf', name: '在线阅读' },
      { url: 'https://www.zj.gov.cn/attach/0/report2023.pdf', name: 'report2023.pdf' },
      { url: 'https://www.zj.gov.cn/attach/0/table2023.pdf', name: 'table2023.pdf' },
    ]);
  });

  it('finds attachments on the jcms OSS file host (notes "Attachments"), in a link or a script', () => {
    const oss = 'http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/jcms1/web3090/site/attach/-1/2401311020304050.pdf';
    const html = `<html>${HEAD}<body><div id="zoom"><a href="${oss}">浙江省人民政府2023年度政府信息公开工作年度报告.pdf</a></div>
<script>var pdfurl = '${oss}';</script></body></html>`;
    expect(parseArticle(html, URL_).attachments).toEqual([{ url: oss, name: '浙江省人民政府2023年度政府信息公开工作年度报告.pdf' }]);
  });

  it('leaves iframes that show no document (video, map, share widgets)', () => {
    const html = `<html>${HEAD}<body><div id="zoom"><iframe src="https://player.example.com/video?id=1"></iframe><iframe src="/col/col1/index.html"></iframe></div></body></html>`;
    expect(parseArticle(html, URL_).attachments).toEqual([]);
  });

  it('unwrapViewer keeps URLs that are not viewers', () => {
    const u = new URL('https://www.zj.gov.cn/module/download/downfile.jsp?filename=a.pdf&file=x');
    expect(unwrapViewer(u).href).toBe(u.href);
    expect(unwrapViewer(new URL('https://www.zj.gov.cn/pdfjs/web/viewer.html?file=../../attach/a.pdf')).href).toBe('https://www.zj.gov.cn/attach/a.pdf');
  });
});
