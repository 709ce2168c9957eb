// The differential matrix: which (tree, arch, target, input) cases run in the CI slice and in the full run.
// A case's id names it everywhere (test names, known-divergences.txt, diff files):
//   <version>/<arch>/<target>[:<detail>]   e.g. 6.12/x86_64/randconfig:seed=7,
//   6.12/arm64/savedefconfig:of=defconfig, 6.12/x86_64/olddefconfig:debian-6.1-amd64_none_amd64.
import { debianConfigs, readXz, type OracleTarget } from '../../src/host/kconfig-oracle.ts';

/** Where a case's input .config comes from. */
export type CaseInput =
  | { kind: 'none' }
  /** The oracle's output of another case (savedefconfig of each target: both sides read conf's .config). */
  | { kind: 'oracle-output'; of: string }
  /** One of Debian's shipped configs (`/usr/src/linux-config-<version>/config.<flavour>.xz`). */
  | { kind: 'debian'; version: string; flavour: string; path: string };

/**
 * A case's conf target: the oracle's targets, plus helpnewconfig (runOracle() runs any make target; it is not
 * in ORACLE_TARGETS).
 */
export type CaseTarget = OracleTarget | 'helpnewconfig';

/** One differential case. */
export interface DifferentialCase {
  id: string;
  version: string;
  arch: string;
  target: CaseTarget;
  input: CaseInput;
  seed?: number;
}

/** How much of the matrix to run (KFIT_DIFFERENTIAL). */
export type Mode = 'slice' | 'full';

/** The versions (6.1 first: the 6.12 upgrade-path cases read 6.1 outputs), architectures and seed counts of each mode. */
export const MATRIX = {
  full: {
    versions: ['6.1', '6.12'],
    arches: ['x86_64', 'i386', 'arm64', 'arm', 'riscv', 'powerpc', 's390', 'mips'],
    seeds: 200,
  },
  slice: { versions: ['6.1', '6.12'], arches: ['x86_64', 'arm64'], seeds: 20 },
} as const;

/** The targets that start from nothing; each also gets a savedefconfig case on conf's result. */
export const BASE_TARGETS = ['allnoconfig', 'allyesconfig', 'allmodconfig', 'alldefconfig', 'defconfig', 'tinyconfig'] as const;

/** randconfig's seeds: 1, 2, 3, … (KCONFIG_SEED is decimal; conf prints it as 0x…). */
export function seeds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/**
 * Builds the case list of `mode` (`seedCount` overrides its number of randconfig seeds), ordered so that a case's input case comes first. Debian's configs are
 * amd64 ones, so they run on x86_64 only: olddefconfig and savedefconfig of each flavour on its own tree,
 * and the upgrade path (6.1's configs through olddefconfig, listnewconfig and helpnewconfig on the 6.12 tree;
 * helpnewconfig of a config on its own tree prints nothing).
 */
export function buildCases(mode: Mode, seedCount?: number): DifferentialCase[] {
  const m = MATRIX[mode];
  const seedList = seeds(seedCount ?? m.seeds);
  const cases: DifferentialCase[] = [];
  for (const version of m.versions) {
    for (const arch of m.arches) {
      const prefix = `${version}/${arch}`;
      for (const target of BASE_TARGETS) {
        cases.push({ id: `${prefix}/${target}`, version, arch, target, input: { kind: 'none' } });
        cases.push({
          id: `${prefix}/savedefconfig:of=${target}`,
          version,
          arch,
          target: 'savedefconfig',
          input: { kind: 'oracle-output', of: `${prefix}/${target}` },
        });
      }
      if (version === '6.12' && (m.versions as readonly string[]).includes('6.1')) {
        // the upgrade path on every arch: 6.1's allmodconfig (conf's) as the .config of the 6.12 tree
        for (const target of ['listnewconfig', 'helpnewconfig'] as const) {
          cases.push({ id: `${prefix}/${target}:of=6.1-allmodconfig`, version, arch, target, input: { kind: 'oracle-output', of: `6.1/${arch}/allmodconfig` } });
        }
      }
      for (const seed of seedList) {
        cases.push({ id: `${prefix}/randconfig:seed=${seed}`, version, arch, target: 'randconfig', input: { kind: 'none' }, seed });
      }
      if (arch !== 'x86_64') continue;
      for (const { flavour, path } of debianConfigs(version)) {
        const input: CaseInput = { kind: 'debian', version, flavour, path };
        for (const target of ['olddefconfig', 'savedefconfig', 'listnewconfig'] as const) {
          cases.push({ id: `${prefix}/${target}:debian-${flavour}`, version, arch, target, input });
        }
      }
      if (version !== '6.12') continue;
      for (const { flavour, path } of debianConfigs('6.1')) {
        const input: CaseInput = { kind: 'debian', version: '6.1', flavour, path };
        for (const target of ['olddefconfig', 'listnewconfig', 'helpnewconfig'] as const) {
          cases.push({ id: `${prefix}/${target}:debian-6.1-${flavour}`, version, arch, target, input });
        }
      }
    }
  }
  return cases;
}

const xzMemo = new Map<string, string>();

/** The input .config text of a Debian case (decompressed once per process). */
export function debianInput(path: string): string {
  let text = xzMemo.get(path);
  if (text === undefined) {
    text = readXz(path);
    xzMemo.set(path, text);
  }
  return text;
}
