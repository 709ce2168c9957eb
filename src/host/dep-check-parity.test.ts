// conf as the oracle of kfit's recursive-dependency check (src/core/kconfig/dep-check.ts): every case of
// dep-check.cases.txt runs through the real conf of both trees (built by the oracle) and through kfit; the verdict
// and conf's stderr (its warnings left out) must be the same, and equal to the text recorded in the case file.
// The real Debian trees must load without a false loop on several architectures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hasErrors } from '../core/diag/diagnostic.ts';
import { findDependencyProblems, formatConfDependencyProblems } from '../core/kconfig/dep-check.ts';
import { buildModel } from '../core/kconfig/model-build.ts';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../core/kconfig/source-host.ts';
import { seededRandom } from '../core/lab/statistics.ts';
import { depCheckCases, depCheckModel } from '../../test/dep-check-cases.ts';
import { loadKconfigModel } from './kconfig-model.ts';
import { confBinary, confEnvironment, kernelTree } from './kconfig-oracle.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-depcheck-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const versions = [
  ['6.12', 'v6.12'],
  ['6.1', 'v6.1'],
] as const;
const present = versions.every(([v]) => existsSync(join(kernelTree(v), 'Kconfig')));

/** conf's stderr without its warnings (menu_finalize()'s and the parser's), which dep-check does not produce. */
export function confErrors(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^[^\t]*:\d+:warning: /.test(l))
    .join('\n');
}

