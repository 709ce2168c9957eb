// One lab boot end to end: check the kernel, build the initramfs, pick the accelerator (KVM only when it
// really boots Linux here, else TCG), boot, and read the console into a report.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseCryptsetupBenchmark, type CryptBenchmark } from '../core/lab/cryptsetup-output.ts';
import { parseProbeSamples, type ProbeSample } from '../core/lab/bench-probe.ts';
import type { Diagnostic } from '../core/diag/diagnostic.ts';
import { InputError } from '../core/diag/errors.ts';
import {
  lastConsoleLines,
  parseConsoleLog,
  type PayloadName,
  type PayloadRun,
  type UnboundDevice,
} from '../core/lab/guest-protocol.ts';
import { fnv1a } from '../core/lab/kernel-identity.ts';
import { buildInitramfs } from './initramfs.ts';
import { cacheDir } from './kernel-build.ts';
import { bootQemu, checkKernelImage, kvmDeviceUsable, type Accel, type QemuBootResult } from './qemu.ts';

/** Options of {@link labBoot}. */
export interface LabBootOptions {
  readonly kernel: string;
  /** `auto` builds one for the payloads; otherwise a ready initramfs file. */
  readonly initramfs: string;
  readonly payloads: readonly PayloadName[];
  readonly runs: number;
  readonly timeoutSeconds: number;
  readonly accel: 'auto' | Accel;
  /** `lib/modules/<release>` of a modular kernel; found next to a `boot/vmlinuz-<release>` when not given. */
  readonly modulesDir?: string;
  readonly append?: string;
  readonly memoryMiB?: number;
  readonly onLine?: (line: string) => void;
  /** Where to keep the console log; default `${KFIT_CACHE}/lab/boots/<kernel>.log`. */
  readonly log?: string;
}

/** The outcome of one boot. */
export interface LabBootReport {
  /** True when the guest's /init ran. */
  readonly booted: boolean;
  /** True when /init finished every payload and each exited 0. */
  readonly passed: boolean;
  readonly accel: Accel;
  /** Why this accelerator (e.g. the KVM failure that made kfit fall back to TCG). */
  readonly accelNote: string | null;
  readonly kernel: string;
  /** Guest uptime when /init started (s). */
  readonly initUptimeSeconds: number | null;
  /** Host wall time from QEMU start to /init (s). */
  readonly hostInitSeconds: number | null;
  readonly vmSeconds: number;
  readonly timedOut: boolean;
  readonly procVersion: string | null;
  readonly cmdline: string | null;
  readonly configSha256: string | null;
  readonly payloads: readonly PayloadRun[];
  /** The parsed `cryptsetup benchmark` output of every crypt payload run. */
  readonly crypt: readonly CryptBenchmark[];
  readonly cryptDiagnostics: readonly Diagnostic[];
  readonly samples: readonly ProbeSample[];
  readonly unbound: readonly UnboundDevice[];
  readonly moduleMessages: readonly string[];
  readonly modules: readonly string[];
  readonly panic: string | null;
  /** The guest's clocksource; `jiffies`/`refined-jiffies` means 4 ms timer resolution (timings are coarse). */
  readonly clocksource: string | null;
  /** The last console lines (for a failure report). */
  readonly lastLines: readonly string[];
  readonly log: string;
  readonly initramfs: string;
}

interface KvmProbe {
  readonly host: string;
  readonly works: boolean;
  readonly detail: string;
}

