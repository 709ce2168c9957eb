// `kfit hw cpu`: /proc/cpuinfo → psABI level, the µarch gcc's -march=native picks, clamped to a compiler's
// list, mapped to a kernel tree's options, and the NixOS snippet that applies it.
import type { Command } from 'commander';
import { analyzeCpu, cpuReportJson, emitCpuNix, formatCpuReport, kernelAttrFor, parseCpuinfo, type CompilerCpus, type KernelSymbols } from '../../core/cpu/index.ts';
import { formatDiagnostic } from '../../core/diag/diagnostic.ts';
import { InputError, InternalError } from '../../core/diag/errors.ts';
import { kernelSymbols, readCompilerCpus, readCpuinfoText } from '../../host/cpu.ts';
import { parseNixText } from '../../host/nix-cli.ts';

interface HwCpuFlags {
  cpuinfo?: string;
  cc: string;
  src?: string;
  arch: string;
  json?: boolean;
  nix?: boolean;
  kernelAttr?: string;
}

function compilerFor(cc: string, explicit: boolean): CompilerCpus | undefined {
  if (cc === 'none') return undefined;
  try {
    return readCompilerCpus(cc);
  } catch (error) {
    if (!explicit && error instanceof InputError && error.code === 'cpu/no-compiler') {
      process.stderr.write(`kfit: warning: ${cc} not found: the -march name is not clamped to a compiler's list (pass --cc)\n`);
      return undefined;
    }
    throw error;
  }
}

function run(opts: HwCpuFlags, ccExplicit: boolean): void {
  if (opts.arch !== 'x86_64') throw new InputError('cpu/arch', `kfit: --arch ${opts.arch}: only x86_64 is supported`);
  if (opts.kernelAttr !== undefined && !/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(opts.kernelAttr)) {
    throw new InputError('cpu/kernel-attr', `kfit: --kernel-attr ${JSON.stringify(opts.kernelAttr)}: expected a nixpkgs attribute name such as linux_6_12`);
  }
  const file = opts.cpuinfo ?? '/proc/cpuinfo';
  const { value: cpu, diagnostics } = parseCpuinfo(readCpuinfoText(file), file);
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const compiler = compilerFor(opts.cc, ccExplicit);
  let tree: KernelSymbols | undefined;
  if (opts.src !== undefined) {
    process.stderr.write(`kfit: loading the Kconfig of ${opts.src} (cached after the first run)…\n`);
    tree = kernelSymbols(opts.src, opts.arch);
  } else if (opts.nix) {
    // No tree: plan for one without CPU options beyond GENERIC_CPU (upstream 6.1–6.15), i.e. KCFLAGS.
    tree = { has: (name: string) => name === 'GENERIC_CPU' };
  }
  const report = analyzeCpu(cpu, compiler, tree);
  let nix: string | undefined;
  if (opts.nix && report.kernel) {
    const attr = opts.kernelAttr ?? kernelAttrFor(report.kernel.version);
    const header = [
      `kfit hw cpu: ${cpu.vendorId} family ${cpu.family} model ${cpu.model} (${cpu.modelName})`,
      `-march=${report.march}${report.clamp ? ` (checked against ${report.clamp.compiler.version})` : ' (not checked against a compiler)'}; psABI ${report.level.march ?? 'none'}`,
      report.clamp ? 'nixpkgs builds the kernel with its own compiler: check it knows this name (kfit hw cpu --cc <its gcc>)' : '',
      opts.src === undefined ? `no --src given: written for a tree without CPU options; ${attr} is the kernel to override` : '',
    ].filter((l) => l !== '');
    nix = emitCpuNix(report.kernel, { kernelAttr: attr, header });
    try {
      parseNixText(nix, 'kfit hw cpu --nix');
    } catch (error) {
      if (error instanceof InputError && error.code === 'nix/missing') process.stderr.write('kfit: warning: nix-instantiate not found: the Nix text was not parse-checked\n');
      else throw new InternalError(`kfit hw cpu --nix printed Nix that does not parse: ${(error as Error).message}`);
    }
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ file, ...(cpuReportJson(report) as object), nix: nix ?? null }, null, 2)}\n`);
    return;
  }
  if (nix !== undefined) {
    process.stdout.write(nix);
    return;
  }
  process.stdout.write(formatCpuReport(report));
}

/** Registers `kfit hw cpu` under the `hw` command. */
export function registerHwCpu(hw: Command): void {
  hw.command('cpu')
    .description(
      'Read /proc/cpuinfo and say which -march to build the kernel with: the x86-64 psABI level, the µarch gcc\'s -march=native ' +
        'picks (and why), clamped to what the compiler knows, mapped to a kernel tree\'s options (--src), or as a NixOS snippet (--nix)',
    )
    .option('--cpuinfo <file>', 'cpuinfo file to read instead of /proc/cpuinfo')
    .option('--cc <compiler>', 'compiler whose -march list to clamp to: gcc, clang, a path, or none', 'gcc')
    .option('--src <dir>', 'kernel source tree: map to its Kconfig options (X86_NATIVE_CPU, M<UARCH>, Processor family) or KCFLAGS')
    .option('--arch <arch>', 'ARCH (only x86_64 is supported)', 'x86_64')
    .option('--kernel-attr <name>', 'nixpkgs kernel attribute for --nix (default from the tree\'s version: linux_6_12, or linux)')
    .option('--json', 'print JSON')
    .option('--nix', 'print the NixOS module text that applies it (checked with nix-instantiate --parse)')
    .action((opts: HwCpuFlags, cmd: Command) => run(opts, cmd.getOptionValueSource('cc') === 'cli'));
}
