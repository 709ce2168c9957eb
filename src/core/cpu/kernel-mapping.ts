// A `-march=` name → how a given kernel tree takes it: its own Kconfig options where the tree has them
// (X86_NATIVE_CPU in ≥ 6.16; M<UARCH> / X86_64_VERSION with graysky's patch; the old "Processor family"
// choice of 6.1/6.12), else `KCFLAGS=-march=…` on the make command line (Documentation/kbuild/kbuild.rst).
// Research notes hardware-cpu.md §5.3.

/** What the mapping needs to know about a tree: which symbols it defines, and its version. */
export interface KernelSymbols {
  /** True when the tree's Kconfig defines `name` (a `config NAME` entry, not only a reference). */
  has(name: string): boolean;
  /** `6.12.117`, or undefined when unknown. */
  readonly version?: string;
}

/** One Kconfig setting the plan makes. */
export interface CpuSetting {
  readonly symbol: string;
  /** `y`, `n`, or an int/string value. */
  readonly value: string;
  readonly reason: string;
}

/** How the tree gets the CPU: its own option, a patched µarch choice, the old family choice, or KCFLAGS. */
export type KernelCpuMode = 'native-option' | 'uarch-choice' | 'isa-level' | 'processor-family' | 'kcflags';

/** The kernel side of `kfit hw cpu`: settings, extra compiler flags and what to know about them. */
export interface KernelCpuPlan {
  readonly mode: KernelCpuMode;
  readonly version?: string;
  readonly settings: readonly CpuSetting[];
  /** Flags for `KCFLAGS` (appended after the kernel's own flags, so they win), empty when none. */
  readonly kcflags: readonly string[];
  /** The symbols looked for, and whether the tree has them. */
  readonly looked: readonly { readonly symbol: string; readonly exists: boolean }[];
  readonly notes: readonly string[];
}

/**
 * graysky2/kernel_compiler_patch µarch choice members, by the `-march=` name they pass (the 6.16+ patch;
 * the 6.8–6.15 patch calls icelake-client MICELAKE, see UARCH_ALIASES).
 */
export const UARCH_SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['k8', 'MK8'],
  ['k8-sse3', 'MK8SSE3'],
  ['amdfam10', 'MK10'],
  ['barcelona', 'MBARCELONA'],
  ['btver1', 'MBOBCAT'],
  ['btver2', 'MJAGUAR'],
  ['bdver1', 'MBULLDOZER'],
  ['bdver2', 'MPILEDRIVER'],
  ['bdver3', 'MSTEAMROLLER'],
  ['bdver4', 'MEXCAVATOR'],
  ['znver1', 'MZEN'],
  ['znver2', 'MZEN2'],
  ['znver3', 'MZEN3'],
  ['znver4', 'MZEN4'],
  ['znver5', 'MZEN5'],
  ['nocona', 'MPSC'],
  ['core2', 'MCORE2'],
  ['nehalem', 'MNEHALEM'],
  ['westmere', 'MWESTMERE'],
  ['silvermont', 'MSILVERMONT'],
  ['goldmont', 'MGOLDMONT'],
  ['goldmont-plus', 'MGOLDMONTPLUS'],
  ['sandybridge', 'MSANDYBRIDGE'],
  ['ivybridge', 'MIVYBRIDGE'],
  ['haswell', 'MHASWELL'],
  ['broadwell', 'MBROADWELL'],
  ['skylake', 'MSKYLAKE'],
  ['skylake-avx512', 'MSKYLAKEX'],
  ['cannonlake', 'MCANNONLAKE'],
  ['icelake-client', 'MICELAKE_CLIENT'],
  ['icelake-server', 'MICELAKE_SERVER'],
  ['cascadelake', 'MCASCADELAKE'],
  ['cooperlake', 'MCOOPERLAKE'],
  ['tigerlake', 'MTIGERLAKE'],
  ['sapphirerapids', 'MSAPPHIRERAPIDS'],
  ['rocketlake', 'MROCKETLAKE'],
  ['alderlake', 'MALDERLAKE'],
  ['diamondrapids', 'MDIAMONDRAPIDS'],
]);

/** Older spellings of the same members (the 6.8-rc4+ patch). */
const UARCH_ALIASES: ReadonlyMap<string, string> = new Map([['icelake-client', 'MICELAKE']]);

/** The 64-bit members of the upstream "Processor family" choice (≤ 6.14), by the `-march=` they pass. */
const FAMILY_SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['k8', 'MK8'],
  ['nocona', 'MPSC'],
  ['core2', 'MCORE2'],
  ['bonnell', 'MATOM'],
]);

