// The public API of kfit's Kconfig engine: model, evaluation, .config reading/writing and the conf targets.
export type {
  KconfigFlavor,
  KconfigModel,
  KconfigSymbol,
  KconfigSymbol as Symbol,
  MenuNode,
  MenuNodeKind,
  Property,
  PropertyKind,
  SymbolType,
  Tristate,
} from './model.ts';
export { findSymbol } from './model.ts';
export { parseKconfig, type ParseKconfigOptions } from './parse-kconfig.ts';
export { MemorySourceHost, type SourceHost } from './source-host.ts';
export type { KconfigSyntax } from './syntax.ts';
export { ExprKind, exprAnd, exprOr, exprNot, exprSymbol, formatExpr, triAnd, triOr, type Expr } from './expr.ts';
export { buildModel, type BuildModelOptions } from './model-build.ts';
export { flavorForVersion } from './flavor.ts';
export { Assignments, AssignmentsBuilder, moveToHead, moveToTail, type AssignmentChange, type UserValue } from './assignments.ts';
export { Evaluation, type EvaluationOptions, type UnmetDependency } from './evaluation.ts';
export { EvaluationSession } from './evaluation-session.ts';
export { explain, type Provenance, type ValueSource, type ValueLimit } from './provenance.ts';
export { allEntries, menuIsVisible, menuNext, menuPrompt, parentMenu, subEntries } from './menu.ts';
export {
  activeRange,
  isChangeable,
  isValidString,
  stringDefault,
  stringWithinRange,
  tristateWithinRange,
} from './symbol-value.ts';
export { askInfo, type AskInfo, type ChoiceMemberInfo } from './ask.ts';
export { formatExprWithValues, formatUnmetDependency } from './warnings.ts';
export { activeSelectors, activeReverseProperties } from './provenance.ts';
export {
  runTarget,
  CONFIG_TARGETS,
  type ConfigTarget,
  type TargetInput,
  type TargetResult,
  type TextFile,
} from './targets.ts';
export {
  readDotConfig,
  formatConfWarning,
  type DotConfigRead,
  type ReadDotConfigOptions,
} from '../dotconfig/read.ts';
export { writeDotConfig, symbolLine, escapeStringValue, dotConfigHeading } from '../dotconfig/write.ts';
export { writeMinConfig } from '../dotconfig/min-config.ts';
