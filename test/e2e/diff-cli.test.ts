// `kfit diff` through the CLI entry (src/cli/main.ts), on real configs: Debian's xz config vs a gzip copy of itself
// and vs defconfig (the stock 6.12 fixture's base.config).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../../', import.meta.url).pathname;
const debian = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';
const defconfig = join(root, 'test/fixtures/nixos/stock-6.12-defconfig/base.config');
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const dir = mkdtempSync(join(tmpdir(), 'kfit-diff-'));

function kfit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const runner = join(root, 'test/e2e/command-runner.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', runner, join(root, 'src/cli/commands/diff.ts'), 'registerDiff', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('xz vs gzip of the same config: no differences', { skip: !existsSync(debian) }, () => {
  const gz = join(dir, 'config.gz');
  writeFileSync(gz, gzipSync(execFileSync('xz', ['-dc', debian])));
  const r = kfit('diff', debian, gz, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).summary, { added: 0, removed: 0, changed: 0 });
});

test('defconfig vs Debian, grouped by menu', { skip: !existsSync(debian) || !existsSync(src) }, () => {
  const r = kfit('diff', defconfig, debian, '--src', src, '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const sound = out.groups.find((g: { menu: string }) => g.menu === 'Device Drivers > Sound card support > Advanced Linux Sound Architecture > HD-Audio');
  assert.ok(sound, 'an HD-Audio group');
  const total = out.summary.added + out.summary.removed + out.summary.changed;
  assert.equal(out.groups.reduce((n: number, g: { changes: unknown[] }) => n + g.changes.length, 0), total);
  assert.ok(total > 1000);
});

test('bad input: exit 1 with a clear message', () => {
  const bad = join(dir, 'bad.gz');
  writeFileSync(bad, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
  const r = kfit('diff', bad, defconfig);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.gz: looks gzip-compressed but does not decompress/);
  const missing = kfit('diff', join(dir, 'nope'), defconfig);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope: cannot read \(no such file\)/);
});
