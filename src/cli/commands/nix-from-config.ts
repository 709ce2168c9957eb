// `kfit nix from-config` (registered by nix.ts).
import type { Command } from 'commander';

/** Registers `kfit nix from-config` under `kfit nix`. */
export function registerFromConfig(nix: Command): void {
  void nix;
}
