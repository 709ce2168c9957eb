// Config fragments (`CONFIG_X=y`, `# CONFIG_X is not set`) applied on top of a base config, and the check
// that every requested value survived `make olddefconfig` (which silently drops values whose dependencies
// are unmet) — the check merge_config.sh does at its end (scripts/kconfig/merge_config.sh).
import { diagnostic, type Diagnostic, type Parsed } from '../diag/diagnostic.ts';

/** One requested value: `y`, `m`, `n` (from `# … is not set` or `=n`), or a string/number as written. */
export interface FragmentEntry {
  readonly symbol: string;
  readonly value: string;
  readonly line: number;
}

/** Parses a fragment; malformed lines are error diagnostics (`file:line:col: error: …`). */
export function parseFragment(text: string, file: string): Parsed<FragmentEntry[]> {
  const value: FragmentEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let m = /^# CONFIG_(\w+) is not set$/.exec(line);
    if (m) {
      value.push({ symbol: m[1], value: 'n', line: i + 1 });
      return;
    }
    if (line.startsWith('#')) return;
    m = /^CONFIG_(\w+)=(.*)$/.exec(line);
    if (m) {
      value.push({ symbol: m[1], value: m[2], line: i + 1 });
      return;
    }
    diagnostics.push(
      diagnostic('error', 'lab/fragment', `expected \`CONFIG_NAME=value\` or \`# CONFIG_NAME is not set\`, found \`${line}\``, {
        file,
        line: i + 1,
        column: 1,
      }),
    );
  });
  return { value, diagnostics };
}

/** Reads the values of a .config (`n` for `# CONFIG_X is not set`). */
export function readDotConfigValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = /^# CONFIG_(\w+) is not set$/.exec(line);
    if (m) values.set(m[1], 'n');
    else if ((m = /^CONFIG_(\w+)=(.*)$/.exec(line))) values.set(m[1], m[2]);
  }
  return values;
}

/** Renders fragment entries as .config lines, to append to a base config (later lines win in conf_read()). */
export function writeFragmentLines(entries: readonly FragmentEntry[]): string {
  return entries.map((e) => (e.value === 'n' ? `# CONFIG_${e.symbol} is not set` : `CONFIG_${e.symbol}=${e.value}`)).join('\n') + '\n';
}

/**
 * Lists the requested values that did not survive: one warning-free error diagnostic per lost value, with
 * the fragment's span, e.g. `lab.fragment:3:1: error: CONFIG_KVM_GUEST=y requested, olddefconfig gave n`.
 */
export function checkFragmentApplied(entries: readonly FragmentEntry[], result: string, file: string): Diagnostic[] {
  const values = readDotConfigValues(result);
  const out: Diagnostic[] = [];
  for (const e of entries) {
    const got = values.get(e.symbol) ?? 'n';
    if (got !== e.value) {
      out.push(
        diagnostic(
          'error',
          'lab/fragment-dropped',
          `CONFIG_${e.symbol}=${e.value} requested, the resolved .config has ${got === 'n' ? 'it unset' : `=${got}`} (unmet dependency?)`,
          { file, line: e.line, column: 1 },
        ),
      );
    }
  }
  return out;
}
