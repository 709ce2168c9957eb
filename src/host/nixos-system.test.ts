// The nix side of `kfit nixos check --flake/--file`, against a small local expression with the attribute
// shape kfit reads from nixpkgs' kernel (nixpkgs itself is not available here), and the bad-input paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { evalSystemKernel, findOtherCachedTree, loadKernelTree, makeBaseConfig, nixEvalArguments, treeAge, unpackedSource } from './nixos-system.ts';
import { DefinitionScans, kconfigDefinitionFinder, prefetchDefinitionScans, renameResultStore } from './kconfig-definitions.ts';
import { InputError } from '../core/diag/errors.ts';

const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache', 'kfit');
const tree612 = join(cache, 'linux-6.12');
const haveNix = spawnSync('nix', ['--version']).status === 0;

function system(dir: string, kernelConfig: string): void {
  writeFileSync(
    join(dir, 'default.nix'),
    `let
  lib = { kernel = { yes = { tristate = "y"; optional = false; }; }; mkForce = content: { _type = "override"; priority = 50; inherit content; }; };
  kernel = {
    version = "6.12.117";
    src = ${JSON.stringify(tree612)};
    kernelPatches = [
      { name = "bridge-stp-helper"; patch = null; }
      { name = "mine"; patch = null; structuredExtraConfig = { MODULES = lib.kernel.yes; NET_CLS_BPF = lib.mkForce { tristate = "m"; }; }; }
    ];
    configfile = {
      kernelConfig = ${JSON.stringify(kernelConfig)};
      kernelBaseConfig = "tinyconfig";
      autoModules = true;
      preferBuiltin = false;
      ignoreConfigErrors = false;
      kernelArch = "x86_64";
      moduleStructuredConfig.settings = { MODULES = { tristate = "y"; freeform = null; optional = false; }; };
    };
  };
in { nixosConfigurations.box.config.boot.kernelPackages.kernel = kernel; }
`,
  );
  writeFileSync(join(dir, 'flake.nix'), '{ outputs = { self }: import ./default.nix; }\n');
}

test('the nix eval command lines', () => {
  const f = nixEvalArguments({ flake: '/etc/nixos#box' });
  assert.equal(f[4], '/etc/nixos#nixosConfigurations.box.config.boot.kernelPackages.kernel');
  assert.deepEqual(f.slice(0, 4), ['--extra-experimental-features', 'nix-command flakes', 'eval', '--json']);
  const a = nixEvalArguments({ file: 'default.nix', attr: 'nixosConfigurations.box' });
  assert.deepEqual(a.slice(4, 7), ['--file', 'default.nix', 'nixosConfigurations.box.config.boot.kernelPackages.kernel']);
  assert.throws(() => nixEvalArguments({ flake: '.' }), InputError);
});

test('a system read with --file and with --flake gives the kernel settings', { skip: haveNix ? false : 'no nix' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-nixos-'));
  system(dir, 'MODULES y\nNET_CLS_BPF m\n\n');
  for (const ref of [{ file: join(dir, 'default.nix'), attr: 'nixosConfigurations.box' }, { flake: `path:${dir}#box` }]) {
    const k = evalSystemKernel(ref);
    assert.equal(k.version, '6.12.117');
    assert.equal(k.src, tree612);
    assert.equal(k.kernelBaseConfig, 'tinyconfig');
    assert.equal(k.kernelConfig, 'MODULES y\nNET_CLS_BPF m\n\n');
    assert.equal(k.autoModules, true);
    assert.deepEqual(k.patches.map((p) => p.name), ['bridge-stp-helper', 'mine']);
    assert.deepEqual(k.patches[1].settings.NET_CLS_BPF, { _type: 'override', priority: 50, content: { tristate: 'm' } });
  }
});

test('a Nix evaluation error is one clear InputError', { skip: haveNix ? false : 'no nix' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-nixos-'));
  writeFileSync(join(dir, 'default.nix'), '{ nixosConfigurations.box = throw "no such host"; }\n');
  assert.throws(() => evalSystemKernel({ file: join(dir, 'default.nix'), attr: 'nixosConfigurations.box' }), (e: unknown) => e instanceof InputError && /no such host/.test(e.message));
});

test('a directory that is not a kernel tree, an unknown base target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-nixos-'));
  assert.throws(() => loadKernelTree(dir, 'x86_64'), (e: unknown) => e instanceof InputError && /is not a kernel tree/.test(e.message));
  assert.throws(() => unpackedSource(dir), (e: unknown) => e instanceof InputError && /does not contain a kernel tree/.test(e.message));
});

test('an unknown base target is refused before anything runs', { skip: spawnSync('test', ['-f', join(tree612, 'Kconfig')]).status === 0 ? false : 'no tree' }, () => {
  const t = loadKernelTree(tree612, 'x86_64');
  assert.throws(() => makeBaseConfig(t, 'frobconfig'), (e: unknown) => e instanceof InputError && /unknown base target 'frobconfig'/.test(e.message));
});

