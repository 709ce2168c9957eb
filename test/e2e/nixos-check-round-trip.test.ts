// The issue's proof, command by command: `kfit nix from-config` (with NixOS' definitions) writes a kernel patch;
// that patch, read back with Nix, is added to the system's kernel patches and `kfit nixos check` (the NixOS
// pipeline simulation) reproduces NEW for every symbol the user changed. Needs the 6.12 tree and nix-bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffConfigs, formatConfigValues, parseConfigValues } from '../../src/core/config-diff/index.ts';
import { evaluateStructuredFiles } from '../../src/host/nix-cli.ts';
import { confEvaluator } from '../../src/cli/commands/config-input.ts';

const root = new URL('../../', import.meta.url).pathname;
const src = join(process.env.KFIT_CACHE ?? '', 'linux-6.12');
const stock = join(root, 'test/fixtures/nixos/stock-6.12-defconfig');
const ready = existsSync(join(src, 'scripts/kconfig/conf.c'));

function kfit(module: string, register: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const runner = [join(root, 'test/e2e/command-runner.ts'), join(root, 'src/cli/commands', module), register];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...runner, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('from-config → Nix → kfit nixos check reproduces NEW', { skip: !ready, timeout: 900_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-nixos-check-'));
  const oldFile = join(stock, 'expected.config');
  const oldValues = parseConfigValues(readFileSync(oldFile, 'utf8'), oldFile).value;
  const edits = '# CONFIG_SOUND is not set\n# CONFIG_WLAN is not set\nCONFIG_NR_CPUS=32\nCONFIG_BTRFS_FS=y\n# CONFIG_HZ_1000 is not set\nCONFIG_HZ_300=y\n';
  const newValues = confEvaluator(src, 'x86_64', oldValues)!(parseConfigValues(edits, 'edits').value);
  const newFile = join(dir, 'new.config');
  writeFileSync(newFile, formatConfigValues(newValues));
  const nixFile = join(dir, 'edit.nix');
  const from = kfit('nix.ts', 'registerNix', ['nix', 'from-config', '--old', oldFile, '--new', newFile, '--src', src, '--nixos', join(stock, 'structured.json'), '--out', nixFile]);
  assert.equal(from.status, 0, from.stderr);
  const { patches } = evaluateStructuredFiles([nixFile], { version: '6.12.117', lib: 'stand-in' });
  const structured = JSON.parse(readFileSync(join(stock, 'structured.json'), 'utf8'));
  structured.patchDefinitions = [...structured.patchDefinitions, { name: patches[0].name, settings: patches[0].settings }];
  const structuredFile = join(dir, 'structured.json');
  writeFileSync(structuredFile, JSON.stringify(structured));
  const out = join(dir, 'result.config');
  const check = kfit('nixos.ts', 'registerNixos', ['nixos', 'check', '--structured', structuredFile, '--src', src, '--out', out, '--no-diagnosis']);
  assert.ok(existsSync(out), `nixos check wrote a .config:\n${check.stdout}\n${check.stderr}`);
  const stockErrors = readFileSync(join(stock, 'expected-errors.txt'), 'utf8').split('\n').filter((l) => l.startsWith('error:'));
  const newErrors = check.stderr.split('\n').filter((l) => l.startsWith('error:') && !stockErrors.includes(l));
  assert.deepEqual(newErrors, []);
  const result = parseConfigValues(readFileSync(out, 'utf8'), out).value;
  const misses = diffConfigs(oldValues, newValues).filter((c) => result.get(c.symbol) !== c.new).map((c) => `${c.symbol}: want ${c.new}, got ${result.get(c.symbol)}`);
  assert.deepEqual(misses, []);
});
