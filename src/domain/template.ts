/**
 * The official annual-report templates (国办公开办函〔2019〕60号 and 〔2021〕30号) as data:
 * every row, column and cell code of tables 2, 3 and 4, with the labels that identify them.
 *
 * Codes are the public contract (schema/extract-output.schema.json); labels are
 * what the documents print. `keys` are distinctive substrings matched against a label after
 * normalisation (see labels.ts), so wrapped, bracketed or slightly misprinted labels still match.
 */

export type TemplateVersion = '2019' | '2021';
export type TemplateName = TemplateVersion | 'legacy' | 'unknown';

export interface Labelled {
  code: string;
  label: string;
  en: string;
  /** normalised substrings; a label matches when it contains any of them */
  keys: string[];
}

// ---------------------------------------------------------------- table 2

export interface Table2Column extends Labelled {
  /** unit of the stored value, when it is money */
  unit?: 'yuan' | '10k_yuan';
}

export interface Table2Row extends Labelled {
  /** the 第二十条 item this row is printed under */
  item: string;
  columns: Table2Column[];
}

const col = (code: string, label: string, en: string, keys: string[], unit?: Table2Column['unit']): Table2Column =>
  unit ? { code, label, en, keys, unit } : { code, label, en, keys };

const T2019_DOCS = [
  col('new_made', '本年新制作数量', 'newly made this year', ['新制作']),
  col('new_published', '本年新公开数量', 'newly published this year', ['新公开']),
  col('total_published', '对外公开总数量', 'total published', ['公开总数']),
];
const T2019_ITEMS = [
  col('prev_items', '上一年项目数量', 'items in the previous year', ['上一年项目', '上年项目']),
  col('change', '本年增/减', 'change this year', ['增/减', '增减', '增（减）', '增(减)']),
  col('decisions', '处理决定数量', 'decisions', ['处理决定']),
];
const T2021_DOCS = [
  col('issued', '本年制发件数', 'issued this year', ['制发']),
  col('repealed', '本年废止件数', 'repealed this year', ['废止']),
  col('in_force', '现行有效件数', 'in force', ['现行有效']),
];
const T2021_DECISIONS = [col('decisions', '本年处理决定数量', 'decisions this year', ['处理决定'])];

export const TABLE2: Record<TemplateVersion, Table2Row[]> = {
  '2019': [
    { code: 'regulations', label: '规章', en: 'regulations', keys: ['规章'], item: '（一）', columns: T2019_DOCS },
    { code: 'normative_documents', label: '规范性文件', en: 'normative documents', keys: ['规范性文件'], item: '（一）', columns: T2019_DOCS },
    { code: 'licensing', label: '行政许可', en: 'administrative licensing', keys: ['行政许可'], item: '（五）', columns: T2019_ITEMS },
    { code: 'other_admin_services', label: '其他对外管理服务事项', en: 'other external administrative services', keys: ['其他对外管理服务', '对外管理服务事项'], item: '（五）', columns: T2019_ITEMS },
    { code: 'punishment', label: '行政处罚', en: 'administrative penalties', keys: ['行政处罚'], item: '（六）', columns: T2019_ITEMS },
    { code: 'coercion', label: '行政强制', en: 'administrative coercion', keys: ['行政强制'], item: '（六）', columns: T2019_ITEMS },
    { code: 'fees', label: '行政事业性收费', en: 'administrative fees', keys: ['行政事业性收费', '事业性收费'], item: '（八）', columns: T2019_ITEMS.slice(0, 2) },
    {
      code: 'procurement', label: '政府集中采购', en: 'government centralised procurement', keys: ['政府集中采购', '集中采购'], item: '（九）',
      columns: [
        col('items', '采购项目数量', 'procurement items', ['采购项目数']),
        col('amount_yuan', '采购总金额', 'procurement amount (yuan)', ['采购总金额', '采购金额'], 'yuan'),
      ],
    },
  ],
  '2021': [
    { code: 'regulations', label: '规章', en: 'regulations', keys: ['规章'], item: '（一）', columns: T2021_DOCS },
    { code: 'normative_documents', label: '行政规范性文件', en: 'normative documents', keys: ['规范性文件'], item: '（一）', columns: T2021_DOCS },
    { code: 'licensing', label: '行政许可', en: 'administrative licensing', keys: ['行政许可'], item: '（五）', columns: T2021_DECISIONS },
    { code: 'punishment', label: '行政处罚', en: 'administrative penalties', keys: ['行政处罚'], item: '（六）', columns: T2021_DECISIONS },
    { code: 'coercion', label: '行政强制', en: 'administrative coercion', keys: ['行政强制'], item: '（六）', columns: T2021_DECISIONS },
    {
      code: 'fees', label: '行政事业性收费', en: 'administrative fees', keys: ['行政事业性收费', '事业性收费'], item: '（八）',
      columns: [col('amount_10k_yuan', '本年收费金额（单位：万元）', 'fees collected (10k yuan)', ['收费金额'], '10k_yuan')],
    },
  ],
};

