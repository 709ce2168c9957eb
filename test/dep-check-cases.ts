// The cases of src/core/kconfig/dep-check.cases.txt (shared by the dep-check unit test and its conf parity test).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModel } from '../src/core/kconfig/model-build.ts';
import type { KconfigFlavor, KconfigModel } from '../src/core/kconfig/model.ts';
import { parseKconfig } from '../src/core/kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../src/core/kconfig/source-host.ts';

/** One case of dep-check.cases.txt: a Kconfig text and conf's error output per flavor ('' = accepted). */
export interface DepCheckCase {
  readonly name: string;
  readonly kconfig: string;
  readonly expect: Readonly<Record<KconfigFlavor, string>>;
}

/** Reads dep-check.cases.txt. */
export function depCheckCases(): DepCheckCase[] {
  const text = readFileSync(new URL('../src/core/kconfig/dep-check.cases.txt', import.meta.url), 'utf8');
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

