// Runs the kernel's own merge_config.sh (from the installed 6.1 and 6.12 trees, under dash as make does) on
// the same fragments as mergeConfigFragments()/checkMergedConfig() and compares files and messages. The
// make step is a stand-in `make` on PATH that writes a prepared "evaluated" .config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkMergedConfig,
  formatUnmetRequests,
  grepWordMatches,
  listConfigNames,
  mergeConfigFragments,
  mergedWithoutMakeMessage,
  type MergeConfigOptions,
} from './merge-config.ts';

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const versions = ['6.12', '6.1'] as const;

interface Case {
  name: string;
  base: string | undefined;
  fragments: [string, string][];
  options?: MergeConfigOptions;
  /** The .config the stand-in make writes (only when the case runs make). */
  final?: string;
  only612?: boolean;
}

const cases: Case[] = [
  {
    name: 'redefinitions, not-set lines, new symbols',
    base: 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_S="x y"\n',
    fragments: [
      ['one.config', 'CONFIG_A=n\nCONFIG_C=y\nCONFIG_D=y\n'],
      ['two.config', '# CONFIG_A is not set\nCONFIG_S="x  y"\nCONFIG_E=0x10\n'],
    ],
  },
  {
    name: 'same value again is silent, -r reports it',
    base: 'CONFIG_A=y\n',
    fragments: [['f.config', 'CONFIG_A=y\n']],
    options: { warnRedundant: true },
  },
  {
    name: 'missing final newline and comments',
    base: 'CONFIG_A=y\n# a comment about CONFIG_B\nCONFIG_Z=1',
    fragments: [['f.config', '# hello\nCONFIG_B=m\nCONFIG_Z=2'], ['g.config', 'CONFIG_A=m']],
  },
  {
    name: 'word matching quirks: prefixes, names inside values',
    base: 'CONFIG_FOO_BAR=y\nCONFIG_CMDLINE="CONFIG_FOO"\nCONFIG_XCONFIG_FOO=y\n',
    fragments: [['f.config', 'CONFIG_FOO=y\n']],
  },
  {
    name: '-y keeps y over m',
    base: 'CONFIG_A=y\nCONFIG_B=m\n',
    fragments: [['f.config', 'CONFIG_A=m\nCONFIG_B=y\n']],
    options: { builtin: true },
  },
  {
    name: '-s fails on a redefinition',
    base: 'CONFIG_A=y\n',
    fragments: [['f.config', 'CONFIG_A=m\n']],
    options: { strict: true },
  },
  {
    name: '-Q silences override messages',
    base: 'CONFIG_A=y\n',
    fragments: [['f.config', 'CONFIG_A=m\n']],
    options: { quiet: true },
    only612: true,
  },
  {
    name: 'missing base is created, missing fragment fails',
    base: undefined,
    fragments: [['f.config', 'CONFIG_A=y\n'], ['nope.config', '']],
  },
  {
    name: 'after make: requested values missing from the final .config',
    base: 'CONFIG_A=y\n',
    fragments: [['f.config', 'CONFIG_B=y\n# CONFIG_C is not set\nCONFIG_D=m\nCONFIG_N=5\n']],
    final: '#\n# header\n#\nCONFIG_A=y\nCONFIG_B=y\nCONFIG_D=y\nCONFIG_N=5\n# CONFIG_NN is not set\n',
  },
];

function flags(o: MergeConfigOptions | undefined, runMake: boolean): string[] {
  const f: string[] = [];
  if (!runMake) f.push('-m');
  if (o?.warnRedundant) f.push('-r');
  if (o?.builtin) f.push('-y');
  if (o?.strict) f.push('-s');
  if (o?.quiet) f.push('-Q');
  return f;
}

function runScript(version: string, c: Case): { stdout: string; stderr: string; status: number | null; config: string | undefined } {
  const script = join(cache, `linux-${version}`, 'scripts', 'kconfig', 'merge_config.sh');
  assert.ok(existsSync(script), `${script} is missing: run ./setup.sh`);
  const dir = mkdtempSync(join(tmpdir(), 'kfit-merge-'));
  try {
    if (c.base !== undefined) writeFileSync(join(dir, '.config'), c.base);
    for (const [name, text] of c.fragments) if (name !== 'nope.config') writeFileSync(join(dir, name), text);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const runMake = c.final !== undefined;
    if (runMake) {
      writeFileSync(join(dir, 'final'), c.final ?? '');
      writeFileSync(join(bin, 'make'), `#!/bin/sh\ncp "${join(dir, 'final')}" .config\n`);
      chmodSync(join(bin, 'make'), 0o755);
    }
    const r = spawnSync('/bin/sh', [script, ...flags(c.options, runMake), '.config', ...c.fragments.map(([n]) => n)], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, LC_ALL: 'C' },
    });
    const config = existsSync(join(dir, '.config')) ? readFileSync(join(dir, '.config'), 'utf8') : undefined;
    return { stdout: r.stdout, stderr: r.stderr, status: r.status, config };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const version of versions) {
  for (const c of cases) {
    if (c.only612 && version !== '6.12') continue;
    test(`merge_config.sh ${version}: ${c.name}`, () => {
      const real = runScript(version, c);
      const ours = mergeConfigFragments(
        { name: '.config', text: c.base },
        c.fragments.map(([name, text]) => ({ name, text: name === 'nope.config' ? undefined : text })),
        c.options,
      );
      const lines = [...ours.stdout];
      let config = c.base;
      if (ours.exitCode === 0) {
        if (c.final === undefined) {
          lines.push(...mergedWithoutMakeMessage());
          config = ours.text;
        } else {
          lines.push(...formatUnmetRequests(checkMergedConfig(ours.text, c.final)));
          config = c.final;
        }
      } else if (c.base === undefined) {
        config = '';
      }
      assert.equal(lines.map((l) => `${l}\n`).join(''), real.stdout);
      assert.equal(ours.stderr.map((l) => `${l}\n`).join(''), real.stderr);
      assert.equal(ours.exitCode, real.status);
      assert.equal(config, real.config);
    });
  }
}

test('grepWordMatches and listConfigNames follow grep -w and the script seds', () => {
  assert.equal(grepWordMatches('CONFIG_FOO=y', 'CONFIG_FOO'), true);
  assert.equal(grepWordMatches('CONFIG_FOO_BAR=y', 'CONFIG_FOO'), false);
  assert.equal(grepWordMatches('CONFIG_FOO_BAR=y CONFIG_FOO', 'CONFIG_FOO'), true);
  assert.equal(grepWordMatches('XCONFIG_FOO=y', 'CONFIG_FOO'), false);
  assert.deepEqual(listConfigNames('CONFIG_A=y\n# CONFIG_B is not set\n# CONFIG_C is not set \n CONFIG_D=y\nCONFIG_=1\n'), [
    'CONFIG_A',
    'CONFIG_B',
    'CONFIG_',
  ]);
});
