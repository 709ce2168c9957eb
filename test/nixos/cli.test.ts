// `kfit nixos check` end to end through the CLI entry point: bad input, a small system read with nix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = new URL('../../src/cli/main.ts', import.meta.url).href;
const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache', 'kfit');
const tree = join(cache, 'linux-6.12');
const haveTree = existsSync(join(tree, 'Kconfig'));
const haveNix = spawnSync('nix', ['--version']).status === 0;

function kfit(args: string[], cwd: string) {
  const code = `import(${JSON.stringify(main)}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`;
  const loader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
  return spawnSync(process.execPath, ['--import', loader, '-e', code], { cwd, encoding: 'utf8' });
}

test('a malformed intermediate line: file:line message, exit 1, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(join(dir, 'kernel-config'), 'A y\nBAD-NAME y\n');
  const r = kfit(['nixos', 'check', '--kernel-config', 'kernel-config', '--src', tree, '--out', 'out.config'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^kernel-config:2:1: error: invalid config line: BAD-NAME y/m);
  assert.equal(existsSync(join(dir, 'out.config')), false);
});

test('not a kernel tree: exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(join(dir, 'kernel-config'), 'A y\n');
  const r = kfit(['nixos', 'check', '--kernel-config', 'kernel-config', '--src', dir], dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is not a kernel tree/);
});

test('a NixOS system through nix: the script\'s lines, exit 255, why, and a fix module that parses', { skip: haveTree && haveNix ? false : 'needs the 6.12 tree and nix' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(
    join(dir, 'default.nix'),
    `{ nixosConfigurations.box.config.boot.kernelPackages.kernel = {
  version = "6.12.117"; src = ${JSON.stringify(tree)}; kernelPatches = [ ];
  configfile = { kernelConfig = "MODULES y\\nNET_CLS_BPF m\\n\\n\\n"; kernelBaseConfig = "tinyconfig"; autoModules = true;
    preferBuiltin = false; ignoreConfigErrors = false; kernelArch = "x86_64"; };
}; }\n`,
  );
  const r = kfit(['nixos', 'check', '--file', 'default.nix', '--attr', 'nixosConfigurations.box', '--fix', 'fixes.nix'], dir);
  assert.equal(r.status, 255, r.stderr);
  assert.match(r.stderr, /^error: unused option: NET_CLS_BPF$/m);
  assert.match(r.stdout, /NET_CLS_BPF is not written to \.config because its dependencies are not met: depends on .*NET_SCHED \[=n\]/);
  assert.match(r.stdout, /accepted: yes/);
  const nix = readFileSync(join(dir, 'fixes.nix'), 'utf8');
  assert.match(nix, /NET_CLS_BPF = lib\.mkForce \(option module\);/);
  assert.equal(spawnSync('nix-instantiate', ['--parse', join(dir, 'fixes.nix')]).status, 0);
});
