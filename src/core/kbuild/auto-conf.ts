// The symbol values as include/config/auto.conf holds them, which is what Kbuild's Makefiles see.

/**
 * Turns .config values (strings quoted and escaped, as `CONFIG_X="a b"`) into auto.conf values (strings bare:
 * `CONFIG_X=a b`, an empty string empty). Mirrors print_symbol_for_autoconf(), confdata.c (6.1 and 6.12:
 * "No escaping for S_DEF_AUTO"). Gotcha: with the quotes left on, `$(addsuffix .gen.o,$(CONFIG_EXTRA_FIRMWARE))`
 * makes a phantom `"".gen.o`; an empty string drops out of the map, as make sees an empty variable.
 */
export function autoConfValues(values: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of values) {
    let v = value;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    if (v !== '') out.set(name, v);
  }
  return out;
}