/** The `KCFLAGS` words for a name: `-march=` plus `-mtune=` (the psABI level names are not valid -mtune). */
export function kcflagsFor(march: string): string[] {
  return march.startsWith('x86-64') ? [`-march=${march}`] : [`-march=${march}`, `-mtune=${march}`];
}

const SCALAR_NOTE =
  'the kernel builds with -mno-sse -mno-mmx -mno-sse2 -mno-avx (arch/x86/Makefile), so only the scalar part of -march ' +
  '(CMOV, POPCNT, LZCNT, BMI1/2, MOVBE) and -mtune change the code: expect small gains; vector ISA such as AVX-512 is never used';

/**
 * Maps a clamped `-march=` name (and the CPU's psABI level) to the tree's options. `native` is true when
 * the name is what `-march=native` resolves to on this machine (so X86_NATIVE_CPU would give the same).
 */
export function planKernelCpu(tree: KernelSymbols, march: string, level: number, native: boolean): KernelCpuPlan {
  const looked: { symbol: string; exists: boolean }[] = [];
  const has = (s: string): boolean => {
    const exists = tree.has(s);
    if (!looked.some((l) => l.symbol === s)) looked.push({ symbol: s, exists });
    return exists;
  };
  const notes: string[] = [SCALAR_NOTE];
  const version = tree.version;
  const patched = has('X86_64_VERSION');
  const alias = UARCH_ALIASES.get(march);
  const uarch = patched && alias !== undefined && !tree.has(UARCH_SYMBOLS.get(march) ?? '') && has(alias) ? alias : UARCH_SYMBOLS.get(march);
  if (uarch !== undefined && patched && has(uarch)) {
    return {
      mode: 'uarch-choice',
      version,
      settings: [{ symbol: uarch, value: 'y', reason: `the patched µarch choice member that passes -march=${march}` }],
      kcflags: [],
      looked,
      notes: [...notes, 'this tree carries graysky\'s kernel_compiler_patch (it defines X86_64_VERSION): keep the patch in kernelPatches'],
    };
  }
  if (patched) {
    const v = Math.max(1, Math.min(3, level));
    return {
      mode: 'isa-level',
      version,
      settings: [
        { symbol: 'GENERIC_CPU', value: 'y', reason: 'X86_64_VERSION depends on GENERIC_CPU' },
        { symbol: 'X86_64_VERSION', value: String(v), reason: `psABI level ${level}${level > 3 ? ', capped at 3 by the patch (the kernel does not use AVX-512)' : ''}` },
      ],
      kcflags: [],
      looked,
      notes: [...notes, uarch ? `this tree has no ${uarch}; the ISA level is the closest option it has` : `the patch has no µarch option for -march=${march}; the ISA level is the closest option it has`],
    };
  }
  if (has('X86_NATIVE_CPU')) {
    return {
      mode: 'native-option',
      version,
      settings: [{ symbol: 'X86_NATIVE_CPU', value: 'y', reason: 'builds with -march=native (≥ 6.16)' }],
      kcflags: [],
      looked,
      notes: [
        ...notes,
        'X86_NATIVE_CPU resolves -march=native on the machine that compiles the kernel: right only when this machine (or one with the same CPU) builds it; ' +
          `for a remote builder use KCFLAGS+=${kcflagsFor(march).join(' KCFLAGS+=')} instead`,
        ...(native ? [] : [`-march=native there is not ${march} unless the builder's compiler is the one checked here`]),
      ],
    };
  }
  const family = FAMILY_SYMBOLS.get(march);
  if (family !== undefined && has(family)) {
    return {
      mode: 'processor-family',
      version,
      settings: [{ symbol: family, value: 'y', reason: `the "Processor family" member that passes -march=${march}` }],
      kcflags: [],
      looked,
      notes,
    };
  }
  const generic = has('GENERIC_CPU');
  for (const s of ['MCORE2', 'MK8', 'MPSC', 'MATOM']) has(s);
  return {
    mode: 'kcflags',
    version,
    settings: generic ? [{ symbol: 'GENERIC_CPU', value: 'y', reason: 'the default; it adds only -mtune=generic, which the later KCFLAGS -mtune overrides' }] : [],
    kcflags: kcflagsFor(march),
    looked,
    notes: [
      ...notes,
      `this tree has no Kconfig option for -march=${march}${has('X86_NATIVE_CPU') ? '' : ' (X86_NATIVE_CPU arrived in 6.16)'}: KCFLAGS is appended after the kernel's own flags, ` +
        'and the explicit -mno-sse/-mno-avx stay in force (an explicit ISA flag beats what -march implies)',
    ],
  };
}
