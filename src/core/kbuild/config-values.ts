// The symbol values Kbuild sees: what include/config/auto.conf holds, read from a .config.

/**
 * Reads `CONFIG_X=value` lines of a .config (or auto.conf) into name (without `CONFIG_`) → value, exactly as
 * make sees them (strings keep their quotes). `# CONFIG_X is not set` lines and comments are skipped.
 */
export function readConfigValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m && m[2] !== '' && m[2] !== 'n') out.set(m[1]!, m[2]!);
  }
  return out;
}
