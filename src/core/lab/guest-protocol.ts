// The contract between kfit and a lab guest: the /init script kfit puts into the initramfs, and the
// reader of the serial console that turns the guest's marker lines back into data.
// Markers are plain lines starting `KFIT-` so they survive interleaved printk output.

/** A payload the guest runs after boot. */
export type PayloadName = 'crypt' | 'crypt-full' | 'restart' | 'syscall';

/** Every payload name, in the order `--payload` help lists them. */
export const PAYLOAD_NAMES: readonly PayloadName[] = ['crypt', 'crypt-full', 'restart', 'syscall'];

/** What the guest should do after boot. */
export interface GuestPlan {
  readonly payloads: readonly PayloadName[];
  /** How many times each payload runs in this boot. */
  readonly runs: number;
  /** Kernel modules to `insmod`, in dependency order, as file names under /lib/kfit-modules/. */
  readonly modules: readonly string[];
}

/** The shell line(s) that run one payload once; output goes to the console. */
function payloadCommands(name: PayloadName): string[] {
  switch (name) {
    case 'crypt':
      return [
        'cryptsetup benchmark --cipher aes-xts-plain64 --key-size 256 2>&1',
        'cryptsetup benchmark --cipher aes-xts-plain64 --key-size 512 2>&1',
      ];
    case 'crypt-full':
      return ['cryptsetup benchmark 2>&1'];
    case 'restart':
      // /usr holds the payload libraries and a 4,000-file tree kfit adds for this stat storm.
      return ['/usr/lib/kfit/kfit-bench restart 15 du -s /usr 2>&1'];
    case 'syscall':
      return ['/usr/lib/kfit/kfit-bench syscall 20000 2>&1'];
  }
}

/**
 * Writes the guest's `/init` (busybox sh): mounts proc/sys/devtmpfs, prints the boot facts, loads modules,
 * lists devices without a bound driver, runs the payloads between markers, then `reboot -f`
 * (QEMU runs with `-no-reboot`, so that ends the VM; `poweroff` would only halt a kernel without ACPI).
 */
export function writeInitScript(plan: GuestPlan): string {
  const lines = [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s',
    'export PATH=/bin:/sbin:/usr/bin:/usr/sbin LC_ALL=C HOME=/root',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs devtmpfs /dev 2>/dev/null',
    'read up idle < /proc/uptime',
    'echo "KFIT-INIT uptime=$up"',
    'echo "KFIT-VERSION $(cat /proc/version)"',
    'echo "KFIT-CMDLINE $(cat /proc/cmdline)"',
  ];
  for (const m of plan.modules) {
    lines.push(`insmod /lib/kfit-modules/${m} 2>&1 | while read l; do echo "KFIT-MODULE ${m}: $l"; done`);
  }
  lines.push(
    'for d in /sys/bus/*/devices/*; do',
    '  [ -e "$d" ] || continue; [ -e "$d/driver" ] && continue',
    '  b=${d#/sys/bus/}; b=${b%%/*}; a=$(cat "$d/modalias" 2>/dev/null)',
    '  echo "KFIT-NODRIVER $b ${d##*/} $a"',
    'done',
  );
  for (const p of plan.payloads) {
    for (let run = 1; run <= plan.runs; run++) {
      lines.push(`echo "KFIT-PAYLOAD-BEGIN ${p} ${run}"`);
      const cmds = payloadCommands(p);
      lines.push('rc=0');
      for (const c of cmds) lines.push(`${c} || rc=$?`);
      lines.push(`echo "KFIT-PAYLOAD-END ${p} ${run} rc=$rc"`);
    }
  }
  lines.push('echo "KFIT-END"', 'sync', 'reboot -f', 'sleep 5', '');
  return lines.join('\n');
}

/** One payload run as the console showed it. */
export interface PayloadRun {
  readonly name: string;
  readonly run: number;
  /** Exit status of the payload's last failing command (0 when all succeeded); null when it never finished. */
  readonly exitCode: number | null;
  readonly output: string;
}

/** A device the guest saw with no driver bound: a hint that the config lacks its driver. */
export interface UnboundDevice {
  readonly bus: string;
  readonly device: string;
  readonly modalias: string;
}

