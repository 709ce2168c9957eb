// Reads the text `cryptsetup benchmark` prints (cryptsetup 2.x, run with LC_ALL=C).
// Line formats follow the printf formats of action_benchmark() and benchmark_callback() in
// cryptsetup's src/cryptsetup.c (read for behaviour; the parser below is our own).
import { diagnostic, type Diagnostic, type Parsed } from '../diag/diagnostic.ts';

/** One PBKDF2 row: `PBKDF2-sha256    4288654 iterations per second for 256-bit key` (null when `N/A`). */
export interface Pbkdf2Row {
  readonly hash: string;
  readonly iterationsPerSecond: number | null;
  readonly keyBits: number | null;
}

/** One Argon2 row: `argon2id   4 iterations, 1048576 memory, 2 parallel threads (CPUs) for 256-bit key …`. */
export interface Argon2Row {
  readonly kdf: string;
  readonly iterations: number | null;
  readonly memoryKiB: number | null;
  readonly threads: number | null;
  readonly keyBits: number | null;
  readonly requestedMs: number | null;
}

/** One cipher row: `aes-xts   256b  1234.5 MiB/s  1240.1 MiB/s` (speeds null when `N/A`), in MiB/s. */
export interface CipherRow {
  readonly algorithm: string;
  readonly keyBits: number;
  readonly encryptMiBps: number | null;
  readonly decryptMiBps: number | null;
}

/**
 * What one `cryptsetup benchmark` run said. `status` is `complete` when cipher rows were printed,
 * `kdf-only` when only the KDF part ran (the kernel lacks AF_ALG skcipher), `empty` when nothing parsed.
 */
export interface CryptBenchmark {
  readonly status: 'complete' | 'kdf-only' | 'empty';
  readonly pbkdf2: readonly Pbkdf2Row[];
  readonly argon2: readonly Argon2Row[];
  readonly ciphers: readonly CipherRow[];
  /** Ciphers cryptsetup named as not available (`Cipher aes-xts-plain64 (with 256 bits key) is not available.`). */
  readonly unavailable: readonly string[];
}

/** The diagnostic code for "the kernel has no AF_ALG skcipher interface". */
export const NO_AF_ALG = 'lab/no-af-alg';

const pbkdf2Line = /^PBKDF2-(\S+)\s+(?:(\d+)\s+iterations per second for\s+(\d+)-bit key|N\/A)\s*$/;
const argon2Line =
  /^(argon2\w*)\s+(?:(\d+)\s+iterations,\s+(\d+)\s+memory,\s+(\d+)\s+parallel threads \(CPUs\) for\s+(\d+)-bit key(?:\s+\(requested\s+(\d+)\s+ms time\))?|N\/A)\s*$/;
const speed = String.raw`(?:([\d.]+)\s+([KMG]iB)\/s|N\/A)`;
const cipherLine = new RegExp(String.raw`^\s*([a-z0-9]+-[a-z0-9-]+)\s+(\d+)b\s+${speed}\s+${speed}\s*$`);
const unavailableLine = /^Cipher (\S+) \(with (\d+) bits key\) is not available\./;
const noAfAlg = /kernel crypto interface not available|algif_skcipher/i;

function toMiB(value: string | undefined, unit: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (unit === 'GiB') return n * 1024;
  if (unit === 'KiB') return n / 1024;
  return n;
}

function num(s: string | undefined): number | null {
  return s === undefined ? null : Number(s);
}

/**
 * Parses `cryptsetup benchmark` stdout (and stderr, which carries the AF_ALG complaint).
 * Never throws: a KDF-only run is a warning `lab/no-af-alg` ("kernel lacks AF_ALG skcipher"), not a failure;
 * unknown lines are ignored except a non-empty output without any row, which is an error.
 */
export function parseCryptsetupBenchmark(stdout: string, stderr = '', file = 'cryptsetup'): Parsed<CryptBenchmark> {
  const pbkdf2: Pbkdf2Row[] = [];
  const argon2: Argon2Row[] = [];
  const ciphers: CipherRow[] = [];
  const unavailable: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const raw of `${stdout}\n${stderr}`.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    let m = pbkdf2Line.exec(line);
    if (m) {
      pbkdf2.push({ hash: m[1], iterationsPerSecond: num(m[2]), keyBits: num(m[3]) });
      continue;
    }
    m = argon2Line.exec(line);
    if (m) {
      argon2.push({
        kdf: m[1],
        iterations: num(m[2]),
        memoryKiB: num(m[3]),
        threads: num(m[4]),
        keyBits: num(m[5]),
        requestedMs: num(m[6]),
      });
      continue;
    }
    m = cipherLine.exec(line);
    if (m) {
      ciphers.push({
        algorithm: m[1],
        keyBits: Number(m[2]),
        encryptMiBps: toMiB(m[3], m[4]),
        decryptMiBps: toMiB(m[5], m[6]),
      });
      continue;
    }
    m = unavailableLine.exec(line);
    if (m) unavailable.push(`${m[1]} ${m[2]}b`);
  }
  const anyKdf = pbkdf2.length + argon2.length > 0;
  let status: CryptBenchmark['status'] = ciphers.length > 0 ? 'complete' : anyKdf ? 'kdf-only' : 'empty';
  if (ciphers.length === 0 && (noAfAlg.test(stderr) || noAfAlg.test(stdout))) {
    status = anyKdf ? 'kdf-only' : 'empty';
    diagnostics.push(
      diagnostic(
        'warning',
        NO_AF_ALG,
        'kernel lacks AF_ALG skcipher: cryptsetup could not open the kernel crypto interface, so no cipher rows ' +
          '(enable CONFIG_CRYPTO_USER_API_SKCIPHER, or load algif_skcipher)',
      ),
    );
  } else if (ciphers.length === 0 && unavailable.length > 0) {
    diagnostics.push(
      diagnostic('warning', 'lab/cipher-unavailable', `cryptsetup says not available: ${unavailable.join(', ')}`),
    );
  } else if (status === 'empty' && stdout.trim() !== '') {
    diagnostics.push(
      diagnostic('error', 'lab/cryptsetup-output', `${file}: no benchmark row recognised in cryptsetup's output`),
    );
  }
  return { value: { status, pbkdf2, argon2, ciphers, unavailable }, diagnostics };
}
