// The 6.1 conf state of the engine view against the real conf: engine-kconfig.cases.txt holds a Kconfig, a
// base .config, the answers given and what conf --oldaskconfig of the 6.1 tree printed and wrote.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildModel } from '../kconfig/model-build.ts';
import { parseKconfig } from '../kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../kconfig/source-host.ts';
import { engineSession } from './conf-dialogue.ts';
import { engineLoader } from './engine-kconfig.ts';
import { dialogueCases, playDialogue } from '../../../test/dep-check-cases.ts';

const sections = new Map<string, string>();
for (const part of readFileSync(new URL('./engine-kconfig.cases.txt', import.meta.url), 'utf8').split(/^=== /m).slice(1)) {
  const nl = part.indexOf('\n');
  sections.set(part.slice(0, nl), part.slice(nl + 1));
}

test("v6.1 conf dialogue: unflagged invisible values, menu_is_visible()'s flag, a choice unflagged by a new member", () => {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: sections.get('Kconfig')! }), { flavor: 'v6.1' });
  const model = buildModel(parsed.value, { flavor: 'v6.1' }).value;
  const session = engineSession(engineLoader(model), sections.get('base.config')!);
  const answers = sections.get('answers')!.split('\n');
  const proc = session.runConfig();
  let transcript = '';
  for (let chunk = proc.read(); chunk !== undefined; chunk = proc.read()) {
    if (!chunk.endsWith('###')) {
      transcript += chunk;
      continue;
    }
    transcript += chunk.slice(0, -3);
    proc.write(answers.shift() ?? '');
  }
  // conf's last lines come from conf_write(), after the dialogue
  assert.equal(transcript, sections.get('transcript')!.replace(/#\n# configuration written to \.config\n#\n$/, ''));
  assert.equal(session.dotConfig(), sections.get('.config'));
});

test('v6.12 conf dialogue: a stale choice member (its dependency just answered n) is listed, and written to .config', () => {
  // the case of oldconfig.cases.txt; the .config is what conf --oldaskconfig of the 6.12 tree wrote
  const c = dialogueCases().find((d) => d.name.startsWith("6.12's stale choice members: end of input"))!;
  const r = playDialogue(c, 'v6.12');
  assert.equal(r.stdout, c.expect['v6.12']);
  const written = ['CONFIG_MODVER=y', '# CONFIG_GP is not set', '# CONFIG_CC is not set', '# CONFIG_USEMV is not set', 'CONFIG_NONE=y', '# CONFIG_PERF is not set', 'CONFIG_AFTER=y'];
  assert.equal(r.config, `#\n# Automatically generated file; DO NOT EDIT.\n# Stale choice members\n#\n${written.join('\n')}\n`);
  // 6.1 recomputes: PERF is neither listed nor written
  assert.equal(playDialogue(c, 'v6.1').config.includes('PERF'), false);
});
