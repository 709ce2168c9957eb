// Reads a machine's device IDs from sysfs (the live /sys or a copied tree) into a hardware snapshot.
import { existsSync, readFileSync, readdirSync, readlinkSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCpuinfo, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type HwDevice, type HwSnapshot } from '../core/hardware/snapshot.ts';

/** Options of {@link collectSysfs}. */
export interface CollectOptions {
  /** The sysfs root (default `/sys`). */
  readonly sysfs?: string;
  /** The cpuinfo file (default `/proc/cpuinfo` for `/sys`, else `<root>/../cpuinfo` when it exists). */
  readonly cpuinfo?: string;
  /** The running kernel's release, recorded in the snapshot. */
  readonly kernelRelease?: string;
}

/** The attribute files the collector reads besides `modalias` and `uevent` (the fixture capture copies these). */
export const LABEL_FILES = [
  'vendor', 'device', 'class', 'subsystem_vendor', 'subsystem_device',
  'idVendor', 'idProduct', 'manufacturer', 'product', 'bInterfaceClass', 'bInterfaceSubClass', 'bInterfaceProtocol', 'name',
] as const;

function readText(path: string, warnings: string[]): string | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warnings.push(`${path}: unreadable (${code ?? (error as Error).message}); skipped`);
    return undefined;
  }
  const text = buf.toString('latin1');
  // eslint-disable-next-line no-control-regex
  if (/[^\x09\x0a\x20-\x7e]/.test(text)) warnings.push(`${path}: unexpected bytes (non-printable or non-ASCII); kept as Latin-1`);
  return text;
}

function linkName(path: string): string | undefined {
  try {
    return basename(readlinkSync(path));
  } catch {
    return undefined;
  }
}

function attr(dir: string, name: string, warnings: string[]): string | undefined {
  const text = readText(join(dir, name), warnings);
  return text === undefined ? undefined : text.trim();
}

function hex(v: string | undefined, width: number): string {
  return (v ?? '').replace(/^0x/, '').padStart(width, '0').toLowerCase();
}

/** Makes the human label of a device from its attributes (PCI and USB ids with class, else name or bus). */
function labelOf(dir: string, subsystem: string | undefined, modaliases: readonly string[], warnings: string[]): string {
  if (subsystem === 'pci') {
    const v = attr(dir, 'vendor', warnings);
    const d = attr(dir, 'device', warnings);
    const c = attr(dir, 'class', warnings);
    return `PCI ${hex(v, 4)}:${hex(d, 4)} class ${hex(c, 6)}`;
  }
  const idVendor = attr(dir, 'idVendor', warnings);
  if (idVendor !== undefined) {
    const product = attr(dir, 'product', warnings);
    return `USB ${hex(idVendor, 4)}:${hex(attr(dir, 'idProduct', warnings), 4)}${product ? ` ${product}` : ''}`;
  }
  if (subsystem === 'usb' && attr(dir, 'bInterfaceClass', warnings) !== undefined) {
    const m = /^usb:v([0-9A-F]{4})p([0-9A-F]{4})/.exec(modaliases[0] ?? '');
    return `USB interface ${m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()} ` : ''}class ${attr(dir, 'bInterfaceClass', warnings)}/${attr(dir, 'bInterfaceSubClass', warnings) ?? '??'}/${attr(dir, 'bInterfaceProtocol', warnings) ?? '??'}`;
  }
  const name = attr(dir, 'name', warnings);
  const bus = subsystem ?? modaliases[0]?.split(':')[0] ?? 'device';
  return name ? `${bus} ${name}` : `${bus} ${basename(dir)}`;
}

/** Reads one device directory; `undefined` when it has neither a modalias nor a bound driver. */
function readDevice(root: string, dir: string, entries: readonly Dirent[], warnings: string[]): HwDevice | undefined {
  const names = new Set(entries.map((e) => e.name));
  const modaliases: string[] = [];
  if (names.has('modalias')) {
    const text = readText(join(dir, 'modalias'), warnings);
    for (const line of (text ?? '').split('\n')) if (line.trim() !== '' && !modaliases.includes(line.trim())) modaliases.push(line.trim());
  }
  if (names.has('uevent')) {
    const text = readText(join(dir, 'uevent'), warnings) ?? '';
    for (const line of text.split('\n')) {
      if (line.startsWith('MODALIAS=')) {
        const value = line.slice('MODALIAS='.length).trim();
        if (value !== '' && !modaliases.includes(value)) modaliases.push(value);
      }
    }
  }
  const driver = names.has('driver') ? linkName(join(dir, 'driver')) : undefined;
  if (modaliases.length === 0 && driver === undefined) return undefined;
  const module = driver !== undefined ? linkName(join(dir, 'driver', 'module')) : undefined;
  const subsystem = names.has('subsystem') ? linkName(join(dir, 'subsystem')) : undefined;
  const path = dir.slice(root.length).replace(/^\/+/, '');
  return { path, subsystem, modaliases, driver, module, label: labelOf(dir, subsystem, modaliases, warnings) };
}

function walk(root: string, dir: string, out: HwDevice[], warnings: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    warnings.push(`${dir}: cannot list (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); skipped`);
    return;
  }
  const device = readDevice(root, dir, entries, warnings);
  if (device !== undefined) out.push(device);
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // Symlinks (driver, subsystem, firmware_node, …) are never followed: only real directories.
    if (e.isDirectory() && !e.isSymbolicLink()) walk(root, join(dir, e.name), out, warnings);
  }
}

/**
 * Walks `<root>/devices` without following links and reads every device's modaliases, bound driver and
 * module, plus the DMI modalias and `/proc/cpuinfo`. Unreadable files become warnings, never a crash.
 */
export function collectSysfs(options: CollectOptions = {}): HwSnapshot {
  const root = (options.sysfs ?? '/sys').replace(/\/+$/, '') || '/';
  const warnings: string[] = [];
  const devices: HwDevice[] = [];
  if (!existsSync(join(root, 'devices'))) warnings.push(`${join(root, 'devices')}: missing; no devices collected`);
  else walk(root, join(root, 'devices'), devices, warnings);
  const dmiText = readText(join(root, 'class', 'dmi', 'id', 'modalias'), warnings);
  const cpuinfoPath = options.cpuinfo ?? (root === '/sys' ? '/proc/cpuinfo' : join(root, '..', 'cpuinfo'));
  const cpuText = existsSync(cpuinfoPath) ? readText(cpuinfoPath, warnings) : undefined;
  const cpu = cpuText === undefined ? undefined : parseCpuinfo(cpuText);
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    source: { sysfs: root, kernelRelease: options.kernelRelease },
    devices,
    dmi: dmiText?.trim() || undefined,
    cpu,
    warnings,
  };
}
