// The presets kfit ships: the well-known changes NixOS kernel tuners make (no CPU mitigations, a small /boot,
// -march for their CPU, clang + ThinLTO), each resolved against the tree's own symbol names (6.12's
// MITIGATION_RETPOLINE is 6.1's RETPOLINE) and checked by `kfit preset apply` with the pipeline simulation.
import { InputError } from '../diag/errors.ts';
import { firstDefined, requireDefined, type ExpectedValue, type Preset, type PresetContext, type PresetLine, type ResolvedPreset } from './preset.ts';

/**
 * The options inside `if CPU_MITIGATIONS` of arch/x86/Kconfig (6.12.117 and 6.1.192, read from both trees):
 * with the menu off they are hidden and end up not set.
 */
const MITIGATION_OPTIONS: readonly string[] = [
  // 6.12 names
  'MITIGATION_PAGE_TABLE_ISOLATION', 'MITIGATION_RETPOLINE', 'MITIGATION_RETHUNK', 'MITIGATION_UNRET_ENTRY',
  'MITIGATION_CALL_DEPTH_TRACKING', 'MITIGATION_IBPB_ENTRY', 'MITIGATION_IBRS_ENTRY', 'MITIGATION_SRSO', 'MITIGATION_SLS',
  'MITIGATION_GDS', 'MITIGATION_RFDS', 'MITIGATION_SPECTRE_BHI', 'MITIGATION_MDS', 'MITIGATION_TAA',
  'MITIGATION_MMIO_STALE_DATA', 'MITIGATION_L1TF', 'MITIGATION_RETBLEED', 'MITIGATION_SPECTRE_V1', 'MITIGATION_SPECTRE_V2',
  'MITIGATION_SRBDS', 'MITIGATION_SSB', 'MITIGATION_ITS', 'MITIGATION_TSA', 'MITIGATION_VMSCAPE',
  // 6.1 names of the same options (before the MITIGATION_ rename of 6.9)
  'PAGE_TABLE_ISOLATION', 'RETPOLINE', 'RETHUNK', 'CPU_UNRET_ENTRY', 'CPU_IBPB_ENTRY', 'CPU_IBRS_ENTRY', 'CPU_SRSO', 'SLS',
  'GDS_FORCE_MITIGATION',
];

const noMitigations: Preset = {
  name: 'no-mitigations',
  summary: 'CPU vulnerability mitigations off, at build time (CPU_MITIGATIONS=n) and at boot (mitigations=off)',
  needs: 'x86 kernel tree with CPU_MITIGATIONS (6.12, 6.1.y) or SPECULATION_MITIGATIONS (early 6.1); only for machines that run no untrusted code',
  resolve(ctx) {
    // the menu was SPECULATION_MITIGATIONS until 6.9; Debian's 6.1.192 already carries the CPU_MITIGATIONS backport
    const menu = firstDefined(ctx, 'no-mitigations', ['CPU_MITIGATIONS', 'SPECULATION_MITIGATIONS']);
    const inside = MITIGATION_OPTIONS.filter((n) => ctx.has(n));
    const lines: PresetLine[] = [
      { name: menu, value: 'no', role: 'intent', why: `the menu every compile-time mitigation sits in (${inside.length} options here, e.g. ${inside.slice(0, 3).join(', ')}); off, they are all left out of the build` },
      ...inside.map((name): PresetLine => ({ name, value: 'unset', role: 'fallout', why: `hidden once ${menu} is off; a definition of it (common-config.nix sets ${name.endsWith('SLS') ? 'it' : 'some of these'}) would be an "unused option"` })),
    ];
    const expect: ExpectedValue[] = [{ name: menu, value: 'n' }, ...inside.map((name) => ({ name, value: 'n' }))];
    return {
      name: 'no-mitigations',
      lines,
      build: [{ kind: 'kernel-param', value: 'mitigations=off', why: "the runtime switch: 6.12's kernel/cpu.c starts at mitigations=auto even when CPU_MITIGATIONS is off, and it also covers mitigations chosen at boot (microcode-based ones, SMT)" }],
      expect,
      notes: ['Only for machines that run no untrusted code (no browsers with untrusted JavaScript, no shared hosts, no VMs of others).'],
    };
  },
};

