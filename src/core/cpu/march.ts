// The µarch name gcc's `-march=native` picks, from cpuinfo: the Intel model table, the driver's feature
// cascade for unknown models, AMD by features as the driver does. Read from gcc 15's sources, not copied:
// mirrors host_detect_local_cpu() (gcc/config/i386/driver-i386.cc) and get_intel_cpu() / get_amd_cpu()
// (gcc/common/config/i386/cpuinfo.h). Research notes hardware-cpu.md §5.1.
import type { CpuInfo } from './cpuinfo.ts';

/** One name `-march=` could take, with why it applies to this CPU. */
export interface MarchCandidate {
  readonly name: string;
  readonly basis: string;
  /** gcc's "something reasonable" defaults (core2, nocona, x86-64): a clamp tries the psABI level first. */
  readonly generic?: boolean;
}

/** What `-march=native` of the newest gcc would pick, and the chain to fall back along. */
export interface MarchDetection {
  /** The name gcc's driver picks (before any clamp to an older compiler's list). */
  readonly name: string;
  /** Why, e.g. "family 6 model 0x97: alderlake (gcc's Intel model table)". */
  readonly basis: string;
  /** `name` first, then every name gcc's cascade would reach for this CPU, best first (the clamp walks it). */
  readonly candidates: readonly MarchCandidate[];
  /** What gcc's family/model table (get_amd_cpu) says for an AMD CPU, when it differs from the driver's pick. */
  readonly tableName?: string;
  /** A better name than gcc's own pick, when gcc does not know the vendor (Hygon). */
  readonly recommended?: MarchCandidate;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** gcc's Intel family-6 model table (get_intel_cpu), model → name; 0x55 is decided by features below. */
const INTEL_FAMILY6: ReadonlyMap<number, string> = new Map(
  (
    [
      ['bonnell', [0x1c, 0x26]],
      ['silvermont', [0x37, 0x4a, 0x4d, 0x5d, 0x4c, 0x5a, 0x75]],
      ['goldmont', [0x5c, 0x5f]],
      ['goldmont-plus', [0x7a]],
      ['tremont', [0x86, 0x96, 0x9c]],
      ['core2', [0x0f, 0x17, 0x1d]],
      ['nehalem', [0x1a, 0x1e, 0x1f, 0x2e]],
      ['westmere', [0x25, 0x2c, 0x2f]],
      ['sandybridge', [0x2a, 0x2d]],
      ['ivybridge', [0x3a, 0x3e]],
      ['haswell', [0x3c, 0x3f, 0x45, 0x46]],
      ['broadwell', [0x3d, 0x47, 0x4f, 0x56]],
      ['skylake', [0x4e, 0x5e, 0x8e, 0x9e, 0xa5, 0xa6]],
      ['cannonlake', [0x66]],
      ['icelake-client', [0x7d, 0x7e, 0x9d]],
      ['icelake-server', [0x6a, 0x6c]],
      ['rocketlake', [0xa7]],
      ['tigerlake', [0x8c, 0x8d]],
      ['alderlake', [0x97, 0x9a, 0xbe, 0xb7, 0xba, 0xbf, 0xaa, 0xac]],
      ['sapphirerapids', [0x8f, 0xcf]],
      ['sierraforest', [0xaf]],
      ['graniterapids', [0xad]],
      ['graniterapids-d', [0xae]],
      ['grandridge', [0xb6]],
      ['arrowlake', [0xb5, 0xc5]],
      ['arrowlake-s', [0xc6, 0xbd]],
      ['clearwaterforest', [0xdd]],
      ['pantherlake', [0xcc]],
    ] as const
  ).flatMap(([name, models]) => models.map((m) => [m, name] as [number, string])),
);

/** Marketing names for the models the table folds together, so the basis line says what the CPU is. */
const INTEL_ALIASES: ReadonlyMap<number, string> = new Map([
  [0xb7, 'Raptor Lake'],
  [0xba, 'Raptor Lake'],
  [0xbf, 'Raptor Lake'],
  [0xaa, 'Meteor Lake'],
  [0xac, 'Meteor Lake'],
  [0xbe, 'Alder Lake-N'],
  [0xcf, 'Emerald Rapids'],
  [0xbd, 'Lunar Lake'],
  [0x8e, 'Kaby/Coffee Lake'],
  [0x9e, 'Kaby/Coffee Lake'],
  [0xa5, 'Comet Lake'],
  [0xa6, 'Comet Lake'],
]);

/**
 * A step of a feature cascade: the first step whose flags are all present names the CPU.
 * Flags are the kernel's cpuinfo spellings of gcc's FEATURE_* bits.
 * Gotcha: cpuinfo does not print every CPUID bit gcc reads. 6.12 has no name for AMX-FP16, AMX-COMPLEX,
 * AVX-VNNI-INT8, PREFETCHI, USER_MSR, SM3 or AVX10.2; the names used for them here are the spelling newer
 * kernels would use and were not checked, so those steps only fire if a kernel prints them.
 */
interface Step {
  readonly flags: readonly string[];
  readonly name: string;
}

// mirrors the "unknown family 0x6 CPU" branch of host_detect_local_cpu() (gcc 15): AVX-512 parts first
const INTEL_AVX512: readonly Step[] = [
  { flags: ['avx10_2'], name: 'diamondrapids' },
  { flags: ['amx_complex'], name: 'graniterapids-d' },
  { flags: ['amx_fp16'], name: 'graniterapids' },
  { flags: ['avx512_vp2intersect'], name: 'tigerlake' },
  { flags: ['tsxldtrk'], name: 'sapphirerapids' },
  { flags: ['avx512_bf16'], name: 'cooperlake' },
  { flags: ['wbnoinvd'], name: 'icelake-server' },
  { flags: ['avx512_bitalg'], name: 'icelake-client' },
  { flags: ['avx512vbmi'], name: 'cannonlake' },
  { flags: ['avx512vl'], name: 'skylake-avx512' },
];
const INTEL_AVX: readonly Step[] = [
  { flags: ['prefetchi'], name: 'pantherlake' },
  { flags: ['user_msr'], name: 'clearwaterforest' },
  { flags: ['sm3'], name: 'arrowlake-s' },
  { flags: ['avx_vnni_int8'], name: 'sierraforest' },
  { flags: ['serialize'], name: 'alderlake' },
  { flags: ['clflushopt'], name: 'skylake' },
  { flags: ['adx'], name: 'broadwell' },
  { flags: ['avx2'], name: 'haswell' },
  { flags: [], name: 'sandybridge' },
];
const INTEL_SSE42: readonly Step[] = [
  { flags: ['gfni'], name: 'tremont' },
  { flags: ['sgx'], name: 'goldmont-plus' },
  { flags: ['xsave'], name: 'goldmont' },
  { flags: ['movbe'], name: 'silvermont' },
  { flags: [], name: 'nehalem' },
];
const INTEL_SSSE3: readonly Step[] = [
  { flags: ['movbe'], name: 'bonnell' },
  { flags: [], name: 'core2' },
];

// mirrors the AMD branch of host_detect_local_cpu(): the driver picks by features, not by family/model
const AMD_STEPS: readonly Step[] = [
  { flags: ['avx512_vp2intersect'], name: 'znver5' },
  { flags: ['avx512f'], name: 'znver4' },
  { flags: ['vaes'], name: 'znver3' },
  { flags: ['clwb'], name: 'znver2' },
  { flags: ['clzero'], name: 'znver1' },
  // gcc tests AVX2 / XSAVEOPT / BMI alone; kfit also asks for XOP, which every Bulldozer has, so that a
  // Zen part never falls back to a bdver name (bdver1-4 enable XOP and FMA4, which Zen lacks).
  { flags: ['avx2', 'xop'], name: 'bdver4' },
  { flags: ['xsaveopt', 'xop'], name: 'bdver3' },
  { flags: ['bmi1', 'xop'], name: 'bdver2' },
  { flags: ['xop'], name: 'bdver1' },
  { flags: ['sse4a', 'ssse3'], name: 'btver1' },
  // likewise 3DNow! for amdfam10 (gcc: SSE4A alone), which enables it
  { flags: ['sse4a', '3dnowext'], name: 'amdfam10' },
];

// mirrors the "use something reasonable" default of host_detect_local_cpu() (unknown vendors, Hygon)
const GENERIC_STEPS: readonly Step[] = [
  { flags: ['ssse3'], name: 'core2' },
  { flags: ['pni', 'lm'], name: 'nocona' },
  { flags: ['lm'], name: 'x86-64' },
];

function matching(steps: readonly Step[], flags: ReadonlySet<string>, what: string): MarchCandidate[] {
  return steps
    .filter((s) => s.flags.every((f) => flags.has(f)))
    .map((s) => ({
      name: s.name,
      basis: `by features (${what}): ${s.flags.length > 0 ? s.flags.join(' + ') : 'none of the above'} → ${s.name}`,
      ...(steps === GENERIC_STEPS ? { generic: true } : {}),
    }));
}

/** The Intel cascade for an unknown model: the AVX-512, AVX, SSE4.2 or SSSE3 branch the flags choose. */
function intelCascade(flags: ReadonlySet<string>): MarchCandidate[] {
  // Below the AVX-512 names only the big-core AVX names are safe fallbacks: the hybrid/E-core names
  // (alderlake, sierraforest, …) carry ISA (AVX-VNNI, Key Locker, …) an AVX-512 part may lack.
  if (flags.has('avx512f')) return [...matching(INTEL_AVX512, flags, 'AVX-512 branch'), ...matching(INTEL_AVX.slice(5), flags, 'AVX branch')];
  if (flags.has('avx')) return matching(INTEL_AVX, flags, 'AVX branch');
  if (flags.has('sse4_2')) return matching(INTEL_SSE42, flags, 'SSE4.2 branch');
  if (flags.has('ssse3')) return matching(INTEL_SSSE3, flags, 'SSSE3 branch');
  if (flags.has('lm')) return [{ name: 'x86-64', basis: 'by features: LM only → x86-64' }];
  return [];
}

/** mirrors get_intel_cpu(): the model table, with 0x55 split by AVX512-BF16 / AVX512-VNNI. */
function intelTable(cpu: CpuInfo): string | undefined {
  if (cpu.family === 0x13) return cpu.model === 0x01 ? 'diamondrapids' : undefined;
  if (cpu.family !== 6) return undefined;
  if (cpu.model === 0x55) return cpu.flags.has('avx512_bf16') ? 'cooperlake' : cpu.flags.has('avx512_vnni') ? 'cascadelake' : 'skylake-avx512';
  return INTEL_FAMILY6.get(cpu.model);
}

/** mirrors get_amd_cpu(): gcc's AMD family/model table (used for __builtin_cpu_is, not by -march=native). */
export function amdTableName(cpu: CpuInfo): string | undefined {
  const { family: f, model: m, flags } = cpu;
  if (f === 0x10) return 'amdfam10';
  if (f === 0x14) return 'btver1';
  if (f === 0x15) {
    if (m === 0x2) return 'bdver2';
    if (m <= 0x0f) return 'bdver1';
    if (m <= 0x2f) return 'bdver2';
    if (m <= 0x4f) return 'bdver3';
    if (m <= 0x7f) return 'bdver4';
    return flags.has('avx2') ? 'bdver4' : flags.has('xsaveopt') ? 'bdver3' : flags.has('bmi1') ? 'bdver2' : flags.has('xop') ? 'bdver1' : undefined;
  }
  if (f === 0x16) return 'btver2';
  if (f === 0x17) return m <= 0x1f ? 'znver1' : m >= 0x30 ? 'znver2' : flags.has('clwb') ? 'znver2' : flags.has('clzero') ? 'znver1' : undefined;
  if (f === 0x19) {
    if (m <= 0x0f) return 'znver3';
    if ((m >= 0x10 && m <= 0x1f) || (m >= 0x60 && m <= 0xaf)) return 'znver4';
    return flags.has('avx512f') ? 'znver4' : flags.has('vaes') ? 'znver3' : undefined;
  }
  if (f === 0x1a) return m <= 0x77 || flags.has('avx512_vp2intersect') ? 'znver5' : undefined;
  return undefined;
}

function dedupe(list: readonly MarchCandidate[]): MarchCandidate[] {
  const seen = new Set<string>();
  return list.filter((c) => (seen.has(c.name) ? false : (seen.add(c.name), true)));
}

/**
 * Picks the `-march=` name gcc 15's `-march=native` would print for this CPU, says why, and lists the
 * names to fall back to (gcc's own cascade order) for a compiler that does not know the first.
 */
export function detectMarch(cpu: CpuInfo): MarchDetection {
  const where = `family ${hex(cpu.family)} model ${hex(cpu.model)}`;
  if (cpu.vendor === 'intel') {
    const cascade = intelCascade(cpu.flags);
    const table = intelTable(cpu);
    if (table !== undefined) {
      const alias = INTEL_ALIASES.get(cpu.model);
      const basis = `${where}${alias ? ` (${alias})` : ''}: ${table} (gcc's Intel model table)`;
      return { name: table, basis, candidates: dedupe([{ name: table, basis }, ...cascade]) };
    }
    if (cpu.family === 15) {
      const name = cpu.flags.has('pni') ? (cpu.flags.has('lm') ? 'nocona' : 'prescott') : 'pentium4';
      const basis = `${where}: Pentium 4 family → ${name}`;
      return { name, basis, candidates: [{ name, basis }] };
    }
    if (cascade.length > 0) {
      const first = cascade[0];
      return { name: first.name, basis: `${where} is not in gcc's model table; ${first.basis}`, candidates: cascade };
    }
  }
  if (cpu.vendor === 'amd') {
    const steps = cpu.family === 0x16 && cpu.flags.has('movbe') ? [{ name: 'btver2', basis: 'family 0x16 with MOVBE → btver2' }] : [];
    const byFeatures = [...steps, ...matching(AMD_STEPS, cpu.flags, 'AMD')];
    if (byFeatures.length === 0 && cpu.flags.has('3dnowext') && (cpu.flags.has('sse2') || cpu.flags.has('lm'))) {
      byFeatures.push({ name: cpu.flags.has('pni') ? 'k8-sse3' : 'k8', basis: 'by features (AMD): SSE2/LM → k8' });
    }
    const table = amdTableName(cpu);
    if (byFeatures.length > 0) {
      const first = byFeatures[0];
      const tableNote = table === undefined ? 'not in gcc\'s AMD table' : `gcc's AMD table says ${table}`;
      return {
        name: first.name,
        basis: `${where} (${tableNote}); the -march=native driver picks ${first.basis.replace(/^by features \(AMD\): /, 'by features: ')}`,
        candidates: dedupe([...byFeatures, ...matching(GENERIC_STEPS, cpu.flags, 'generic')]),
        tableName: table !== undefined && table !== first.name ? table : undefined,
      };
    }
  }
  if (cpu.vendor === 'zhaoxin' && cpu.family === 7) {
    // mirrors get_zhaoxin_cpu()
    const name = cpu.model === 0x3b ? 'lujiazui' : cpu.model === 0x5b ? 'yongfeng' : cpu.model >= 0x6b ? 'shijidadao' : undefined;
    if (name) {
      const basis = `${where}: ${name} (gcc's Zhaoxin table)`;
      return { name, basis, candidates: dedupe([{ name, basis }, ...matching(GENERIC_STEPS, cpu.flags, 'generic')]) };
    }
  }
  // Unknown vendors (Hygon included: gcc's cpu_indicator_init() has no Hygon case, so the family stays 0)
  // get the driver's "something reasonable" default.
  const generic = matching(GENERIC_STEPS, cpu.flags, 'generic');
  const first = generic[0] ?? { name: 'x86-64', basis: 'no known features → x86-64' };
  const why = cpu.vendor === 'hygon' ? `gcc does not know the vendor ${cpu.vendorId}` : `no gcc table for ${cpu.vendorId} ${where}`;
  const recommended =
    cpu.vendor === 'hygon' && cpu.family === 0x18 && cpu.flags.has('clzero')
      ? { name: 'znver1', basis: 'Hygon family 0x18 (Dhyana) is AMD Zen 1 licensed; the AMD cascade gives CLZERO → znver1' }
      : undefined;
  return {
    name: first.name,
    basis: `${where}: ${why}; ${first.basis}`,
    candidates: dedupe(recommended ? [recommended, ...matching(AMD_STEPS, cpu.flags, 'AMD'), ...generic] : generic),
    recommended,
  };
}
