// One structured-config item (nixpkgs' `lib.kernel` values, kernel_config.nix' `settings.NAME`) as the Nix side
// prints and reads it. The item type, the priorities and the merge of several definitions live in the NixOS model
// (../nixos/kernel-value.ts, ../nixos/merge.ts); this file adds what the printer needs on top.
import { Priority, type KernelItem, type TristateAnswer } from '../nixos/kernel-value.ts';

/** A tristate answer as nixpkgs spells it (`lib.kernel.yes` is `"y"`); null is `unset`. */
export type NixTristate = TristateAnswer;

export { Priority, type KernelItem };

/**
 * The answer kernel_config.nix renders for an item (spec §5): freeform wins over tristate; null means no line.
 * `""` stands for the two-character answer nixpkgs writes for `freeform ""`.
 */
export function renderedAnswer(item: KernelItem): string | null {
  const v = item.freeform ?? item.tristate;
  if (v === null) return null;
  return v === '' ? '""' : v;
}

/** Compares symbol names in Nix attribute order (byte-wise), as `builtins.attrNames` sorts them. */
export function compareNixNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
