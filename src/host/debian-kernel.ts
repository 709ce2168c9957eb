// Fetches Debian's stock kernel image package (`linux-image-<series>.N+debX-amd64-unsigned`) with
// `apt-get download` and unpacks it with `dpkg-deb -x` into the cache: no install, no postinst.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/diag/errors.ts';
import { cacheDir } from './kernel-build.ts';

/** An unpacked Debian kernel package. */
export interface DebianKernel {
  readonly packageName: string;
  readonly release: string;
  readonly vmlinuz: string;
  readonly modulesDir: string;
  readonly root: string;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** The newest `linux-image-<series>.*-amd64-unsigned` apt knows (the generic flavour, not rt/cloud). */
export function newestDebianImagePackage(series: string): string {
  const r = spawnSync('apt-cache', ['pkgnames', `linux-image-${series}.`], { encoding: 'utf8' });
  const re = new RegExp(`^linux-image-${series.replace('.', '\\.')}\\.\\d+\\+deb\\d+-amd64-unsigned$`);
  const names = (r.stdout ?? '').split('\n').filter((n) => re.test(n));
  if (names.length === 0) {
    throw new InputError(
      'lab/no-debian-kernel',
      `kfit: apt knows no linux-image-${series}.*-amd64-unsigned package; run apt-get update (Debian bookworm has 6.12 in bookworm-updates / security)`,
    );
  }
  return names.sort(compareVersions)[names.length - 1];
}

/** Downloads and unpacks the newest stock kernel of a series into `${KFIT_CACHE}/lab/debian/<package>/` (once). */
export function fetchDebianKernel(series: string): DebianKernel {
  const pkg = newestDebianImagePackage(series);
  const dir = join(cacheDir(), 'lab', 'debian');
  const root = join(dir, pkg);
  if (!existsSync(join(root, 'boot'))) {
    mkdirSync(dir, { recursive: true });
    const dl = spawnSync('apt-get', ['download', pkg], { cwd: dir, encoding: 'utf8' });
    if (dl.status !== 0) {
      throw new InputError('lab/apt-download', `kfit: apt-get download ${pkg} failed: ${(dl.stderr || String(dl.error)).trim().split('\n').pop()}`);
    }
    const deb = readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new InputError('lab/apt-download', `kfit: apt-get download ${pkg} left no .deb in ${dir}`);
    const tmp = `${root}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    const x = spawnSync('dpkg-deb', ['-x', join(dir, deb), tmp], { encoding: 'utf8' });
    if (x.status !== 0) throw new InputError('lab/dpkg-deb', `kfit: dpkg-deb -x ${deb} failed: ${x.stderr.trim()}`);
    rmSync(root, { recursive: true, force: true });
    renameSync(tmp, root);
    rmSync(join(dir, deb), { force: true });
  }
  const vmlinuz = readdirSync(join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  if (!vmlinuz) throw new InputError('lab/no-vmlinuz', `kfit: ${root}/boot has no vmlinuz-*`);
  const release = vmlinuz.slice('vmlinuz-'.length);
  const modulesDir = [join(root, 'lib', 'modules', release), join(root, 'usr', 'lib', 'modules', release)].find(existsSync) ?? '';
  if (modulesDir && !existsSync(join(modulesDir, 'modules.dep'))) {
    // The package ships no modules.dep (its postinst runs depmod); make one inside the unpacked tree.
    const base = modulesDir.startsWith(join(root, 'usr')) ? join(root, 'usr') : root;
    const d = spawnSync('depmod', ['-b', base, release], { encoding: 'utf8' });
    if (d.status !== 0) {
      throw new InputError('lab/depmod', `kfit: depmod -b ${base} ${release} failed (${(d.stderr || String(d.error)).trim()}); install the Debian package kmod`);
    }
  }
  return { packageName: pkg, release, vmlinuz: join(root, 'boot', vmlinuz), modulesDir, root };
}
