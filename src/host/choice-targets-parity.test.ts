// conf as the oracle of the config targets on random small trees with choices (bool or tristate, optional,
// named choices defined two or three times in 6.1, members that depend on other symbols) and a random .config:
// olddefconfig, savedefconfig, alldefconfig, allnoconfig, allyesconfig and allmodconfig of kfit must write
// what the real conf of each tree writes, byte for byte. (These shapes are where 6.1's choice code keeps state
// that a recomputation shows: SYMBOL_DEF_USER cleared by sym_calc_choice(), stale values, inconsistent reads.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { seededRandom } from '../core/lab/statistics.ts';
import type { KconfigFlavor } from '../core/kconfig/model.ts';
import { buildModel } from '../core/kconfig/model-build.ts';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../core/kconfig/source-host.ts';
import { runTarget, type ConfigTarget } from '../core/kconfig/targets.ts';
import { confBinary, confEnvironment, kernelTree } from './kconfig-oracle.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-choice-targets-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const TARGETS: readonly ConfigTarget[] = ['olddefconfig', 'savedefconfig', 'alldefconfig', 'allnoconfig', 'allyesconfig', 'allmodconfig'];

/** A random tree: MODULES, 1-2 choices (6.1: defined 1-3 times under one name), plain bools between them. */
function randomTree(rnd: () => number, flavor: KconfigFlavor): { kconfig: string; config: string } {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const names: string[] = [];
  const members: string[] = [];
  const dep = (): string => (names.length === 0 || rnd() < 0.4 ? '' : `\tdepends on ${rnd() < 0.7 ? '' : '!'}${pick(names)}\n`);
  let kconfig = 'mainmenu "random"\n\nconfig MODULES\n\tbool "modules"\n\tmodules\n\tdefault y\n\n';
  let m = 0;
  for (let c = 0, choices = 1 + Math.floor(rnd() * 2); c < choices; c++) {
    // 6.12 rejects named choices and tristate choices (choice_check_sanity()): those shapes are 6.1's
    const type = flavor === 'v6.1' && rnd() < 0.4 ? 'tristate' : 'bool';
    const definitions = flavor === 'v6.1' && rnd() < 0.3 ? 2 + Math.floor(rnd() * 2) : 1;
    const mine: string[] = [];
    for (let d = 0; d < definitions; d++) {
      let text = `choice${flavor === 'v6.1' ? ` CH${c}` : ''}\n`;
      if (d === 0 || rnd() < 0.6) text += `\t${d === 0 ? type : 'prompt'} "ch${c}"\n`;
      if (rnd() < 0.25) text += '\toptional\n';
      text += dep();
      const first = mine.length;
      for (let j = 0, n = 1 + Math.floor(rnd() * 3); j < n; j++) mine.push(`M${m++}`);
      if (rnd() < 0.3) text += `\tdefault ${pick(mine)}\n`;
      for (const name of mine.slice(first)) text += `\nconfig ${name}\n\t${type} "${name.toLowerCase()}"\n${dep()}`;
      kconfig += `${text}\nendchoice\n\n`;
    }
    members.push(...mine);
    if (rnd() < 0.6) {
      const name = `B${names.length}`;
      kconfig += `config ${name}\n\tbool "${name.toLowerCase()}"\n${rnd() < 0.5 ? '\tdefault y\n' : ''}${dep()}\n`;
      names.push(name);
    }
  }
  let config = '';
  for (const x of [...names, ...members]) {
    if (rnd() < 0.4) config += rnd() < 0.5 ? `CONFIG_${x}=y\n` : rnd() < 0.5 ? `CONFIG_${x}=m\n` : `# CONFIG_${x} is not set\n`;
  }
  return { kconfig, config };
}

for (const [version, flavor, trees] of [['6.1', 'v6.1', 120], ['6.12', 'v6.12', 60]] as const) {
  const present = existsSync(join(kernelTree(version), 'Kconfig'));
  test(`${flavor}: the config targets of ${trees} random trees with choices write what conf writes`, { skip: !present && `no ${version} tree` }, (t) => {
    confEnvironment(version, 'x86_64'); // builds the oracle's conf once
    const conf = confBinary(version, 'x86_64');
    const rnd = seededRandom(version === '6.1' ? 61 : 612);
    const differences: string[] = [];
    let compared = 0;
    for (let i = 0; i < trees; i++) {
      const { kconfig, config } = randomTree(rnd, flavor);
      const dir = mkdtempSync(join(scratch, 'tree-'));
      writeFileSync(join(dir, 'Kconfig'), kconfig);
      const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig }), { flavor });
      const built = buildModel(parsed.value, { flavor });
      const kfitRefuses = [...parsed.diagnostics, ...built.diagnostics].some((d) => d.severity === 'error');
      for (const target of TARGETS) {
        rmSync(join(dir, '.config'), { force: true });
        rmSync(join(dir, 'defconfig'), { force: true });
        const withConfig = target === 'olddefconfig' || target === 'savedefconfig';
        if (withConfig) writeFileSync(join(dir, '.config'), config);
        const args = target === 'savedefconfig' ? ['--savedefconfig=defconfig', 'Kconfig'] : [`--${target}`, 'Kconfig'];
        const r = spawnSync(conf, args, { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
        // a tree conf refuses must be refused by kfit too; then nothing is written to compare
        if (r.status !== 0) {
          if (!kfitRefuses) differences.push(`tree ${i}: conf refuses (${r.stderr.trim().split('\n')[0]}), kfit does not`);
          break;
        }
        if (kfitRefuses) {
          differences.push(`tree ${i}: kfit refuses the tree, conf does not`);
          break;
        }
        const expected = readFileSync(join(dir, target === 'savedefconfig' ? 'defconfig' : '.config'), 'utf8');
        const ours = runTarget(built.value, { target, config: withConfig ? { name: '.config', text: config } : undefined }).output;
        compared++;
        if (ours !== expected) differences.push(`tree ${i} ${target}:\n${kconfig}--- .config\n${config}--- conf\n${expected}--- kfit\n${ours}`);
      }
    }
    t.diagnostic(`${compared} target runs compared, ${differences.length} differ`);
    assert.ok(compared > trees, 'most trees are accepted by conf');
    assert.deepEqual(differences, []);
  });
}
