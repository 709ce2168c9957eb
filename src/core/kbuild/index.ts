// Kbuild evaluation: GNU make semantics for Kbuild Makefiles, the directory walk, and questions over it.
export { MakeEvaluator, joinPath, type MakeHost, type MakeProblem, type WordProvenance } from './make.ts';
export { walkKbuild, type KbuildDir, type KbuildModule, type KbuildObject, type KbuildOptions, type KbuildResult, type ObjectKind } from './walk.ts';
export { builtUnder, KbuildIndex, type BuiltUnder, type FileGate } from './query.ts';
export { autoConfValues, readConfigValues } from './config-values.ts';
