// `kfit nixos check` end to end through the CLI entry point: bad input, a small system read with nix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

test('a structured input that is no JSON, or not of its shape, or missing: file:line:col message, exit 1, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(join(dir, 'bad.json'), '{\n  "structuredExtraConfig": {\n    "A": ,\n');
  writeFileSync(join(dir, 'shape.json'), '[1, 2]\n');
  for (const [file, message] of [
    ['bad.json', /^bad\.json:\d+:\d+: error: not JSON: .*$/m],
    ['shape.json', /^shape\.json:1:1: error: expected a JSON object/m],
    ['missing.json', /^kfit: cannot read the structured input missing\.json$/m],
  ] as const) {
    const r = kfit(['nixos', 'check', '--structured', file, '--src', tree, '--out', 'out.config', '--fix', 'fix.nix'], dir);
    assert.equal(r.status, 1, `${file}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.equal(existsSync(join(dir, 'out.config')) || existsSync(join(dir, 'fix.nix')), false);
  }
});

test('an --out that cannot be written: one line, exit 1, no temporary file left', { skip: haveTree ? false : 'needs the 6.12 tree' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(join(dir, 'kernel-config'), 'MODULES y\n');
  mkdirSync(join(dir, 'out.config'));
  const r = kfit(['nixos', 'check', '--kernel-config', 'kernel-config', '--src', tree, '--out', 'out.config'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^kfit: cannot write out\.config: E[A-Z]+$/m);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.deepEqual(readdirSync(dir).sort(), ['kernel-config', 'out.config']);
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

const tree61 = join(cache, 'linux-6.1');
const haveBoth = haveTree && existsSync(join(tree61, 'Kconfig'));

test('a 6.1 symbol checked against 6.12: the 6.1 tree in the cache names the choice that replaced it; --no-other-src turns it off', { skip: haveBoth ? false : 'needs the 6.1 and 6.12 trees in the cache' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(join(dir, 'kernel-config'), 'MEMORY_HOTPLUG y\nMEMORY_HOTPLUG_DEFAULT_ONLINE y\n');
  const r = kfit(['nixos', 'check', '--kernel-config', 'kernel-config', '--src', tree, '--json'], dir);
  assert.equal(r.status, 255, r.stderr);
  const report = JSON.parse(r.stdout) as { diagnoses: { name: string; kind: string; why: string; otherTree?: string; renames?: { name: string; relation: string; members?: string[]; evidence: string[] }[] }[] };
  const d = report.diagnoses.find((x) => x.name === 'MEMORY_HOTPLUG_DEFAULT_ONLINE')!;
  assert.equal(d.kind, 'absent');
  assert.match(d.otherTree ?? '', /the 6\.1 tree in kfit's cache, .*linux-6\.1$/);
  assert.match(d.why, /it exists in the other tree \(the 6\.1 tree in kfit's cache, .*\) at mm\/Kconfig:\d+\. Since then it was replaced by the choice "Memory Hotplug Default Online Type" \(MHP_DEFAULT_ONLINE_TYPE_OFFLINE, /);
  assert.equal(d.renames?.length, 1);
  assert.equal(d.renames![0].name, 'MHP_DEFAULT_ONLINE_TYPE_*');
  assert.equal(d.renames![0].relation, 'became-choice');
  assert.ok(d.renames![0].members!.includes('MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE'));
  assert.ok(d.renames![0].evidence.includes('defined in mm/Kconfig between MEMORY_HOTPLUG and MEMORY_HOTREMOVE in both trees'), d.renames![0].evidence.join('\n'));
  const off = kfit(['nixos', 'check', '--kernel-config', 'kernel-config', '--src', tree, '--no-other-src'], dir);
  assert.equal(off.status, 255, off.stderr);
  assert.match(off.stdout, /MEMORY_HOTPLUG_DEFAULT_ONLINE does not exist in this kernel tree \(set to y in kernel-config\)\.$/m);
  assert.doesNotMatch(off.stdout, /MHP_DEFAULT_ONLINE_TYPE/);
});

test('a 6.12 symbol checked against 6.1: the same-meaning old name gets the answer in the fix module', { skip: haveBoth ? false : 'needs the 6.1 and 6.12 trees in the cache' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cli-'));
  writeFileSync(join(dir, 'kernel-config'), 'MITIGATION_RETPOLINE y\n');
  const r = kfit(['nixos', 'check', '--kernel-config', 'kernel-config', '--src', tree61, '--fix', 'fixes.nix'], dir);
  assert.equal(r.status, 255, r.stderr);
  assert.match(r.stdout, /MITIGATION_RETPOLINE does not exist in this kernel tree .*it exists in the other tree \(the 6\.12 tree in kfit's cache, .*\) at arch\/x86\/Kconfig:\d+\. In this older kernel it was called RETPOLINE \(bool "Avoid speculative indirect branches in kernel", arch\/x86\/Kconfig:\d+\): same prompt/);
  const nix = readFileSync(join(dir, 'fixes.nix'), 'utf8');
  assert.match(nix, /MITIGATION_RETPOLINE = lib\.mkForce unset;/);
  assert.match(nix, /# the answer y of MITIGATION_RETPOLINE, which is RETPOLINE in this tree \(same prompt .*\n\s+RETPOLINE = lib\.mkForce yes;/);
});
