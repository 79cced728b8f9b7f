/**
 * A generated report as a real report page is: a Word document saved as HTML and pasted into the
 * portal's article (about 100 KB). What Word writes, and what makes such pages slow to read: the
 * Office namespaces and an <xml> block in a conditional comment, a long <style> of mso
 * definitions, MsoNormalTable tables whose every cell carries a long style and a <p class=MsoNormal>,
 * labels split across several <span>s (Word starts a new run at every change of font or language),
 * and an empty <o:p></o:p> in every paragraph and cell. The tables keep the layout of
 * renderReportHtml (rowspan, colspan, band rows), so both extract to the same values.
 */
import { generateReport } from './generate-report.ts';
import { renderReportHtml, type ReportValues } from './report-html.ts';

const FONT = 'font-size:10.5pt;font-family:仿宋_GB2312;mso-bidi-font-family:宋体';
const CELL_STYLE = 'border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt';
const PARA_STYLE = "text-align:justify;text-justify:inter-ideograph;line-height:28.0pt;mso-line-height-rule:exactly;text-indent:32.0pt";

/** Word's runs: a label is cut into spans of two to seven characters, as font and language change */
function runs(text: string, seed: number): string {
  if (text === '') return '';
  if (/^[\d.,-]+$/.test(text)) return `<span lang=EN-US style='${FONT}'>${text}</span>`;
  const out: string[] = [];
  let i = 0;
  let k = seed;
  while (i < text.length) {
    const len = 2 + (k++ % 6);
    const part = text.slice(i, i + len);
    const lang = /^[\w\s()（）]+$/.test(part) ? ' lang=EN-US' : '';
    out.push(`<span${lang} style='${FONT}'>${part}</span>`);
    i += len;
  }
  return out.join('');
}

/** inline text of a compact cell: its <br>s and &nbsp; as Word writes them */
function wordCell(content: string, seed: number): string {
  const pieces = content.split(/<br\s*\/?>/i).map((p) => p.replace(/<[^>]+>/g, ''));
  const body = pieces
    .map((p) => (p === '&nbsp;' ? '' : runs(p, seed)))
    .join(`<span lang=EN-US style='${FONT}'><br></span>`);
  // Word ends every paragraph's last run with an empty <o:p>; an empty cell is that run alone
  const end = body === '' ? `<span lang=EN-US><o:p>&nbsp;</o:p></span>` : '';
  return `<p class=MsoNormal align=center style='text-align:center'>${body.replace(/<\/span>$/, '<o:p></o:p></span>')}${end}</p>`;
}

function wordTable(html: string, tableNo: number): string {
  let row = 0;
  let cell = 0;
  return html
    .replace(
      /<table border="1" cellspacing="0">/,
      `<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=605 style='width:453.6pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-table-layout-alt:fixed;mso-padding-alt:0cm 5.4pt 0cm 5.4pt;mso-border-insideh:.5pt solid windowtext;mso-border-insidev:.5pt solid windowtext'>`,
    )
    .replace(/<\/table>/, '</table></div>')
    .replace(/<tr>/g, () => `<tr style='mso-yfti-irow:${row++};${row === 1 ? 'mso-yfti-firstrow:yes;' : ''}page-break-inside:avoid;height:19.85pt'>`)
    .replace(/<td( [^>]*)?>([\s\S]*?)<\/td>/g, (_m, attrs: string | undefined, content: string) => {
      const n = cell++;
      const width = 40 + ((n * 7 + tableNo) % 5) * 12;
      return `<td width=${width}${attrs ?? ''} valign=center style='width:${(width * 0.75).toFixed(1)}pt;${CELL_STYLE}'>${wordCell(content, n)}</td>`;
    });
}

function wordParagraph(text: string, seed: number): string {
  return `<p class=MsoNormal style='${PARA_STYLE}'>${runs(text, seed)}<span lang=EN-US style='font-size:16.0pt;font-family:仿宋_GB2312'><o:p></o:p></span></p>`;
}

