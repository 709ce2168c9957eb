// Public API of kfit's Nix side: the structured-config item merge, the kernel-patch printer, the stand-in lib
// and the evaluation expression for `kfit nix to-config` (re-exports only).
export * from './kernel-item.ts';
export * from './nix-syntax.ts';
export * from './kernel-patch.ts';
export * from './lib-kernel-standin.ts';
export * from './structured-eval.ts';
export * from './structured-config.ts';
