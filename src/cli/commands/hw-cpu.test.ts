// `kfit hw cpu` end to end: --json on this machine, --cpuinfo fixtures, --nix, --src, and bad input.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const mainTs = new URL('../main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const fixture = (name: string): string => new URL(`../../../test/fixtures/cpu/${name}`, import.meta.url).pathname;
const tree612 = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'linux-6.12');
const hasGcc = spawnSync('gcc', ['--version']).status === 0;
const hasNix = spawnSync('nix-instantiate', ['--version']).status === 0;

function kfit(args: string[]): { status: number; stdout: string; stderr: string } {
  const script = `import(${JSON.stringify(mainTs)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`;
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('--json on this machine: level, pick and clamp as data', { skip: !existsSync('/proc/cpuinfo') && 'no /proc/cpuinfo' }, () => {
  const r = kfit(['hw', 'cpu', '--json', ...(hasGcc ? [] : ['--cc', 'none'])]);
  if (/only x86_64 is supported/.test(r.stderr)) return; // a non-x86 test host
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { file: string; level: { level: number }; march: string; cpu: { flags: string[] }; detection: { basis: string } };
  assert.equal(j.file, '/proc/cpuinfo');
  assert.ok(j.level.level >= 1 && j.level.level <= 4);
  assert.ok(j.cpu.flags.includes('lm'));
  assert.match(j.detection.basis, /family 0x[0-9a-f]+ model 0x[0-9a-f]+/);
  assert.ok(j.march.length > 0);
});

test('--cpuinfo fixture with --cc none: the text report', () => {
  const r = kfit(['hw', 'cpu', '--cpuinfo', fixture('intel-alderlake-hybrid.txt'), '--cc', 'none']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /4 processor blocks/);
  assert.match(r.stdout, /psABI level: x86-64-v3 \(next level lacks: avx512f avx512bw avx512cd avx512dq avx512vl\)/);
  assert.match(r.stdout, /-march=native \(gcc 15 tables\): alderlake: family 0x6 model 0x97: alderlake/);
  assert.match(r.stdout, /-march=alderlake \(no compiler checked\)/);
});

test('--cpuinfo Zen 5 --cc gcc --src 6.12 --nix: clamped, KCFLAGS, parsed Nix', { skip: (!hasGcc || !existsSync(join(tree612, 'Kconfig'))) && 'needs gcc and the 6.12 tree' }, () => {
  const r = kfit(['hw', 'cpu', '--cpuinfo', fixture('amd-zen5.txt'), '--cc', 'gcc', '--src', tree612, '--nix']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /boot\.kernelPackages = pkgs\.linuxPackagesFor \(pkgs\.linux_6_12\.override \{/);
  assert.match(r.stdout, /"KCFLAGS\+=-march=znver\d"/);
  assert.match(r.stderr, /loading the Kconfig of/);
  if (hasNix) assert.doesNotMatch(r.stderr, /not parse-checked/);
  const json = kfit(['hw', 'cpu', '--cpuinfo', fixture('intel-core2-penryn.txt'), '--src', tree612, '--json', '--nix']);
  assert.equal(json.status, 0, json.stderr);
  const j = JSON.parse(json.stdout) as { march: string; kernel: { mode: string; settings: { symbol: string }[] }; nix: string };
  assert.equal(j.march, 'core2');
  assert.equal(j.kernel.mode, 'processor-family');
  assert.deepEqual(j.kernel.settings.map((s) => s.symbol), ['MCORE2']);
  assert.match(j.nix, /MCORE2 = lib\.kernel\.yes;/);
});

test('bad input: one clear line, exit 1, nothing on stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-hw-cpu-'));
  try {
    const missing = kfit(['hw', 'cpu', '--cpuinfo', join(dir, 'nope.txt'), '--cc', 'none']);
    assert.equal(missing.status, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^kfit: cannot read .*nope\.txt: ENOENT\n$/);
    const arm = kfit(['hw', 'cpu', '--cpuinfo', fixture('arm64-not-x86.txt'), '--cc', 'none', '--nix']);
    assert.equal(arm.status, 1);
    assert.equal(arm.stdout, '');
    assert.match(arm.stderr, /arm64-not-x86\.txt:1:1: error: not an x86 \/proc\/cpuinfo \(found an ARM cpuinfo\); only x86_64 is supported\n$/);
    const arch = kfit(['hw', 'cpu', '--arch', 'arm64', '--cc', 'none']);
    assert.equal(arch.status, 1);
    assert.match(arch.stderr, /^kfit: --arch arm64: only x86_64 is supported\n$/);
    const cc = kfit(['hw', 'cpu', '--cpuinfo', fixture('amd-zen3.txt'), '--cc', join(dir, 'no-such-cc')]);
    assert.equal(cc.status, 1);
    assert.match(cc.stderr, /compiler not found/);
    writeFileSync(join(dir, 'notacc'), '#!/bin/sh\necho "Frobnicator 1.0"\n', { mode: 0o755 });
    const other = kfit(['hw', 'cpu', '--cpuinfo', fixture('amd-zen3.txt'), '--cc', join(dir, 'notacc')]);
    assert.equal(other.status, 1);
    assert.match(other.stderr, /"Frobnicator 1\.0" is neither gcc nor clang/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help says what it does', () => {
  const r = kfit(['hw', 'cpu', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /psABI level/);
  assert.match(r.stdout, /--nix/);
});
