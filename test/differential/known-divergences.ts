// known-divergences.txt: the one list of cases where kfit's output may differ from conf's (acorn's
// test262.whitelist). One line each: `<case id or pattern> <reason>`; `*` matches any run of characters;
// `#` starts a comment line. An entry whose cases all match conf again must be deleted (the runner says so).

/** One line of known-divergences.txt. */
export interface KnownDivergence {
  pattern: string;
  reason: string;
  line: number;
  regex: RegExp;
}

/** Parses the file; a line without a reason is an error (a divergence must say why). */
export function parseKnownDivergences(text: string, file = 'known-divergences.txt'): KnownDivergence[] {
  const out: KnownDivergence[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s+(\S.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}:1: error: expected "<case id or pattern> <reason>", found ${JSON.stringify(line)}`);
    const regex = new RegExp(`^${m[1].split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    out.push({ pattern: m[1], reason: m[2], line: i + 1, regex });
  });
  return out;
}

/** The entries that cover case `id`. */
export function knownFor(entries: readonly KnownDivergence[], id: string): KnownDivergence[] {
  return entries.filter((e) => e.regex.test(id));
}
