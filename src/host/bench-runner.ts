// `kfit bench run`: runs the suites natively or inside lab boots and turns the output into a result file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/diag/errors.ts';
import { parseProbeSamples } from '../core/lab/bench-probe.ts';
import {
  cryptMetrics,
  makeBenchResult,
  mergeMetrics,
  probeMetrics,
  validateBenchResult,
  type BenchResult,
  type Metric,
  type SkippedSuite,
  type SuiteName,
} from '../core/lab/bench-result.ts';
import { NO_AF_ALG, parseCryptsetupBenchmark } from '../core/lab/cryptsetup-output.ts';
import type { PayloadName } from '../core/lab/guest-protocol.ts';
import type { KernelIdentity } from '../core/lab/kernel-identity.ts';
import { compileBenchProbe } from './bench-probe.ts';
import { cacheDir } from './kernel-build.ts';
import { labBoot, type LabBootReport } from './lab-boot.ts';
import type { Accel } from './qemu.ts';

/** Options of {@link runBench}. */
export interface BenchRunOptions {
  readonly suites: readonly SuiteName[];
  readonly label?: string;
  /** Run inside `kfit lab boot` of this kernel instead of on the host. */
  readonly inVm?: string;
  /** Runs of each suite per boot (natively: in total). */
  readonly runs: number;
  /** Boots (with --in-vm); samples of all boots are pooled. */
  readonly boots: number;
  readonly timeoutSeconds: number;
  readonly accel: 'auto' | Accel;
  /** The whole `cryptsetup benchmark` (PBKDF2, argon2, every cipher) in the VM too, not only AES-XTS. */
  readonly cryptFull?: boolean;
  /** The tree the native restart suite runs `du -s` over. */
  readonly restartTree?: string;
  readonly modulesDir?: string;
  readonly onNote?: (note: string) => void;
}

/** Where results live: `${KFIT_CACHE}/bench/`. */
export function resultsDir(): string {
  return join(cacheDir(), 'bench');
}

/** Writes a result as JSON (temp file + rename: never a half-written result). */
export function writeBenchResult(file: string, result: BenchResult): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, file);
}

