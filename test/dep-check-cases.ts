// The text cases of src/core/kconfig/dep-check.cases.txt and symbol-help.cases.txt (shared by the unit tests and
// their conf parity tests): `=== name`, then `--- section` blocks (kconfig, config, v6.12, v6.1).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModel } from '../src/core/kconfig/model-build.ts';
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
