// `kfit ui`'s JSON API against a server on a random port: a small hand-made tree (always) and the real 6.12 tree
// (when installed). Values after a change are compared with the engine run directly and with `kfit config
// olddefconfig` (runTarget) on the starting .config plus the edit's line.
import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readDotConfig } from '../core/dotconfig/read.ts';
import { Evaluation } from '../core/kconfig/evaluation.ts';
import type { KconfigModel } from '../core/kconfig/model.ts';
import { runTarget } from '../core/kconfig/targets.ts';
import type { UiChanges, UiCheck, UiHelp, UiInfo, UiNode, UiSearchHit, UiSetResult } from '../ui/api.ts';
import { symbolValue } from '../ui/menu-rows.ts';
import { UiSession } from '../ui/ui-session.ts';
import { loadKernelTree, makeBaseConfig } from './nixos-system.ts';
import { startUiServer, type UiServer } from './ui-server.ts';
import { client, fakeTree } from './ui-server.test-support.ts';

const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache', 'kfit');
const tree612 = join(cache, 'linux-6.12');

const KCONFIG = `mainmenu "Fake"
config MODULES
\tbool "Modules"
\tdefault y
\tmodules
config A
\tbool "A"
\tdefault y
config B
\ttristate "B"
\tdepends on A
\tdefault m
config C
\tbool
\tdefault y if B
config S
\tbool "S"
\tdefault y
\tselect D
config D
\ttristate "D"
config N
\tint "N"
\trange 1 10
\tdefault 5
menu "M"
config H
\thex "H"
\tdefault 0x10
\thelp
\t  The H value, for the search.
choice
\tprompt "Pick"
\tdefault P1
config P1
\tbool "P1"
config P2
\tbool "P2"
endchoice
endmenu
`;

// every named symbol's value in `ev`
function allValues(model: KconfigModel, ev: Evaluation): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of model.byName.values()) out.set(s.name, symbolValue(ev, s));
  return out;
}

function olddefconfig(model: KconfigModel, text: string): string {
  return runTarget(model, { target: 'olddefconfig', config: { name: '.config', text } }).output!;
}

function line(name: string, value: string): string {
  return value === 'n' ? `# CONFIG_${name} is not set\n` : `CONFIG_${name}=${value}\n`;
}

let small: { dir: string; model: KconfigModel; server: UiServer; session: UiSession };

before(async () => {
  const dir = fakeTree(KCONFIG);
  const tree = loadKernelTree(dir, 'x86_64');
  const session = UiSession.start(tree.model, 'CONFIG_N=7\n', { file: 'start.config' });
  const server = await startUiServer({ session, info: { mainmenu: tree.model.mainmenu, srctree: dir, arch: 'x86_64', flavor: tree.model.flavor, start: 'start.config' } });
  small = { dir, model: tree.model, server, session };
});

after(async () => {
  await small.server.close();
  rmSync(small.dir, { recursive: true, force: true });
});

