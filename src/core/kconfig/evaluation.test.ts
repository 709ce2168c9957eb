// Data-driven cases: a Kconfig snippet, a target and an input .config, and what the kernel's own conf
// (6.12 and 6.1 builds) wrote and warned. The expectations in evaluation.cases.txt were produced by running
// the real conf on each case; adding a case means adding text.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  Assignments,
  AssignmentsBuilder,
  buildModel,
  Evaluation,
  EvaluationSession,
  explain,
  findSymbol,
  flavorForVersion,
  formatConfWarning,
  formatUnmetDependency,
  runTarget,
  type ConfigTarget,
  type KconfigFlavor,
} from './index.ts';
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';

interface Case {
  name: string;
  flavor: KconfigFlavor;
  kconfig: string;
  target: ConfigTarget;
  config: string;
  expect: string;
  stderr: string;
  /** A known divergence from conf (`--- todo <reason>`): the test runs, its failure is reported, not counted. */
  todo: string;
}

function loadCases(): Case[] {
  const text = readFileSync(new URL('./evaluation.cases.txt', import.meta.url), 'utf8');
  const cases: Case[] = [];
  for (const block of text.split(/^=== /m).slice(1)) {
    const name = block.slice(0, block.indexOf('\n'));
    const section = (key: string): string => {
      const m = new RegExp(`^--- ${key}[ \\n]([\\s\\S]*?)(?=^--- |$(?![\\s\\S]))`, 'm').exec(block);
      return m ? m[1] : '';
    };
    cases.push({
      name,
      flavor: section('flavor').trim() as KconfigFlavor,
      kconfig: section('kconfig'),
      target: section('target').trim() as ConfigTarget,
      config: section('config'),
      expect: section('expect'),
      stderr: section('stderr'),
      todo: section('todo').trim(),
    });
  }
  return cases;
}

function model(kconfig: string, flavor: KconfigFlavor) {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig }));
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  const built = buildModel(parsed.value, { flavor });
  assert.deepEqual(built.diagnostics.filter((d) => d.severity === 'error'), []);
  return built.value;
}

for (const c of loadCases()) {
  test(`${c.flavor}: ${c.name}`, { todo: c.todo || undefined }, () => {
    const m = model(c.kconfig, c.flavor);
    const result = runTarget(m, { target: c.target, config: c.config ? { name: '.config', text: c.config } : undefined });
    const output = c.target === 'listnewconfig' ? result.stdout.map((l) => `${l}\n`).join('') : result.output;
    assert.equal(output, c.expect);
    const readWarnings = result.diagnostics.filter((d) => d.code === 'dotconfig/read').map(formatConfWarning);
    const expectedRead = c.stderr.split('\n').filter((l) => /^\.config:\d+:warning:/.test(l));
    assert.deepEqual(readWarnings, expectedRead);
    const unmet = result.diagnostics.filter((d) => d.code === 'kconfig/unmet-dependency').map((d) => d.message.split(' ').pop());
    const expectedUnmet = [...c.stderr.matchAll(/unmet direct dependencies detected for (\S+)/g)].map((x) => x[1]);
    assert.deepEqual(unmet.sort(), [...new Set(expectedUnmet)].sort());
    // conf prints each warning block while evaluating; kfit's text for each symbol must be one of them.
    for (const u of result.evaluation.unmetDependencies()) {
      assert.ok(c.stderr.includes(formatUnmetDependency(result.evaluation, u)), formatUnmetDependency(result.evaluation, u));
    }
  });
}

const small = `
config MODULES
	bool "modules"
	modules
	default y
config A
	bool "A"
	default y
config B
	tristate "B"
	depends on A
	default m
config C
	bool
	select B if A
config D
	int "D"
	range 1 5
	default 9
config E
	bool "E"
config F
	bool
	default y
	select E
`;

test('provenance names the default, the select and the range', () => {
  const m = model(small, 'v6.12');
  const ev = Evaluation.create(m);
  const a = explain(ev, findSymbol(m, 'A')!);
  assert.equal(a.source.kind, 'default');
  const d = explain(ev, findSymbol(m, 'D')!);
  assert.equal(ev.value(findSymbol(m, 'D')!), '5');
  assert.equal(d.limits[0]?.kind, 'range');
  const e = explain(ev, findSymbol(m, 'E')!);
  assert.equal(e.source.kind, 'select');
  if (e.source.kind === 'select') {
    assert.deepEqual(e.source.by.map((s) => s.name), ['F']);
    assert.equal(e.source.properties[0]?.span.line, 25);
  }
});

test('with() re-evaluates only what a change reaches, and agrees with a fresh evaluation', () => {
  const m = model(small, 'v6.12');
  const a = findSymbol(m, 'A')!;
  const b = findSymbol(m, 'B')!;
  const ev = Evaluation.create(m);
  assert.equal(ev.value(b), 'm');
  const ev2 = ev.with(a, { tri: 0, str: '' });
  assert.equal(ev2.value(a), 'n');
  assert.equal(ev2.value(b), 'n');
  assert.equal(ev.value(b), 'm', 'the old evaluation is unchanged');
  const fresh = Evaluation.create(m, Assignments.empty().with(a, { tri: 0, str: '' }));
  for (const s of m.symbols) assert.equal(ev2.value(s), fresh.value(s), s.name);
});

