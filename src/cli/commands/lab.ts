// `kfit lab build` and `kfit lab boot`: build a kernel from a config out of tree, boot it under QEMU.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { InputError } from '../../core/diag/errors.ts';
import { formatDiagnostic } from '../../core/diag/diagnostic.ts';
import { estimateRemaining } from '../../core/lab/build-log.ts';
import { PAYLOAD_NAMES, type PayloadName } from '../../core/lab/guest-protocol.ts';
import { buildKernel, type BuildProgress } from '../../host/kernel-build.ts';
import { fetchDebianKernel } from '../../host/debian-kernel.ts';
import { labBoot, type LabBootReport } from '../../host/lab-boot.ts';

/** Parses `--payload a,b` into payload names; an InputError for an unknown one. */
export function parsePayloads(text: string): PayloadName[] {
  if (text === '' || text === 'none') return [];
  return text.split(',').map((p) => {
    const name = p.trim() as PayloadName;
    if (!PAYLOAD_NAMES.includes(name)) {
      throw new InputError('lab/payload', `kfit: unknown payload \`${p}\`; expected one of ${PAYLOAD_NAMES.join(', ')}`);
    }
    return name;
  });
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InputError('cli/number', `kfit: ${flag} expects a positive integer, found \`${value}\``);
  return n;
}