// ---------------------------------------------------------------- table 3

export interface Table3Row extends Labelled {
  /** only in this template version; absent = both */
  only?: TemplateVersion;
  /** the group label the row is printed under, for the codebook */
  group?: string;
}

export const APPLICANTS: Labelled[] = [
  { code: 'natural_person', label: '自然人', en: 'natural persons', keys: ['自然人'] },
  { code: 'commercial_enterprise', label: '商业企业', en: 'commercial enterprises', keys: ['商业企业'] },
  { code: 'research_institution', label: '科研机构', en: 'research institutions', keys: ['科研机构'] },
  { code: 'social_welfare_org', label: '社会公益组织', en: 'social welfare organisations', keys: ['社会公益组织', '公益组织'] },
  { code: 'legal_service_org', label: '法律服务机构', en: 'legal service organisations', keys: ['法律服务机构'] },
  { code: 'other_org', label: '其他', en: 'other organisations', keys: ['其他'] },
  { code: 'total', label: '总计', en: 'total', keys: ['总计'] },
];
export const APPLICANT_CODES = APPLICANTS.map((a) => a.code);

const W = '（三）不予公开';
const U = '（四）无法提供';
const N = '（五）不予处理';
const O = '（六）其他处理';

export const TABLE3_ROWS: Table3Row[] = [
  { code: 'new_received', label: '一、本年新收政府信息公开申请数量', en: 'new requests received this year', keys: ['本年新收', '本年度新收', '新收政府信息公开申请'] },
  { code: 'carried_over', label: '二、上年结转政府信息公开申请数量', en: 'requests carried over from last year', keys: ['上年结转', '上一年结转', '上年度结转', '上一年度结转'] },
  { code: 'granted', label: '（一）予以公开', en: 'granted', keys: ['予以公开'], group: '三、本年度办理结果' },
  { code: 'partially_granted', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', en: 'partially granted', keys: ['部分公开'], group: '三、本年度办理结果' },
  { code: 'withheld.state_secret', label: '1.属于国家秘密', en: 'withheld: state secret', keys: ['国家秘密'], group: W },
  { code: 'withheld.prohibited_by_law', label: '2.其他法律行政法规禁止公开', en: 'withheld: prohibited by other laws', keys: ['禁止公开', '行政法规禁止', '其他法律行政', '法律行政法规'], group: W },
  { code: 'withheld.security_stability', label: '3.危及“三安全一稳定”', en: 'withheld: endangers security and stability', keys: ['三安全', '一稳定'], group: W },
  { code: 'withheld.third_party_rights', label: '4.保护第三方合法权益', en: 'withheld: third-party rights', keys: ['第三方'], group: W },
  { code: 'withheld.internal_affairs', label: '5.属于三类内部事务信息', en: 'withheld: internal affairs', keys: ['内部事务'], group: W },
  { code: 'withheld.process_information', label: '6.属于四类过程性信息', en: 'withheld: process information', keys: ['过程性'], group: W },
  { code: 'withheld.enforcement_files', label: '7.属于行政执法案卷', en: 'withheld: enforcement files', keys: ['执法案卷'], group: W },
  { code: 'withheld.inquiry_matters', label: '8.属于行政查询事项', en: 'withheld: administrative inquiry matters', keys: ['行政查询', '查询事项'], group: W },
  { code: 'unavailable.not_held', label: '1.本机关不掌握相关政府信息', en: 'unavailable: not held', keys: ['不掌握'], group: U },
  { code: 'unavailable.needs_creation', label: '2.没有现成信息需要另行制作', en: 'unavailable: would need to be created', keys: ['另行制作', '没有现成'], group: U },
  { code: 'unavailable.unclear_after_correction', label: '3.补正后申请内容仍不明确', en: 'unavailable: unclear after correction', keys: ['仍不明确', '补正后'], group: U },
  { code: 'not_processed.petition_complaint', label: '1.信访举报投诉类申请', en: 'not processed: petitions and complaints', keys: ['信访', '举报投诉'], group: N },
  { code: 'not_processed.duplicate', label: '2.重复申请', en: 'not processed: duplicate request', keys: ['重复申请'], group: N },
  { code: 'not_processed.publication', label: '3.要求提供公开出版物', en: 'not processed: published material', keys: ['出版物'], group: N },
  { code: 'not_processed.excessive_repeated', label: '4.无正当理由大量反复申请', en: 'not processed: excessive repeated requests', keys: ['大量反复', '反复申请'], group: N },
  { code: 'not_processed.confirm_or_reissue', label: '5.要求行政机关确认或重新出具已获取信息', en: 'not processed: confirm or reissue obtained information', keys: ['重新出具', '确认或重新'], group: N },
  { code: 'other', label: '（六）其他处理', en: 'other handling', keys: ['其他处理'], only: '2019' },
  { code: 'other.overdue_correction', label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', en: 'other: applicant did not correct in time', keys: ['逾期不补正', '不补正', '无正当理由逾期'], only: '2021', group: O },
  { code: 'other.unpaid_fee', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', en: 'other: applicant did not pay the fee', keys: ['缴纳费用', '收费通知', '逾期未按'], only: '2021', group: O },
  { code: 'other.other', label: '3.其他', en: 'other: other', keys: [], only: '2021', group: O },
  { code: 'total', label: '（七）总计', en: 'total handled', keys: ['总计', '(七)合计'] },
  { code: 'carried_forward', label: '四、结转下年度继续办理', en: 'carried forward to next year', keys: ['结转下年', '结转下一年', '下年度继续', '继续办理'] },
];

export function table3Rows(version: TemplateVersion): Table3Row[] {
  return TABLE3_ROWS.filter((r) => !r.only || r.only === version);
}

/**
 * The outcome rows of 三、本年度办理结果, （一）…（六） in template order: the rows summed into
 * （七）总计 (the structural identity implied by the template). Every other row of table 3 is a
 * count of requests (一、二、四) or the total itself.
 */
export function table3OutcomeRows(version: TemplateVersion): string[] {
  return table3Rows(version)
    .map((r) => r.code)
    .filter((c) => !['new_received', 'carried_over', 'total', 'carried_forward'].includes(c));
}

/** （六）其他处理 as the 2021 template splits it in three rows; the 2019 template prints it as one, `other`. */
export const TABLE3_OTHER_SPLIT: string[] = TABLE3_ROWS.filter((r) => r.only === '2021').map((r) => r.code);

// ---------------------------------------------------------------- table 4

export const TABLE4_GROUPS: Labelled[] = [
  { code: 'review', label: '行政复议', en: 'administrative review', keys: ['行政复议'] },
  { code: 'litigation_direct', label: '行政诉讼 未经复议直接起诉', en: 'litigation without prior review', keys: ['直接起诉'] },
  { code: 'litigation_after_review', label: '行政诉讼 复议后起诉', en: 'litigation after review', keys: ['复议后起诉'] },
];
export const TABLE4_OUTCOMES: Labelled[] = [
  { code: 'upheld', label: '结果维持', en: 'upheld', keys: ['维持'] },
  { code: 'corrected', label: '结果纠正', en: 'corrected', keys: ['纠正'] },
  { code: 'other', label: '其他结果', en: 'other result', keys: ['其他结果'] },
  { code: 'pending', label: '尚未审结', en: 'pending', keys: ['尚未审结', '未审结'] },
  { code: 'total', label: '总计', en: 'total', keys: ['总计'] },
];

// ---------------------------------------------------------------- sections

export const SECTIONS = [
  { code: 'overview', label: '一、总体情况', keys: ['总体情况'] },
  { code: 'proactive', label: '二、主动公开政府信息情况', keys: ['主动公开政府信息情况'] },
  { code: 'requests', label: '三、收到和处理政府信息公开申请情况', keys: ['收到和处理政府信息公开申请'] },
  { code: 'review_litigation', label: '四、政府信息公开行政复议、行政诉讼情况', keys: ['行政复议、行政诉讼情况', '行政复议行政诉讼情况', '行政复议及行政诉讼情况', '行政复议和行政诉讼情况'] },
  { code: 'problems', label: '五、存在的主要问题及改进情况', keys: ['存在的主要问题'] },
  { code: 'other_matters', label: '六、其他需要报告的事项', keys: ['其他需要报告'] },
] as const;
export type SectionCode = (typeof SECTIONS)[number]['code'];