// the other known kernel version's tree in the cache (6.1 <-> 6.12), for symbols renamed between them
test('findOtherCachedTree: the other known version in the cache, never the tree itself; treeAge compares Makefile versions', () => {
  const cache = mkdtempSync(join(tmpdir(), 'kfit-cache-'));
  const tree = (name: string, patchlevel: string, sublevel: string) => {
    const dir = join(cache, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'Kconfig'), 'mainmenu "x"\n');
    writeFileSync(join(dir, 'Makefile'), `VERSION = 6\nPATCHLEVEL = ${patchlevel}\nSUBLEVEL = ${sublevel}\nEXTRAVERSION =\n`);
    return dir;
  };
  const t61 = tree('linux-6.1', '1', '192');
  // a 6.12 tree elsewhere finds the cached 6.1; there is no cached 6.12 for a 6.1 tree yet
  assert.deepEqual(findOtherCachedTree('6.12.117', '/nix/store/x-linux-6.12.117', cache), { srctree: t61, version: '6.1' });
  assert.equal(findOtherCachedTree('6.1.192', t61, cache), undefined);
  const t612 = tree('linux-6.12', '12', '117');
  assert.deepEqual(findOtherCachedTree('6.1.192', t61, cache), { srctree: t612, version: '6.12' });
  // versions kfit does not pair, and the tree itself, give nothing
  assert.equal(findOtherCachedTree('6.6.50', '/x', cache), undefined);
  assert.equal(findOtherCachedTree('6.12.117', t61, cache), undefined);
  assert.equal(treeAge(t61, '6.12.117'), 'older');
  assert.equal(treeAge(t612, '6.1.192'), 'newer');
  assert.equal(treeAge(t612, '6.12.117'), undefined);
  assert.equal(treeAge(join(cache, 'missing'), '6.1.0'), undefined);
});

test('kconfigDefinitionFinder: the Kconfig files of any architecture that define a name, by a text scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-tree-'));
  for (const d of ['arch/arm64', 'arch/x86', 'mm', 'Documentation', 'tools']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'Kconfig'), 'source "mm/Kconfig"\n');
  writeFileSync(join(dir, 'arch/arm64/Kconfig'), 'config ARM64_SVE\n\tbool "ARM Scalable Vector Extension support"\n\thelp\n\t  config NOT_A_DEFINITION in help\n');
  writeFileSync(join(dir, 'arch/x86/Kconfig.cpu'), 'menuconfig X86_SGX\n\tbool\n  config SHARED\n');
  writeFileSync(join(dir, 'mm/Kconfig'), 'config SHARED\n\tbool\nconfig SHARED\n\tdefault y\n');
  writeFileSync(join(dir, 'Documentation/Kconfig'), 'config DOCS_ONLY\n');
  writeFileSync(join(dir, 'tools/Kconfig'), 'config TOOLS_ONLY\n');
  const find = kconfigDefinitionFinder(dir, false);
  assert.deepEqual(find('ARM64_SVE'), ['arch/arm64/Kconfig']);
  assert.deepEqual(find('X86_SGX'), ['arch/x86/Kconfig.cpu']);
  assert.deepEqual([...find('SHARED')].sort(), ['arch/x86/Kconfig.cpu', 'mm/Kconfig']);
  assert.deepEqual(find('DOCS_ONLY'), []);
  assert.deepEqual(find('TOOLS_ONLY'), []);
  assert.deepEqual(find('NOT_THERE'), []);
  assert.deepEqual(find('NOT_A_DEFINITION'), []); // a help line that starts with `config`
});

test('makeBaseConfig: kept in the cache directory per model and target input, made again for another input', () => {
  const t = loadKernelTree(tree612, 'x86_64'); // read from (or written to) the model cache: it has an identity
  const cacheDir = mkdtempSync(join(tmpdir(), 'kfit-base-cache-'));
  const made = makeBaseConfig(t, 'defconfig', cacheDir);
  assert.match(made, /^CONFIG_64BIT=y$/m);
  const kept = readdirSync(cacheDir).filter((n) => n.endsWith('.base.json'));
  assert.equal(kept.length, 1, 'one base config kept');
  // the same model and input read the kept file (a planted text proves it), another target does not
  const path = join(cacheDir, kept[0]);
  const entry = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify({ ...entry, output: 'PLANTED\n' }));
  assert.equal(makeBaseConfig(t, 'defconfig', cacheDir), 'PLANTED\n');
  const tiny = makeBaseConfig(t, 'tinyconfig', cacheDir);
  assert.notEqual(tiny, 'PLANTED\n');
  assert.match(tiny, /^# CONFIG_MODULES is not set$/m);
  assert.equal(readdirSync(cacheDir).filter((n) => n.endsWith('.base.json')).length, 2);
  // a damaged file is made again; no cache directory: nothing kept
  writeFileSync(path, '{"identity":');
  assert.equal(makeBaseConfig(t, 'defconfig', cacheDir), made);
  assert.equal(makeBaseConfig(t, 'defconfig', false), made);
  rmSync(cacheDir, { recursive: true, force: true });
});