function progressReporter(): { update: (p: BuildProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    let lastTenth = -1;
    return {
      update: (p) => {
        if (p.phase !== 'build') return;
        const tenth = Math.floor((p.done / p.expected) * 10);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          process.stderr.write(`kfit lab build: ${p.done}/${p.expected} objects, ${p.elapsedSeconds.toFixed(0)} s\n`);
        }
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'building {bar} {value}/{total} objects ({source}) | {elapsed}s | ETA {remaining}', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (p.phase !== 'build') return;
      const rem = estimateRemaining(p.done, p.expected, p.elapsedSeconds);
      const payload = {
        source: p.source === 'previous-build' ? 'count from the last build' : 'estimated',
        elapsed: p.elapsedSeconds.toFixed(0),
        remaining: rem === null ? '?' : `${rem.toFixed(0)}s`,
      };
      if (!started) {
        bar.start(p.expected, p.done, payload);
        started = true;
      } else {
        bar.setTotal(p.expected);
        bar.update(p.done, payload);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function mib(n: number | null): string {
  return n === null ? 'N/A' : `${n.toFixed(1)} MiB/s`;
}

/** Formats a boot report for people. */
export function formatBootReport(r: LabBootReport): string {
  const lines: string[] = [];
  const verdict = r.passed ? pc.green('PASS') : pc.red('FAIL');
  lines.push(`kfit lab boot: ${verdict} (${r.accel === 'tcg' ? 'QEMU TCG, emulated CPU' : 'QEMU KVM'})`);
  if (r.accelNote) lines.push(`  note: ${r.accelNote}`);
  lines.push(`  kernel: ${r.kernel}`);
  lines.push(`  booted: ${r.booted ? 'yes, /init reached' : 'no, /init never ran'}${r.timedOut ? ' (hard timeout hit, QEMU killed)' : ''}`);
  if (r.procVersion) lines.push(`  /proc/version: ${r.procVersion}`);
  if (r.initUptimeSeconds !== null || r.hostInitSeconds !== null) {
    lines.push(
      `  time to /init: ${r.initUptimeSeconds?.toFixed(2) ?? '?'} s guest uptime, ${r.hostInitSeconds?.toFixed(1) ?? '?'} s host wall; whole VM ${r.vmSeconds.toFixed(1)} s`,
    );
  }
  if (r.clocksource && /jiffies/.test(r.clocksource)) {
    lines.push(`  ${pc.yellow('warning')}: the guest clock is ${r.clocksource} (4 ms resolution): timings from this boot are coarse`);
  }
  if (r.modules.length) lines.push(`  modules loaded by /init: ${r.modules.join(' ')}`);
  for (const m of r.moduleMessages) lines.push(`  insmod: ${m}`);
  r.crypt.forEach((c, i) => {
    const rows = c.ciphers.map((x) => `${x.algorithm} ${x.keyBits}b ${mib(x.encryptMiBps)} / ${mib(x.decryptMiBps)}`);
    lines.push(`  crypt run ${i + 1} (${c.status}): ${rows.length ? rows.join('; ') : 'no cipher rows'}`);
  });
  for (const d of r.cryptDiagnostics) lines.push(`  ${formatDiagnostic(d)}`);
  if (r.samples.length) {
    const by = new Map<string, number[]>();
    for (const s of r.samples) by.set(`${s.suite}/${s.metric} (${s.unit})`, [...(by.get(`${s.suite}/${s.metric} (${s.unit})`) ?? []), s.value]);
    for (const [k, v] of by) lines.push(`  ${k}: ${v.map((x) => x.toFixed(1)).join(' ')}`);
  }
  for (const p of r.payloads) if (p.exitCode !== 0) lines.push(`  payload ${p.name} run ${p.run}: exit ${p.exitCode ?? 'never finished'}${p.name.startsWith('crypt') ? ' (cryptsetup exits 1 when a row is N/A)' : ''}`);
  if (r.unbound.length) {
    lines.push(`  devices without a bound driver (the config may lack their driver): ${r.unbound.length}`);
    for (const d of r.unbound.slice(0, 20)) lines.push(`    ${d.bus} ${d.device} ${d.modalias}`);
  }
  if (r.panic) lines.push(`  ${pc.red(r.panic)}`);
  if (!r.passed && r.lastLines.length === 0) {
    lines.push('  the guest printed nothing on the serial console (does the config have SERIAL_8250_CONSOLE and PRINTK?)');
  } else if (!r.passed) {
    lines.push('  last console lines:');
    for (const l of r.lastLines) lines.push(`    ${l}`);
  }
  lines.push(`  console log: ${r.log}`);
  return lines.join('\n');
}

/** Registers `kfit lab build` and `kfit lab boot`. */
export function registerLab(program: Command): void {
  const lab = program.command('lab').description('Build a kernel from a config and boot it under QEMU before you reboot into it');
  lab
    .command('build')
    .description('Out-of-tree build of bzImage (and modules) with progress; equal inputs reuse the build dir')
    .requiredOption('--src <dir>', 'kernel source tree (left untouched)')
    .requiredOption('--config <file|target>', 'base config: a .config file, or tinyconfig / defconfig / allnoconfig')
    .option('--fragment <file>', 'config fragment applied on top (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--llvm', 'build with clang/LLD (LLVM=1 on every make call)')
    .option('--lto <kind>', 'clang LTO: thin or full (needs --llvm)')
    .option('--kcflags <flags>', 'extra compiler flags (KCFLAGS)')
    .option('--jobs <n>', 'parallel make jobs', '2')
    .option('--out <dir>', 'build directory (default ${KFIT_CACHE}/lab/build-<hash>)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { src: string; config: string; fragment: string[]; llvm?: boolean; lto?: string; kcflags?: string; jobs: string; out?: string; json?: boolean }) => {
      if (opts.lto !== undefined && opts.lto !== 'thin' && opts.lto !== 'full') {
        throw new InputError('cli/lto', `kfit: --lto expects thin or full, found \`${opts.lto}\``);
      }
      const progress = progressReporter();
      try {
        const r = await buildKernel({
          src: opts.src,
          config: opts.config,
          fragments: opts.fragment,
          llvm: opts.llvm,
          lto: opts.lto as 'thin' | 'full' | undefined,
          kcflags: opts.kcflags,
          jobs: positiveInt('--jobs', opts.jobs),
          out: opts.out,
          onProgress: progress.update,
        });
        progress.stop();
        if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          process.stdout.write(
            `${r.reused ? 'reused' : 'built'} ${r.bzImage}\n  ${r.reused ? 'earlier build' : `${r.seconds.toFixed(1)} s`}, ${r.objects} objects; config sha256 ${r.configSha256.slice(0, 16)}…; log ${r.log}\n`,
          );
        }
      } finally {
        progress.stop();
      }
    });
  lab
    .command('boot')
    .description('Boot a kernel under QEMU with an initramfs and payloads; exit status 0 = booted and every payload ran')
    .requiredOption('--kernel <file>', 'bzImage or vmlinuz')
    .option('--initramfs <auto|file>', 'auto: busybox-static + what the payloads need', 'auto')
    .option('--payload <list>', `comma-separated: ${PAYLOAD_NAMES.join(', ')}, or none`, 'crypt')
    .option('--runs <n>', 'how many times each payload runs', '1')
    .option('--timeout <seconds>', 'hard timeout of the VM', '300')
    .option('--accel <auto|kvm|tcg>', 'auto: KVM only when it really boots Linux here, else TCG', 'auto')
    .option('--modules <dir>', 'lib/modules/<release> of a modular kernel (default: next to boot/vmlinuz-<release>)')
    .option('--append <args>', 'extra kernel command line')
    .option('--memory <MiB>', 'guest memory', '1024')
    .option('--log <file>', 'where to write the console log')
    .option('--console', 'echo the guest console while it runs')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { kernel: string; initramfs: string; payload: string; runs: string; timeout: string; accel: string; modules?: string; append?: string; memory: string; log?: string; console?: boolean; json?: boolean }) => {
      if (!['auto', 'kvm', 'tcg'].includes(opts.accel)) throw new InputError('cli/accel', `kfit: --accel expects auto, kvm or tcg, found \`${opts.accel}\``);
      const r = await labBoot({
        kernel: opts.kernel,
        initramfs: opts.initramfs,
        payloads: parsePayloads(opts.payload),
        runs: positiveInt('--runs', opts.runs),
        timeoutSeconds: positiveInt('--timeout', opts.timeout),
        accel: opts.accel as 'auto' | 'kvm' | 'tcg',
        modulesDir: opts.modules,
        append: opts.append,
        memoryMiB: positiveInt('--memory', opts.memory),
        log: opts.log,
        onLine: opts.console ? (l) => process.stderr.write(`${pc.dim('│')} ${l}\n`) : undefined,
      });
      process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatBootReport(r)}\n`);
      if (!r.passed) process.exitCode = 1;
    });
  lab
    .command('fetch-kernel')
    .description("Download Debian's stock kernel image (apt-get download, not installed) into the cache; prints its vmlinuz")
    .option('--debian <series>', 'kernel series', '6.12')
    .option('--json', 'print the paths as JSON')
    .action((opts: { debian: string; json?: boolean }) => {
      const k = fetchDebianKernel(opts.debian);
      process.stdout.write(opts.json ? `${JSON.stringify(k, null, 2)}\n` : `${k.vmlinuz}\n`);
    });
}
