// Public API of kfit's presets (re-exports only).
export * from './preset.ts';
export * from './catalog.ts';
export * from './preset-patch.ts';
export * from './preset-nix.ts';
