// NixOS' own answers (common-config after the module merge) as the Nix plan needs them, from the NixOS
// pipeline model's raw definitions (src/core/nixos: the fixtures' structured.json shape).
import { mergeSettings, readStructuredInput, COMMON_CONFIG_FILE } from '../nixos/index.ts';
import type { NixosAnswer, NixosAnswers } from './nix-plan.ts';

/**
 * Merges common-config's definitions from a structured-input JSON (`commonDefinitions`, as the NixOS model
 * and the golden fixtures carry them) into symbol → answer + winning priority. `file` names the source in errors.
 */
export function nixosAnswersFromStructured(json: unknown, file: string): NixosAnswers {
  const input = readStructuredInput(json, file);
  const merged = mergeSettings([{ file: COMMON_CONFIG_FILE, settings: input.commonDefinitions ?? {} }]);
  const out = new Map<string, NixosAnswer>();
  for (const name of merged.names) {
    const item = merged.get(name)!;
    out.set(name, { item: item.value(), priority: item.definitions[0]?.priority ?? 100 });
  }
  return out;
}
