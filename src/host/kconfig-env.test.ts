import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { kconfigEnvironment, kernelVersionOf, srcarchOf } from './kconfig-env.ts';
import { buildDir, confEnvironment, oracleEnvironment } from './kconfig-oracle.ts';

/** One scratch directory per test file, removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'kfit-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');

test('SRCARCH and KERNELVERSION follow the Makefile rules', () => {
  assert.equal(srcarchOf('x86_64'), 'x86');
  assert.equal(srcarchOf('i386'), 'x86');
  assert.equal(srcarchOf('arm64'), 'arm64');
  assert.equal(srcarchOf('sparc64'), 'sparc');
  assert.equal(kernelVersionOf('VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n'), '6.12.117');
  assert.equal(kernelVersionOf('VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL =\nEXTRAVERSION = -rc3\n'), '6.1-rc3');
  assert.equal(kernelVersionOf('VERSION = 6\nPATCHLEVEL =\nSUBLEVEL = 4\nEXTRAVERSION =\n'), '6');
});

function fakeTree(): string {
  const dir = mkdtempSync(join(scratch, 'env-'));
  writeFileSync(join(dir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 3\nEXTRAVERSION =\nRUSTC_VERSION_TEXT = $(shell $(RUSTC) --version)\n');
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts', 'Makefile.clang'), 'CLANG_TARGET_FLAGS_arm64\t:= aarch64-linux-gnu\nCLANG_FLAGS\t+= -Werror=unknown-warning-option\n');
  return dir;
}

test('command-line variables beat the Makefile, which beats the environment; srctree follows O=', () => {
  const tree = fakeTree();
  const shell = (cmd: string): string => (cmd.includes('--version') && cmd.includes('gcc') ? 'gcc (X) 12\n# more\n' : '');
  const e = kconfigEnvironment({ srctree: tree, arch: 'x86_64', objtree: '/nonexistent/obj', baseEnv: { CC: 'tcc', CROSS_COMPILE: 'x-', PATH: '/bin' }, shell });
  assert.equal(e.env.CC, 'x-gcc'); // the Makefile's CC = $(CROSS_COMPILE)gcc wins over the environment's CC
  assert.equal(e.env.SRCARCH, 'x86');
  assert.equal(e.env.KERNELVERSION, '6.12.3');
  assert.equal(e.env.srctree, e.env.srctree.startsWith('/') ? e.env.srctree : 'absolute');
  assert.equal(e.env.CC_VERSION_TEXT, 'gcc (X) 12  more');
  assert.equal(e.env.RUSTC_VERSION_TEXT, '');
  assert.equal(e.cwd, '/nonexistent/obj');
  assert.equal(e.rootFile, 'Kconfig');
  const inTree = kconfigEnvironment({ srctree: tree, arch: 'arm64', baseEnv: {}, variables: { CC: 'mycc', KBUILD_KCONFIG: 'Kconfig.test' }, shell });
  assert.equal(inTree.rootFile, 'Kconfig.test');
  assert.equal(inTree.env.srctree, '.');
  assert.equal(inTree.env.CC, 'mycc');
  const sub = kconfigEnvironment({ srctree: tree, arch: 'arm64', objtree: join(tree, 'build'), baseEnv: {}, shell });
  assert.equal(sub.env.srctree, '..');
  const clang = kconfigEnvironment({ srctree: tree, arch: 'arm64', baseEnv: { LLVM: '1' }, shell: (c) => (c.includes('clang --version') ? 'Debian clang version 14\n' : '') });
  assert.equal(clang.env.CC, 'clang');
  assert.equal(clang.env.LD, 'ld.lld');
  assert.equal(clang.env.CLANG_FLAGS, '--target=aarch64-linux-gnu -fintegrated-as -Werror=unknown-warning-option');
});

// x86_64 always; every arch of the brief with the full differential suite (each builds conf through make once).
const arches = process.env.KFIT_DIFFERENTIAL === 'full' ? ['x86_64', 'i386', 'arm64', 'arm', 'riscv', 'powerpc', 's390', 'mips'] : ['x86_64'];
for (const version of ['6.12', '6.1']) {
  const tree = join(cache, `linux-${version}`);
  for (const arch of arches) {
    test(`matches what make really exports to conf (${version} ${arch}, auto.conf.cmd)`, { skip: !existsSync(join(tree, 'Makefile')) && 'no tree' }, () => {
      const want = confEnvironment(version, arch);
      const e = kconfigEnvironment({ srctree: tree, arch, objtree: buildDir(version, arch), baseEnv: oracleEnvironment() });
      for (const name of Object.keys(want)) assert.equal(e.env[name], want[name], name);
    });
  }
}
