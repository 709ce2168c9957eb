// Which `-march=` names a compiler knows, read from its own output, and the clamp of a detected name to
// them: walk gcc's cascade down (znver5 → znver4 → znver3 …) and end at the psABI level.
import type { MarchCandidate } from './march.ts';

/** The compiler families kfit reads. */
export type CompilerKind = 'gcc' | 'clang';

/** A compiler and the `-march=` names it accepts. */
export interface CompilerCpus {
  readonly kind: CompilerKind;
  /** The command that was run (`gcc`, `/usr/bin/clang-19`, …). */
  readonly command: string;
  /** The first line of `--version`, e.g. `gcc (Debian 12.2.0-14+deb12u1) 12.2.0`. */
  readonly version: string;
  readonly names: ReadonlySet<string>;
}

/**
 * Reads the `-march=` names from `gcc -Q --help=target`: the words after "Known valid arguments for -march=
 * option:" up to the next blank line. Returns an empty set when the section is missing.
 */
export function parseGccMarchList(text: string): Set<string> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /Known valid arguments for -march= option/.test(l));
  const names = new Set<string>();
  if (start < 0) return names;
  for (let i = start + 1; i < lines.length && lines[i].trim() !== ''; i++) {
    for (const word of lines[i].trim().split(/\s+/)) names.add(word);
  }
  return names;
}

/**
 * Reads the CPU names from `clang --print-supported-cpus` (LLVM prints "Available CPUs for this target:",
 * one tab-indented name a line, then a usage note; older releases print to stderr, newer to stdout).
 */
export function parseClangCpuList(text: string): Set<string> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /Available CPUs for this target/.test(l));
  const names = new Set<string>();
  if (start < 0) return names;
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^\s+([A-Za-z0-9][A-Za-z0-9_.+-]*)\s*$/.exec(lines[i]);
    if (m) names.add(m[1]);
    else if (lines[i].trim() !== '' && names.size > 0) break;
  }
  return names;
}

/** One step down the chain: a name the compiler lacks, and what was tried next. */
export interface ClampStep {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** The name to use with a given compiler, and the steps that led to it. */
export interface ClampResult {
  readonly name: string;
  readonly basis: string;
  readonly steps: readonly ClampStep[];
}

/**
 * Clamps to what the compiler knows: the first candidate (detected name, then gcc's cascade names for this
 * CPU) the compiler accepts, else the psABI level's name (`x86-64-v3`), else `x86-64`.
 */
export function clampMarch(candidates: readonly MarchCandidate[], levelName: string | undefined, compiler: CompilerCpus): ClampResult {
  // gcc's generic defaults (core2, nocona, x86-64) carry less ISA than the level: they come after it
  const all: MarchCandidate[] = candidates.filter((c) => !c.generic);
  if (levelName !== undefined) all.push({ name: levelName, basis: `the psABI level of the flags (${levelName})` });
  all.push(...candidates.filter((c) => c.generic));
  if (!all.some((c) => c.name === 'x86-64')) all.push({ name: 'x86-64', basis: 'baseline x86-64' });
  const steps: ClampStep[] = [];
  const who = compiler.version || compiler.command;
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    if (compiler.names.has(c.name)) return { name: c.name, basis: c.basis, steps };
    const next = all[i + 1];
    if (next) steps.push({ from: c.name, to: next.name, reason: `${who} does not know -march=${c.name}` });
  }
  // A compiler that lists none of them (an unreadable list): keep the detected name, say so.
  const first = all[0];
  return { name: first.name, basis: first.basis, steps: [...steps, { from: first.name, to: first.name, reason: `${who} listed none of the candidates; kept ${first.name} unchecked` }] };
}
