/** The Markdown run report written next to summary.json. */
import { formatTable } from '../query/format.ts';
import type { NightlySummary } from './summary.ts';

export function summaryMarkdown(s: NightlySummary): string {
  const lines: string[] = [];
  lines.push(`# ogi nightly ${s.runId}`, '');
  lines.push(`- status: **${s.status}**`);
  lines.push(`- started ${s.startedAt}, finished ${s.finishedAt}`);
  lines.push(`- requests: ${s.requests.total} (scout ${s.requests.scout}, walk ${s.requests.walk})`);
  lines.push(`- re-extracted from the archive: ${s.reextracted}`);
  lines.push(`- cross-year carry-over: ${s.crossYear.compared} compared, ${s.crossYear.mismatches} mismatched`);
  lines.push(`- snapshot: ${s.snapshot ?? 'none (nothing changed)'}`, '');
  lines.push('## Sites', '');
  const rows = s.sites.map((x) => [x.site, x.walked ?? '—', x.listingsSeen, x.reportLinks, x.new, x.changed, x.failed, x.extractionFailures, x.consistencyFailures]);
  lines.push('```', formatTable(['site', 'walked', 'listings seen', 'report links', 'new', 'changed', 'failed', 'extraction failures', 'consistency failures'], rows), '```', '');
  lines.push('## Issues by code', '');
  const codes = Object.entries(s.issuesByCode);
  if (codes.length === 0) lines.push('none');
  else lines.push('```', formatTable(['code', 'severity', 'count'], codes.map(([c, v]) => [c, v.severity, v.count])), '```');
  const errors = s.issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    lines.push('', '## Needs a human', '');
    for (const i of errors) lines.push(`- \`${i.code}\` ${i.site ?? ''}: ${i.message}${i.url ? ` — ${i.url}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