test('the server listens on 127.0.0.1 only, on a free port', () => {
  assert.match(small.server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(small.server.port, 0);
});

test('info and the top menu: rows with prompts, values, visibility and the values allowed now', async () => {
  const c = client(small.server);
  const info = await c.get<UiInfo>('/api/info');
  assert.equal(info.mainmenu, 'Fake');
  assert.equal(info.canCheck, false);
  const top = await c.get<UiNode[]>(`/api/menu?id=${info.root}`);
  const by = new Map(top.map((n) => [n.name || n.prompt, n]));
  // B depends on A, so menu_finalize() puts it below A (menuconfig indents it there)
  assert.deepEqual([...by.keys()], ['MODULES', 'A', 'S', 'D', 'N', 'M']);
  assert.equal(by.get('A')!.value, 'y');
  assert.deepEqual(by.get('A')!.allowed, ['n', 'y']);
  assert.equal(by.get('A')!.hasChildren, true);
  const underA = await c.get<UiNode[]>(`/api/menu?id=${by.get('A')!.id}`);
  assert.deepEqual(underA.map((n) => [n.name, n.value, n.allowed.join('')]), [['B', 'm', 'nmy']]);
  // D is selected by S=y: it cannot go below y, so y is all that is left
  assert.equal(by.get('D')!.value, 'y');
  assert.deepEqual(by.get('D')!.allowed, []);
  assert.equal(by.get('N')!.value, '7');
  assert.equal(by.get('N')!.user, false, 'a value from the starting config is no edit');
  assert.equal(by.get('M')!.hasChildren, true);
  const inner = await c.get<UiNode[]>(`/api/menu?id=${by.get('M')!.id}`);
  assert.deepEqual(inner.map((n) => n.name || n.prompt), ['H', 'Pick']);
  const members = await c.get<UiNode[]>(`/api/menu?id=${inner[1].id}`);
  assert.deepEqual(members.map((n) => [n.name, n.selected]), [['P1', true], ['P2', false]]);
});

test('a toggle changes the dependents exactly as the engine and kfit config olddefconfig compute them; undo restores', async () => {
  const c = client(small.server);
  const before = await c.get<string>('/api/export/config');
  const r = await c.set('A', 'n');
  assert.equal(r.ok, true);
  assert.deepEqual(r.changed.map((x) => `${x.name}:${x.before}>${x.after}`), ['A:y>n', 'B:m>n', 'C:y>n']);
  // the engine run directly on the same user values
  const read = readDotConfig(small.model, 'CONFIG_N=7\n# CONFIG_A is not set\n', 'x').assignments;
  const direct = Evaluation.create(small.model, read);
  assert.deepEqual(allValues(small.model, small.session.ev), allValues(small.model, direct));
  // the exported .config is kfit config olddefconfig's output for the start plus the edit's line
  const exported = await c.get<string>('/api/export/config');
  assert.equal(exported, olddefconfig(small.model, `${before}${line('A', 'n')}`));
  const changes = await c.get<UiChanges>('/api/changes');
  assert.deepEqual(changes.edits.map((e) => [e.name, e.value]), [['A', 'n']]);
  assert.deepEqual(changes.diff.map((d) => [d.name, d.before, d.after]), [['A', 'y', 'n'], ['B', 'm', null], ['C', 'y', null]]);
  const nix = await c.get<string>('/api/export/nix');
  assert.match(nix, /^\s+A = no;$/m);
  assert.doesNotMatch(nix, /\bB = /);
  const u = (await c.post<UiSetResult>('/api/undo', { id: changes.edits[0].id })).json;
  assert.equal(u.ok, true);
  assert.equal(await c.get<string>('/api/export/config'), before);
  assert.deepEqual((await c.get<UiChanges>('/api/changes')).edits, []);
});

test('refused values say why and change nothing', async () => {
  const c = client(small.server);
  const cases: [string, string, RegExp][] = [
    ['D', 'n', /selected by S=y/],
    ['N', '11', /out of range: N must be within 1\.\.10/],
    ['N', 'x1', /not a valid int/],
    ['A', 'm', /bool: m is not a value/],
    ['C', 'n', /has no prompt/],
    ['P1', 'n', /choice member/],
  ];
  for (const [name, value, why] of cases) {
    const r = await c.set(name, value);
    assert.equal(r.ok, false, `${name}=${value}`);
    assert.match(r.error!, why);
  }
  await c.set('A', 'n');
  const hidden = await c.set('B', 'y');
  assert.match(hidden.error!, /B is not visible: its prompt needs A/);
  await c.post('/api/reset', {});
  assert.deepEqual((await c.get<UiChanges>('/api/changes')).edits, []);
  const missing = await c.post<{ error: string }>('/api/set', { name: 'NOPE', value: 'y' });
  assert.equal(missing.status, 400);
  assert.match(missing.json.error, /no symbol NOPE/);
  const bad = await c.post<{ error: string }>('/api/set', '{"name": 1');
  assert.equal(bad.status, 400);
});

test('a choice member is selected as choice_set_value() does; hex and int values; help and why', async () => {
  const c = client(small.server);
  const r = await c.set('P2', 'y');
  assert.equal(r.ok, true);
  assert.deepEqual(r.changed.map((x) => `${x.name}:${x.after}`), ['P2:y', 'P1:n']);
  assert.equal((await c.set('H', '1f')).ok, true);
  assert.match(await c.get<string>('/api/export/config'), /^CONFIG_H=0x1f$/m);
  assert.equal((await c.set('N', '3')).ok, true);
  const n = (await c.get<UiSearchHit[]>('/api/search?q=N'))[0].node;
  assert.deepEqual([n.name, n.value, n.user, n.changed], ['N', '3', true, true]);
  const help = await c.get<UiHelp>('/api/help?name=H');
  assert.match(help.help, /^CONFIG_H:\n\nThe H value, for the search\.\n/);
  assert.match(help.help, /Symbol: H \[=0x1f\]/);
  assert.match(help.why[0], /^H = 0x1f: your value 0x1f/);
  const d = await c.get<UiHelp>('/api/help?name=D');
  assert.match(d.why.join('\n'), /selected by S=y/);
  await c.post('/api/reset', {});
});

test('search finds names first, then prompts, then help texts, with the menu path', async () => {
  const c = client(small.server);
  const p = await c.get<UiSearchHit[]>('/api/search?q=p2');
  assert.deepEqual(p.map((h) => [h.node.name, h.path]), [['P2', ['M', 'Pick']]]);
  const h = await c.get<UiSearchHit[]>('/api/search?q=for%20the%20search');
  assert.deepEqual(h.map((x) => [x.node.name, x.match]), [['H', 'help']]);
  assert.deepEqual(await c.get<UiSearchHit[]>('/api/search?q=CONFIG_zzz'), []);
});

test('the pipeline check: the intermediate text plus the edits, simulated, with the errors explained', async () => {
  const session = UiSession.start(small.model, 'CONFIG_MODULES=y\n', { file: 'base' });
  const pipeline = { kernelConfig: 'A y\nB m\n', file: 'kernel-config', baseConfig: session.startConfig, options: { autoModules: true } };
  const server = await startUiServer({ session, pipeline, info: { mainmenu: 'Fake', srctree: small.dir, arch: 'x86_64', flavor: small.model.flavor, start: 'kernel-config' } });
  try {
    const c = client(server);
    assert.equal((await c.get<UiInfo>('/api/info')).canCheck, true);
    const clean = (await c.post<UiCheck>('/api/check', {})).json;
    assert.deepEqual([clean.exitCode, clean.lines, clean.added, clean.fresh], [0, [], [], []]);
    assert.equal((await c.set('A', 'n')).ok, true);
    const broken = (await c.post<UiCheck>('/api/check', {})).json;
    assert.deepEqual(broken.added, ['A n']);
    assert.equal(broken.exitCode, 255);
    assert.deepEqual(broken.lines, ['error: unused option: B']);
    assert.deepEqual(broken.fresh, ['error: unused option: B'], 'the edit caused it');
    assert.equal(broken.diagnoses[0].name, 'B');
    assert.match(broken.diagnoses[0].why, /A/);
  } finally {
    await server.close();
  }
  // without --kernel-config there is nothing to check
  const none = await client(small.server).post<{ error: string }>('/api/check', {});
  assert.equal(none.status, 400);
  assert.match(none.json.error, /needs kfit ui --kernel-config/);
});

test('the real 6.12 tree: toggles match the engine run directly and kfit config olddefconfig', { skip: !existsSync(join(tree612, 'Kconfig')) && 'no 6.12 tree in KFIT_CACHE' }, async () => {
  const tree = loadKernelTree(tree612, 'x86_64');
  const start = makeBaseConfig(tree, 'defconfig');
  const session = UiSession.start(tree.model, start, { file: 'defconfig' });
  const server = await startUiServer({ session, info: { mainmenu: tree.model.mainmenu, srctree: tree612, arch: 'x86_64', flavor: tree.model.flavor, start: 'defconfig' } });
  try {
    const c = client(server);
    const base = await c.get<string>('/api/export/config');
    assert.equal(base, olddefconfig(tree.model, start));
    const r = await c.set('USB_SUPPORT', 'n');
    assert.equal(r.ok, true);
    assert.ok(r.changed.some((x) => x.name === 'USB' && x.after === 'n'), 'USB follows USB_SUPPORT');
    const e1 = await c.set('CRYPTO_AES_NI_INTEL', 'm');
    const e2 = await c.set('NR_CPUS', '128');
    assert.equal(e1.ok && e2.ok, true);
    let text = start + line('USB_SUPPORT', 'n') + line('CRYPTO_AES_NI_INTEL', 'm') + line('NR_CPUS', '128');
    const direct = Evaluation.create(tree.model, readDotConfig(tree.model, text, 'x').assignments);
    assert.deepEqual(allValues(tree.model, session.ev), allValues(tree.model, direct));
    assert.equal(await c.get<string>('/api/export/config'), olddefconfig(tree.model, text));
    // refused on the real tree: out of range, and a symbol another one selects
    assert.match((await c.set('NR_CPUS', '100000')).error!, /out of range: NR_CPUS must be within 2\.\.512/);
    assert.match((await c.set('CRC32', 'n')).error!, /selected by /);
    // undo the first edit only: the others stay
    const changes = await c.get<UiChanges>('/api/changes');
    await c.post('/api/undo', { id: changes.edits[0].id });
    text = start + line('CRYPTO_AES_NI_INTEL', 'm') + line('NR_CPUS', '128');
    assert.equal(await c.get<string>('/api/export/config'), olddefconfig(tree.model, text));
    const hits = await c.get<UiSearchHit[]>('/api/search?q=usb_storage');
    assert.equal(hits[0].node.name, 'USB_STORAGE');
    assert.deepEqual(hits[0].path, ['Device Drivers', 'USB support']);
  } finally {
    await server.close();
  }
});