const MSO_STYLES = Array.from({ length: 10 }, (_, i) =>
  ` /* Style Definitions ${i} */\n p.MsoStyle${i}, li.MsoStyle${i}, div.MsoStyle${i}\n\t{mso-style-name:"样式 ${i}";mso-style-unhide:no;mso-style-qformat:yes;mso-style-parent:"";margin:0cm;margin-bottom:.0001pt;text-align:justify;text-justify:inter-ideograph;mso-pagination:none;font-size:10.5pt;mso-bidi-font-size:12.0pt;font-family:"Times New Roman",serif;mso-fareast-font-family:宋体;mso-font-kerning:1.0pt;}`,
).join('\n');

/** Prose the real reports carry around their tables (总体情况, 存在的主要问题 …), about as long. */
function prose(v: ReportValues, seed: number): string[] {
  const sentences = [
    `${v.year}年，${v.agency}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，深化政务公开，提升政务服务水平。`,
    '加强组织领导，调整政务公开工作领导小组，明确分管领导和工作人员，将政务公开工作纳入年度目标责任制考核。',
    '严格落实公开属性源头认定机制，规范性文件全部向社会公开，重大决策预公开事项均通过门户网站公开征求意见。',
    '依申请公开办理流程进一步规范，申请登记、审核、办理、答复、归档全流程留痕，按时答复率达到百分之百。',
    '政府信息管理方面，动态调整政府信息公开目录，及时清理过期信息，做好政策文件的立改废工作。',
    '平台建设方面，优化政府门户网站栏目设置，加强政务新媒体管理，做好政务公开专区建设。',
    '监督保障方面，将政务公开纳入干部教育培训内容，组织专题培训，开展社会评议，主动接受社会监督。',
  ];
  const out: string[] = [];
  for (let i = 0; i < 8; i++) out.push(sentences[(i + seed) % sentences.length]!);
  return out;
}

/**
 * The report as a Word-exported page of about 100 KB: the compact page's title, meta tags and
 * tables (renderReportHtml), each table and paragraph rewritten as Word writes it, with the
 * prose and styles of a real report around them.
 */
export function renderWordReportHtml(v: ReportValues, seed = 0): string {
  const compact = renderReportHtml(v);
  const head = compact.slice(0, compact.indexOf('</head>'));
  const tables = [...compact.matchAll(/<table border="1" cellspacing="0">[\s\S]*?<\/table>/g)].map((m, i) => wordTable(m[0], i));
  const body = compact.slice(compact.indexOf('<div id="zoom">') + '<div id="zoom">'.length, compact.lastIndexOf('</div>\n</div>'));
  let t = 0;
  const paragraphs = prose(v, seed);
  let p = 0;
  const word = body
    .replace(/<table border="1" cellspacing="0">[\s\S]*?<\/table>/g, () => tables[t++]!)
    .replace(/<p>([^<]*)<\/p>/g, (_m, text: string) => {
      const extra = text.endsWith('情况') || text.startsWith('五、') || text.startsWith('六、') ? paragraphs.slice(p, (p += 4)).map((s, i) => wordParagraph(s, i)).join('\n') : '';
      return `${wordParagraph(text, p)}\n${extra}`;
    });
  return `${head.replace('<html>', `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">`)}
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml>
 <o:DocumentProperties><o:Author>Administrator</o:Author><o:Pages>6</o:Pages><o:Words>${2000 + seed}</o:Words></o:DocumentProperties>
 <w:WordDocument><w:SpellingState>Clean</w:SpellingState><w:GrammarState>Clean</w:GrammarState><w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing><w:DisplayHorizontalDrawingGridEvery>0</w:DisplayHorizontalDrawingGridEvery></w:WordDocument>
</xml><![endif]-->
<style>
<!--
${MSO_STYLES}
@page WordSection1 {size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;mso-header-margin:42.55pt;mso-footer-margin:49.6pt;mso-paper-source:0;layout-grid:15.6pt;}
div.WordSection1 {page:WordSection1;}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class="article">
<h1 class="title">${v.agency}${v.year}年度政府信息公开工作年度报告</h1>
<div id="zoom">
<div class=WordSection1 style='layout-grid:15.6pt'>
${word}
</div>
</div>
</div>
</body>
</html>
`;
}

/** A generated report (seed) rendered as a real-sized Word-exported page. */
export function generateWordReport(seed: number): { values: ReportValues; html: string } {
  const values = generateReport(seed);
  return { values, html: renderWordReportHtml(values, seed) };
}