function runConf(version: string, kconfig: string): { status: number; errors: string } {
  confEnvironment(version, 'x86_64'); // makes the oracle build conf if needed
  const dir = mkdtempSync(join(scratch, 'case-'));
  writeFileSync(join(dir, 'Kconfig'), kconfig);
  const r = spawnSync(confBinary(version, 'x86_64'), ['--olddefconfig', 'Kconfig'], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  return { status: r.status ?? -1, errors: confErrors(r.stderr) };
}

for (const c of depCheckCases()) {
  test(`dep-check case "${c.name}": conf 6.12 and 6.1 print what kfit finds`, { skip: !present && 'trees not installed' }, () => {
    for (const [version, flavor] of versions) {
      if (!c.flavors.includes(flavor)) continue;
      const conf = runConf(version, c.kconfig);
      const problems = findDependencyProblems(depCheckModel(c.kconfig, flavor));
      assert.equal(problems.length > 0, conf.status !== 0, `Linux ${version}: conf exit ${conf.status}, kfit found ${problems.length}\n${conf.errors}`);
      assert.equal(formatConfDependencyProblems(problems, flavor), conf.errors, `Linux ${version}`);
      assert.equal(c.expect[flavor], conf.errors, `Linux ${version}: the recorded text in dep-check.cases.txt is no longer conf's`);
    }
  });
}

const arches = ['x86_64', 'arm64', 'riscv', 'powerpc', 's390', 'arm', 'mips', 'i386'];
for (const [version] of versions) {
  test(`Linux ${version}: the Debian tree loads without a recursive dependency on ${arches.length} arches`, { skip: !present && 'trees not installed', timeout: 900_000 }, () => {
    for (const arch of arches) {
      const { model } = loadKconfigModel({ srctree: kernelTree(version), arch });
      assert.ok(model.byName.size > 5000, `${arch}: only ${model.byName.size} symbols`);
      assert.deepEqual(findDependencyProblems(model), [], arch);
    }
  });
}

// Random small trees (depends on, select, imply, defaults, prompt and range conditions, comparisons, choices,
// menus, if blocks): conf and kfit must agree on every one, loop or not.
function randomTree(rnd: () => number): string {
  const pick = (n: number): number => Math.floor(rnd() * n);
  const n = 3 + pick(6);
  const names = Array.from({ length: n }, (_, i) => `S${i}`);
  // Mostly edges that keep the graph acyclic (conditions name earlier symbols, select/imply later ones), a few not.
  let at = 0;
  const earlier = (): string => (pick(12) === 0 ? names[pick(n)] : at > 0 ? names[pick(at)] : 'y');
  const later = (): string => (pick(12) === 0 || at === n - 1 ? names[pick(n)] : names[at + 1 + pick(n - at - 1)]);
  const atom = (): string => {
    const s = earlier();
    const k = pick(6);
    return k === 0 ? `!${s}` : k === 1 ? `${s} = y` : k === 2 ? `${s} != n` : s;
  };
  const expr = (): string => (pick(3) === 0 ? `${atom()} ${pick(2) ? '&&' : '||'} ${atom()}` : atom());
  const lines: string[] = [];
  const choiceAt = pick(3) === 0 ? pick(n - 1) : -1;
  const menuAt = pick(4) === 0 ? pick(n) : -1;
  const ifAt = pick(4) === 0 ? pick(n) : -1;
  let open: string[] = [];
  for (let i = 0; i < n; i++) {
    at = choiceAt >= 0 && i > choiceAt && i <= choiceAt + 2 ? choiceAt : i; // members name symbols before the choice
    if (i === choiceAt) {
      // (6.12 reads neither a tristate nor an `optional` choice: both kfit and conf must reject those there)
      lines.push('choice', pick(3) === 0 ? '\ttristate "c"' : '\tprompt "c"');
      if (pick(4) === 0) lines.push('\toptional');
      if (pick(3) === 0) lines.push(`\tdepends on ${expr()}`);
      open.push('endchoice');
    } else if (i === menuAt && open.length === 0) {
      lines.push('menu "m"', `\tdepends on ${expr()}`);
      open.push('endmenu');
    } else if (i === ifAt && open.length === 0) {
      lines.push(`if ${expr()}`);
      open.push('endif');
    }
    const inChoice = open[open.length - 1] === 'endchoice';
    const isInt = !inChoice && pick(8) === 0;
    lines.push(`${!inChoice && pick(6) === 0 ? 'menuconfig' : 'config'} ${names[i]}`, isInt ? `\tint "${names[i]}"` : `\tbool "${names[i]}"${pick(4) === 0 ? ` if ${expr()}` : ''}`);
    for (let a = pick(4); a > 0; a--) {
      const k = pick(6);
      const cond = pick(2) ? ` if ${expr()}` : '';
      if (k === 0) lines.push(`\tdepends on ${expr()}`);
      else if (k === 1 && !isInt) lines.push(`\tselect ${later()}${cond}`);
      else if (k === 2 && !isInt) lines.push(`\timply ${later()}${cond}`);
      else if (k === 3 && (!inChoice || pick(2) === 0)) lines.push(isInt ? `\tdefault ${pick(9)}${cond}` : `\tdefault ${expr()}${cond}`);
      else if (k === 4 && isInt) lines.push(`\trange 0 ${pick(9)}${cond}`);
    }
    lines.push('');
    if (inChoice && (i === n - 1 || i >= choiceAt + 2)) lines.push(open.pop()!, '');
    else if (!inChoice && open.length > 0 && pick(2) === 0) lines.push(open.pop()!, '');
  }
  while (open.length > 0) lines.push(open.pop()!);
  open = [];
  return lines.join('\n') + '\n';
}

test('400 random small trees: conf 6.12 and 6.1 find the same loops as kfit, in the same words', { skip: !present && 'trees not installed', timeout: 600_000 }, (t) => {
  const rnd = seededRandom(0x64657063);
  const tally = { accepted: 0, loops: 0, choiceErrors: 0, kfitRejects: 0 };
  for (let i = 0; i < 200; i++) {
    const kconfig = randomTree(rnd);
    for (const [version, flavor] of versions) {
      const conf = runConf(version, kconfig);
      const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig }), { flavor });
      const built = buildModel(parsed.value, { flavor });
      if (hasErrors(parsed.diagnostics) || hasErrors(built.diagnostics)) {
        assert.notEqual(conf.status, 0, `tree ${i}, Linux ${version}: conf accepts what kfit rejects\n${kconfig}`);
        tally.kfitRejects++;
        continue;
      }
      const problems = findDependencyProblems(built.value);
      const context = `tree ${i}, Linux ${version}:\n${kconfig}`;
      assert.equal(problems.length > 0, conf.status !== 0, `${context}\nconf exit ${conf.status}: ${conf.errors}`);
      assert.equal(formatConfDependencyProblems(problems, flavor), conf.errors, context);
      if (problems.some((p) => p.kind === 'cycle')) tally.loops++;
      else if (problems.length > 0) tally.choiceErrors++;
      else tally.accepted++;
    }
  }
  // Both verdicts must occur often, or the generator tests nothing.
  assert.ok(tally.accepted > 40 && tally.loops > 60 && tally.choiceErrors > 0, JSON.stringify(tally));
  t.diagnostic(`verdicts: ${JSON.stringify(tally)}`);
});
