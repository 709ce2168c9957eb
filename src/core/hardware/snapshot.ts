// The hardware snapshot: what `kfit hw collect` reads from a machine, as a documented JSON file, so a user
// can collect on the target and plan anywhere.
import { diagnostic, type Diagnostic } from '../diag/diagnostic.ts';
import { InputError } from '../diag/errors.ts';

/** The value of the `format` field that marks a kfit hardware snapshot. */
export const SNAPSHOT_FORMAT = 'kfit-hw-snapshot';
/** The snapshot layout version this code reads and writes. */
export const SNAPSHOT_VERSION = 1;

/** One device directory under `/sys/devices` that has a modalias (or a bound driver). */
export interface HwDevice {
  /** Path relative to the sysfs root, e.g. `devices/pci0000:00/0000:00:02.0`. */
  readonly path: string;
  /** The bus or class (`subsystem` link's last component), e.g. `pci`, `usb`, `acpi`, `platform`. */
  readonly subsystem?: string;
  /** Every distinct modalias: each line of `modalias`, then the `MODALIAS=` of `uevent` when different. */
  readonly modaliases: readonly string[];
  /** The bound driver's name (`driver` link), which is not necessarily a module name. */
  readonly driver?: string;
  /** The module of the bound driver (`driver/module` link); absent for most built-in drivers. */
  readonly module?: string;
  /** A human label: PCI/USB vendor:device and class, a name, or the modalias bus. */
  readonly label: string;
}

/** What `/proc/cpuinfo` says about the first CPU. */
export interface HwCpu {
  readonly vendor: string;
  readonly family: number;
  readonly model: number;
  readonly modelName: string;
  readonly flags: readonly string[];
}

/** A snapshot of one machine's device IDs (the `hw.json` file). */
export interface HwSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  /** Where the data came from (`/sys` or a copied tree) and, when known, the running kernel's release. */
  readonly source: { readonly sysfs: string; readonly kernelRelease?: string };
  readonly devices: readonly HwDevice[];
  /** `/sys/class/dmi/id/modalias`, when present. */
  readonly dmi?: string;
  readonly cpu?: HwCpu;
  /** Problems met while collecting (unreadable files, odd bytes), with the path. */
  readonly warnings: readonly string[];
}

/** Every distinct modalias of a snapshot (devices first, then DMI), in first-seen order. */
export function snapshotModaliases(snapshot: HwSnapshot): string[] {
  const seen = new Set<string>();
  for (const d of snapshot.devices) for (const m of d.modaliases) seen.add(m);
  if (snapshot.dmi !== undefined) seen.add(snapshot.dmi);
  return [...seen];
}

/** Parses `/proc/cpuinfo` text (the first processor block) into vendor, family, model and flags. */
export function parseCpuinfo(text: string): HwCpu | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (fields.size > 0) break;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  if (!fields.has('vendor_id') && !fields.has('flags')) return undefined;
  return {
    vendor: fields.get('vendor_id') ?? '',
    family: Number.parseInt(fields.get('cpu family') ?? '0', 10) || 0,
    model: Number.parseInt(fields.get('model') ?? '0', 10) || 0,
    modelName: fields.get('model name') ?? '',
    flags: (fields.get('flags') ?? '').split(/\s+/).filter((f) => f !== ''),
  };
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Reads a snapshot from JSON text. A file that is not a kfit snapshot (or a newer layout) is an InputError
 * that says so; odd device entries are dropped with a warning diagnostic.
 */
export function parseSnapshot(text: string, file: string): { value: HwSnapshot; diagnostics: Diagnostic[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError('hardware/snapshot-json', `${file}:1:1: error: not a kfit hardware snapshot: invalid JSON (${(error as Error).message}); make one with \`kfit hw collect --out ${file}\``);
  }
  const obj = data as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || obj.format !== SNAPSHOT_FORMAT) {
    throw new InputError('hardware/snapshot-format', `${file}:1:1: error: not a kfit hardware snapshot (expected "format": "${SNAPSHOT_FORMAT}"); make one with \`kfit hw collect --out ${file}\``);
  }
  if (obj.version !== SNAPSHOT_VERSION) {
    throw new InputError('hardware/snapshot-version', `${file}:1:1: error: snapshot version ${String(obj.version)} is not supported (this kfit reads version ${SNAPSHOT_VERSION})`);
  }
  const diagnostics: Diagnostic[] = [];
  const devices: HwDevice[] = [];
  const rawDevices = Array.isArray(obj.devices) ? obj.devices : [];
  rawDevices.forEach((d: unknown, i: number) => {
    const dev = d as Record<string, unknown>;
    if (typeof d !== 'object' || d === null || typeof dev.path !== 'string' || !isStringArray(dev.modaliases)) {
      diagnostics.push(diagnostic('warning', 'hardware/snapshot-device', `devices[${i}] has no "path" string or "modaliases" list; skipped`, { file, line: 1, column: 1 }));
      return;
    }
    devices.push({
      path: dev.path,
      subsystem: typeof dev.subsystem === 'string' ? dev.subsystem : undefined,
      modaliases: dev.modaliases,
      driver: typeof dev.driver === 'string' ? dev.driver : undefined,
      module: typeof dev.module === 'string' ? dev.module : undefined,
      label: typeof dev.label === 'string' ? dev.label : dev.path,
    });
  });
  const source = (obj.source ?? {}) as Record<string, unknown>;
  const cpu = obj.cpu as HwCpu | undefined;
  return {
    value: {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      source: { sysfs: typeof source.sysfs === 'string' ? source.sysfs : '?', kernelRelease: typeof source.kernelRelease === 'string' ? source.kernelRelease : undefined },
      devices,
      dmi: typeof obj.dmi === 'string' ? obj.dmi : undefined,
      cpu: cpu && typeof cpu === 'object' && isStringArray(cpu.flags) ? cpu : undefined,
      warnings: isStringArray(obj.warnings) ? obj.warnings : [],
    },
    diagnostics,
  };
}

/** Writes a snapshot as stable, pretty JSON (two-space indent, trailing newline). */
export function writeSnapshot(snapshot: HwSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
