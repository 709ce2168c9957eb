// The text cases of src/core/kconfig/dep-check.cases.txt and symbol-help.cases.txt (shared by the unit tests and
// their conf parity tests): `=== name`, then `--- section` blocks (kconfig, config, v6.12, v6.1).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModel } from '../src/core/kconfig/model-build.ts';
import { OldconfigDialogue } from '../src/core/kconfig/oldconfig.ts';
import { runTarget } from '../src/core/kconfig/targets.ts';
import type { KconfigFlavor, KconfigModel } from '../src/core/kconfig/model.ts';
import { parseKconfig } from '../src/core/kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../src/core/kconfig/source-host.ts';

/** One text case: a Kconfig text, an input .config ('' when none) and conf's output per flavor. */
export interface DepCheckCase {
  readonly name: string;
  readonly kconfig: string;
  readonly config: string;
  readonly expect: Readonly<Record<KconfigFlavor, string>>;
  /** The flavors the case is recorded for (`--- only v6.1`: a tree only that grammar reads). */
  readonly flavors: readonly KconfigFlavor[];
}

/** Reads a case file of src/core/kconfig (default dep-check.cases.txt: conf's errors, '' = accepted). */
export function depCheckCases(file = 'dep-check.cases.txt'): DepCheckCase[] {
  const text = readFileSync(new URL(`../src/core/kconfig/${file}`, import.meta.url), 'utf8');
  return text
    .split(/^=== /m)
    .slice(1)
    .map((block) => {
      const section = (key: string): string => {
        const m = new RegExp(`^--- ${key}\\n([\\s\\S]*?)(?=^--- |(?![\\s\\S]))`, 'm').exec(block);
        return m ? m[1] : '';
      };
      return {
        name: block.slice(0, block.indexOf('\n')),
        kconfig: section('kconfig'),
        config: section('config'),
        expect: { 'v6.12': section('v6.12'), 'v6.1': section('v6.1') },
        flavors: section('only').trim() ? [section('only').trim() as KconfigFlavor] : ['v6.12', 'v6.1'],
      };
    });
}

/** The model of a one-file Kconfig tree, parsed in the grammar of `flavor`. */
export function depCheckModel(kconfig: string, flavor: KconfigFlavor): KconfigModel {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig }), { flavor });
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  const built = buildModel(parsed.value, { flavor });
  assert.deepEqual(built.diagnostics.filter((d) => d.severity === 'error'), []);
  return built.value;
}


/** kfit's stdout for helpnewconfig on a one-file tree (each entry printed with a newline, as the CLI does). */
export function helpNewConfigStdout(kconfig: string, config: string, flavor: KconfigFlavor): string {
  const model = depCheckModel(kconfig, flavor);
  const r = runTarget(model, { target: 'helpnewconfig', config: config ? { name: '.config', text: config } : undefined });
  assert.equal(r.output, null);
  return r.stdout.map((l) => `${l}\n`).join('');
}

/** One case of oldconfig.cases.txt: a tree, a .config, a mode, the input text and conf's stdout (and exit) per flavor. */
export interface DialogueCase extends DepCheckCase {
  readonly mode: 'oldconfig' | 'oldaskconfig';
  /** The bytes fed on stdin (⏎ in the file is a newline). */
  readonly input: string;
  readonly exit: Readonly<Record<KconfigFlavor, number>>;
}

/** Reads oldconfig.cases.txt. */
export function dialogueCases(): DialogueCase[] {
  const text = readFileSync(new URL('../src/core/kconfig/oldconfig.cases.txt', import.meta.url), 'utf8');
  return depCheckCases('oldconfig.cases.txt').map((c, i) => {
    const block = text.split(/^=== /m)[i + 1];
    const section = (key: string): string => new RegExp(`^--- ${key}\\n([\\s\\S]*?)(?=^--- |(?![\\s\\S]))`, 'm').exec(block)?.[1] ?? '';
    return {
      ...c,
      mode: section('mode').trim() as 'oldconfig' | 'oldaskconfig',
      input: section('answers').replace(/\n$/, '').replace(/⏎/g, '\n'),
      exit: { 'v6.12': Number(section('exit v6.12').trim() || 0), 'v6.1': Number(section('exit v6.1').trim() || 0) },
    };
  });
}

/** Plays a case through OldconfigDialogue: stdout (with conf_write()'s message), exit status, .config. */
export function playDialogue(c: DialogueCase, flavor: KconfigFlavor, tty = false): { stdout: string; exit: number; config: string } {
  const dialogue = OldconfigDialogue.load(depCheckModel(c.kconfig, flavor), c.config, { mode: c.mode, tty });
  const lines = c.input.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let stdout = '';
  for (let step = dialogue.start(); ; step = dialogue.answer(lines.shift() ?? null)) {
    stdout += step.stdout;
    if (step.exitCode) return { stdout, exit: step.exitCode, config: '' };
    if (!step.waiting) break;
  }
  const config = dialogue.writeConfig();
  stdout += `#\n# ${config === c.config ? 'No change to .config' : 'configuration written to .config'}\n#\n`;
  return { stdout, exit: 0, config };
}

