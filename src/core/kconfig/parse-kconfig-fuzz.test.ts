// Fuzzing the Kconfig front end: ≥ 10,000 deterministic mutations (seeded PRNG) of real Kconfig texts —
// deleted / duplicated / swapped tokens and lines, random bytes, macro soup, truncation — must give a value and
// diagnostics, or an InputError, and nothing else (no TypeError, no RangeError, no hang).
// The texts come from the 6.12 tree when it is installed, else from the data-driven cases.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../diag/errors.ts';
import { seededRandom } from '../lab/statistics.ts'; // mulberry32: deterministic mutations
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';

const MUTATIONS = 10_000;


const tree = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'linux-6.12');
const treeFiles = [
  'init/Kconfig',
  'arch/x86/Kconfig.cpu',
  'scripts/Kconfig.include',
  'kernel/Kconfig.preempt',
  'kernel/module/Kconfig',
  'mm/Kconfig',
  'drivers/usb/Kconfig',
  'arch/Kconfig',
  'security/Kconfig',
  'lib/Kconfig',
];

function corpus(): { texts: string[]; include: string } {
  if (treeFiles.every((f) => existsSync(join(tree, f)))) {
    const texts = treeFiles.map((f) => readFileSync(join(tree, f), 'utf8'));
    return { texts, include: texts[2] };
  }
  const dir = join(new URL('.', import.meta.url).pathname, 'cases');
  const texts = readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n==>\n'))
    .map((t) => t.replace(/→/g, '\t'));
  return { texts, include: 'comma := ,\nsuccess = $(shell,$(1))\n' };
}

const SOUP = ['$(', ')', ',', '$(shell,', '$(info,', '$(warning-if,y,', '$(error-if,y,', '$(1)', '$(filename)', '$(lineno', '"', "'", '\\', '\n', '\t', '#', '&&', '||', '!', '=', ':=', '+=', '(', 'if ', 'endif\n', 'menu "m"\n', 'endmenu', 'choice\n', 'endchoice', 'help\n', 'source "scripts/Kconfig.include"\n', 'source "nope"\n', '\u00e9', '\0', '\r'];

function mutate(text: string, rnd: () => number): string {
  const pick = (n: number): number => Math.floor(rnd() * n);
  let t = text;
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const kind = pick(9);
    if (kind <= 2) {
      // token level: delete, duplicate or swap a token
      const tokens = t.split(/(\s+)/);
      if (tokens.length < 3) continue;
      const i = pick(tokens.length);
      const j = Math.min(tokens.length - 1, i + 2);
      if (kind === 0) tokens.splice(i, 1);
      else if (kind === 1) tokens.splice(i, 0, tokens[i]);
      else [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
      t = tokens.join('');
    } else if (kind <= 5) {
      // line level: delete, duplicate or swap a line
      const lines = t.split('\n');
      const i = pick(lines.length);
      const j = pick(lines.length);
      if (kind === 3) lines.splice(i, 1);
      else if (kind === 4) lines.splice(i, 0, lines[i]);
      else [lines[i], lines[j]] = [lines[j], lines[i]];
      t = lines.join('\n');
    } else if (kind === 6) {
      // random bytes
      const at = pick(t.length + 1);
      let junk = '';
      for (let k = 1 + pick(8); k > 0; k--) junk += String.fromCharCode(pick(128));
      t = t.slice(0, at) + junk + t.slice(at);
    } else if (kind === 7) {
      const at = pick(t.length + 1);
      t = t.slice(0, at) + SOUP[pick(SOUP.length)] + t.slice(at);
    } else {
      t = t.slice(0, pick(t.length + 1));
    }
  }
  return t;
}

test(`${MUTATIONS} mutations of real Kconfig texts give diagnostics, never another exception`, { timeout: 300_000 }, () => {
  const { texts, include } = corpus();
  assert.ok(texts.length > 0);
  const rnd = seededRandom(0x6b666974);
  let withErrors = 0;
  for (let n = 0; n < MUTATIONS; n++) {
    const source = texts[Math.floor(rnd() * texts.length)];
    // Mutate a window of the text, to keep each parse small.
    const start = Math.floor(rnd() * Math.max(1, source.length - 4000));
    const text = mutate(source.slice(start, start + 4000), rnd);
    const host = new MemorySourceHost({ Kconfig: text, 'scripts/Kconfig.include': include }, { env: { ARCH: 'x86', CC: 'gcc' } });
    try {
      const r = parseKconfig('Kconfig', host);
      for (const d of r.diagnostics) {
        assert.ok(d.span && d.span.line >= 1 && d.span.column >= 1, `bad span in mutation ${n}: ${JSON.stringify(d)}`);
      }
      if (r.diagnostics.some((d) => d.severity === 'error')) {
        withErrors++;
        const e = InputError.fromDiagnostics('kconfig/syntax', r.diagnostics);
        assert.match(e.message, /^[^:\n]+:\d+:\d+: error: /);
      }
    } catch (e) {
      if (e instanceof InputError) continue;
      assert.fail(`mutation ${n} threw ${String(e)}\n--- input ---\n${text.slice(0, 2000)}`);
    }
  }
  // The mutations must actually break things (a fuzzer that never finds an error tests nothing).
  assert.ok(withErrors > MUTATIONS / 10, `only ${withErrors} mutations gave errors`);
});
