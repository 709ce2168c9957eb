// The differential run's bookkeeping: each case's outcome, grouped into the table printed at the end.

/** How a case came out. */
export type Outcome = 'identical' | 'known' | 'new' | 'skipped';

/** One case's outcome, with the known-divergence lines that cover it. */
export interface CaseRecord {
  id: string;
  outcome: Outcome;
  knownLines: number[];
  /** Changed lines (+/−) in the diff, when outputs differ. */
  changed?: number;
}

/** The row a case is counted in: version, arch and target kind (seeds and Debian flavours folded). */
export function groupOf(id: string): string {
  const [version, arch, rest] = id.split('/');
  const [target, detail = ''] = rest.split(':');
  let kind = target;
  if (detail.startsWith('of=')) kind = `${target} of ${detail.slice(3)}`;
  else if (detail.startsWith('debian-6.1-') && version !== '6.1') kind = `${target} (Debian 6.1 configs)`;
  else if (detail.startsWith('debian-')) kind = `${target} (Debian configs)`;
  else if (detail.startsWith('seed=')) kind = `${target} (seeds)`;
  return `${version}\t${arch}\t${kind}`;
}

/** Renders the tally table: one row per group with cases, identical, known divergences, new differences. */
export function formatTally(records: readonly CaseRecord[]): string {
  const rows = new Map<string, Record<Outcome, number>>();
  const total: Record<Outcome, number> = { identical: 0, known: 0, new: 0, skipped: 0 };
  for (const r of records) {
    const key = groupOf(r.id);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { identical: 0, known: 0, new: 0, skipped: 0 }));
    row[r.outcome]++;
    total[r.outcome]++;
  }
  const header = ['version', 'arch', 'target', 'cases', 'identical', 'known', 'new', 'skipped'];
  const body = [...rows].map(([key, c]) => [
    ...key.split('\t'),
    String(c.identical + c.known + c.new + c.skipped),
    String(c.identical),
    String(c.known),
    String(c.new),
    String(c.skipped),
  ]);
  body.push(['total', '', '', String(records.length), String(total.identical), String(total.known), String(total.new), String(total.skipped)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
