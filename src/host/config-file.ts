// Reads kernel `.config` files from disk, plain or compressed (`/proc/config.gz`, Debian's `config.*.xz`),
// and finds the running kernel's config.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/diag/index.ts';

const gzipMagic = [0x1f, 0x8b];
const xzMagic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const zstdMagic = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(buf: Buffer, magic: readonly number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

/**
 * Reads a config file as text, decompressing gzip (`.gz`, `/proc/config.gz`), xz and zstd by their magic
 * bytes (not by name). Throws an InputError for a missing/unreadable file, a corrupt archive, or binary data.
 */
export function readConfigText(path: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError('config/unreadable', `kfit: ${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code ?? String(error)})`);
  }
  let text: Buffer = buf;
  if (startsWith(buf, gzipMagic)) {
    try {
      text = gunzipSync(buf);
    } catch (error) {
      throw new InputError('config/compressed', `kfit: ${path}: looks gzip-compressed but does not decompress: ${(error as Error).message}`);
    }
  } else if (startsWith(buf, xzMagic) || startsWith(buf, zstdMagic)) {
    const tool = startsWith(buf, xzMagic) ? 'xz' : 'zstd';
    const r = spawnSync(tool, ['-dc'], { input: buf, maxBuffer: 256 * 1024 * 1024 });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : String(r.stderr).trim();
      throw new InputError('config/compressed', `kfit: ${path}: looks ${tool}-compressed but does not decompress: ${why}`);
    }
    text = r.stdout;
  } else if (path.endsWith('.gz') || path.endsWith('.xz') || path.endsWith('.zst')) {
    throw new InputError('config/compressed', `kfit: ${path}: named like a compressed file but is not gzip/xz/zstd data`);
  }
  if (text.includes(0)) throw new InputError('config/binary', `kfit: ${path}: binary data, not a kernel .config`);
  return text.toString('utf8');
}

/** The running kernel's config: `/proc/config.gz`, else `/boot/config-$(uname -r)`; null when neither exists. */
export function runningConfigPath(release: string): string | null {
  if (existsSync('/proc/config.gz')) return '/proc/config.gz';
  const boot = `/boot/config-${release}`;
  return existsSync(boot) ? boot : null;
}

/** The version of a kernel tree from its top Makefile (`6.12.117`); null when it cannot be read. */
export function kernelTreeVersion(src: string): string | null {
  let text: string;
  try {
    text = readFileSync(`${src}/Makefile`, 'utf8').slice(0, 4096);
  } catch {
    return null;
  }
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*=\\s*(\\S*)`, 'm').exec(text)?.[1];
  const v = field('VERSION');
  const p = field('PATCHLEVEL');
  if (v === undefined || p === undefined) return null;
  const s = field('SUBLEVEL');
  return s ? `${v}.${p}.${s}` : `${v}.${p}`;
}

/** A reader for files of a kernel tree (paths relative to its top), for core code that walks Kconfig. */
export function treeFileReader(src: string): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(`${src}/${path}`, 'utf8');
    } catch {
      return undefined;
    }
  };
}
