// Which module files a guest must load, in order: the closure of wanted modules under modules.dep
// (the format depmod writes: `path: dep-path dep-path …`; mirrors the ordering modprobe's
// kmod_module_get_dependencies() gives, dependencies before the module).

/** A module name as the kernel spells it: file name without `.ko*`, dashes as underscores. */
export function moduleName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

/** Parses modules.dep into path → dependency paths. */
export function parseModulesDep(text: string): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const rest = line.slice(colon + 1).trim();
    deps.set(line.slice(0, colon).trim(), rest === '' ? [] : rest.split(/\s+/));
  }
  return deps;
}

/**
 * Orders the module files needed for `wanted` (names; `-`/`_` alike): dependencies first, each once.
 * Names modules.dep does not list are returned in `missing` (built in, or absent from this kernel).
 */
export function resolveModuleOrder(
  deps: ReadonlyMap<string, readonly string[]>,
  wanted: readonly string[],
): { order: string[]; missing: string[] } {
  const byName = new Map<string, string>();
  for (const path of deps.keys()) byName.set(moduleName(path), path);
  const order: string[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    // modules.dep lists the deepest dependency last; load from the end so bases come first.
    const list = deps.get(path) ?? [];
    for (let i = list.length - 1; i >= 0; i--) visit(list[i]);
    order.push(path);
  };
  for (const w of wanted) {
    const path = byName.get(w.replace(/-/g, '_'));
    if (path === undefined) missing.push(w);
    else visit(path);
  }
  return { order, missing };
}