const tinyBoot: Preset = {
  name: 'tiny-boot',
  summary: 'a small kernel image and initrd for a small /boot: XZ kernel, XZ modules, no debug info/BTF, zstd -19 initrd',
  needs: 'nothing; trades BTF (bpftrace, CO-RE BPF tools) and debug info for size',
  resolve(ctx) {
    requireDefined(ctx, 'tiny-boot', ['KERNEL_XZ', 'DEBUG_INFO_NONE', 'MODULE_COMPRESS_XZ', 'RD_ZSTD']);
    const lines: PresetLine[] = [
      { name: 'KERNEL_XZ', value: 'yes', role: 'intent', why: 'XZ makes the smallest bzImage of the kernel\'s compressors (nixpkgs picks ZSTD for speed); costs some decompression time at boot' },
      { name: 'KERNEL_ZSTD', value: 'unset', role: 'fallout', why: 'common-config.nix answers the same choice (kernel compression) with ZSTD; two answers make generate-config.pl die' },
      { name: 'DEBUG_INFO_NONE', value: 'yes', role: 'intent', why: 'no DWARF: smaller modules and build, and no BTF, whose .BTF section (several MB) is part of the kernel image' },
      { name: 'DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT', value: 'unset', role: 'fallout', why: 'common-config.nix answers the same choice (debug information) with it' },
      { name: 'DEBUG_INFO', value: 'unset', role: 'fallout', why: 'selected by the DWARF members only: hidden (no prompt) once DEBUG_INFO_NONE is chosen' },
      { name: 'DEBUG_INFO_BTF', value: 'unset', role: 'fallout', why: 'depends on DEBUG_INFO; common-config.nix asks for it (optional)' },
      { name: 'DEBUG_INFO_REDUCED', value: 'unset', role: 'fallout', why: 'depends on DEBUG_INFO' },
      { name: 'MODULE_ALLOW_BTF_MISMATCH', value: 'unset', role: 'fallout', why: 'depends on DEBUG_INFO_BTF_MODULES' },
      { name: 'DEBUG_INFO_BTF_MODULES', value: 'unset', role: 'fallout', why: 'depends on DEBUG_INFO_BTF' },
      { name: 'SCHED_CLASS_EXT', value: 'unset', role: 'fallout', why: 'depends on DEBUG_INFO_BTF (sched_ext\'s BPF schedulers read kernel types from BTF); common-config.nix turns it on' },
    ];
    // 6.12 has a MODULE_COMPRESS bool above the choice and MODULE_COMPRESS_ALL; 6.1's choice has a NONE member
    if (ctx.has('MODULE_COMPRESS')) lines.push({ name: 'MODULE_COMPRESS', value: 'yes', role: 'intent', why: 'module compression on (the choice below depends on it)' });
    lines.push({ name: 'MODULE_COMPRESS_XZ', value: 'yes', role: 'intent', why: 'XZ modules: the smallest of the module compressors; the initrd\'s modules are copied from them' });
    for (const other of ['MODULE_COMPRESS_ZSTD', 'MODULE_COMPRESS_GZIP', 'MODULE_COMPRESS_NONE']) {
      if (ctx.has(other)) lines.push({ name: other, value: 'unset', role: 'fallout', why: 'same choice as MODULE_COMPRESS_XZ' });
    }
    if (ctx.has('MODULE_COMPRESS_ALL')) lines.push({ name: 'MODULE_COMPRESS_ALL', value: 'yes', role: 'intent', why: 'compress every module at modules_install, not only those a Makefile asks for' });
    lines.push(
      { name: 'RD_ZSTD', value: 'yes', role: 'intent', why: 'NixOS needs it to boot: the initrd below is zstd-compressed and the kernel unpacks it itself' },
      { name: 'STRIP_ASM_SYMS', value: 'yes', role: 'intent', why: 'drops local assembler symbols (.L*) from the symbol table: a slightly smaller image' },
    );
    const expect: ExpectedValue[] = [
      { name: 'KERNEL_XZ', value: 'y' },
      { name: 'KERNEL_ZSTD', value: 'n' },
      { name: 'DEBUG_INFO_NONE', value: 'y' },
      { name: 'DEBUG_INFO', value: 'n' },
      { name: 'DEBUG_INFO_BTF', value: 'n' },
      { name: 'MODULE_COMPRESS_XZ', value: 'y' },
      { name: 'RD_ZSTD', value: 'y' },
      { name: 'STRIP_ASM_SYMS', value: 'y' },
    ];
    return {
      name: 'tiny-boot',
      lines,
      build: [{ kind: 'initrd-compressor', compressor: 'zstd', args: ['-19', '-T0'], why: 'zstd at level 19 on all threads: a smaller initrd than nixpkgs\' default level, still fast to unpack (needs RD_ZSTD)' }],
      expect,
      notes: ['Without BTF, bpftrace, CO-RE BPF tools and sched_ext schedulers cannot read kernel types; /sys/kernel/btf/vmlinux is gone.'],
    };
  },
};

