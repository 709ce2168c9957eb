// `kfit bench run` and `kfit bench compare`: measure a kernel (natively or in a lab VM) and compare two.
// (Not the repo's bench/ folder, which benchmarks kfit itself.)
import type { Command } from 'commander';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/diag/errors.ts';
import { compareResults, formatComparison, SUITE_NAMES, type SuiteName } from '../../core/lab/bench-result.ts';
import { renderRatioChart } from '../../core/lab/ratio-chart.ts';
import { summarize } from '../../core/lab/statistics.ts';
import { readBenchResult, resultsDir, runBench, runBenchInVms, writeBenchResult } from '../../host/bench-runner.ts';

function parseSuites(text: string): SuiteName[] {
  return text.split(',').map((s) => {
    const name = s.trim() as SuiteName;
    if (!SUITE_NAMES.includes(name)) throw new InputError('bench/suite', `kfit: unknown suite \`${s}\`; expected ${SUITE_NAMES.join(', ')}`);
    return name;
  });
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InputError('cli/number', `kfit: ${flag} expects a positive integer, found \`${value}\``);
  return n;
}

function safeName(s: string): string {
  return s.replace(/[^\w.+-]/g, '_');
}

/** Registers `kfit bench run` and `kfit bench compare`. */
export function registerBench(program: Command): void {
  const bench = program.command('bench').description('Measure a kernel with the seed benchmarks and compare kernels A/B');
  const collect = (v: string, acc: string[]) => [...acc, v];
  bench
    .command('run')
    .description('Run benchmark suites natively or inside lab VMs; stores one JSON result per kernel, keyed by kernel identity')
    .option('--suite <list>', `comma-separated: ${SUITE_NAMES.join(', ')}`, 'crypt,restart,syscall,boot')
    .option('--label <name>', 'name of the result (repeat once per --in-vm kernel; default: the kernel key)', collect, [] as string[])
    .option('--in-vm <kernel>', 'run inside `kfit lab boot` of this kernel; repeat to measure several kernels with interleaved boots (TCG results are labelled emulated)', collect, [] as string[])
    .option('--runs <n>', 'runs of each suite (per boot in a VM)', '1')
    .option('--boots <n>', 'boots per kernel with --in-vm (samples pooled; kernels alternate boot by boot)', '1')
    .option('--timeout <seconds>', 'hard timeout per boot', '600')
    .option('--accel <auto|kvm|tcg>', 'VM accelerator', 'auto')
    .option('--crypt-full', 'in a VM, the whole cryptsetup benchmark instead of only AES-XTS 256/512')
    .option('--tree <dir>', 'tree the native restart suite stats (du -s)')
    .option('--modules <dir>', 'lib/modules/<release> for a modular --in-vm kernel (default: next to boot/vmlinuz-<release>)')
    .option('--out <file>', 'result file with one kernel (default ${KFIT_CACHE}/bench/<label>.json)')
    .option('--json', 'print the result JSON')
    .action(async (opts: { suite: string; label: string[]; inVm: string[]; runs: string; boots: string; timeout: string; accel: string; cryptFull?: boolean; tree?: string; modules?: string; out?: string; json?: boolean }) => {
      if (!['auto', 'kvm', 'tcg'].includes(opts.accel)) throw new InputError('cli/accel', `kfit: --accel expects auto, kvm or tcg, found \`${opts.accel}\``);
      if (opts.tree && !existsSync(opts.tree)) throw new InputError('bench/tree', `kfit: --tree ${opts.tree} does not exist`);
      const kernels = opts.inVm;
      if (opts.label.length > Math.max(1, kernels.length)) {
        throw new InputError('bench/labels', `kfit: ${opts.label.length} --label for ${kernels.length} --in-vm kernels; give one label per kernel`);
      }
      if (opts.out && kernels.length > 1) throw new InputError('bench/out', 'kfit: --out names one file; with several --in-vm kernels results go to ${KFIT_CACHE}/bench/<label>.json');
      const options = {
        suites: parseSuites(opts.suite),
        runs: positiveInt('--runs', opts.runs),
        boots: positiveInt('--boots', opts.boots),
        timeoutSeconds: positiveInt('--timeout', opts.timeout),
        accel: opts.accel as 'auto' | 'kvm' | 'tcg',
        cryptFull: opts.cryptFull,
        restartTree: opts.tree,
        modulesDir: opts.modules,
        onNote: (n: string) => process.stderr.write(`kfit bench: ${n}\n`),
      };
      const results =
        kernels.length > 0
          ? await runBenchInVms(options, kernels, kernels.map((_, i) => opts.label[i]), kernels.map(() => opts.modules))
          : [await runBench({ ...options, label: opts.label[0] })];
      const lines: string[] = [];
      for (const result of results) {
        const file = opts.out ?? join(resultsDir(), `${safeName(result.label)}.json`);
        writeBenchResult(file, result);
        if (opts.json) continue;
        const env = result.kernel.environment === 'tcg' ? 'QEMU TCG, emulated CPU' : result.kernel.environment;
        lines.push(`kfit bench: ${result.label} (${env}) ${result.kernel.procVersion}`);
        for (const m of result.metrics) {
          const s = summarize(m.samples);
          lines.push(`  ${`${m.suite}/${m.name}`.padEnd(32)} median ${s.median.toFixed(1).padStart(10)} ${m.unit.padEnd(6)} min ${s.min.toFixed(1)} max ${s.max.toFixed(1)} ±${(s.spread * 100).toFixed(1)}% n=${s.n}`);
        }
        for (const s of result.skipped) lines.push(`  ${s.suite}: skipped: ${s.reason}`);
        lines.push(`  result: ${file}`);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n` : `${lines.join('\n')}\n`);
      if (results.some((r) => r.metrics.length === 0)) process.exitCode = 1;
    });
  bench
    .command('compare')
    .description('Paired B/A ratios (min / median / max, bootstrap interval) of two results, and an SVG chart')
    .argument('<a>', 'result file or label (the baseline)')
    .argument('<b>', 'result file or label')
    .option('--svg <file>', 'chart file (default ${KFIT_CACHE}/bench/<a>-vs-<b>.svg)')
    .option('--json', 'print the comparison as JSON')
    .action((a: string, b: string, opts: { svg?: string; json?: boolean }) => {
      const ra = readBenchResult(a);
      const rb = readBenchResult(b);
      const c = compareResults(ra.result, rb.result, ra.file, rb.file);
      if (c.rows.length === 0) {
        throw new InputError('bench/nothing-to-compare', `kfit: ${ra.file} and ${rb.file} have no metric in common`);
      }
      const svg = opts.svg ?? join(resultsDir(), `${safeName(ra.result.label)}-vs-${safeName(rb.result.label)}.svg`);
      mkdirSync(dirname(svg), { recursive: true });
      writeFileSync(`${svg}.tmp-${process.pid}`, renderRatioChart(c));
      renameSync(`${svg}.tmp-${process.pid}`, svg);
      if (opts.json) process.stdout.write(`${JSON.stringify({ rows: c.rows, unmatched: c.unmatched, svg }, null, 2)}\n`);
      else process.stdout.write(`${formatComparison(c)}\nchart: ${svg}\n`);
    });
}
