/// <reference lib="dom" />
// The page of `kfit ui` (bundled by esbuild into dist/ui/app.js): a menuconfig-like tree loaded menu by menu,
// search, value controls, the help/why panel, the changes with undo, exports and the pipeline check.
// Keys: ↑/↓ move, → open, ← close, y/m/n set, space cycles, Enter edits text, / searches, u undoes the last edit.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import type { UiChanges, UiCheck, UiHelp, UiInfo, UiNode, UiSearchHit, UiSetResult } from './api.ts';
import './app.css';

async function api<T>(path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!r.ok) throw new Error(((await r.json().catch(() => ({}))) as { error?: string }).error ?? `${r.status} ${path}`);
  return (r.headers.get('content-type') ?? '').startsWith('text/plain') ? ((await r.text()) as T) : ((await r.json()) as T);
}

/** A row as laid out on screen: the node and its depth. */
interface Line {
  readonly node: UiNode;
  readonly depth: number;
}

function layout(root: number, menus: ReadonlyMap<number, readonly UiNode[]>, open: ReadonlySet<number>, showAll: boolean): Line[] {
  const out: Line[] = [];
  const walk = (id: number, depth: number): void => {
    for (const node of menus.get(id) ?? []) {
      if (!node.visible && !showAll) continue;
      out.push({ node, depth });
      if (node.hasChildren && open.has(node.id)) walk(node.id, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function ValueControl({ node, onSet, editing, setEditing }: { node: UiNode; onSet: (v: string) => void; editing: boolean; setEditing: (b: boolean) => void }) {
  if (node.kind === 'menu' || node.kind === 'comment') return html`<span class="ctl"></span>`;
  if (node.kind === 'choice') return html`<span class="ctl choice">${node.value ? '' : '—'}</span>`;
  if (node.choice !== undefined) {
    return html`<span class="ctl"><button class=${`radio ${node.selected ? 'on' : ''}`} disabled=${!node.allowed.includes('y')} title="select" onClick=${(e: Event) => { e.stopPropagation(); onSet('y'); }}>${node.selected ? '◉' : '○'}</button></span>`;
  }
  if (node.type === 'bool' || node.type === 'tristate') {
    const vals = node.type === 'bool' ? ['n', 'y'] : ['n', 'm', 'y'];
    return html`<span class="ctl tri">${vals.map((v) => html`<button class=${`v ${node.value === v ? 'on' : ''} ${node.allowed.includes(v) ? '' : 'no'}`} data-v=${v} title=${node.allowed.includes(v) ? `set ${v}` : `${v} is not allowed now`}
      onClick=${(e: Event) => { e.stopPropagation(); onSet(v); }}>${v}</button>`)}</span>`;
  }
  if (editing) {
    return html`<span class="ctl"><input class="text" value=${node.value} ref=${(el: HTMLInputElement | null) => el && document.activeElement !== el && (el.focus(), el.select())}
      onKeyDown=${(e: KeyboardEvent) => { e.stopPropagation(); if (e.key === 'Enter') { setEditing(false); onSet((e.target as HTMLInputElement).value); } else if (e.key === 'Escape') setEditing(false); }}
      onBlur=${() => setEditing(false)} /></span>`;
  }
  return html`<span class="ctl"><button class="str" disabled=${node.allowed.length === 0} onClick=${(e: Event) => { e.stopPropagation(); setEditing(true); }}>(${node.value})</button></span>`;
}

function Row({ line, selected, onSelect, onToggle, onSet, open, editing, setEditing }: {
  line: Line; selected: boolean; open: boolean; editing: boolean; setEditing: (b: boolean) => void;
  onSelect: () => void; onToggle: () => void; onSet: (v: string) => void;
}) {
  const n = line.node;
  const cls = `row ${selected ? 'sel' : ''} ${n.visible ? '' : 'hidden'} ${n.changed ? 'changed' : ''} kind-${n.kind}`;
  return html`<div class=${cls} style=${`padding-left:${0.4 + line.depth * 1.3}em`} onClick=${onSelect} onDblClick=${onToggle} data-id=${n.id} data-name=${n.name}>
    <span class="twisty" onClick=${(e: Event) => { e.stopPropagation(); onToggle(); }}>${n.hasChildren ? (open ? '▾' : '▸') : ''}</span>
    <${ValueControl} node=${n} onSet=${onSet} editing=${editing} setEditing=${setEditing} />
    <span class="prompt">${n.kind === 'comment' ? html`<i>*** ${n.prompt} ***</i>` : n.prompt}${n.kind === 'choice' && n.value ? html` <span class="cv">(${n.value})</span>` : ''}</span>
    ${n.name ? html`<span class="name">${n.name}</span>` : ''}
    ${n.user ? html`<span class="badge" title="has a user value">●</span>` : ''}
  </div>`;
}

function Modal({ title, text, onClose, file }: { title: string; text: string; file?: string; onClose: () => void }) {
  const download = () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    a.download = file ?? 'kfit.txt';
    a.click();
  };
  return html`<div class="modal" onClick=${onClose}><div class="box" onClick=${(e: Event) => e.stopPropagation()}>
    <div class="bar"><b>${title}</b><span class="grow"></span>
      ${file ? html`<button onClick=${download}>Download ${file}</button>` : ''}
      <button onClick=${() => void navigator.clipboard?.writeText(text)}>Copy</button><button onClick=${onClose}>Close</button></div>
    <pre>${text}</pre></div></div>`;
}

function App() {
  const [info, setInfo] = useState<UiInfo | null>(null);
  const [menus, setMenus] = useState<Map<number, UiNode[]>>(new Map());
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [sel, setSel] = useState<number | null>(null);
  const [help, setHelp] = useState<UiHelp | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<UiSearchHit[] | null>(null);
  const [changes, setChanges] = useState<UiChanges | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [modal, setModal] = useState<{ title: string; text: string; file?: string } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const refresh = async (openIds: Set<number> = open) => {
    if (!info) return;
    const ids = [info.root, ...openIds];
    const got = await api<Record<string, UiNode[]>>(`/api/menus?ids=${ids.join(',')}`);
    setMenus(new Map(Object.entries(got).map(([k, v]) => [Number(k), v])));
    setChanges(await api<UiChanges>('/api/changes'));
  };
  useEffect(() => { void api<UiInfo>('/api/info').then(setInfo); }, []);
  useEffect(() => { if (info) void refresh().then(() => listRef.current?.focus()); }, [info]);
  useEffect(() => {
    if (sel === null) return;
    void api<UiHelp>(`/api/help?id=${sel}`).then(setHelp).catch(() => setHelp(null));
  }, [sel, changes]);
  useEffect(() => {
    const q = query.trim();
    if (q === '') { setHits(null); return; }
    const t = setTimeout(() => void api<UiSearchHit[]>(`/api/search?q=${encodeURIComponent(q)}`).then(setHits), 120);
    return () => clearTimeout(t);
  }, [query, changes]);

  const toggle = async (id: number, want?: boolean) => {
    const next = new Set(open);
    const isOpen = next.has(id);
    if (want === isOpen) return;
    if (isOpen) next.delete(id);
    else next.add(id);
    setOpen(next);
    if (!isOpen && !menus.has(id)) {
      const rows = await api<UiNode[]>(`/api/menu?id=${id}`);
      setMenus((m) => new Map(m).set(id, rows));
    }
  };
  const report = (r: UiSetResult, what: string) => {
    if (!r.ok) setStatus({ text: r.error ?? 'refused', error: true });
    else {
      const others = r.changed.slice(1).map((c) => `${c.name} ${c.before || '""'}→${c.after || '""'}`);
      setStatus({ text: `${what}${others.length ? `; also changed: ${others.slice(0, 8).join(', ')}${others.length > 8 ? ` and ${others.length - 8} more` : ''}` : ''}`, error: false });
    }
  };
  const set = async (node: UiNode, value: string) => {
    if (!node.name) return;
    const r = await api<UiSetResult>('/api/set', { name: node.name, value });
    report(r, `${node.name} = ${value}`);
    await refresh();
  };
  const undo = async (id: number, name: string) => {
    report(await api<UiSetResult>('/api/undo', { id }), `undid ${name}`);
    await refresh();
  };
  const reveal = async (hit: UiSearchHit) => {
    const next = new Set(open);
    for (const a of hit.ancestors) next.add(a);
    setOpen(next);
    setQuery('');
    setSel(hit.node.id);
    await refresh(next);
    requestAnimationFrame(() => listRef.current?.querySelector('.row.sel')?.scrollIntoView({ block: 'center' }));
  };
  const exportText = async (kind: 'config' | 'nix') => {
    const text = await api<string>(`/api/export/${kind}`);
    setModal({ title: kind === 'config' ? '.config' : 'Nix (boot.kernelPatches entry)', text, file: kind === 'config' ? 'kfit.config' : 'kfit-ui.nix' });
  };
  const check = async () => {
    setStatus({ text: "running nixpkgs' pipeline (simulated)…", error: false });
    const c = await api<UiCheck>('/api/check', {});
    const fresh = new Set(c.fresh);
    const text = [
      `exit ${c.exitCode}${c.added.length ? `; your edits add: ${c.added.join(', ')}` : ''}; ${c.fresh.length} line(s) come from the edits (marked +)`,
      '',
      ...c.lines.map((l) => `${fresh.has(l) ? '+ ' : '  '}${l}`),
      '',
      ...(c.diagnoses.length ? ['kfit: why', ...c.diagnoses.map((d) => `  ${d.name}: ${d.why}`)] : []),
    ].join('\n');
    setModal({ title: c.exitCode === 0 ? 'generate-config.pl would accept it' : 'generate-config.pl fails', text });
    setStatus(null);
  };

  const lines = info ? layout(info.root, menus, open, showAll) : [];
  const rows: UiNode[] = hits ? hits.filter((h) => showAll || h.node.visible).map((h) => h.node) : lines.map((l) => l.node);
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    if (e.key === '/') { e.preventDefault(); searchRef.current?.focus(); return; }
    const i = rows.findIndex((r) => r.id === sel);
    const cur = i >= 0 ? rows[i] : null;
    const move = (d: number) => {
      const j = Math.max(0, Math.min(rows.length - 1, (i < 0 ? -1 : i) + d));
      if (rows[j]) { setSel(rows[j].id); requestAnimationFrame(() => listRef.current?.querySelector('.row.sel')?.scrollIntoView({ block: 'nearest' })); }
    };
    if (e.key === 'ArrowDown' || e.key === 'j') move(1);
    else if (e.key === 'ArrowUp' || e.key === 'k') move(-1);
    else if (e.key === 'PageDown') move(20);
    else if (e.key === 'PageUp') move(-20);
    else if (e.key === 'ArrowRight' && cur?.hasChildren) void toggle(cur.id, true);
    else if (e.key === 'ArrowLeft' && cur) {
      if (open.has(cur.id)) void toggle(cur.id, false);
      else { const parent = [...menus].find(([, v]) => v.some((r) => r.id === cur.id))?.[0]; if (parent !== undefined && parent !== info?.root) setSel(parent); }
    } else if (cur && (e.key === 'y' || e.key === 'm' || e.key === 'n')) void set(cur, e.key);
    else if (cur && e.key === ' ') {
      e.preventDefault();
      const order = ['n', 'm', 'y'].filter((v) => cur.allowed.includes(v));
      if (order.length) void set(cur, order[(order.indexOf(cur.value) + 1) % order.length]);
    } else if (cur && e.key === 'Enter') {
      if (cur.allowed.includes('*')) setEditing(cur.id);
      else if (cur.hasChildren) void toggle(cur.id);
    } else if (e.key === 'u' && changes && changes.edits.length) { const last = changes.edits[changes.edits.length - 1]; void undo(last.id, last.name); }
    else return;
    e.preventDefault();
  };

  if (!info) return html`<div class="loading">loading…</div>`;
  return html`<div class="app" onKeyDown=${onKey}>
    <header>
      <b class="logo">kfit ui</b><span class="meta">${info.mainmenu} · ${info.arch} · start: ${info.start}</span><span class="grow"></span>
      <input ref=${searchRef} class="search" placeholder="Search names, prompts, help  ( / )" value=${query}
        onInput=${(e: Event) => setQuery((e.target as HTMLInputElement).value)}
        onKeyDown=${(e: KeyboardEvent) => { if (e.key === 'Escape') { setQuery(''); listRef.current?.focus(); } else if (e.key === 'Enter' || e.key === 'ArrowDown') { if (hits?.length) { setSel(hits[0].node.id); listRef.current?.focus(); } } }} />
      <label class="opt"><input type="checkbox" checked=${showAll} onChange=${() => setShowAll(!showAll)} /> show hidden</label>
      <button onClick=${() => void exportText('config')}>Export .config</button>
      <button onClick=${() => void exportText('nix')}>Export Nix</button>
      ${info.canCheck ? html`<button class="primary" onClick=${() => void check()}>Check with nixpkgs' pipeline</button>` : ''}
    </header>
    <div class=${`status ${status?.error ? 'err' : ''}`}>${status?.text ?? 'y/m/n set · space cycles · → ← open/close · / search · u undo'}</div>
    <main>
      <div class="tree" tabIndex="0" ref=${listRef}>
        ${hits
          ? html`<div class="hits-head">${hits.length} result${hits.length === 1 ? '' : 's'} for “${query}”${!showAll && hits.some((h) => !h.node.visible) ? ` (${hits.filter((h) => !h.node.visible).length} hidden: tick “show hidden”)` : ''}</div>${hits.filter((h) => showAll || h.node.visible).map((h) => html`<div class="hit">
              <${Row} line=${{ node: h.node, depth: 0 }} selected=${sel === h.node.id} open=${false} editing=${editing === h.node.id} setEditing=${(b: boolean) => setEditing(b ? h.node.id : null)}
                onSelect=${() => setSel(h.node.id)} onToggle=${() => void reveal(h)} onSet=${(v: string) => void set(h.node, v)} />
              <div class="path" onClick=${() => void reveal(h)}>${h.path.join(' › ') || '(top)'} ${h.match === 'help' ? '· in help' : ''}</div></div>`)}`
          : lines.map((l) => html`<${Row} key=${l.node.id} line=${l} selected=${sel === l.node.id} open=${open.has(l.node.id)} editing=${editing === l.node.id}
              setEditing=${(b: boolean) => setEditing(b ? l.node.id : null)} onSelect=${() => setSel(l.node.id)} onToggle=${() => void toggle(l.node.id)} onSet=${(v: string) => void set(l.node, v)} />`)}
      </div>
      <aside>
        <section class="help">
          <h3>${help ? (help.name ? `CONFIG_${help.name}` : help.node?.prompt ?? '') : 'Help'}</h3>
          ${help ? html`<ul class="why">${help.why.map((w) => html`<li>${w}</li>`)}</ul><pre>${help.help}</pre>` : html`<p class="dim">Select an entry to see its help and why it has its value.</p>`}
        </section>
        <section class="changes">
          <h3>Changed (${changes?.edits.length ?? 0} edits, ${changes?.diff.length ?? 0} values)</h3>
          ${changes?.edits.length ? html`<ul class="edits">${changes.edits.map((e) => html`<li><span class="name">${e.name}</span> = <b>${e.value}</b> <span class="dim">${e.moved > 1 ? `(${e.moved} values)` : ''}</span>
              <button class="undo" onClick=${() => void undo(e.id, e.name)} title="undo this edit">undo</button></li>`)}</ul>` : html`<p class="dim">No edits yet.</p>`}
          ${changes?.diff.length ? html`<table class="diff"><tbody>${changes.diff.map((d) => html`<tr title=${d.menu}><td class="name">${d.name}</td><td class="old">${d.before ?? '—'}</td><td>→</td><td class="new">${d.after ?? '—'}</td></tr>`)}</tbody></table>` : ''}
        </section>
      </aside>
    </main>
    ${modal ? html`<${Modal} ...${modal} onClose=${() => setModal(null)} />` : ''}
  </div>`;
}

render(html`<${App} />`, document.getElementById('app')!);
