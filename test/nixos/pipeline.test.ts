// The whole simulation on the real Debian trees against the golden fixtures: base config (make <target>),
// conf's dialogue (every prompt and answer), generate-config.pl's lines, death, exit status and .config.
// CI slice: the fast cases plus one defconfig case each way; KFIT_DIFFERENTIAL=full runs all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadKernelTree, makeBaseConfig, type LoadedTree } from '../../src/host/nixos-system.ts';
import {
  DIED,
  emitFixModule,
  engineLoader,
  engineSession,
  fixToFixedPoint,
  formatGenerateConfigOutput,
  parseDialogue,
  parseKernelConfig,
  readStructuredInput,
  settingsModules,
  simulateGenerateConfig,
} from '../../src/core/nixos/index.ts';
import { spawnSync } from 'node:child_process';

const fixtures = new URL('../fixtures/nixos/', import.meta.url).pathname;
const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache', 'kfit');
const full = process.env.KFIT_DIFFERENTIAL === 'full';
const slice = new Set(['tinyconfig-common-6.12', 'allnoconfig-common-6.12', 'derp-addition-tinyconfig-6.12', 'tinyconfig-modules-6.12', 'stock-6.12-defconfig', 'scsi-no-6.12']);
/** Known divergences, one line each with the reason (the rest of the case is still checked). */
const known: Record<string, string> = {};

/** Known divergences of the engine's menu tree (prompts conf indents differently), compared without indentation. */
const indentDiffers = new Set<string>([]);

const trees = new Map<string, LoadedTree>();
function tree(version: string): LoadedTree {
  let t = trees.get(version);
  if (!t) trees.set(version, (t = loadKernelTree(join(cache, `linux-${version}`), 'x86_64')));
  return t;
}

const cases = readdirSync(fixtures).filter((c) => existsSync(join(fixtures, c, 'dialogue.txt.gz')) && (full || slice.has(c)));
const haveTrees = existsSync(join(cache, 'linux-6.12', 'Kconfig'));

for (const c of cases) {
  test(`${c}: kfit's simulation equals the real pipeline`, { skip: haveTrees ? false : 'no kernel trees (run ./setup.sh)' }, () => {
    const dir = join(fixtures, c);
    const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const t = tree(meta.kernelVersion.startsWith('6.1.') ? '6.1' : '6.12');
    const base = readFileSync(join(dir, 'base.config'), 'utf8');
    assert.equal(makeBaseConfig(t, meta.baseConfig), base, 'make <kernelBaseConfig>');
    const answers = parseKernelConfig(readFileSync(join(dir, 'kernel-config'), 'utf8'));
    const result = simulateGenerateConfig(answers, engineSession(engineLoader(t.model), base), meta);
    const dialogue = parseDialogue(gunzipSync(readFileSync(join(dir, 'dialogue.txt.gz'))).toString('utf8'));
    const want = dialogue.scriptLines
      .filter((l) => /^(error|warning): |^(repeated question|conflicting answers)/.test(l))
      .map((l) => l.replace(/ at \S+ line (\d+)\.$/, ' at generate-config.pl line $1.'));
    assert.deepEqual(formatGenerateConfigOutput(result), want, "generate-config.pl's lines");
    assert.equal(result.exitCode, meta.generateConfigExitCode);
    if (known[c]) return;
    // question text (with conf's indentation), allowed answers and the answer of every prompt; the question
    // text of `indentDiffers` is compared without its indentation (the model nests them one level deeper)
    const q = (name: string | undefined, question: string | undefined) => (name && indentDiffers.has(name) ? question?.trim() : question);
    const rec = dialogue.passes.flat().filter((p) => p.recordedAnswer !== DIED).map((p) => `${p.pass} ${q(p.name, p.question) ?? ''}|${p.name ?? 'choice'}|${p.alts ?? ''}=${p.recordedAnswer}`);
    const sim = result.dialogue.map((d) => (d.kind === 'question' ? `${d.pass} ${q(d.name, d.question)}|${d.name}|${d.alts}=${d.answer}` : `${d.pass} |choice|=${d.answer}`));
    assert.deepEqual(sim, rec, 'every prompt and answer of both passes');
    if (existsSync(join(dir, 'expected.config'))) assert.equal(result.dotConfig, readFileSync(join(dir, 'expected.config'), 'utf8'));
  });
}

const fixCases = full ? ['tinyconfig-common-6.12', 'derp-addition-tinyconfig-6.12', 'allnoconfig-common-6.12', 'scsi-no-6.12', 'derp-subtract-6.12'] : ['tinyconfig-common-6.12', 'allnoconfig-common-6.12'];
for (const c of fixCases) {
  test(`${c}: the fix loop ends at a config the simulation accepts, as Nix that parses`, { skip: haveTrees ? false : 'no kernel trees' }, () => {
    const dir = join(fixtures, c);
    const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const input = readStructuredInput(JSON.parse(readFileSync(join(dir, 'structured.json'), 'utf8')), 'structured.json');
    const base = readFileSync(join(dir, 'base.config'), 'utf8');
    const load = engineLoader(tree('6.12').model);
    assert.equal(input.commonDefinitions !== undefined, true);
    const fix = fixToFixedPoint(settingsModules(input), { patchExtraConfigs: input.patchDefinitions.map(() => '') }, (_text, answers) => {
      const r = simulateGenerateConfig(answers, engineSession(load, base), meta);
      return { result: r, facts: load(r.dotConfig) };
    });
    assert.equal(fix.accepted, true, `not accepted after ${fix.iterations.length} iterations`);
    assert.ok(fix.edits.length > 0);
    assert.ok(fix.iterations[0].death || fix.iterations[0].errors > 0, 'the case fails before the fixes');
    const file = join(mkdtempSync(join(tmpdir(), 'kfit-fix-')), 'fixes.nix');
    writeFileSync(file, emitFixModule(fix));
    const parsed = spawnSync('nix-instantiate', ['--parse', file], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] }); // the printed AST of a large file overflows the default 1 MiB buffer
    assert.equal(parsed.status, 0, parsed.stderr);
  });
}
