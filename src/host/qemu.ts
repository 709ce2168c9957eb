// Runs one QEMU boot with a serial console, a hard timeout, and a guarantee that the QEMU process group
// ends (on timeout, on our exit, on Ctrl-C).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { InputError } from '../core/diag/errors.ts';

/** The accelerator a boot uses: TCG emulates the CPU, KVM runs it (when the host's KVM really works). */
export type Accel = 'kvm' | 'tcg';

/** Options of {@link bootQemu}. */
export interface QemuBootOptions {
  readonly kernel: string;
  readonly initrd: string;
  /** Extra kernel command line after `console=ttyS0 panic=-1` (and `tsc=reliable` under TCG); a `console=` here replaces ttyS0. */
  readonly append?: string;
  readonly accel: Accel;
  readonly memoryMiB?: number;
  readonly timeoutSeconds: number;
  /** TSC frequency to give a TCG guest (`tsc_early_khz`); default: the host's, null: none. */
  readonly tscKhz?: number | null;
  /** Called with each console line as it arrives. */
  readonly onLine?: (line: string) => void;
  /** The line that means "the guest is done" (QEMU gets a grace period to exit after it). */
  readonly endMarker?: string;
  /** The line that means "/init started" (its host time is recorded). */
  readonly initMarker?: string;
  /** Kill the VM when the init marker has not appeared after this many seconds (a KVM probe). */
  readonly initDeadlineSeconds?: number;
}

/** What a boot printed and how it ended. */
export interface QemuBootResult {
  readonly console: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** Host wall time of the whole VM run. */
  readonly seconds: number;
  /** Host wall time from QEMU's start to the init marker; null when never seen. */
  readonly initSeconds: number | null;
  readonly command: readonly string[];
}

const live = new Set<ChildProcess>();
let hooked = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Makes sure every QEMU we started dies with us (normal exit, Ctrl-C, SIGTERM). */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of live) killGroup(c);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      for (const c of live) killGroup(c);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Finds `qemu-system-x86_64` on PATH; an InputError naming the Debian package when absent. */
export function findQemu(): string {
  const r = spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new InputError(
      'lab/no-qemu',
      'kfit: qemu-system-x86_64 not found; install the Debian package qemu-system-x86 (apt-get install --no-install-recommends qemu-system-x86)',
    );
  }
  return 'qemu-system-x86_64';
}

/**
 * Checks that `file` is a bootable x86 kernel: a bzImage (the `HdrS` boot-protocol magic at 0x202) or an
 * ELF vmlinux (bootable through PVH). Throws an InputError saying what was found otherwise.
 */
export function checkKernelImage(file: string): 'bzImage' | 'elf' {
  if (!existsSync(file)) throw new InputError('lab/no-kernel', `${file}:1:1: error: kernel image not found`);
  if (!statSync(file).isFile()) throw new InputError('lab/no-kernel', `${file}:1:1: error: not a file`);
  const head = Buffer.alloc(0x210);
  const fd = openSync(file, 'r');
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  if (n >= 0x206 && head.toString('latin1', 0x202, 0x206) === 'HdrS') return 'bzImage';
  if (n >= 4 && head.readUInt32BE(0) === 0x7f454c46) return 'elf';
  throw new InputError(
    'lab/not-a-kernel',
    `${file}:1:1: error: not a Linux kernel image: expected a bzImage (boot header "HdrS" at offset 0x202) or an ELF vmlinux`,
  );
}

/** True when /dev/kvm exists and we may open it. */
export function kvmDeviceUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The host's TSC frequency in kHz when the TSC is constant (`constant_tsc` + `cpu MHz` in /proc/cpuinfo), else
 * null. Gotcha: QEMU TCG's guest TSC ticks at the host's rate, but a kernel without ACPI (tinyconfig) has no
 * HPET/PM-timer reference and, on a loaded host, fails to calibrate against the PIT, marks the TSC unstable
 * and falls back to jiffies (4 ms clock resolution, which ruins every timing). `tsc_early_khz=` skips that
 * calibration; `tsc=reliable` alone (research/kvm-lab.md) was not enough at load 10+.
 */
export function hostTscKhz(): number | null {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    if (!/^flags\s*:.*\bconstant_tsc\b/m.test(info)) return null;
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(info);
    return m ? Math.round(Number(m[1]) * 1000) : null;
  } catch {
    return null;
  }
}

/** The full QEMU argument list for one boot. */
export function qemuArgs(o: QemuBootOptions): string[] {
  const cpu = o.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host,-arch-capabilities'] : ['-accel', 'tcg', '-cpu', 'max'];
  // A console= in the user's line replaces kfit's serial console (kfit then reads only what reaches ttyS0).
  const console = /(^|\s)console=/.test(o.append ?? '') ? [] : ['console=ttyS0'];
  const khz = o.accel === 'tcg' ? (o.tscKhz === undefined ? hostTscKhz() : o.tscKhz) : null;
  const tcg = o.accel === 'tcg' ? ['tsc=reliable', ...(khz ? [`tsc_early_khz=${khz}`] : [])] : [];
  const append = [...console, 'panic=-1', ...tcg, o.append ?? '']
    .filter(Boolean)
    .join(' ');
  return [
    ...cpu,
    '-m', String(o.memoryMiB ?? 1024),
    '-smp', '1',
    '-display', 'none',
    '-monitor', 'none',
    '-serial', 'stdio',
    '-no-reboot',
    '-kernel', o.kernel,
    '-initrd', o.initrd,
    '-append', append,
  ];
}

/**
 * Boots QEMU and collects the serial console. The VM runs in its own process group, which is killed on the
 * hard timeout, a few seconds after the end marker if QEMU lingers, and when kfit itself exits.
 */
export function bootQemu(o: QemuBootOptions): Promise<QemuBootResult> {
  const qemu = findQemu();
  hookExit();
  const args = qemuArgs(o);
  const start = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child);
    let consoleText = '';
    let stderr = '';
    let partial = '';
    let timedOut = false;
    let initSeconds: number | null = null;
    let grace: NodeJS.Timeout | undefined;
    const hard = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, o.timeoutSeconds * 1000);
    const deadline =
      o.initDeadlineSeconds !== undefined && o.initMarker
        ? setTimeout(() => {
            if (initSeconds === null) {
              timedOut = true;
              killGroup(child);
            }
          }, o.initDeadlineSeconds * 1000)
        : undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      consoleText += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.replace(/\r$/, '');
        if (o.initMarker && initSeconds === null && line.includes(o.initMarker)) initSeconds = (Date.now() - start) / 1000;
        if (o.endMarker && line.includes(o.endMarker) && !grace) grace = setTimeout(() => killGroup(child), 10_000);
        o.onLine?.(line);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (e) => {
      clearTimeout(hard);
      if (deadline) clearTimeout(deadline);
      live.delete(child);
      fail(e);
    });
    child.on('close', (code) => {
      clearTimeout(hard);
      if (deadline) clearTimeout(deadline);
      if (grace) clearTimeout(grace);
      // Anything QEMU left in its group goes too.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is empty
      }
      live.delete(child);
      done({
        console: consoleText,
        stderr,
        exitCode: code,
        timedOut,
        seconds: (Date.now() - start) / 1000,
        initSeconds,
        command: [qemu, ...args],
      });
    });
  });
}
