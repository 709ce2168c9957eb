// `kfit hw cpu` as data: cpuinfo → level, µarch, compiler clamp, kernel plan; and its text form.
import type { CpuInfo } from './cpuinfo.ts';
import { clampMarch, type ClampResult, type CompilerCpus } from './compiler.ts';
import { planKernelCpu, type KernelCpuPlan, type KernelSymbols } from './kernel-mapping.ts';
import { LEVEL_SCALAR, psabiLevel, type LevelResult } from './level.ts';
import { detectMarch, type MarchDetection } from './march.ts';

/** Everything `kfit hw cpu` found, in the order it is worked out. */
export interface CpuReport {
  readonly cpu: CpuInfo;
  readonly level: LevelResult;
  readonly detection: MarchDetection;
  /** The clamp to the compiler's list; undefined when no compiler was read. */
  readonly clamp?: ClampResult & { readonly compiler: Omit<CompilerCpus, 'names'> };
  /** The name to use: the clamped one, else the detected (or recommended) one. */
  readonly march: string;
  readonly kernel?: KernelCpuPlan;
}

/** Works the report out: level from flags, µarch from the tables, the clamp, then the kernel mapping. */
export function analyzeCpu(cpu: CpuInfo, compiler?: CompilerCpus, tree?: KernelSymbols): CpuReport {
  const level = psabiLevel(cpu.flags);
  const detection = detectMarch(cpu);
  let clamp: CpuReport['clamp'];
  if (compiler) {
    const r = clampMarch(detection.candidates, level.march, compiler);
    clamp = { ...r, compiler: { kind: compiler.kind, command: compiler.command, version: compiler.version } };
  }
  const march = clamp?.name ?? detection.recommended?.name ?? detection.name;
  const kernel = tree ? planKernelCpu(tree, march, level.level, detection.recommended === undefined && march === detection.name) : undefined;
  return { cpu, level, detection, clamp, march, kernel };
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The human-readable report: one fact a line, the reasons after a colon. */
export function formatCpuReport(r: CpuReport): string {
  const out: string[] = [];
  const { cpu } = r;
  out.push(`cpu: ${cpu.modelName || '(no model name)'} — ${cpu.vendorId}, family ${cpu.family} (${hex(cpu.family)}), model ${cpu.model} (${hex(cpu.model)}), ${cpu.processors} processor block${cpu.processors === 1 ? '' : 's'}`);
  if (cpu.differences.length > 0) {
    const d = cpu.differences[0];
    const what = [d.missing.length > 0 ? `lacks ${d.missing.slice(0, 6).join(' ')}` : '', d.extra.length > 0 ? `adds ${d.extra.slice(0, 6).join(' ')}` : '', d.modelName ? `is "${d.modelName}"` : '']
      .filter((s) => s !== '')
      .join(', ');
    out.push(`note: ${cpu.differences.length} processor block(s) differ from the first (processor ${d.processor} ${what}); the first block is used`);
  }
  const lv = r.level;
  const scalar = LEVEL_SCALAR.slice(2, Math.min(lv.level, 3) + 1).flat();
  out.push(`psABI level: ${lv.march ?? 'none (not even baseline x86-64)'}${lv.level < 4 && lv.level > 0 ? ` (next level lacks: ${lv.missingForNext.join(' ')})` : ''}`);
  if (lv.level >= 2) out.push(`  for the kernel only the scalar part counts: ${scalar.join(', ')}${lv.level === 4 ? '; v4 adds only AVX-512, which the kernel does not use' : ''}`);
  const det = r.detection;
  out.push(`-march=native (gcc 15 tables): ${det.name}: ${det.basis}`);
  if (det.tableName) out.push(`  (gcc's family/model table would say ${det.tableName}; the driver decides by features)`);
  if (det.recommended) out.push(`recommended instead: ${det.recommended.name}: ${det.recommended.basis}`);
  if (r.clamp) {
    const c = r.clamp;
    out.push(`compiler: ${c.compiler.command}: ${c.compiler.version}`);
    for (const s of c.steps) out.push(`  ${s.from} → ${s.to}: ${s.reason}`);
    out.push(`-march=${r.march}${c.steps.length === 0 ? ' (the compiler knows it)' : ''}`);
    out.push('  note: checked against this compiler; nixpkgs builds the kernel with its own (pass --cc /nix/store/…/bin/gcc to check that one)');
  } else {
    out.push(`-march=${r.march} (no compiler checked)`);
  }
  const k = r.kernel;
  if (k) {
    out.push(`kernel${k.version ? ` ${k.version}` : ''}: ${k.mode}`);
    out.push(`  symbols looked for: ${k.looked.map((l) => `${l.symbol}${l.exists ? '' : ' (absent)'}`).join(', ')}`);
    for (const s of k.settings) out.push(`  CONFIG_${s.symbol}=${s.value}: ${s.reason}`);
    if (k.kcflags.length > 0) out.push(`  make KCFLAGS="${k.kcflags.join(' ')}"`);
    for (const n of k.notes) out.push(`  note: ${n}`);
  }
  return `${out.join('\n')}\n`;
}

/** The report as plain JSON data (sets become sorted arrays). */
export function cpuReportJson(r: CpuReport): unknown {
  return {
    cpu: { ...r.cpu, flags: [...r.cpu.flags].sort() },
    level: r.level,
    detection: r.detection,
    clamp: r.clamp ?? null,
    march: r.march,
    kernel: r.kernel ?? null,
  };
}
