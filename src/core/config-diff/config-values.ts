// The values of a kernel `.config` as text, for diffs and conversion (not an evaluator: see dotconfig/).
import { diagnostic, type Diagnostic, type Parsed } from '../diag/index.ts';

/**
 * Symbol (without `CONFIG_`) → value as written in `.config`: `y`, `m`, `n` (for `# CONFIG_X is not set`),
 * a number, or a string with its quotes (`"quiet"`). Insertion order is file order.
 */
export type ConfigValues = ReadonlyMap<string, string>;

/**
 * Reads `.config` text the way confdata.c's conf_read_simple() does: `CONFIG_X=value` and
 * `# CONFIG_X is not set`; a later line for the same symbol wins. Malformed lines are warnings;
 * a file without a single `CONFIG_` line is an error (wrong file, or compressed data read as text).
 */
export function parseConfigValues(text: string, file: string): Parsed<ConfigValues> {
  const values = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') continue;
    const notSet = /^# CONFIG_([A-Za-z0-9_]+) is not set$/.exec(line);
    if (notSet) {
      values.delete(notSet[1]);
      values.set(notSet[1], 'n');
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (!m) {
      diagnostics.push(diagnostic('warning', 'config/malformed-line', `unexpected line, ignored: ${line.slice(0, 80)}`, { file, line: i + 1, column: 1 }));
      continue;
    }
    let value = m[2];
    if (value.startsWith('"') && !/^"(?:[^"\\]|\\.)*"$/.test(value)) {
      diagnostics.push(diagnostic('warning', 'config/unterminated-string', `CONFIG_${m[1]}: unterminated string, ignored`, { file, line: i + 1, column: m[1].length + 9 }));
      continue;
    }
    if (value === '') {
      diagnostics.push(diagnostic('warning', 'config/empty-value', `CONFIG_${m[1]}: empty value, ignored`, { file, line: i + 1, column: m[1].length + 9 }));
      continue;
    }
    values.delete(m[1]);
    values.set(m[1], value);
  }
  if (values.size === 0) {
    diagnostics.unshift(diagnostic('error', 'config/empty', 'no CONFIG_ lines: this is not a kernel .config (or it is compressed in a way kfit does not read)', { file, line: 1, column: 1 }));
  }
  return { value: values, diagnostics };
}

/** The text of a quoted `.config` string value, unescaped (`"a\"b"` → `a"b`); other values unchanged. */
export function configStringContent(value: string): string {
  if (!value.startsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Writes values back as `.config` lines (`n` as `# CONFIG_X is not set`). */
export function formatConfigValues(values: ConfigValues): string {
  let out = '';
  for (const [name, v] of values) out += v === 'n' ? `# CONFIG_${name} is not set\n` : `CONFIG_${name}=${v}\n`;
  return out;
}
