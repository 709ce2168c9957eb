// Public API of the NixOS kernel-config pipeline simulation (re-exports only).
export * from './kernel-value.ts';
export * from './merge.ts';
export * from './intermediate.ts';
export * from './structured-input.ts';
export * from './conf-session.ts';
export * from './generate-config.ts';
export * from './dialogue-replay.ts';
export * from './conf-dialogue.ts';
export * from './renames.ts';
export * from './other-tree.ts';
export * from './diagnosis.ts';
export * from './fix-loop.ts';
export * from './fix-nix.ts';
export * from './engine-kconfig.ts';
