/** Choosing which C implementation (KconfigFlavor) a kernel tree's own `conf` has. */
import type { KconfigFlavor } from './model.ts';

/**
 * The flavor for a kernel version such as `6.12.117`: the choice rewrite landed in Linux 6.11, so 6.11 and
 * later are `v6.12`, anything older is `v6.1`.
 */
export function flavorForVersion(version: string): KconfigFlavor {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return 'v6.12';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 6 || (major === 6 && minor >= 11) ? 'v6.12' : 'v6.1';
}