test('Assignments.withChanges() over many layers agrees with a builder copy, and leaves the old value alone', () => {
  const m = model(small, 'v6.12');
  const syms = m.symbols.filter((s) => s.name === 'A' || s.name === 'B' || s.name === 'C');
  assert.equal(syms.length, 3);
  let layered = Assignments.empty();
  const b = new AssignmentsBuilder();
  const snapshots: [Assignments, string][] = [];
  const dump = (v: ReadonlyMap<number, { tri: number; str: string }>): string =>
    JSON.stringify([...v].sort((x, y) => x[0] - y[0]).map(([k, u]) => [k, u.tri, u.str]));
  for (let i = 0; i < 40; i++) {
    const s = syms[i % 3];
    const value = { tri: (i % 3) as 0 | 1 | 2, str: `v${i}` };
    if (i % 7 === 6) {
      layered = layered.with(s, undefined); // an unset layer in the chain
      b.values.delete(s.id);
    } else {
      layered = layered.withChanges([{ sym: s, value }, { sym: syms[(i + 1) % 3], value: { tri: 1, str: `w${i}` } }]);
      b.set(s, value);
      b.set(syms[(i + 1) % 3], { tri: 1, str: `w${i}` });
    }
    assert.equal(layered.get(s)?.str, b.values.get(s.id)?.str, `layer ${i}`);
    if (i % 5 === 0) snapshots.push([layered, dump(b.values)]);
  }
  assert.equal(dump(layered.values), dump(b.build().values));
  for (const [a, expected] of snapshots) assert.equal(dump(a.values), expected, 'an earlier layer is unchanged');
});

test('EvaluationSession changes its own copy in place; the start and a snapshot stay as they were', () => {
  const m = model(small, 'v6.12');
  const a = findSymbol(m, 'A')!;
  const b = findSymbol(m, 'B')!;
  const ev = Evaluation.create(m);
  assert.equal(ev.value(b), 'm');
  const session = EvaluationSession.start(ev);
  session.applyChanges([{ sym: a, value: { tri: 0, str: 'n' } }]);
  assert.equal(session.current.value(b), 'n');
  assert.equal(ev.value(b), 'm', 'the evaluation the session started from is unchanged');
  const snap = session.snapshot();
  session.applyChanges([{ sym: a, value: { tri: 2, str: 'y' } }, { sym: b, value: { tri: 2, str: 'y' } }]);
  assert.equal(session.current.value(b), 'y');
  assert.equal(snap.value(b), 'n', 'a snapshot is unchanged by later changes');
  const fresh = Evaluation.create(m, session.current.assignments);
  for (const s of m.symbols) assert.equal(session.current.value(s), fresh.value(s), s.name);
});

const cache = process.env.KFIT_CACHE ?? `${process.env.HOME}/.cache/kfit`;
for (const version of ['6.12', '6.1'] as const) {
  const tree = `${cache}/linux-${version}`;
  test(
    `real ${version} tree: with() after toggles equals a fresh evaluation`,
    { skip: !existsSync(`${tree}/Kconfig`) && `no ${version} tree` },
    async () => {
      const { kconfigEnvironment } = await import('../../host/kconfig-env.ts');
      const { NodeSourceHost } = await import('../../host/kconfig-source.ts');
      const { writeDotConfig } = await import('./index.ts');
      const objtree = mkdtempSync(join(tmpdir(), 'kfit-eval-'));
      try {
        const { env } = kconfigEnvironment({ srctree: tree, arch: 'x86_64', objtree });
        const parsed = parseKconfig('Kconfig', new NodeSourceHost({ srctree: tree, env, cwd: objtree }));
        const m = buildModel(parsed.value, { flavor: version === '6.1' ? 'v6.1' : 'v6.12' }).value;
        let ev = runTarget(m, { target: 'alldefconfig' }).evaluation;
        writeDotConfig(ev);
        // Symbols around choices, selects and ranges, where propagation is easiest to get wrong.
        for (const name of ['SMP', 'EXPERT', 'MODULES', 'KERNEL_XZ', 'PREEMPT', 'NET', 'PCI', 'HZ_1000', 'X86_X2APIC']) {
          const s = findSymbol(m, name);
          if (!s) continue;
          ev = ev.with(s, { tri: ev.tristate(s) === 0 ? 2 : 0, str: '' });
          assert.equal(writeDotConfig(ev), writeDotConfig(Evaluation.create(m, ev.assignments)), `after toggling ${name}`);
        }
      } finally {
        rmSync(objtree, { recursive: true, force: true });
      }
    },
  );
}

test('flavorForVersion: the choice rewrite of 6.11 separates the flavors', () => {
  assert.equal(flavorForVersion('6.12.117'), 'v6.12');
  assert.equal(flavorForVersion('6.11'), 'v6.12');
  assert.equal(flavorForVersion('6.10.3'), 'v6.1');
  assert.equal(flavorForVersion('6.1.192'), 'v6.1');
  assert.equal(flavorForVersion('5.15.0'), 'v6.1');
});

test("v6.12: a named choice is a syntax error, as in 6.12's parser.y (`choice: T_CHOICE T_EOL`)", () => {
  // conf 6.12 on the same tree: `Kconfig:12: syntax error` and `Kconfig:28: syntax error` (the two `choice CH` lines)
  const c = loadCases().find((x) => x.name.startsWith('6.1 named choice defined twice'))!;
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: c.kconfig }), { flavor: 'v6.12' });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.span?.line), [12, 28]);
  assert.ok(errors.every((d) => d.message.startsWith('syntax error')));
  // 6.1 reads it: one choice symbol with two menu entries, whose members are one list
  const m = model(c.kconfig, 'v6.1');
  const chs = m.symbols.filter((s) => s.isChoice);
  assert.equal(chs.length, 1);
  assert.equal(chs[0].nodes.length, 2);
  assert.deepEqual(chs[0].nodes[0].choiceMembers.map((s) => s.name), ['M1', 'M2', 'M3', 'M4']);
  assert.ok(['M1', 'M4'].every((n) => findSymbol(m, n)!.choice === chs[0].nodes[0]));
});
