/// <reference lib="dom" />
/** The template's labels as the site build wrote them (data/labels.js), and the chart labels built on them. */
import { lang, t } from './i18n.ts';
import type { Label } from './i18n.ts';
import { load } from './load.ts';

export interface Labelled {
  code: string;
  label: string;
  en: string;
}

export interface Labels {
  table2: Record<'2019' | '2021', (Labelled & { item: string; columns: (Labelled & { unit?: string })[] })[]>;
  table3Rows: (Labelled & { group: string | null; only: string | null })[];
  applicants: Labelled[];
  table4Groups: Labelled[];
  table4Outcomes: Labelled[];
  outcomeGroups: string[];
  indicators: string[];
}

export const loadLabels = () => load<Labels>('labels');

/** the stacked outcome groups of table 3, as the report prints them */
const OUTCOME_GROUP_LABELS: Record<string, [string, string]> = {
  granted: ['予以公开', 'granted'],
  partially_granted: ['部分公开', 'partially granted'],
  withheld: ['不予公开', 'withheld'],
  unavailable: ['无法提供', 'unavailable'],
  not_processed: ['不予处理', 'not processed'],
  other: ['其他处理', 'other handling'],
};

export function outcomeGroupLabel(code: string): string {
  const l = OUTCOME_GROUP_LABELS[code];
  return l ? l[lang === 'zh' ? 0 : 1] : code;
}

export function indicatorLabel(code: string): string {
  return t(`i_${code}` as Label);
}
