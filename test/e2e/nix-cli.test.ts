// `kfit nix to-config` through its command: unknown symbols with --src, --json priorities, bad Nix → exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const fixtures = join(root, 'test/fixtures/nix');

function kfit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const runner = [join(root, 'test/e2e/command-runner.ts'), join(root, 'src/cli/commands/nix.ts'), 'registerNix'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...runner, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('to-config --src: unknown symbols are warned about and left out; types from Kconfig', { skip: !existsSync(join(src, 'Kconfig')) }, () => {
  const r = kfit('nix', 'to-config', join(fixtures, 'unknown-symbol.nix'), '--src', src);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'CONFIG_CMDLINE="quiet"\nCONFIG_LOG_BUF_SHIFT=17\n# CONFIG_SOUND is not set\n');
  assert.match(r.stderr, /1 symbols unknown to the kernel in .*, left out: NOT_A_KERNEL_SYMBOL/);
});

test('to-config --json keeps each value\'s priority', () => {
  const r = kfit('nix', 'to-config', join(fixtures, 'unknown-symbol.nix'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const sound = out.answers.find((a: { symbol: string }) => a.symbol === 'SOUND');
  assert.equal(sound.priority, 50);
  assert.equal(sound.tristate, 'n');
  assert.equal(out.answers.find((a: { symbol: string }) => a.symbol === 'CMDLINE').priority, 100);
});

test('to-config: Nix that does not evaluate exits 1 with file:line:col', () => {
  const file = join(fixtures, 'broken.nix');
  const r = kfit('nix', 'to-config', file);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim(), `${file}:5:21: error: undefined variable 'nope'`);
});

test('from-config: an unreadable config exits 1 and writes no file', () => {
  const out = join(root, 'test/fixtures/nix/should-not-exist.nix');
  const r = kfit('nix', 'from-config', '--old', join(fixtures, 'no-such.config'), '--new', join(fixtures, 'no-such.config'), '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such\.config: cannot read \(no such file\)/);
  assert.equal(existsSync(out), false);
});
