// The oracle: make-driven conf runs on the installed trees, their cache, the environment make gives conf, and
// two cross-checks (conf run directly = make; tinyconfig rebuilt from allnoconfig + mergeConfigFragments() +
// olddefconfig = make tinyconfig). Needs ./setup.sh's trees and toolchain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeConfigFragments } from '../core/dotconfig/merge-config.ts';
import {
  confArguments,
  confEnvironment,
  debianConfigs,
  kernelTree,
  oracleKey,
  parseAutoConfCmd,
  readXz,
  runConfDirect,
  runOracle,
} from './kconfig-oracle.ts';

const versions = ['6.12', '6.1'];

test('parseAutoConfCmd reads the environment conf depended on', () => {
  const text = 'deps_config := \\\n\tKconfig\n\nifneq "$(CC_VERSION_TEXT)" "gcc (Debian 12.2.0) 12.2.0"\n$(autoconfig): FORCE\nendif\n\nifneq "$(RUSTC_VERSION_TEXT)" ""\n';
  assert.deepEqual(parseAutoConfCmd(text), { CC_VERSION_TEXT: 'gcc (Debian 12.2.0) 12.2.0', RUSTC_VERSION_TEXT: '' });
});

test('the cache key changes with the target, the seed, the probability and the input', () => {
  const base = { version: '6.12', arch: 'x86_64', target: 'olddefconfig' as const, input: 'CONFIG_A=y\n' };
  const keys = new Set([
    oracleKey(base),
    oracleKey({ ...base, input: 'CONFIG_A=n\n' }),
    oracleKey({ ...base, arch: 'arm64' }),
    oracleKey({ ...base, target: 'savedefconfig' }),
    oracleKey({ ...base, target: 'randconfig', input: undefined, seed: 1 }),
    oracleKey({ ...base, target: 'randconfig', input: undefined, seed: 2 }),
    oracleKey({ ...base, target: 'randconfig', input: undefined, seed: 2, probability: '10' }),
  ]);
  assert.equal(keys.size, 7);
  assert.equal(oracleKey(base), oracleKey({ ...base }));
});

for (const version of versions) {
  test(`oracle ${version}: make allnoconfig writes conf's header; the second run is cached and identical`, () => {
    const first = runOracle({ version, arch: 'x86_64', target: 'allnoconfig' });
    assert.equal(first.status, 0, first.stderr);
    const full = readFileSync(join(kernelTree(version), 'Makefile'), 'utf8').match(/^SUBLEVEL = (\d+)/m)?.[1];
    assert.match(first.config ?? '', new RegExp(`^#\\n# Automatically generated file; DO NOT EDIT\\.\\n# Linux/x86_64 ${version}\\.${full} Kernel Configuration\\n`));
    assert.match(first.config ?? '', /^# CONFIG_MODULES is not set$/m);
    const again = runOracle({ version, arch: 'x86_64', target: 'allnoconfig' });
    assert.equal(again.cached, true);
    assert.equal(again.config, first.config);
  });

  test(`oracle ${version}: conf's environment is make's (CC_VERSION_TEXT, KERNELVERSION, SRCARCH)`, () => {
    const env = confEnvironment(version, 'x86_64');
    const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    assert.equal(env.CC_VERSION_TEXT, gcc);
    assert.match(env.KERNELVERSION, new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`));
    assert.equal(env.SRCARCH, 'x86');
    assert.equal(env.srctree, kernelTree(version));
  });

  test(`oracle ${version}: conf run directly with make's environment = make (allnoconfig, Debian olddefconfig)`, () => {
    const viaMake = runOracle({ version, arch: 'x86_64', target: 'allnoconfig' });
    const direct = runConfDirect({ version, arch: 'x86_64', args: confArguments('allnoconfig') });
    assert.equal(direct.status, 0, direct.stderr);
    assert.equal(direct.config, viaMake.config);
    const [debian] = debianConfigs(version);
    assert.ok(debian, `no Debian config for ${version}: run ./setup.sh`);
    const input = readXz(debian.path);
    const old = runOracle({ version, arch: 'x86_64', target: 'olddefconfig', input });
    const oldDirect = runConfDirect({ version, arch: 'x86_64', args: confArguments('olddefconfig'), input });
    assert.equal(oldDirect.config, old.config);
    assert.notEqual(old.config, input);
  });

  test(`oracle ${version}: make tinyconfig = allnoconfig(tiny-base) + mergeConfigFragments() + olddefconfig`, () => {
    const viaMake = runOracle({ version, arch: 'x86_64', target: 'tinyconfig' });
    assert.equal(viaMake.status, 0, viaMake.stderr);
    const tree = kernelTree(version);
    const step1 = runConfDirect({
      version,
      arch: 'x86_64',
      args: confArguments('allnoconfig'),
      env: { KCONFIG_ALLCONFIG: 'kernel/configs/tiny-base.config' },
    });
    const fragments = ['kernel/configs/tiny.config', 'arch/x86/configs/tiny.config'].map((p) => ({
      name: join(tree, p),
      text: readFileSync(join(tree, p), 'utf8'),
    }));
    const merged = mergeConfigFragments({ name: '.config', text: step1.config }, fragments);
    assert.equal(merged.exitCode, 0);
    const step3 = runConfDirect({
      version,
      arch: 'x86_64',
      args: confArguments('olddefconfig'),
      before: (dir) => writeFileSync(join(dir, '.config'), merged.text),
    });
    assert.equal(step3.config, viaMake.config);
    assert.notEqual(step3.config, step1.config);
  });

  test(`oracle ${version}: randconfig prints and uses KCONFIG_SEED`, () => {
    const a = runOracle({ version, arch: 'x86_64', target: 'randconfig', seed: 42 });
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /^KCONFIG_SEED=0x2A$/m);
    const b = runOracle({ version, arch: 'x86_64', target: 'randconfig', seed: 42 }, { refresh: true });
    assert.equal(b.config, a.config);
    const c = runOracle({ version, arch: 'x86_64', target: 'randconfig', seed: 43 });
    assert.notEqual(c.config, a.config);
  });
}