/** Reads a result given as a file path or as a label stored in the results folder. */
export function readBenchResult(nameOrFile: string): { file: string; result: BenchResult } {
  const file = existsSync(nameOrFile) ? nameOrFile : join(resultsDir(), `${nameOrFile}.json`);
  if (!existsSync(file)) {
    throw new InputError('bench/no-result', `kfit: no benchmark result \`${nameOrFile}\` (neither a file nor ${file})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError('bench/result', `${file}:1:1: error: not JSON (${(e as Error).message})`);
  }
  return { file, result: validateBenchResult(json, file) };
}

function nativeIdentity(): KernelIdentity {
  const procVersion = readFileSync('/proc/version', 'utf8').trim();
  const cmdline = existsSync('/proc/cmdline') ? readFileSync('/proc/cmdline', 'utf8').trim() : '';
  let config: Buffer | null = null;
  if (existsSync('/proc/config.gz')) config = gunzipSync(readFileSync('/proc/config.gz'));
  else {
    const release = procVersion.split(' ')[2];
    if (existsSync(`/boot/config-${release}`)) config = readFileSync(`/boot/config-${release}`);
  }
  return {
    procVersion,
    cmdline,
    configSha256: config ? createHash('sha256').update(config).digest('hex') : null,
    environment: 'native',
  };
}

function runNativeCrypt(runs: number, metrics: Metric[], skipped: SkippedSuite[]): void {
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('cryptsetup', ['benchmark'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    if (r.error) {
      skipped.push({ suite: 'crypt', reason: 'cryptsetup not found (Debian package cryptsetup-bin)' });
      return;
    }
    const parsed = parseCryptsetupBenchmark(r.stdout, r.stderr);
    mergeMetrics(metrics, cryptMetrics(parsed.value));
    const noAfAlg = parsed.diagnostics.find((d) => d.code === NO_AF_ALG);
    if (noAfAlg) {
      skipped.push({ suite: 'crypt', reason: 'kernel lacks AF_ALG skcipher: only the PBKDF2/argon2 rows ran, no cipher rows' });
      return;
    }
  }
}

function runNativeProbe(suite: 'restart' | 'syscall', o: BenchRunOptions, metrics: Metric[], skipped: SkippedSuite[]): void {
  const exe = compileBenchProbe(true);
  const tree = o.restartTree ?? (existsSync(join(cacheDir(), 'linux-6.12')) ? join(cacheDir(), 'linux-6.12') : '/usr');
  for (let i = 0; i < o.runs; i++) {
    const args = suite === 'restart' ? ['restart', '15', 'du', '-s', tree] : ['syscall', '20000'];
    const r = spawnSync(exe, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      skipped.push({ suite, reason: `kfit-bench ${suite} failed: ${r.stderr.trim()}` });
      return;
    }
    mergeMetrics(metrics, probeMetrics(parseProbeSamples(r.stdout)));
  }
}

/** Reads `systemd-analyze time` (`Startup finished in 1.2s (kernel) + 3.4s (userspace) = 4.6s`). */
export function parseSystemdAnalyze(text: string): Metric[] {
  const m = /Startup finished in (.*?) = ([\d.]+(?:min|ms|s))/.exec(text);
  if (!m) return [];
  const seconds = (v: string) => (v.endsWith('ms') ? Number(v.slice(0, -2)) / 1000 : v.endsWith('min') ? Number(v.slice(0, -3)) * 60 : Number(v.slice(0, -1)));
  const out: Metric[] = [];
  for (const part of m[1].split('+')) {
    const p = /([\d.]+(?:min|ms|s))\s+\((\w+)\)/.exec(part.trim());
    if (p) out.push({ suite: 'boot', name: p[2], unit: 's', better: 'lower', samples: [seconds(p[1])] });
  }
  out.push({ suite: 'boot', name: 'total', unit: 's', better: 'lower', samples: [seconds(m[2])] });
  return out;
}

function runNativeBoot(metrics: Metric[], skipped: SkippedSuite[]): void {
  const r = spawnSync('systemd-analyze', ['time'], { encoding: 'utf8' });
  const found = r.status === 0 ? parseSystemdAnalyze(r.stdout) : [];
  if (found.length === 0) {
    skipped.push({ suite: 'boot', reason: `systemd-analyze gave no boot time (${(r.stderr || String(r.error ?? 'no output')).trim().split('\n')[0]})` });
    return;
  }
  mergeMetrics(metrics, found);
}

/** One kernel's share of an in-VM run. */
interface VmRun {
  readonly kernel: string;
  readonly metrics: Metric[];
  readonly skipped: SkippedSuite[];
  readonly reports: LabBootReport[];
}

/**
 * Boots each kernel `boots` times, round-robin (kernel A, kernel B, A, B, …), so that load changes on the
 * host hit every kernel alike and sample i of A and of B come from the same round (what the paired ratios
 * of `kfit bench compare` assume).
 */
async function runInVm(o: BenchRunOptions, kernels: readonly string[], modulesDirs: readonly (string | undefined)[]): Promise<VmRun[]> {
  const payloads: PayloadName[] = [];
  if (o.suites.includes('crypt')) payloads.push(o.cryptFull ? 'crypt-full' : 'crypt');
  if (o.suites.includes('restart')) payloads.push('restart');
  if (o.suites.includes('syscall')) payloads.push('syscall');
  const runs: VmRun[] = kernels.map((kernel) => ({ kernel, metrics: [], skipped: [], reports: [] }));
  for (let b = 0; b < o.boots; b++) {
    for (const [i, run] of runs.entries()) {
      const r = await labBoot({
        kernel: run.kernel,
        initramfs: 'auto',
        payloads,
        runs: o.runs,
        timeoutSeconds: o.timeoutSeconds,
        accel: o.accel,
        modulesDir: modulesDirs[i],
      });
      run.reports.push(r);
      if (r.accelNote && b === 0 && i === 0) o.onNote?.(r.accelNote);
      o.onNote?.(`boot ${b + 1}/${o.boots} of ${run.kernel}: ${r.passed ? 'ok' : 'FAILED'} (${r.vmSeconds.toFixed(0)} s)`);
      if (r.clocksource && /jiffies/.test(r.clocksource)) {
        o.onNote?.(`warning: the guest clock is ${r.clocksource} (4 ms resolution); restart/syscall timings of this boot are coarse`);
      }
      if (!r.booted) {
        throw new InputError(
          'bench/boot-failed',
          `kfit: ${run.kernel} did not boot (boot ${b + 1}): ${r.panic ?? (r.timedOut ? 'hard timeout' : 'no /init')}; last console lines:\n${r.lastLines.join('\n')}\nconsole log: ${r.log}`,
        );
      }
      for (const c of r.crypt) mergeMetrics(run.metrics, cryptMetrics(c));
      mergeMetrics(run.metrics, probeMetrics(r.samples));
      if (o.suites.includes('boot') && r.initUptimeSeconds !== null) {
        mergeMetrics(run.metrics, [{ suite: 'boot', name: 'init-uptime', unit: 's', better: 'lower', samples: [r.initUptimeSeconds] }]);
      }
      if (b === 0 && r.cryptDiagnostics.some((d) => d.code === NO_AF_ALG)) {
        run.skipped.push({ suite: 'crypt', reason: 'kernel lacks AF_ALG skcipher: no cipher rows' });
      }
    }
  }
  return runs;
}

function vmIdentity(run: VmRun): KernelIdentity {
  const first = run.reports[0];
  return {
    procVersion: first.procVersion ?? 'unknown',
    cmdline: first.cmdline ?? '',
    configSha256: first.configSha256,
    environment: first.accel,
  };
}

/**
 * Runs the suites in lab VMs of several kernels, interleaved boot by boot; one result per kernel, labelled
 * with `labels[i]` (default: the kernel key).
 */
export async function runBenchInVms(
  o: BenchRunOptions,
  kernels: readonly string[],
  labels: readonly (string | undefined)[],
  modulesDirs: readonly (string | undefined)[] = [],
): Promise<BenchResult[]> {
  const runs = await runInVm(o, kernels, modulesDirs);
  const createdAt = new Date().toISOString();
  return runs.map((run, i) => {
    const result = makeBenchResult('', createdAt, vmIdentity(run), run.metrics, run.skipped);
    return { ...result, label: labels[i] ?? result.key };
  });
}

/** Runs the suites and returns the result (not yet written). */
export async function runBench(o: BenchRunOptions): Promise<BenchResult> {
  const metrics: Metric[] = [];
  const skipped: SkippedSuite[] = [];
  if (o.inVm) {
    const [result] = await runBenchInVms(o, [o.inVm], [o.label], [o.modulesDir]);
    return result;
  }
  const identity = nativeIdentity();
  for (const s of o.suites) {
    if (s === 'crypt') runNativeCrypt(o.runs, metrics, skipped);
    else if (s === 'restart' || s === 'syscall') runNativeProbe(s, o, metrics, skipped);
    else runNativeBoot(metrics, skipped);
  }
  const result = makeBenchResult('', new Date().toISOString(), identity, metrics, skipped);
  return { ...result, label: o.label ?? result.key };
}
