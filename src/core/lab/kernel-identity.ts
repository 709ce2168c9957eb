// Which kernel a result belongs to: the /proc/version line, the command line and the config hash.

/** The fields of a `/proc/version` line (the kernel's linux_banner, init/version-timestamp.c). */
export interface ProcVersion {
  /** `uname -r`, e.g. `6.12.117+deb12-amd64`. */
  readonly release: string;
  /** `builder@host`. */
  readonly builder: string | null;
  /** The compiler part in parentheses, e.g. `gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld …`. */
  readonly compiler: string | null;
  /** `#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1 (2025-…)`: build number, flags and date. */
  readonly build: string | null;
}

/**
 * Parses a `/proc/version` line: `Linux version REL (USER@HOST) (COMPILER) #N FLAGS DATE`.
 * Returns null when the text does not start with `Linux version`.
 * Gotcha: the compiler part itself contains parentheses, so it is matched by balance, not by regex.
 */
export function parseProcVersion(line: string): ProcVersion | null {
  const text = line.trim();
  const m = /^Linux version (\S+)\s*/.exec(text);
  if (!m) return null;
  let rest = text.slice(m[0].length);
  const groups: string[] = [];
  while (rest.startsWith('(') && groups.length < 2) {
    let depth = 0;
    let end = -1;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) break;
    groups.push(rest.slice(1, end));
    rest = rest.slice(end + 1).trimStart();
  }
  return {
    release: m[1],
    builder: groups[0] ?? null,
    compiler: groups[1] ?? null,
    build: rest === '' ? null : rest,
  };
}

/** Where a measurement ran: the host itself, QEMU TCG (emulated CPU), or QEMU with KVM. */
export type Environment = 'native' | 'tcg' | 'kvm';

/** The identity a result is keyed by. */
export interface KernelIdentity {
  readonly procVersion: string;
  readonly cmdline: string;
  /** sha256 of the kernel's .config when known (build dir, /proc/config.gz, /boot/config-…), else null. */
  readonly configSha256: string | null;
  readonly environment: Environment;
}

/** A 32-bit FNV-1a hash as 8 hex digits (stable key material; not for security). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The key a result is stored under: `<release>-<environment>-<hash of version+cmdline+config>`, safe as a
 * file name. The command line is part of it because `mitigations=off` makes a different kernel to measure.
 */
export function kernelKey(id: KernelIdentity): string {
  const release = parseProcVersion(id.procVersion)?.release ?? 'unknown';
  const hash = fnv1a(`${id.procVersion}\n${id.cmdline}\n${id.configSha256 ?? ''}`);
  return `${release}-${id.environment}-${hash}`.replace(/[^A-Za-z0-9._+-]/g, '_');
}
