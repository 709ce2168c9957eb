// generate-config.pl's logic against the real script's recorded dialogues: same answers to every prompt,
// same death (message and point), same error/warning lines, same exit status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseKernelConfig } from './intermediate.ts';
import { DIED, parseDialogue, replaySession } from './dialogue-replay.ts';
import { checkConfig, formatGenerateConfigOutput, simulateGenerateConfig } from './generate-config.ts';
import { readConfigValues } from './conf-session.ts';

const fixtures = new URL('../../../test/fixtures/nixos/', import.meta.url).pathname;

for (const name of readdirSync(fixtures).sort()) {
  const dir = join(fixtures, name);
  if (!existsSync(join(dir, 'dialogue.txt.gz'))) continue;
  test(`${name}: the simulated script answers, dies and reports like generate-config.pl`, () => {
    const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const dialogue = parseDialogue(gunzipSync(readFileSync(join(dir, 'dialogue.txt.gz'))).toString('utf8'));
    const finalConfig = readFileSync(join(dir, existsSync(join(dir, 'expected.config')) ? 'expected.config' : 'leftover.config'), 'utf8');
    const answers = parseKernelConfig(readFileSync(join(dir, 'kernel-config'), 'utf8'));
    const session = replaySession(dialogue, finalConfig);
    const options = { autoModules: meta.autoModules, preferBuiltin: meta.preferBuiltin, ignoreConfigErrors: meta.ignoreConfigErrors };
    const result = simulateGenerateConfig(answers, session, options);
    const recorded = dialogue.passes.flat();
    assert.ok(recorded.length > 0);
    assert.deepEqual(result.dialogue.map((d) => `${d.pass} ${d.kind === 'question' ? d.name : 'choice'} ${d.answer}`),
      recorded.filter((r) => r.recordedAnswer !== DIED).map((r) => `${r.pass} ${r.kind === 'question' ? r.name : 'choice'} ${r.recordedAnswer}`));
    const die = dialogue.scriptLines.find((l) => / at \S+generate-config\.pl line \d+\.$/.test(l));
    assert.equal(result.death?.message, die?.replace(/ at \S+ line \d+\.$/, ''));
    // expected-errors.txt groups errors before warnings; the script's own order is in its output
    const expectedLines = dialogue.scriptLines.filter((l) => /^(error|warning): /.test(l));
    const grouped = readFileSync(join(dir, 'expected-errors.txt'), 'utf8').split('\n').filter(Boolean);
    assert.deepEqual([...expectedLines].sort(), [...grouped].sort());
    assert.deepEqual(result.messages.map((m) => `${m.severity}: ${m.text}`), expectedLines);
    assert.deepEqual(formatGenerateConfigOutput(result).filter((l) => !l.includes(' at generate-config.pl line ')), expectedLines);
    assert.equal(result.exitCode, meta.generateConfigExitCode);
  });
}

test('ignoreConfigErrors turns every error into a warning', () => {
  const dir = join(fixtures, 'sound-no-6.12');
  const answers = parseKernelConfig(readFileSync(join(dir, 'kernel-config'), 'utf8'));
  const values = readConfigValues(readFileSync(join(dir, 'expected.config'), 'utf8'));
  const strict = checkConfig(answers, values);
  const relaxed = checkConfig(answers, values, { ignoreConfigErrors: true });
  assert.equal(strict.filter((m) => m.severity === 'error').length, 34);
  assert.equal(relaxed.length, strict.length);
  assert.ok(relaxed.every((m) => m.severity === 'warning'));
});

test('a malformed intermediate line is an input error with file and line', () => {
  assert.throws(() => parseKernelConfig('A y\nBAD\n', 'k.txt'), /^IntermediateLineError: k\.txt:2:1: error: invalid config line: BAD/);
  assert.equal(parseKernelConfig('  X?  a b  # c\n').get('X')?.value, 'a b');
});