/** What the serial console says about one boot. */
export interface ConsoleReport {
  /** True when the guest's /init printed its first marker. */
  readonly initReached: boolean;
  /** Guest uptime (s) when /init started, from /proc/uptime. */
  readonly initUptimeSeconds: number | null;
  readonly procVersion: string | null;
  readonly cmdline: string | null;
  /** True when /init printed its end marker (every payload finished). */
  readonly ended: boolean;
  readonly payloads: readonly PayloadRun[];
  readonly unbound: readonly UnboundDevice[];
  /** Lines the module loader printed (insmod errors). */
  readonly moduleMessages: readonly string[];
  /** The `Kernel panic - not syncing: …` line, when there was one. */
  readonly panic: string | null;
  /** True when the output shows QEMU's "KVM internal error" class of failure (the KVM emulator gave up). */
  readonly kvmFailure: boolean;
  /** The last clocksource the kernel switched to (`tsc-early`, `tsc`, `refined-jiffies`…), when it said so. */
  readonly clocksource: string | null;
}

const kvmFailure = /KVM internal error|emulation failure|kvm_buf_set_msrs|failed to set MSR|KVM_RUN failed/;

/** Reads a serial console log (plus QEMU's stderr) into a {@link ConsoleReport}. */
export function parseConsoleLog(text: string): ConsoleReport {
  let initReached = false;
  let initUptimeSeconds: number | null = null;
  let procVersion: string | null = null;
  let cmdline: string | null = null;
  let ended = false;
  let panic: string | null = null;
  let clocksource: string | null = null;
  const payloads: PayloadRun[] = [];
  const unbound: UnboundDevice[] = [];
  const moduleMessages: string[] = [];
  let open: { name: string; run: number; lines: string[] } | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r/g, '');
    const marker = line.indexOf('KFIT-');
    const rest = marker >= 0 ? line.slice(marker) : '';
    if (rest.startsWith('KFIT-INIT')) {
      initReached = true;
      const m = /uptime=([\d.]+)/.exec(rest);
      if (m) initUptimeSeconds = Number(m[1]);
    } else if (rest.startsWith('KFIT-VERSION ')) {
      procVersion = rest.slice('KFIT-VERSION '.length).trim();
    } else if (rest.startsWith('KFIT-CMDLINE ')) {
      cmdline = rest.slice('KFIT-CMDLINE '.length).trim();
    } else if (rest.startsWith('KFIT-NODRIVER ')) {
      // Only devices with a modalias can be claimed by a driver (cpu0, clocksources… never are).
      const [bus = '', device = '', modalias = ''] = rest.slice('KFIT-NODRIVER '.length).trim().split(/\s+/);
      if (modalias !== '') unbound.push({ bus, device, modalias });
    } else if (rest.startsWith('KFIT-MODULE ')) {
      moduleMessages.push(rest.slice('KFIT-MODULE '.length));
    } else if (rest.startsWith('KFIT-PAYLOAD-BEGIN ')) {
      const [name = '', run = '0'] = rest.slice('KFIT-PAYLOAD-BEGIN '.length).trim().split(/\s+/);
      if (open) payloads.push({ name: open.name, run: open.run, exitCode: null, output: open.lines.join('\n') });
      open = { name, run: Number(run), lines: [] };
    } else if (rest.startsWith('KFIT-PAYLOAD-END ')) {
      const m = /rc=(\d+)/.exec(rest);
      if (open) {
        payloads.push({ name: open.name, run: open.run, exitCode: m ? Number(m[1]) : null, output: open.lines.join('\n') });
        open = null;
      }
    } else if (rest.startsWith('KFIT-END')) {
      ended = true;
    } else {
      if (open) open.lines.push(line);
      if (panic === null && line.includes('Kernel panic - not syncing')) panic = line.trim();
      const cs = /clocksource: Switched to clocksource (\S+)/.exec(line);
      if (cs) clocksource = cs[1];
    }
  }
  if (open) payloads.push({ name: open.name, run: open.run, exitCode: null, output: open.lines.join('\n') });
  return {
    initReached,
    initUptimeSeconds,
    procVersion,
    cmdline,
    ended,
    payloads,
    unbound,
    moduleMessages,
    panic,
    kvmFailure: kvmFailure.test(text),
    clocksource,
  };
}

/** The last `count` non-empty lines of a console log, for a failure report. */
export function lastConsoleLines(text: string, count: number): string[] {
  const lines = text.replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(Math.max(0, lines.length - count));
}
