// The Node SourceHost and the parser on the real kernel trees (installed by setup.sh): counts against the
// research anchors, zero diagnostics for every listed arch of 6.1 and 6.12, the kernel's own macro tests,
// and the $(shell) cache.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatDiagnostic } from '../core/diag/diagnostic.ts';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import type { EntrySyntax, KconfigSyntax } from '../core/kconfig/syntax.ts';
import { kconfigEnvironment } from './kconfig-env.ts';
import { buildDir, confEnvironment, oracleEnvironment } from './kconfig-oracle.ts';
import { NodeSourceHost } from './kconfig-source.ts';

/** One scratch directory per test file, removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'kfit-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const treeOf = (version: string): string => join(cache, `linux-${version}`);
const objtree = mkdtempSync(join(scratch, 'obj-'));

function parseTree(version: string, arch: string) {
  const srctree = treeOf(version);
  const { env } = kconfigEnvironment({ srctree, arch, objtree });
  const host = new NodeSourceHost({ srctree, env });
  // Each tree with its own version's grammar (the default, both grammars, is checked by the parity test).
  return { ...parseKconfig('Kconfig', host, { flavor: version === '6.12' ? 'v6.12' : 'v6.1' }), host };
}

interface Counts {
  files: number;
  config: number;
  choice: number;
  menu: number;
  comment: number;
}

/**
 * Counts entries the way research/anchors-perf.md §2 counted lines (`^\s*(config|menuconfig)\s+NAME` etc. in the
 * files reached): parsed entries plus the lines of help texts that the same patterns match. A file sourced
 * twice (6.1's Documentation/Kconfig) is parsed twice, as conf does, but grep sees its lines once.
 */
function grepLikeCounts(syntax: KconfigSyntax): Counts {
  const c: Counts = { files: syntax.files.length, config: 0, choice: 0, menu: 0, comment: 0 };
  const seen = new Set<string>();
  const patterns: [keyof Counts, RegExp][] = [
    ['config', /^\s*(config|menuconfig)\s+\w/],
    ['choice', /^\s*choice\b/],
    ['menu', /^\s*menu\s/],
    ['comment', /^\s*comment\b/],
  ];
  const walk = (entries: readonly EntrySyntax[]): void => {
    for (const e of entries) {
      const at = `${e.span.file}:${e.span.line}`;
      if (seen.has(at)) continue;
      seen.add(at);
      if (e.kind === 'config' || e.kind === 'menuconfig') c.config++;
      else if (e.kind === 'choice' || e.kind === 'menu' || e.kind === 'comment') c[e.kind]++;
      if (e.kind !== 'if') {
        for (const a of e.attributes) {
          if (a.kind !== 'help') continue;
          for (const line of a.text.split('\n')) for (const [k, re] of patterns) if (re.test(line)) c[k]++;
        }
      }
      if (e.kind === 'choice' || e.kind === 'menu' || e.kind === 'if') walk(e.children);
    }
  };
  walk(syntax.entries);
  return c;
}

// research/anchors-perf.md §2 (files reached = conf's deps_config; entries = grep counts in those files).
const anchors: Record<string, Partial<Counts>> = {
  '6.12 x86_64': { files: 1606, config: 17_725, choice: 79, menu: 311, comment: 197 },
  '6.12 arm64': { files: 1602, config: 17_591, choice: 75, menu: 319, comment: 197 },
  '6.12 riscv': { files: 1604, config: 17_456, choice: 75, menu: 316, comment: 197 },
  '6.1 x86_64': { files: 1490, config: 16_498, choice: 77, menu: 289, comment: 191 },
  '6.1 arm64': { files: 1486, config: 16_381, choice: 73, menu: 296, comment: 192 },
  '6.1 riscv': { files: 1475, config: 16_024, choice: 71, menu: 290, comment: 189 },
};

for (const version of ['6.12', '6.1']) {
  const present = existsSync(join(treeOf(version), 'Kconfig'));
  for (const arch of ['x86_64', 'i386', 'arm64', 'arm', 'riscv', 'powerpc', 's390', 'mips']) {
    test(`Linux ${version} ${arch} parses with no diagnostics`, { skip: !present && 'tree not installed (run ./setup.sh)' }, () => {
      const r = parseTree(version, arch);
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
      assert.equal(r.value.files[0], 'Kconfig');
      assert.equal(r.value.environment.get('SRCARCH'), arch === 'x86_64' || arch === 'i386' ? 'x86' : arch);
      assert.ok(r.value.environment.has('CC_VERSION_TEXT'));
      const want = anchors[`${version} ${arch}`];
      if (want) {
        const got = grepLikeCounts(r.value);
        for (const k of Object.keys(want) as (keyof Counts)[]) assert.equal(got[k], want[k], `${k} of ${version} ${arch}`);
      }
      const h = r.host.stats;
      assert.equal(r.stats.shellCalls, h.shellPrefetched + h.shellCacheHits + h.shellDirect);
    });
  }
}

