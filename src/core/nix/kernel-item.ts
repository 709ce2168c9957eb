// One structured-config item (nixpkgs' `lib.kernel` values, kernel_config.nix' `settings.NAME`) as the Nix side
// prints and reads it. The module-system merge of several definitions lives in the NixOS model (../nixos/merge.ts).

/** A tristate answer as nixpkgs spells it (`lib.kernel.yes` is `"y"`); null is `unset`. */
export type NixTristate = 'y' | 'm' | 'n' | null;

/** A merged structured-config item: the fields of kernel_config.nix' `settings.NAME` submodule. */
export interface KernelItem {
  readonly tristate: NixTristate;
  readonly freeform: string | null;
  readonly optional: boolean;
}

/** Module-system priorities (lower wins), as `lib.mkOverride` numbers them. */
export const Priority = {
  vmOverride: 10,
  force: 50,
  imageMediaOverride: 60,
  plain: 100,
  default: 1000,
  optionDefault: 1500,
} as const;

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