/** A -march value gcc and clang accept as one word (no spaces, no `native`: see the note in `march`). */
const MARCH_VALUE = /^[a-z0-9][a-z0-9._+-]*$/;

const march: Preset = {
  name: 'march',
  summary: 'compile the kernel for one CPU family: KCFLAGS+=-march=VALUE -mtune=VALUE through extraMakeFlags',
  needs: '--march VALUE (e.g. znver3, x86-64-v3, alderlake; `kfit hw cpu` suggests one); the kernel then runs only on CPUs that have that ISA',
  resolve(ctx: PresetContext): ResolvedPreset {
    const value = ctx.march;
    if (value === undefined || value === '') throw new InputError('preset/march-missing', 'kfit: preset march needs --march VALUE (e.g. --march znver3 or --march x86-64-v3; `kfit hw cpu` suggests one for this machine)');
    if (value === 'native') {
      throw new InputError('preset/march-value', "kfit: --march native cannot be used: Nix builds may run on another machine, and nixpkgs' cc-wrapper drops -march=native (NIX_ENFORCE_NO_NATIVE); give the CPU's name (`kfit hw cpu` prints it)");
    }
    if (!MARCH_VALUE.test(value)) throw new InputError('preset/march-value', `kfit: --march ${JSON.stringify(value)} is not a -march value (expected one word such as znver3, x86-64-v3, alderlake)`);
    return {
      name: 'march',
      lines: [],
      build: [
        { kind: 'make-flag', nix: `"KCFLAGS+=-march=${value}"`, shown: `KCFLAGS+=-march=${value}`, why: `kbuild appends KCFLAGS to every C compile after its own flags: the code is generated for ${value} (the kernel's -mno-sse/-mno-avx still win)` },
        { kind: 'make-flag', nix: `"KCFLAGS+=-mtune=${value}"`, shown: `KCFLAGS+=-mtune=${value}`, why: `tuned for ${value} too: GENERIC_CPU's -mtune=generic comes earlier on the command line and loses` },
      ],
      expect: [],
      notes: [
        'No Kconfig line: 6.1/6.12 x86_64 have no Kconfig option for -march (GENERIC_CPU stays).',
        "One word per flag (make's command-line `KCFLAGS+=` appends): the configfile step runs `make $makeFlags` unquoted and would split \"KCFLAGS=-march=x -mtune=x\".",
      ],
    };
  },
};