// conf's own record of what it read: include/config/auto.conf.cmd after `make syncconfig` (the oracle's build).
for (const version of ['6.12', '6.1']) {
  const present = existsSync(join(treeOf(version), 'Kconfig'));
  test(`Linux ${version} x86_64: files and environment equal conf's auto.conf.cmd`, { skip: !present && 'tree not installed' }, () => {
    confEnvironment(version, 'x86_64'); // makes sure the oracle ran `make syncconfig`
    const srctree = treeOf(version);
    const dir = buildDir(version, 'x86_64');
    const { env } = kconfigEnvironment({ srctree, arch: 'x86_64', objtree: dir, baseEnv: oracleEnvironment() });
    const r = parseKconfig('Kconfig', new NodeSourceHost({ srctree, env }));
    const cmd = readFileSync(join(dir, 'include', 'config', 'auto.conf.cmd'), 'utf8');
    const deps = cmd
      .split('deps_config := \\\n')[1]
      .split('\n\n')[0]
      .split('\n')
      .map((l) => l.replace(/^\t/, '').replace(/ \\$/, ''))
      .filter((l) => l !== '');
    // 6.1's file_lookup() prepends to its list, so its deps_config is in reverse opening order.
    assert.deepEqual(version === '6.1' ? [...deps].reverse() : deps, r.value.files);
    const recorded = [...cmd.matchAll(/^ifneq "\$\(([A-Za-z0-9_]+)\)" "(.*)"$/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual([...r.value.environment], recorded);
  });
}

// The kernel's own tests of the macro language (scripts/kconfig/tests/preprocess), read from the tree.
for (const version of ['6.12', '6.1']) {
  const dir = join(treeOf(version), 'scripts', 'kconfig', 'tests', 'preprocess');
  const cases = existsSync(dir) ? readdirSync(dir).sort() : [];
  test(`Linux ${version}: the kernel's macro tests exist`, { skip: cases.length === 0 && 'tree not installed' }, () => {
    assert.deepEqual(cases, ['builtin_func', 'circular_expansion', 'escape', 'variable']);
  });
  for (const name of cases) {
    test(`Linux ${version}: scripts/kconfig/tests/preprocess/${name}`, () => {
      const srctree = join(dir, name);
      const host = new NodeSourceHost({ srctree, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cache: false });
      const r = parseKconfig('Kconfig', host);
      // conf prints warnings and errors as `file:line: message` on stderr, $(info) on stdout.
      const stderr = r.diagnostics
        .filter((d) => d.severity !== 'info')
        .map((d) => `${d.span?.file}:${d.span?.line}: ${d.message}`);
      const stdout = r.diagnostics.filter((d) => d.severity === 'info').map((d) => d.message);
      const expectedErr = readFileSync(join(srctree, 'expected_stderr'), 'utf8').split('\n').filter((l) => l !== '');
      assert.deepEqual(stderr, expectedErr);
      const outFile = join(srctree, 'expected_stdout');
      if (existsSync(outFile)) {
        assert.deepEqual(stdout, readFileSync(outFile, 'utf8').split('\n').filter((l) => l !== ''));
      }
    });
  }
  // The other kernel tests are about evaluation; their Kconfig files must parse cleanly (err_* must not).
  const testsDir = join(treeOf(version), 'scripts', 'kconfig', 'tests');
  for (const name of existsSync(testsDir) ? readdirSync(testsDir).sort() : []) {
    if (name === 'preprocess' || !existsSync(join(testsDir, name, 'Kconfig'))) continue;
    test(`Linux ${version}: scripts/kconfig/tests/${name} parses${name.startsWith('err_recursive_inc') ? ' with an error' : ''}`, () => {
      const host = new NodeSourceHost({ srctree: join(testsDir, name), env: {}, cache: false });
      const r = parseKconfig('Kconfig', host);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (name === 'err_recursive_inc') {
        assert.equal(errors.length, 1);
        assert.equal(formatDiagnostic(errors[0]).split('\n')[0], 'Kconfig.inc3:2:1: error: recursive inclusion of "Kconfig.inc1"');
        assert.deepEqual(errors[0].related.map((x) => x.message), ['included from Kconfig.inc2:4', 'included from Kconfig.inc1:5', 'included from Kconfig:2']);
      } else assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    });
  }
}

test('the $(shell) cache answers warm runs, and a changed environment or tool is a miss', () => {
  const dir = mkdtempSync(join(scratch, 'shell-'));
  const cacheDir = join(dir, 'cache');
  const tool = join(dir, 'tool.sh');
  writeFileSync(tool, 'echo one\n');
  const files = { Kconfig: `config A\n\tstring\n\tdefault "$(shell,sh ${tool}) $(shell,echo $FOO)"\n` };
  const run = (env: Record<string, string>, cacheOption: string | false = cacheDir, cwd = dir) => {
    const host = new NodeSourceHost({ srctree: dir, env: { PATH: process.env.PATH ?? '', ...env }, cache: cacheOption, cwd });
    writeFileSync(join(dir, 'Kconfig'), files.Kconfig);
    const r = parseKconfig('Kconfig', host);
    const a = r.value.entries[0];
    const d = a.kind === 'config' ? a.attributes[1] : undefined;
    return { value: d?.kind === 'default' && d.value.kind === 'symbol' ? d.value.name : '?', stats: { ...host.stats } };
  };
  const cold = run({ FOO: 'x' });
  assert.equal(cold.value, 'one x');
  assert.equal(cold.stats.shellRuns, 2);
  const warm = run({ FOO: 'x' });
  assert.equal(warm.value, 'one x');
  assert.deepEqual([warm.stats.shellRuns, warm.stats.shellCacheHits], [0, 2]);
  // kfit's own settings (KFIT_TRACE, KFIT_DIFFERENTIAL, …) reach no probe: still warm
  const kfitVar = run({ FOO: 'x', KFIT_TRACE: 'model-cache' });
  assert.deepEqual([kfitVar.stats.shellRuns, kfitVar.stats.shellCacheHits], [0, 2]);
  const otherEnv = run({ FOO: 'y' });
  assert.equal(otherEnv.value, 'one y');
  assert.equal(otherEnv.stats.shellRuns, 2);
  writeFileSync(tool, 'echo two; # a different size\n');
  const changedTool = run({ FOO: 'y' });
  assert.equal(changedTool.value, 'two y');
  assert.deepEqual([changedTool.stats.shellRuns, changedTool.stats.shellCacheHits], [1, 1]);
  const off = run({ FOO: 'y' }, false);
  assert.deepEqual([off.stats.shellRuns, off.stats.shellCacheHits], [2, 0]);
  // With an absolute srctree (make O=…) the working directory is scratch space: another one still hits.
  const otherCwd = mkdtempSync(join(scratch, 'cwd-'));
  const objA = run({ FOO: 'z', srctree: dir }, cacheDir, dir);
  const objB = run({ FOO: 'z', srctree: dir }, cacheDir, otherCwd);
  assert.deepEqual([objA.stats.shellRuns, objB.stats.shellRuns, objB.stats.shellCacheHits], [2, 0, 2]);
  // In-tree (srctree '.') the directory is part of the key.
  const inTree = run({ FOO: 'z', srctree: '.' }, cacheDir, otherCwd);
  assert.equal(inTree.stats.shellRuns, 2);
});

test('glob lists matching files under srctree, sorted', () => {
  const srctree = treeOf('6.12');
  if (!existsSync(join(srctree, 'Kconfig'))) return;
  const host = new NodeSourceHost({ srctree, env: {}, cache: false });
  const found = host.glob('arch/*/Kconfig.debug');
  assert.ok(found.includes('arch/x86/Kconfig.debug'));
  assert.deepEqual([...found].sort(), found);
  assert.ok(found.every((f) => /^arch\/[^/]+\/Kconfig\.debug$/.test(f)));
});

test('prefetch starts every probe, a command built from other answers as soon as they are in; the parse then uses them', () => {
  const dir = mkdtempSync(join(scratch, 'prefetch-'));
  writeFileSync(
    join(dir, 'Kconfig'),
    'a := $(shell,echo 1)\nb := $(shell,echo $(a)2)\nc := $(shell,echo $(b)3)\n' +
      // do_shell()'s processing (trailing newlines dropped, inner ones made spaces) applies to filled-in answers
      "d := $(shell,printf 'x\\n\\ny\\n\\n')\ne := $(shell,echo \"[$(d)]\")\n" +
      'config X\n\tstring\n\tdefault "$(c) $(shell,echo z) $(shell,printf \'p\\nq\\n\') $(e)"\n',
  );
  const host = new NodeSourceHost({ srctree: dir, env: { PATH: process.env.PATH ?? '' }, cache: false });
  const st = host.prefetch('Kconfig', { jobs: 2 });
  assert.equal(st.dependent, 3);
  assert.ok(st.commands >= 4 && st.commands <= 7, `${st.commands} commands started`);
  const r = parseKconfig('Kconfig', host);
  assert.deepEqual(r.diagnostics, []);
  const x = r.value.entries[0];
  const d = x.kind === 'config' ? x.attributes[1] : undefined;
  assert.equal(d?.kind === 'default' && d.value.kind === 'symbol' ? d.value.name : '?', '123 z p q [x  y]');
  assert.deepEqual([host.stats.shellRuns, host.stats.shellPrefetched, host.stats.shellDirect], [7, 7, 0]);
});

test('a cold parse prefetches the probes at the first miss; a warm one only reads the cache', () => {
  const dir = mkdtempSync(join(scratch, 'tree-'));
  writeFileSync(join(dir, 'Kconfig'), 'a := $(shell,echo 1)\nb := $(shell,echo $(a)2)\nconfig X\n\tstring\n\tdefault "$(b)"\n');
  const cacheDir = join(dir, 'cache');
  const cold = new NodeSourceHost({ srctree: dir, env: { PATH: process.env.PATH ?? '' }, cache: cacheDir });
  const r1 = parseKconfig('Kconfig', cold);
  assert.deepEqual([cold.stats.shellRuns, cold.stats.shellPrefetched, cold.stats.shellDirect], [2, 2, 0]);
  const warm = new NodeSourceHost({ srctree: dir, env: { PATH: process.env.PATH ?? '' }, cache: cacheDir });
  const r2 = parseKconfig('Kconfig', warm);
  assert.deepEqual([warm.stats.shellRuns, warm.stats.shellPrefetched, warm.stats.shellCacheHits], [0, 0, 2]);
  assert.deepEqual(r1.value.entries, r2.value.entries);
  const x = r2.value.entries[0];
  const d = x.kind === 'config' ? x.attributes[1] : undefined;
  assert.equal(d?.kind === 'default' && d.value.kind === 'symbol' ? d.value.name : '?', '12');
  const serial = new NodeSourceHost({ srctree: dir, env: { PATH: process.env.PATH ?? '' }, cache: false, prefetch: false });
  parseKconfig('Kconfig', serial);
  assert.deepEqual([serial.stats.shellRuns, serial.stats.shellPrefetched], [2, 0]);
});

test('a cold parse of a real tree gets every answer from the prefetch and equals a parse that runs probes one by one', { skip: !existsSync(join(treeOf('6.12'), 'Kconfig')) && 'tree not installed' }, () => {
  const srctree = treeOf('6.12');
  const { env } = kconfigEnvironment({ srctree, arch: 'x86_64', objtree });
  const prefetched = new NodeSourceHost({ srctree, env, cwd: objtree, cache: false });
  const a = parseKconfig('Kconfig', prefetched, { flavor: 'v6.12' });
  const serial = new NodeSourceHost({ srctree, env, cwd: objtree, cache: false, prefetch: false });
  const b = parseKconfig('Kconfig', serial, { flavor: 'v6.12' });
  assert.equal(prefetched.stats.shellDirect, 0);
  assert.equal(prefetched.stats.shellRuns, serial.stats.shellRuns);
  assert.deepEqual(a.value, b.value);
});

test('without xargs on PATH the prefetch runs nothing and each probe runs by itself', () => {
  const dir = mkdtempSync(join(scratch, 'noxargs-'));
  writeFileSync(join(dir, 'Kconfig'), 'config X\n\tstring\n\tdefault "$(shell,echo hi)"\n');
  const host = new NodeSourceHost({ srctree: dir, env: { PATH: join(dir, 'no-such-dir') }, cache: false });
  const r = parseKconfig('Kconfig', host);
  const x = r.value.entries[0];
  const d = x.kind === 'config' ? x.attributes[1] : undefined;
  assert.equal(d?.kind === 'default' && d.value.kind === 'symbol' ? d.value.name : '?', 'hi');
  assert.deepEqual([host.stats.shellPrefetched, host.stats.shellDirect], [0, 1]);
});
