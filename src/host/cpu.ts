// The machine side of `kfit hw cpu`: reading /proc/cpuinfo, asking a compiler which -march names it knows,
// and which CPU symbols a kernel tree defines.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/diag/errors.ts';
import { parseClangCpuList, parseGccMarchList, type CompilerCpus, type CompilerKind } from '../core/cpu/compiler.ts';
import type { KernelSymbols } from '../core/cpu/kernel-mapping.ts';
import { loadKernelTree } from './nixos-system.ts';

/** Reads a cpuinfo file (default `/proc/cpuinfo`); an unreadable file is an InputError. */
export function readCpuinfoText(file = '/proc/cpuinfo'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('cpu/read', `kfit: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function run(command: string, args: readonly string[]): { ok: boolean; missing: boolean; text: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { ok: r.status === 0, missing, text: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/**
 * Asks a compiler for its `-march` names: `gcc -Q --help=target` or `clang --print-supported-cpus`.
 * `cc` is `gcc`, `clang` or a path; the kind of a path is told by its `--version` line.
 */
export function readCompilerCpus(cc: string): CompilerCpus {
  const version = run(cc, ['--version']);
  if (version.missing) throw new InputError('cpu/no-compiler', `kfit: ${cc}: compiler not found on PATH (pass --cc gcc, --cc clang or --cc /path/to/compiler)`);
  const first = version.text.split('\n')[0]?.trim() ?? '';
  const kind: CompilerKind = /clang/i.test(version.text.split('\n').slice(0, 2).join(' ')) ? 'clang' : 'gcc';
  if (kind === 'gcc' && !/gcc|GCC|Free Software Foundation/.test(version.text)) {
    throw new InputError('cpu/unknown-compiler', `kfit: ${cc}: "${first}" is neither gcc nor clang`);
  }
  const list = kind === 'gcc' ? run(cc, ['-Q', '--help=target']) : run(cc, ['--target=x86_64-unknown-linux-gnu', '--print-supported-cpus']);
  const names = kind === 'gcc' ? parseGccMarchList(list.text) : parseClangCpuList(list.text);
  if (names.size === 0) {
    const how = kind === 'gcc' ? '-Q --help=target' : '--print-supported-cpus';
    throw new InputError('cpu/compiler-list', `kfit: ${cc} ${how} printed no -march list (is it an x86 compiler?)`);
  }
  return { kind, command: cc, version: first, names };
}

/** Loads a kernel tree's Kconfig model and answers which symbols it defines (a `config` entry). */
export function kernelSymbols(src: string, arch: string): KernelSymbols {
  const tree = loadKernelTree(src, arch);
  const { model } = tree;
  return {
    version: tree.env.kernelVersion,
    has: (name: string) => (model.byName.get(name)?.nodes.length ?? 0) > 0,
  };
}
