import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTarget } from '../core/kconfig/targets.ts';
import { assertSameModel } from '../core/kconfig/model-graph.test-support.ts';
import { loadKconfigModel, type KconfigModelOptions } from './kconfig-model.ts';

// one identity for this file and the processes it starts, whatever else is edited in the tree meanwhile
process.env.KFIT_MODEL_CACHE_IDENTITY = `model-cache.test ${process.pid}`;

const KCONFIG = `mainmenu "Test"
config CC_IS_GCC
\tdef_bool $(shell,cat $(srctree)/probe.txt)
config FROM_ENV
\tstring "from env"
\tdefault "$(KFIT_MODEL_CACHE_TEST)"
source "sub/Kconfig"
config A
\tbool "A"
\tdefault y if CC_IS_GCC
`;

function fakeTree(): { tree: string; options: KconfigModelOptions; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-model-cache-'));
  const tree = join(dir, 'linux');
  mkdirSync(join(tree, 'arch', 'x86'), { recursive: true });
  writeFileSync(join(tree, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n');
  writeFileSync(join(tree, 'arch', 'x86', 'Makefile'), '');
  writeFileSync(join(tree, 'Kconfig'), KCONFIG);
  writeFileSync(join(tree, 'probe.txt'), 'y\n');
  mkdirSync(join(tree, 'sub'));
  writeFileSync(join(tree, 'sub', 'Kconfig'), 'config B\n\tbool "B"\n');
  const options = { srctree: tree, arch: 'x86_64', objtree: join(dir, 'build'), shellCache: join(dir, 'shell-cache'), modelCache: join(dir, 'model-cache') };
  mkdirSync(options.objtree, { recursive: true });
  return { tree, options, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function olddefconfig(options: KconfigModelOptions, config: string): string {
  const { model } = loadKconfigModel(options);
  return runTarget(model, { target: 'olddefconfig', config: { name: '.config', text: config } }).output ?? '';
}

test('the second load is a hit; a changed file, variable or probe answer is a miss', () => {
  const { tree, options, cleanup } = fakeTree();
  process.env.KFIT_MODEL_CACHE_TEST = 'one';
  try {
    const first = loadKconfigModel(options);
    assert.deepEqual(first.cache, { state: 'miss', reason: 'no entry' });
    const second = loadKconfigModel(options);
    assert.deepEqual(second.cache, { state: 'hit' });
    assertSameModel(second.model, first.model);
    assert.match(olddefconfig(options, ''), /CONFIG_FROM_ENV="one"\n# CONFIG_B is not set\nCONFIG_A=y/);

    // a Kconfig file: same size, new mtime
    utimesSync(join(tree, 'Kconfig'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(loadKconfigModel(options).cache, { state: 'miss', reason: 'Kconfig changed' });
    assert.equal(loadKconfigModel(options).cache.state, 'hit');

    // a sourced file's content
    writeFileSync(join(tree, 'sub', 'Kconfig'), 'config B\n\tbool "B"\n\tdefault y\n');
    assert.deepEqual(loadKconfigModel(options).cache, { state: 'miss', reason: 'sub/Kconfig changed' });
    assert.match(olddefconfig(options, ''), /CONFIG_B=y/);

    // an environment variable the Kconfig reads
    process.env.KFIT_MODEL_CACHE_TEST = 'two';
    assert.deepEqual(loadKconfigModel(options).cache, { state: 'miss', reason: 'environment variable KFIT_MODEL_CACHE_TEST changed' });
    assert.match(olddefconfig(options, ''), /CONFIG_FROM_ENV="two"/);

    // a probe whose answer changes: the probe's file is part of the answer cache's key, so the command
    // is not in the answer cache any more, runs, and the model is rebuilt with the new answer
    writeFileSync(join(tree, 'probe.txt'), 'n\n');
    const probed = loadKconfigModel(options);
    assert.equal(probed.cache.state, 'miss');
    assert.match((probed.cache as { reason: string }).reason, /^\$\(shell,cat .*probe\.txt\) (answers differently|was not in the answer cache)$/);
    assert.match(olddefconfig(options, ''), /# CONFIG_A is not set/);

    // an answer cache entry that now says something else
    const shellCache = options.shellCache as string;
    for (const name of readdirSync(shellCache)) {
      const file = join(shellCache, name);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { command: string; output: string };
      if (entry.command.startsWith('cat ')) writeFileSync(file, JSON.stringify({ ...entry, output: 'y\n' }));
    }
    assert.match((loadKconfigModel(options).cache as { reason: string }).reason, /^\$\(shell,cat .*probe\.txt\) answers differently$/);
    assert.match(olddefconfig(options, ''), /CONFIG_A=y/);
  } finally {
    delete process.env.KFIT_MODEL_CACHE_TEST;
    cleanup();
  }
});

test('a damaged entry is a miss and is rewritten; off means no cache', () => {
  const { options, cleanup } = fakeTree();
  try {
    loadKconfigModel(options);
    const dir = options.modelCache as string;
    const [entry] = readdirSync(dir);
    const file = join(dir, entry);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0x40;
    writeFileSync(file, bytes);
    assert.deepEqual(loadKconfigModel(options).cache, { state: 'miss', reason: 'damaged entry' });
    assert.equal(loadKconfigModel(options).cache.state, 'hit');
    truncateSync(file, 100);
    assert.deepEqual(loadKconfigModel(options).cache, { state: 'miss', reason: 'damaged entry' });
    writeFileSync(file, 'not a model');
    assert.equal(loadKconfigModel(options).cache.state, 'miss');
    assert.deepEqual(loadKconfigModel({ ...options, modelCache: false }).cache, { state: 'off' });
    assert.deepEqual(loadKconfigModel({ ...options, shellCache: false }).cache, { state: 'off' });
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.tmp')).length, 0);
  } finally {
    cleanup();
  }
});

test('processes that race on an empty cache all get the model, and leave one whole entry', async () => {
  const { options, cleanup } = fakeTree();
  try {
    const script = `import { loadKconfigModel } from ${JSON.stringify(new URL('./kconfig-model.ts', import.meta.url).href)};
      const r = loadKconfigModel(${JSON.stringify(options)});
      process.stdout.write(r.cache.state + ' ' + r.model.symbols.length);`;
    const run = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', () => resolve(out));
      });
    const outs = await Promise.all([run(), run(), run()]);
    const count = loadKconfigModel({ ...options, modelCache: false }).model.symbols.length;
    for (const o of outs) assert.match(o, new RegExp(`^(miss|hit) ${count}$`));
    assert.deepEqual(readdirSync(options.modelCache as string).length, 1);
    assert.equal(loadKconfigModel(options).cache.state, 'hit');
  } finally {
    cleanup();
  }
});

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const linux612 = join(cache, 'linux-6.12');
const debianConfig = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';

test('6.12 x86_64: a model from the cache is the same graph and olddefconfigs a Debian config byte for byte', { skip: !existsSync(join(linux612, 'Kconfig')) || !existsSync(debianConfig) }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-model-cache-612-'));
  try {
    const options: KconfigModelOptions = { srctree: linux612, arch: 'x86_64', objtree: join(cache, 'nixos-build', 'x86_64'), modelCache: dir };
    const fresh = loadKconfigModel(options);
    assert.equal(fresh.cache.state, 'miss');
    const cached = loadKconfigModel(options);
    assert.equal(cached.cache.state, 'hit');
    assertSameModel(cached.model, fresh.model);
    assert.deepEqual(cached.warnings, fresh.warnings);
    const text = spawnSync('xz', ['-dc', debianConfig], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const run = (m: typeof fresh.model) => runTarget(m, { target: 'olddefconfig', config: { name: '.config', text } }).output;
    const a = run(fresh.model);
    assert.ok(a && a.length > 100_000);
    assert.equal(run(cached.model), a);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