test('kconfigDefinitionFinder: the scan is kept in the cache directory and made again when a Kconfig file or directory changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-tree-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kfit-defs-cache-'));
  mkdirSync(join(dir, 'mm'));
  writeFileSync(join(dir, 'Kconfig'), 'config TOP\n');
  writeFileSync(join(dir, 'mm/Kconfig'), 'config MM_ONE\n');
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('MM_ONE'), ['mm/Kconfig']);
  const [entry] = readdirSync(cacheDir).filter((n) => n.endsWith('.kconfig-defs.txt'));
  assert.ok(entry, 'a cache entry was written');
  // an unchanged tree is answered from the entry (a planted name proves it was read, not scanned again)
  const path = join(cacheDir, entry);
  writeFileSync(path, `${readFileSync(path, 'utf8')}PLANTED\tmm/Kconfig\n`);
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('PLANTED'), ['mm/Kconfig']);
  // a changed file (another size) and a new file in a new directory are seen
  writeFileSync(join(dir, 'mm/Kconfig'), 'config MM_ONE\nconfig MM_TWO\n');
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('MM_TWO'), ['mm/Kconfig']);
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('PLANTED'), []);
  mkdirSync(join(dir, 'net'));
  writeFileSync(join(dir, 'net/Kconfig'), 'config NET_NEW\n');
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('NET_NEW'), ['net/Kconfig']);
  // a removed file
  rmSync(join(dir, 'net/Kconfig'));
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('NET_NEW'), []);
});

test('prefetchDefinitionScans: the kept scan checked on a worker is the one a later finder of the same check reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-tree-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kfit-defs-cache-'));
  writeFileSync(join(dir, 'Kconfig'), 'config TOP\n');
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir)('TOP'), ['Kconfig']);
  const [entry] = readdirSync(cacheDir).filter((n) => n.endsWith('.kconfig-defs.txt'));
  const path = join(cacheDir, entry);
  writeFileSync(path, `${readFileSync(path, 'utf8')}PLANTED\tKconfig\n`);
  const unchanged = new DefinitionScans();
  prefetchDefinitionScans([dir], cacheDir, unchanged);
  assert.deepEqual(kconfigDefinitionFinder(dir, cacheDir, unchanged)('PLANTED'), ['Kconfig']);
  // the rename answers' key names the kept scan: the same for two checks of an unchanged tree
  const store = renameResultStore(dir, dir, 'x86_64', cacheDir, unchanged)!;
  store.set('TOP', null);
  assert.equal(renameResultStore(dir, dir, 'x86_64', cacheDir)!.get('TOP'), null);
  // a changed tree: the worker's verdict sends the finder to a new scan, and the rename answers are forgotten
  writeFileSync(join(dir, 'Kconfig'), 'config TOP\nconfig NEXT\n');
  const changed = new DefinitionScans();
  prefetchDefinitionScans([dir], cacheDir, changed);
  const find = kconfigDefinitionFinder(dir, cacheDir, changed);
  assert.deepEqual(find('PLANTED'), []);
  assert.deepEqual(find('NEXT'), ['Kconfig']);
  assert.equal(renameResultStore(dir, dir, 'x86_64', cacheDir, changed)!.get('TOP'), undefined);
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

test('renameResultStore: answers kept on disk per pair of trees, forgotten when a Kconfig file of either changes', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kfit-renames-cache-'));
  const [a, b] = ['a', 'b'].map((n) => {
    const dir = mkdtempSync(join(tmpdir(), `kfit-tree-${n}-`));
    writeFileSync(join(dir, 'Kconfig'), `config ONLY_${n.toUpperCase()}\n`);
    return dir;
  });
  const result = { name: 'ONLY_A', location: 'Kconfig:1', type: 'bool' as const, candidates: [] };
  assert.equal(renameResultStore(a, b, 'x86_64', cacheDir)!.get('ONLY_A'), undefined);
  renameResultStore(a, b, 'x86_64', cacheDir)!.set('ONLY_A', result);
  renameResultStore(a, b, 'x86_64', cacheDir)!.set('NOWHERE', null);
  const kept = renameResultStore(a, b, 'x86_64', cacheDir)!;
  assert.deepEqual(kept.get('ONLY_A'), result);
  assert.equal(kept.get('NOWHERE'), null);
  // another arch, the reverse direction, or a changed tree: nothing kept
  assert.equal(renameResultStore(a, b, 'arm64', cacheDir)!.get('ONLY_A'), undefined);
  assert.equal(renameResultStore(b, a, 'x86_64', cacheDir)!.get('ONLY_A'), undefined);
  writeFileSync(join(b, 'Kconfig'), 'config ONLY_B\nconfig MORE\n');
  assert.equal(renameResultStore(a, b, 'x86_64', cacheDir)!.get('ONLY_A'), undefined);
  assert.equal(renameResultStore(a, b, 'x86_64', false), undefined);
});
