// The x86-64 psABI micro-architecture levels (x86-64, -v2, -v3, -v4) from cpuinfo flag names.
// Research notes hardware-cpu.md §5.2; the same test as gcc's cpu_indicator_init() (cpuinfo.h) and
// glibc's `ld.so --help` "supported" lines, written with the kernel's flag spellings.

/** A psABI level: 1 is baseline x86-64. 0 means not even baseline (a 32-bit CPU or a stripped-down VM). */
export type PsabiLevel = 0 | 1 | 2 | 3 | 4;

/** The flags each level adds to the one below (cpuinfo spelling: `pni` = SSE3, `abm` = LZCNT). */
export const LEVEL_FLAGS: readonly (readonly string[])[] = [
  [],
  ['lm', 'cmov', 'cx8', 'fpu', 'fxsr', 'mmx', 'syscall', 'sse', 'sse2'],
  ['cx16', 'lahf_lm', 'popcnt', 'pni', 'ssse3', 'sse4_1', 'sse4_2'],
  ['avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'abm', 'movbe', 'xsave'],
  ['avx512f', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512vl'],
];

/**
 * The scalar (general-register) instructions each level adds: all that matters for the kernel, which
 * is built with -mno-sse -mno-mmx -mno-sse2 -mno-avx (arch/x86/Makefile), so vector ISA is never used.
 */
export const LEVEL_SCALAR: readonly (readonly string[])[] = [[], ['CMOV', 'CMPXCHG8B'], ['CMPXCHG16B', 'LAHF/SAHF', 'POPCNT'], ['LZCNT', 'BMI1', 'BMI2', 'MOVBE'], []];

/** The level a CPU reaches and, when below v4, what the next level lacks. */
export interface LevelResult {
  readonly level: PsabiLevel;
  /** `x86-64`, `x86-64-v2`, … (the `-march=` name); undefined for level 0. */
  readonly march: string | undefined;
  /** The flags the next level needs that the CPU does not have (empty at v4). */
  readonly missingForNext: readonly string[];
}

/** The `-march=` name of a psABI level. */
export function levelMarch(level: PsabiLevel): string | undefined {
  return level === 0 ? undefined : level === 1 ? 'x86-64' : `x86-64-v${level}`;
}

/** Computes the highest psABI level whose flags (and all lower levels' flags) are present. */
export function psabiLevel(flags: ReadonlySet<string>): LevelResult {
  let level: PsabiLevel = 0;
  for (let l = 1; l <= 4; l++) {
    const missing = LEVEL_FLAGS[l].filter((f) => !flags.has(f));
    if (missing.length > 0) return { level, march: levelMarch(level), missingForNext: missing };
    level = l as PsabiLevel;
  }
  return { level, march: levelMarch(level), missingForNext: [] };
}
