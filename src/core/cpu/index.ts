export { parseCpuinfo, type CpuBlockDifference, type CpuInfo, type CpuVendor } from './cpuinfo.ts';
export { LEVEL_FLAGS, LEVEL_SCALAR, levelMarch, psabiLevel, type LevelResult, type PsabiLevel } from './level.ts';
export { amdTableName, detectMarch, type MarchCandidate, type MarchDetection } from './march.ts';
export { clampMarch, parseClangCpuList, parseGccMarchList, type ClampResult, type ClampStep, type CompilerCpus, type CompilerKind } from './compiler.ts';
export { kcflagsFor, planKernelCpu, UARCH_SYMBOLS, type CpuSetting, type KernelCpuMode, type KernelCpuPlan, type KernelSymbols } from './kernel-mapping.ts';
export { emitCpuNix, kernelAttrFor, type CpuNixOptions } from './nix-snippet.ts';
export { analyzeCpu, cpuReportJson, formatCpuReport, type CpuReport } from './report.ts';
