// Public API of kfit's config comparison: .config values, menu outline, semantic diff, Nix plan (re-exports only).
export * from './config-values.ts';
export * from './menu-outline.ts';
export * from './semantic-diff.ts';
export * from './nix-plan.ts';
export * from './nixos-answers.ts';
export * from './subtract.ts';
