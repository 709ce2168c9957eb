// The boot lab's pure core: cryptsetup and console parsing, the guest protocol, build-log reading,
// statistics, benchmark results and their chart.
export { BENCH_PROBE_C, SAMPLE_MARKER, parseProbeSamples, type ProbeSample } from './bench-probe.ts';
export {
  BENCH_SCHEMA,
  SUITE_NAMES,
  compareResults,
  cryptMetrics,
  formatComparison,
  makeBenchResult,
  mergeMetrics,
  probeMetrics,
  validateBenchResult,
  type BenchResult,
  type Comparison,
  type ComparisonRow,
  type Metric,
  type SkippedSuite,
  type SuiteName,
} from './bench-result.ts';
export {
  countEnabledOptions,
  estimateObjects,
  estimateRemaining,
  findFirstBuildError,
  hasModules,
  isObjectLine,
  type BuildError,
  type EstimateSource,
  type ObjectEstimate,
} from './build-log.ts';
export { checkFragmentApplied, parseFragment, readDotConfigValues, writeFragmentLines, type FragmentEntry } from './config-fragment.ts';
export { parentDirectories, writeCpio, type CpioEntry } from './cpio-archive.ts';
export {
  NO_AF_ALG,
  parseCryptsetupBenchmark,
  type Argon2Row,
  type CipherRow,
  type CryptBenchmark,
  type Pbkdf2Row,
} from './cryptsetup-output.ts';
export {
  PAYLOAD_NAMES,
  lastConsoleLines,
  parseConsoleLog,
  writeInitScript,
  type ConsoleReport,
  type GuestPlan,
  type PayloadName,
  type PayloadRun,
  type UnboundDevice,
} from './guest-protocol.ts';
export { fnv1a, kernelKey, parseProcVersion, type Environment, type KernelIdentity, type ProcVersion } from './kernel-identity.ts';
export { moduleName, parseModulesDep, resolveModuleOrder } from './module-deps.ts';
export { escapeXml, renderRatioChart, type RatioChartOptions } from './ratio-chart.ts';
export {
  compareSamples,
  median,
  quantile,
  seededRandom,
  summarize,
  type CompareOptions,
  type RatioEstimate,
  type Summary,
} from './statistics.ts';
