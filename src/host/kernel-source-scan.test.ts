// The Kbuild evaluation against Debian's real build: every module of linux-image-6.12.117 must be built by
// our walk of the pristine 6.12.117 tree with Debian's config, and map to a symbol that config sets to m
// (built-ins: to y).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KbuildIndex, readConfigValues, walkKbuild } from '../core/kbuild/index.ts';
import { cacheDir, ensureDebianModuleTree, type DebianModuleTree } from './module-tree.ts';
import { scanTreeTables, SourceTree, TableSource } from './kernel-source-scan.ts';

const src = join(cacheDir(), 'linux-6.12');
const configXz = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';
let tree: DebianModuleTree | undefined;
let why = '';
try {
  if (!existsSync(join(src, 'Kbuild'))) throw new Error(`${src} missing (run ./setup.sh)`);
  if (!existsSync(configXz)) throw new Error(`${configXz} missing (apt-get install linux-config-6.12)`);
  tree = ensureDebianModuleTree();
} catch (error) {
  why = (error as Error).message;
}

test('Debian 6.12: every module and built-in maps to a symbol the config sets to its state', { skip: tree === undefined ? why : false }, (t) => {
  const config = readConfigValues(execFileSync('xz', ['-dc', configXz], { encoding: 'utf8' }));
  const result = walkKbuild(new SourceTree(src), config);
  const index = new KbuildIndex(result);
  const read = (f: string): string[] => readFileSync(join(tree!.dir, f), 'utf8').trim().split('\n');
  const check = (paths: string[], state: string): string[] =>
    paths.filter((p) => {
      const gates = index.gatesOf(p);
      const syms = gates.flatMap((g) => (g.own.length > 0 ? g.own : g.dirGate));
      return !gates.some((g) => (state === 'm' ? g.kind === 'module' : g.kind === 'builtin')) || !syms.some((s) => config.get(s) === state);
    });
  const order = read('modules.order');
  const builtin = read('modules.builtin');
  const badModules = check(order, 'm');
  const badBuiltins = check(builtin, 'y');
  t.diagnostic(`modules ${order.length - badModules.length}/${order.length}, built-ins ${builtin.length - badBuiltins.length}/${builtin.length}, ${result.dirs.length} dirs, ${result.objects.length} objects`);
  assert.deepEqual(badModules, []);
  assert.deepEqual(badBuiltins, []);
  // The walk builds exactly Debian's module set, no more.
  const ours = result.modules.filter((m) => m.kind === 'module').map((m) => `kernel/${m.path}`).sort();
  assert.deepEqual(ours, [...order].sort());
  assert.deepEqual(result.problems, []);
});

test('device tables from source reproduce Debian modules.alias exactly for core bus drivers', { skip: tree === undefined ? why : false }, (t) => {
  const config = readConfigValues(execFileSync('xz', ['-dc', configXz], { encoding: 'utf8' }));
  const st = new SourceTree(src);
  const result = walkKbuild(st, config);
  const dirs = ['drivers/usb/storage/', 'drivers/hid/', 'sound/pci/hda/', 'drivers/net/ethernet/intel/', 'drivers/virtio/', 'arch/x86/crypto/', 'drivers/input/serio/', 'drivers/ata/'];
  const fileToModule = new Map<string, string>();
  for (const m of result.modules) if (m.kind === 'module' && dirs.some((d) => m.path.startsWith(d))) for (const p of m.parts) fileToModule.set(p.replace(/\.o$/, '.c'), m.name);
  const scanned = scanTreeTables(new TableSource(st), [...fileToModule.keys()], config);
  const ours = new Set<string>();
  for (const f of scanned) for (const a of [...f.tables.flatMap((x) => x.aliases), ...f.explicit]) ours.add(`${fileToModule.get(f.file)} ${a}`);
  const modules = new Set(fileToModule.values());
  const expected = readFileSync(join(tree!.dir, 'modules.alias'), 'utf8').split('\n').filter((l) => l.startsWith('alias ')).map((l) => l.split(' ')).filter((p) => modules.has(p[2]!)).map((p) => `${p[2]} ${p[1]}`);
  const missing = expected.filter((e) => !ours.has(e));
  t.diagnostic(`${modules.size} modules, ${expected.length - missing.length}/${expected.length} aliases reproduced`);
  assert.ok(expected.length > 3000, `expected aliases: ${expected.length}`);
  assert.deepEqual(missing, []);
});

test('table scan: a file it cannot read or parse is a problem with its path, the rest goes on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-scan-'));
  try {
    mkdirSync(join(dir, 'include/linux'), { recursive: true });
    writeFileSync(join(dir, 'include/linux/ids.h'), '#define MY_VENDOR 0x1af4\n');
    mkdirSync(join(dir, 'drivers/x'), { recursive: true });
    writeFileSync(join(dir, 'drivers/x/good.c'), 'static const struct virtio_device_id id_table[] = { { 1, MY_VENDOR }, { 0 } };\nMODULE_DEVICE_TABLE(virtio, id_table);\n');
    writeFileSync(join(dir, 'drivers/x/odd.c'), 'static const struct pci_device_id t[] = { { PCI_DEVICE(1, \nMODULE_DEVICE_TABLE(pci, t);\n\u00ff\u0000');
    const out = scanTreeTables(new TableSource(new SourceTree(dir)), ['drivers/x/good.c', 'drivers/x/missing.c', 'drivers/x/odd.c'], undefined);
    const byFile = new Map(out.map((f) => [f.file, f]));
    assert.deepEqual(byFile.get('drivers/x/good.c')?.tables.map((t) => t.aliases), [['virtio:d00000001v00001AF4*']]);
    assert.match(byFile.get('drivers/x/missing.c')?.problems[0] ?? '', /drivers\/x\/missing\.c: cannot read/);
    assert.ok(byFile.has('drivers/x/odd.c'), 'a malformed table does not stop the scan');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
