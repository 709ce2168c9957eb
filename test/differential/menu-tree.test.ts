// conf as the oracle of kfit's finalized menu tree: menu-tree-dump.c, linked against the scripts/kconfig objects
// the oracle's make built, prints conf's tree of the whole x86_64 tree of both kernels (nesting, every node's
// dependencies and prompt visibility, every symbol's dir_dep, rev_dep and implied, as expr_print() writes them);
// kfit's model must print the same. Both read the tree in the environment kfit computes for make.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dumpMenuTree } from '../../src/core/kconfig/menu-tree-dump.test-support.ts';
import { buildDir, confEnvironment, kfitCache } from '../../src/host/kconfig-oracle.ts';
import { loadKconfigModel } from '../../src/host/kconfig-model.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-menu-tree-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const dumper = new URL('./menu-tree-dump.c', import.meta.url).pathname;

for (const version of ['6.12', '6.1']) {
  const tree = join(kfitCache(), `linux-${version}`);
  test(`Linux ${version} x86_64: kfit's finalized menu tree equals conf's`, { skip: !existsSync(join(tree, 'Kconfig')) && 'trees not installed' }, () => {
    confEnvironment(version, 'x86_64'); // builds conf (and its objects) in the oracle's build folder
    const objects = join(buildDir(version, 'x86_64'), 'scripts', 'kconfig');
    const linked = readdirSync(objects).filter((f) => f.endsWith('.o') && f !== 'conf.o').map((f) => join(objects, f));
    const bin = join(scratch, `dump-${version}`);
    const cc = spawnSync('gcc', ['-O1', '-w', `-I${tree}/scripts/kconfig`, `-I${tree}/scripts/include`, `-I${objects}`, '-o', bin, dumper, ...linked], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const { model, env } = loadKconfigModel({ srctree: tree, arch: 'x86_64', objtree: buildDir(version, 'x86_64') });
    const conf = spawnSync(bin, [env.rootFile], { cwd: env.cwd, env: env.env, encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(conf.status, 0, conf.stderr);
    const want = conf.stdout.split('\n');
    const got = dumpMenuTree(model).split('\n');
    // the first differing line, with its neighbours, instead of a 30,000-line diff
    const i = want.findIndex((line, n) => line !== got[n]);
    assert.equal(i === -1 ? 'same' : `line ${i + 1}:\n${got.slice(Math.max(0, i - 3), i + 3).join('\n')}`, i === -1 ? 'same' : `line ${i + 1}:\n${want.slice(Math.max(0, i - 3), i + 3).join('\n')}`);
    assert.equal(got.length, want.length);
  });
}