function hostIdentity(): string {
  try {
    return readFileSync('/proc/version', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function probeFile(): string {
  return join(cacheDir(), 'lab', 'kvm-probe.json');
}

function readProbe(): KvmProbe | null {
  try {
    const p = JSON.parse(readFileSync(probeFile(), 'utf8')) as KvmProbe;
    return p.host === hostIdentity() ? p : null;
  } catch {
    return null;
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

/** Finds the modules tree of a Debian-style `…/boot/vmlinuz-<release>` (`…/lib/modules/<release>`). */
export function findModulesDir(kernel: string): string | undefined {
  const m = /^vmlinuz-(.+)$/.exec(basename(kernel));
  if (!m) return undefined;
  const root = dirname(dirname(resolve(kernel)));
  for (const d of [join(root, 'lib', 'modules', m[1]), join(root, 'usr', 'lib', 'modules', m[1])]) {
    if (existsSync(join(d, 'modules.dep'))) return d;
  }
  return undefined;
}

/** Finds the .config a kernel image was built from (build dir, or Debian's `boot/config-<release>`) and hashes it. */
export function kernelConfigSha256(kernel: string): string | null {
  const abs = resolve(kernel);
  const candidates = [join(dirname(abs), '..', '..', '..', '.config'), join(dirname(abs), '.config')];
  const m = /^vmlinuz-(.+)$/.exec(basename(abs));
  if (m) candidates.unshift(join(dirname(abs), `config-${m[1]}`));
  for (const c of candidates) {
    if (existsSync(c)) return createHash('sha256').update(readFileSync(c)).digest('hex');
  }
  return null;
}

/**
 * How long an automatic KVM attempt may take to reach /init before kfit falls back to TCG. A working KVM
 * reaches a tiny kernel's /init in well under 2 s; the broken kind here either fails at once ("KVM internal
 * error") or hangs silently.
 */
const KVM_PROBE_SECONDS = 15;
const INIT_MARKER = 'KFIT-INIT';
const END_MARKER = 'KFIT-END';

/** Boots a kernel in QEMU with the payloads and reports what happened; never leaves QEMU running. */
export async function labBoot(o: LabBootOptions): Promise<LabBootReport> {
  checkKernelImage(o.kernel);
  const modulesDir = o.modulesDir ?? findModulesDir(o.kernel);
  const labDir = join(cacheDir(), 'lab');
  const stem = `${basename(o.kernel)}-${fnv1a(resolve(o.kernel))}`.replace(/[^\w.+-]/g, '_');
  let initramfs = o.initramfs;
  let modules: readonly string[] = [];
  if (o.initramfs === 'auto') {
    const built = buildInitramfs({
      payloads: o.payloads,
      runs: o.runs,
      modulesDir,
      out: join(labDir, 'initramfs', `${stem}-${o.payloads.join('+') || 'none'}-${o.runs}.cpio.gz`),
    });
    initramfs = built.file;
    modules = built.modules;
  } else if (!existsSync(initramfs)) {
    throw new InputError('lab/no-initramfs', `${initramfs}:1:1: error: initramfs not found`);
  }
  const boot = (accel: Accel, timeoutSeconds: number, initDeadlineSeconds?: number): Promise<QemuBootResult> =>
    bootQemu({
      initDeadlineSeconds,
      kernel: o.kernel,
      initrd: initramfs,
      append: o.append,
      accel,
      memoryMiB: o.memoryMiB,
      timeoutSeconds,
      onLine: o.onLine,
      initMarker: INIT_MARKER,
      endMarker: END_MARKER,
    });
  let accel: Accel;
  let accelNote: string | null = null;
  let result: QemuBootResult;
  const probe = readProbe();
  if (o.accel === 'tcg') {
    accel = 'tcg';
  } else if (o.accel === 'kvm' || (kvmDeviceUsable() && (probe === null || probe.works))) {
    // Unprobed KVM gets KVM_PROBE_SECONDS to reach /init; a KVM known to work gets the plain timeout.
    const probing = o.accel === 'auto' && probe === null;
    const first = await boot('kvm', o.timeoutSeconds, probing ? KVM_PROBE_SECONDS : undefined);
    const report = parseConsoleLog(`${first.console}\n${first.stderr}`);
    const kvmBroken = report.kvmFailure || (!report.initReached && probing);
    if (kvmBroken && o.accel === 'auto') {
      const detail =
        `${first.stderr}\n${first.console}`.split('\n').find((l) => /KVM internal error|emulation failure|MSR|KVM_RUN/.test(l))?.trim() ??
        (first.timedOut ? 'no /init within the probe time' : `QEMU exited with ${first.exitCode} before /init`);
      accelNote = `KVM cannot boot Linux on this host (${detail}); fell back to TCG (-accel tcg -cpu max)`;
      accel = 'tcg';
      result = await boot('tcg', o.timeoutSeconds);
      // Remember "KVM is broken here" only when KVM said so or TCG then booted: else the kernel is at fault.
      if (report.kvmFailure || parseConsoleLog(result.console).initReached) {
        writeJsonAtomic(probeFile(), { host: hostIdentity(), works: false, detail } satisfies KvmProbe);
      }
    } else {
      if (report.initReached && o.accel === 'auto') writeJsonAtomic(probeFile(), { host: hostIdentity(), works: true, detail: 'booted' });
      accel = 'kvm';
      result = first;
    }
    return finish();
  } else {
    accel = 'tcg';
    accelNote = kvmDeviceUsable()
      ? `KVM cannot boot Linux on this host (earlier probe: ${probe?.detail}); using TCG (-accel tcg -cpu max)`
      : 'no usable /dev/kvm; using TCG (-accel tcg -cpu max)';
  }
  result = await boot(accel, o.timeoutSeconds);
  return finish();

  function finish(): LabBootReport {
    const text = result.console;
    const report = parseConsoleLog(`${text}\n${result.stderr}`);
    const log = o.log ?? join(labDir, 'boots', `${stem}.log`);
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(`${log}.tmp-${process.pid}`, `$ ${result.command.join(' ')}\n${text}\n--- qemu stderr ---\n${result.stderr}`);
    renameSync(`${log}.tmp-${process.pid}`, log);
    const crypt: CryptBenchmark[] = [];
    const cryptDiagnostics: Diagnostic[] = [];
    const samples: ProbeSample[] = [];
    const cryptIndex: PayloadRun[] = [];
    for (const p of report.payloads) {
      if (p.name === 'crypt' || p.name === 'crypt-full') {
        cryptIndex.push(p);
        const parsed = parseCryptsetupBenchmark(p.output, '', `${log} (${p.name} run ${p.run})`);
        crypt.push(parsed.value);
        cryptDiagnostics.push(...parsed.diagnostics);
      } else {
        samples.push(...parseProbeSamples(p.output));
      }
    }
    const passed =
      report.initReached &&
      report.ended &&
      report.payloads.length === o.payloads.length * o.runs &&
      report.payloads.every((p) =>
        // cryptsetup exits 1 when any row is N/A (e.g. serpent not built in); a crypt payload passes when its
        // cipher rows parsed.
        p.name.startsWith('crypt') ? p.exitCode !== null && crypt[cryptIndex.indexOf(p)]?.status === 'complete' : p.exitCode === 0,
      );
    return {
      booted: report.initReached,
      passed,
      accel,
      accelNote,
      kernel: resolve(o.kernel),
      initUptimeSeconds: report.initUptimeSeconds,
      hostInitSeconds: result.initSeconds,
      vmSeconds: result.seconds,
      timedOut: result.timedOut,
      procVersion: report.procVersion,
      cmdline: report.cmdline,
      configSha256: kernelConfigSha256(o.kernel),
      payloads: report.payloads,
      crypt,
      cryptDiagnostics,
      samples,
      unbound: report.unbound,
      moduleMessages: report.moduleMessages,
      modules,
      panic: report.panic,
      clocksource: report.clocksource,
      lastLines: lastConsoleLines(`${text}\n${result.stderr}`, 25),
      log,
      initramfs,
    };
  }
}