const clangThinLto: Preset = {
  name: 'clang-thinlto',
  summary: 'build with clang and ld.lld (LLVM=1, llvmPackages.stdenv) and Clang ThinLTO (LTO_CLANG_THIN)',
  needs: 'clang, ld.lld, llvm-ar/llvm-nm where the simulation runs (Kconfig probes them; Debian: clang lld llvm); out-of-tree modules (nvidia, zfs) must be built with the same clang',
  resolve(ctx) {
    requireDefined(ctx, 'clang-thinlto', ['LTO_CLANG_THIN', 'HAS_LTO_CLANG']);
    return {
      name: 'clang-thinlto',
      lines: [
        { name: 'LTO_CLANG_THIN', value: 'yes', role: 'intent', why: 'ThinLTO: whole-kernel inlining across files at link time, with parallel, incremental links (full LTO is far slower to build)' },
        { name: 'LTO_NONE', value: 'unset', role: 'fallout', why: 'same choice (Link Time Optimization) as LTO_CLANG_THIN' },
        { name: 'LTO_CLANG_FULL', value: 'unset', role: 'fallout', why: 'same choice (Link Time Optimization) as LTO_CLANG_THIN' },
        // common-config.nix asks for SLS; clang got x86 -mharden-sls=all later than gcc (Debian's clang 14 has none)
        // RUST depends on !DEBUG_INFO_BTF || (PAHOLE_HAS_LANG_EXCLUDE && !LTO) in 6.12: off with ThinLTO and BTF, where
        // nixpkgs turns it on whenever rustc is available (and DRM_PANIC_SCREEN_QR_CODE needs it)
        ...['RUST', 'DRM_PANIC_SCREEN_QR_CODE'].filter((n) => ctx.has(n)).map((name): PresetLine => ({ name, value: 'option yes', role: 'fallout', why: name === 'RUST' ? 'Rust support cannot be on with LTO and BTF together (its `depends on !DEBUG_INFO_BTF || (PAHOLE_HAS_LANG_EXCLUDE && !LTO)`): kept where possible, a warning where not' : 'depends on RUST, which LTO with BTF turns off: kept where possible, a warning where not' })),
        ...['MITIGATION_SLS', 'SLS'].filter((n) => ctx.has(n)).map((name): PresetLine => ({ name, value: 'option yes', role: 'fallout', why: 'depends on CC_HAS_SLS ($(cc-option,-mharden-sls=all)), which an older clang fails: kept where the compiler has it, a warning instead of an error where not' })),
      ],
      build: [
        { kind: 'stdenv', nix: 'pkgs.llvmPackages.stdenv', why: 'nixpkgs passes CC=<stdenv\'s compiler> to kbuild: clang comes from the stdenv' },
        { kind: 'make-flag', nix: '"LLVM=1"', shown: 'LLVM=1', why: 'kbuild\'s switch to the LLVM tools; Kconfig\'s probes (CC_IS_CLANG, LD_IS_LLD, AS_IS_LLVM) decide whether LTO_CLANG_THIN can be chosen' },
        { kind: 'make-flag', nix: '"LD=${lib.getExe\' pkgs.llvmPackages.lld "ld.lld"}"', shown: 'LD=ld.lld', why: 'HAS_LTO_CLANG needs LD_IS_LLD; nixpkgs would pass the stdenv\'s (GNU) ld otherwise' },
        { kind: 'make-flag', nix: '"AR=${lib.getExe\' pkgs.llvmPackages.llvm "llvm-ar"}"', shown: 'AR=llvm-ar', why: 'HAS_LTO_CLANG probes `$(AR) --help` for llvm: LTO objects are LLVM bitcode' },
        { kind: 'make-flag', nix: '"NM=${lib.getExe\' pkgs.llvmPackages.llvm "llvm-nm"}"', shown: 'NM=llvm-nm', why: 'HAS_LTO_CLANG probes `$(NM) --help` for llvm' },
      ],
      expect: [
        { name: 'CC_IS_CLANG', value: 'y' },
        { name: 'LTO_CLANG_THIN', value: 'y' },
        { name: 'LTO_NONE', value: 'n' },
      ],
      notes: ['Out-of-tree modules (nvidia, zfs, …) must be built with the same clang (LTO kernels reject gcc-built modules).'],
    };
  },
};

/** Every preset kfit ships, in the order `kfit preset list` prints them. */
export const PRESETS: readonly Preset[] = [noMitigations, tinyBoot, march, clangThinLto];

/** The preset called `name`; an InputError listing the known ones otherwise. */
export function findPreset(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new InputError('preset/unknown', `kfit: unknown preset '${name}'; known presets: ${PRESETS.map((x) => x.name).join(', ')} (kfit preset list)`);
  return p;
}

/** Whether any of the presets needs the LLVM toolchain (the model must be read with make's LLVM=1). */
export function needsLlvm(names: readonly string[]): boolean {
  return names.includes('clang-thinlto');
}
