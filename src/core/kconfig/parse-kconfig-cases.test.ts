// Data-driven parser cases (STYLE §24): every `cases/*.txt` holds cases of the form
//
//   # name
//   Kconfig text (the root file, `Kconfig`)
//   -- file some/Kconfig        (starts another file)
//   -- env NAME=value           (an environment variable)
//   -- shell COMMAND => OUTPUT  (the answer of $(shell,COMMAND); \n in OUTPUT is a newline)
//   ==>
//   expected: printKconfigSyntax() of the result, then one line per diagnostic
//   (`file:line:col: severity: message`, `  note: …` for the source chain)
//
// Lines of a Kconfig text may end with `⏎` (no newline after it: end of file) and use `→` for a tab.
// KFIT_UPDATE_CASES=1 rewrites the expected parts (review the diff before committing).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../diag/diagnostic.ts';
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';
import { printKconfigSyntax } from './syntax-print.ts';

interface Case {
  name: string;
  input: string[];
  expected: string[];
}

function readCases(text: string): Case[] {
  const cases: Case[] = [];
  let current: Case | undefined;
  let inExpected = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('# ') && (current === undefined || inExpected)) {
      current = { name: line.slice(2).trim(), input: [], expected: [] };
      cases.push(current);
      inExpected = false;
      continue;
    }
    if (!current) continue;
    if (line === '==>' && !inExpected) {
      inExpected = true;
      continue;
    }
    (inExpected ? current.expected : current.input).push(line);
  }
  for (const c of cases) while (c.expected.length > 0 && c.expected[c.expected.length - 1] === '') c.expected.pop();
  return cases;
}

function run(c: Case): string {
  const files = new Map<string, string[]>();
  const env: Record<string, string> = {};
  const shell: Record<string, string> = {};
  let file = 'Kconfig';
  files.set(file, []);
  for (const line of c.input) {
    const m = /^-- (file|env|shell) (.*)$/.exec(line);
    if (m?.[1] === 'file') {
      file = m[2].trim();
      files.set(file, []);
    } else if (m?.[1] === 'env') {
      const eq = m[2].indexOf('=');
      env[m[2].slice(0, eq)] = m[2].slice(eq + 1);
    } else if (m?.[1] === 'shell') {
      const [cmd, out] = m[2].split(' => ');
      shell[cmd] = (out ?? '').replace(/\\n/g, '\n');
    } else files.get(file)!.push(line);
  }
  const texts = new Map<string, string>();
  for (const [name, lines] of files) {
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    let text = lines.join('\n').replace(/→/g, '\t');
    text = text.endsWith('⏎') ? text.slice(0, -1) : text + '\n';
    texts.set(name, text);
  }
  const r = parseKconfig('Kconfig', new MemorySourceHost(texts, { env, shell }));
  const out = [printKconfigSyntax(r.value), ...r.diagnostics.map(formatDiagnostic)].filter((s) => s !== '');
  return out.join('\n');
}

const dir = join(new URL('.', import.meta.url).pathname, 'cases');
const update = process.env.KFIT_UPDATE_CASES === '1';

for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  const cases = readCases(text);
  if (update) {
    const out: string[] = [];
    for (const c of cases) {
      out.push(`# ${c.name}`, ...trimEnd(c.input), '==>', run(c), '');
    }
    writeFileSync(path, out.join('\n'));
    continue;
  }
  for (const c of cases) {
    test(`${name}: ${c.name}`, () => {
      assert.equal(run(c), c.expected.join('\n'));
    });
  }
  test(`${name}: has cases`, () => assert.ok(cases.length > 0));
}

function trimEnd(lines: string[]): string[] {
  const l = [...lines];
  while (l.length > 0 && l[l.length - 1] === '') l.pop();
  return l;
}
