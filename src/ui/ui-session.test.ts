// UiSession against `kfit config olddefconfig` (runTarget) on the real trees (6.12 and 6.1, when installed):
// random edits of bool/tristate entries (values the row offers), undo of half of them, and a member of every
// choice selected; each time the session's .config must equal olddefconfig on the start plus the edits' lines.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runTarget } from '../core/kconfig/targets.ts';
import type { KconfigModel, KconfigSymbol } from '../core/kconfig/model.ts';
import { loadKernelTree, makeBaseConfig } from '../host/nixos-system.ts';
import { allowedValues } from './menu-rows.ts';
import { UiSession } from './ui-session.ts';

const cache = process.env.KFIT_CACHE ?? join(process.env.HOME ?? '', '.cache', 'kfit');

function olddefconfig(model: KconfigModel, text: string): string {
  return runTarget(model, { target: 'olddefconfig', config: { name: '.config', text } }).output!;
}

function line(name: string, value: string): string {
  return value === 'n' ? `# CONFIG_${name} is not set\n` : `CONFIG_${name}=${value}\n`;
}

for (const version of ['6.12', '6.1']) {
  const src = join(cache, `linux-${version}`);
  test(`${version}: random edits, undo and every choice agree with olddefconfig`, { skip: !existsSync(join(src, 'Kconfig')) && `no linux-${version} in KFIT_CACHE` }, () => {
    const tree = loadKernelTree(src, 'x86_64');
    const model = tree.model;
    const start = makeBaseConfig(tree, 'defconfig');
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const entries = model.nodes.filter((n) => n.sym && !n.sym.isChoice && !n.sym.choice && n.prompt && (n.sym.type === 'bool' || n.sym.type === 'tristate'));
    let edits = 0;
    for (let round = 0; round < 4; round++) {
      const s = UiSession.start(model, start, { file: 'defconfig' });
      let text = start;
      const offeredNow = entries.filter((n) => allowedValues(s.ev, n).length > 1);
      for (let k = 0; k < 15; k++) {
        const node = offeredNow[rnd(offeredNow.length)];
        const sym = node.sym!;
        const offered = allowedValues(s.ev, node).filter((v) => v !== s.ev.value(sym));
        if (offered.length === 0) continue;
        const v = offered[rnd(offered.length)];
        const r = s.set(sym.name, v);
        assert.equal(r.ok, true, `${sym.name}=${v} is offered but refused: ${r.error}`);
        text += line(sym.name, v);
        edits++;
      }
      assert.equal(s.dotConfig(), olddefconfig(model, text), `round ${round}`);
      const list = s.editList();
      for (let i = 1; i < list.length; i += 2) assert.equal(s.undo(list[i].id).ok, true);
      const kept = list.filter((_, i) => i % 2 === 0).map((e) => line(e.name, e.value)).join('');
      assert.equal(s.dotConfig(), olddefconfig(model, start + kept), `round ${round} after undo`);
    }
    assert.ok(edits > 20, `only ${edits} edits made`);
    // every choice with a visible member other than the selected one: select it (choice_set_value())
    let choices = 0;
    const s = UiSession.start(model, start, { file: 'defconfig' });
    for (const node of model.nodes) {
      if (node.kind !== 'choice') continue;
      assert.equal(s.reset().ok, true);
      const ev = s.ev;
      const visible: KconfigSymbol[] = [];
      for (let c = node.firstChild; c; c = c.next) if (c.sym && !c.sym.isChoice && ev.visibility(c.sym) !== 0) visible.push(c.sym);
      const selected = ev.choiceSelection(node);
      const target = visible.find((m) => m !== selected);
      if (!target) continue;
      choices++;
      assert.equal(s.set(target.name, 'y').ok, true, target.name);
      assert.equal(s.ev.value(target), 'y', target.name);
      const text = start + visible.map((m) => line(m.name, m === target ? 'y' : 'n')).join('');
      assert.equal(s.dotConfig(), olddefconfig(model, text), target.name);
    }
    assert.ok(choices > 10, `only ${choices} choices tried`);
  });
}
