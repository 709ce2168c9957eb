// The symbol values Kbuild sees: what include/config/auto.conf holds, read from a .config.

/**
 * Reads `CONFIG_X=value` lines of a .config into name (without `CONFIG_`) → value as the .config has it (strings
 * keep their quotes; autoConfValues() makes what make sees). `# CONFIG_X is not set` lines and comments are skipped.
 */
export function readConfigValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m && m[2] !== '' && m[2] !== 'n') out.set(m[1]!, m[2]!);
  }
  return out;
}

/**
 * The values as include/config/auto.conf holds them, which is what Kbuild's Makefiles see: strings bare and
 * unescaped (`CONFIG_X="a b"` → `a b`), no `n` and no empty string (make sees an unset variable). Mirrors
 * print_symbol_for_autoconf(), confdata.c (6.1 and 6.12: "No escaping for S_DEF_AUTO"). Gotcha: with the quotes
 * left on, `$(addsuffix .gen.o,$(CONFIG_EXTRA_FIRMWARE))` makes a phantom `"".gen.o`.
 */
export function autoConfValues(values: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of values) {
    if (value === 'n') continue;
    let v = value;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    if (v !== '') out.set(name, v);
  }
  return out;
}
