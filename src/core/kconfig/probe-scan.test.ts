// The probe scan asks for the same $(shell,…) commands as the parse, in the same order: on small trees that
// exercise source, assignments and help texts, and on the real kernel trees (with made-up answers).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKconfig } from './parse-kconfig.ts';
import { scanKconfigProbes } from './probe-scan.ts';
import { MemorySourceHost, type SourceHost } from './source-host.ts';

function commandsOf(walk: (host: SourceHost) => void, files: Record<string, string>): string[] {
  const host = new MemorySourceHost(files, { env: { CC: 'gcc' }, shell: { 'echo one': 'one\n' } });
  walk(host);
  return host.commands;
}

function bothWalks(files: Record<string, string>): { parse: string[]; scan: string[] } {
  return {
    parse: commandsOf((h) => parseKconfig('Kconfig', h), files),
    scan: commandsOf((h) => scanKconfigProbes('Kconfig', h), files),
  };
}

test('source, assignments, words, strings and help texts: the scan runs what the parse runs', () => {
  const files = {
    Kconfig:
      'x := $(shell,echo one)\n' +
      'lazy = $(shell,echo lazy $(1))\n' +
      'config A\n\tbool "$(shell,echo prompt)"\n\tdefault $(shell,echo $(x)-word)\n' +
      '\thelp\n\t  $(shell,echo never: help text)\n\t  more\n' +
      'source "$(shell,echo sub)/Kconfig"\n' +
      'config B\n\tdef_bool $(lazy,two)\n',
    'sub/Kconfig': 'y += $(shell,echo appended)\nconfig C\n\tint\n\tdefault $(shell,echo 3)\n',
  };
  const { parse, scan } = bothWalks(files);
  // MemorySourceHost answers '' to `echo sub`: the source line names "/Kconfig", which does not exist
  assert.deepEqual(parse, ['echo one', 'echo prompt', 'echo one-word', 'echo sub', 'echo lazy two']);
  assert.deepEqual(scan, parse);
});

test('a sourced file is scanned where the source line is, and its assignments count', () => {
  const files = {
    Kconfig: 'config A\n\tbool\nsource "inc"\nconfig B\n\tstring\n\tdefault "$(shell,echo $(v))"\n',
    inc: 'v := from-inc\nconfig I\n\tdef_bool $(shell,echo inc)\n',
  };
  const { parse, scan } = bothWalks(files);
  assert.deepEqual(parse, ['echo inc', 'echo from-inc']);
  assert.deepEqual(scan, parse);
});

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');

/** A host over a real tree whose probes all answer `y` (enough to compare the two walks). */
function treeHost(srctree: string, env: Record<string, string>): SourceHost & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    readFile: (path) => {
      try {
        return readFileSync(path.startsWith('/') ? path : join(srctree, path), 'utf8');
      } catch {
        return undefined;
      }
    },
    glob: () => [],
    getEnv: (name) => env[name],
    runShell: (command) => {
      commands.push(command);
      return 'y\n';
    },
  };
}

for (const version of ['6.12', '6.1']) {
  const srctree = join(cache, `linux-${version}`);
  for (const arch of ['x86', 'arm64', 'riscv', 'powerpc', 's390']) {
    test(`Linux ${version} ${arch}: the scan asks for the parse's commands, in order`, { skip: !existsSync(join(srctree, 'Kconfig')) && 'tree not installed' }, () => {
      const env = { SRCARCH: arch, ARCH: arch === 'x86' ? 'x86_64' : arch, srctree, CC: 'gcc', LD: 'ld', CC_VERSION_TEXT: 'gcc', KERNELVERSION: version };
      const parsed = treeHost(srctree, env);
      parseKconfig('Kconfig', parsed);
      const scanned = treeHost(srctree, env);
      scanKconfigProbes('Kconfig', scanned);
      assert.ok(parsed.commands.length > 50, `${parsed.commands.length} commands`);
      assert.deepEqual(scanned.commands, parsed.commands);
    });
  }
}
