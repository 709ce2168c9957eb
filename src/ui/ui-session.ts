/**
 * The engine state behind `kfit ui`: one starting config, the user's edits in order (each undoable), and an
 * EvaluationSession that follows them (a change propagates in place in a few ms, even on a 6.12 tree).
 * Every API answer of src/host/ui-server.ts is a method here; this file imports core only, so the same
 * state could run in the browser.
 */
import type { AssignmentChange, UserValue } from '../core/kconfig/assignments.ts';
import { Evaluation } from '../core/kconfig/evaluation.ts';
import { EvaluationSession } from '../core/kconfig/evaluation-session.ts';
import { findSymbol, type KconfigModel, type KconfigSymbol, type MenuNode } from '../core/kconfig/model.ts';
import { formatMenuHelp } from '../core/kconfig/symbol-help.ts';
import { postReadV61 } from '../core/kconfig/targets-v61.ts';
import { runTarget } from '../core/kconfig/targets.ts';
import { readDotConfig } from '../core/dotconfig/read.ts';
import { writeDotConfig } from '../core/dotconfig/write.ts';
import { InputError } from '../core/diag/errors.ts';
import { diffConfigs, formatConfigValues, parseConfigValues, planNixChanges, type ConfigValues } from '../core/config-diff/index.ts';
import { emitKernelPatch } from '../core/nix/index.ts';
import type { UiChanges, UiEdit, UiHelp, UiNode, UiSearchHit, UiSetResult, UiValueChange } from './api.ts';
import { childNodes, menuPath, type RowMarks, nodeRow, refusal, searchNodes, symbolValue, whyLines } from './menu-rows.ts';

const TRI = ['n', 'm', 'y'] as const;

/** One user edit: the symbol the user set and every user value it wrote (a choice writes its members). */
interface Edit {
  readonly id: number;
  readonly sym: KconfigSymbol;
  readonly value: string;
  readonly changes: readonly AssignmentChange[];
  readonly moved: number;
}

/** Options of `UiSession.start`. */
export interface UiSessionOptions {
  /** The name the starting config is shown and diffed under. */
  readonly file: string;
}

/** The state of one `kfit ui` server: a model, a starting config and the user's edits. */
export class UiSession {
  readonly model: KconfigModel;
  readonly startText: string;
  /** The starting config as conf writes it (olddefconfig of the input): what diffs and Nix exports start from. */
  readonly startConfig: string;
  private readonly base: Evaluation;
  private readonly session: EvaluationSession;
  private readonly startValues: ConfigValues;
  // every symbol's value text now and at the start, by id ('' for unnamed symbols)
  private readonly now: string[];
  private readonly initial: string[];
  private edits: Edit[] = [];
  private nextEdit = 1;

  private constructor(model: KconfigModel, startText: string, base: Evaluation) {
    this.model = model;
    this.startText = startText;
    this.base = base;
    this.session = EvaluationSession.start(base);
    this.now = this.values();
    this.initial = this.now.slice();
    this.startConfig = writeDotConfig(base);
    this.startValues = parseConfigValues(this.startConfig, 'start').value;
  }

  /**
   * Starts from `.config` text (read as conf_read() does; 6.1 forgets invisible values as conf does).
   * A line that is not a .config line is an InputError with its `file:line:col`.
   */
  static start(model: KconfigModel, text: string, options: UiSessionOptions): UiSession {
    const parsed = parseConfigValues(text, options.file);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw InputError.fromDiagnostics('config/invalid', errors);
    let assignments = readDotConfig(model, text, options.file).assignments;
    if (model.flavor === 'v6.1') assignments = postReadV61(model, assignments);
    return new UiSession(model, text, Evaluation.create(model, assignments));
  }

  /** The live evaluation (changes with the next edit). */
  get ev(): Evaluation {
    return this.session.current;
  }

  private values(): string[] {
    const ev = this.session.current;
    return this.model.symbols.map((s) => (s.name && !s.isConst ? symbolValue(ev, s) : ''));
  }

  private readonly marks: RowMarks = {
    changed: (sym) => this.now[sym.id] !== this.initial[sym.id],
    edited: (sym) => this.edits.some((e) => e.sym === sym),
  };

  private node(id: number): MenuNode {
    const node = this.model.nodes[id];
    if (!node) throw new InputError('ui/no-node', `kfit: no menu node ${id}`);
    return node;
  }

  /** The rows below menu node `id` (the root's for the top level). */
  menu(id: number): UiNode[] {
    const ev = this.ev;
    return childNodes(this.node(id)).filter((c) => c.prompt !== null).map((c) => nodeRow(ev, c, this.marks));
  }

  /** One row. */
  row(id: number): UiNode {
    return nodeRow(this.ev, this.node(id), this.marks);
  }

  /** Search over names, prompts and help texts. */
  search(query: string, limit = 100): UiSearchHit[] {
    return searchNodes(this.ev, query, limit, this.marks);
  }

  /** The help screen and the why lines of a symbol (by name) or a menu node (by id). */
  help(target: string | number): UiHelp {
    const ev = this.ev;
    let node: MenuNode;
    if (typeof target === 'number') node = this.node(target);
    else {
      const sym = this.symbol(target);
      node = sym.nodes.find((n) => n.prompt) ?? sym.nodes[0];
      if (!node) return { name: sym.name, help: '', why: whyLines(ev, sym) };
    }
    const sym = node.sym;
    const why = sym && !sym.isChoice ? whyLines(ev, sym) : [];
    const path = menuPath(this.model, node).path;
    if (path.length > 0) why.push(`location: ${path.join(' > ')}`);
    return { name: sym?.name ?? '', help: formatMenuHelp(ev, node), why, node: nodeRow(ev, node, this.marks) };
  }

  private symbol(name: string): KconfigSymbol {
    const sym = findSymbol(this.model, name.replace(/^CONFIG_/, ''));
    if (!sym || sym.isConst) throw new InputError('ui/no-symbol', `kfit: no symbol ${name} in this tree`);
    return sym;
  }

  /**
   * Sets `name` to `value` (y/m/n, or int/hex/string text) as menuconfig does: refused with a reason when
   * out of range or not visible; a choice member is selected with choice_set_value()'s writes.
   */
  set(name: string, value: string): UiSetResult {
    const sym = this.symbol(name);
    const ev = this.ev;
    const text = sym.type === 'bool' || sym.type === 'tristate' ? value.trim().toLowerCase() : value;
    const why = refusal(ev, sym, text);
    if (why !== null) return { ok: false, error: why, changed: [] };
    const changes = this.changesFor(ev, sym, text);
    const old = this.edits.filter((e) => e.sym !== sym);
    const edit: Edit = { id: this.nextEdit++, sym, value: text, changes, moved: 0 };
    this.edits = [...old, edit];
    this.session.applyChanges(changes);
    const moved = this.refresh(sym);
    this.edits[this.edits.length - 1] = { ...edit, moved: moved.length };
    return { ok: true, changed: moved, edit: edit.id };
  }

  // the user values one set writes: sym_set_tristate_value()/sym_set_string_value(), or choice_set_value()
  private changesFor(ev: Evaluation, sym: KconfigSymbol, text: string): AssignmentChange[] {
    if (sym.type !== 'bool' && sym.type !== 'tristate') {
      // mirrors sym_set_string_value(): a hex value is stored with its 0x
      const str = sym.type === 'hex' && !/^0[xX]/.test(text) ? `0x${text}` : text;
      return [{ sym, value: { tri: 0, str } }];
    }
    const tri = text === 'y' ? 2 : text === 'm' ? 1 : 0;
    const choice = sym.choice;
    if (!choice) return [{ sym, value: { tri, str: TRI[tri] } }];
    // mirrors choice_set_value(), symbol.c (6.12): every visible member is written, the chosen one y
    const out: AssignmentChange[] = [];
    const visit = (node: MenuNode): void => {
      for (let c = node.firstChild; c; c = c.next) {
        const s = c.sym;
        if (s && !s.isChoice && ev.visibility(s) !== 0) {
          const v = s === sym ? 2 : 0;
          out.push({ sym: s, value: { tri: v, str: TRI[v] } });
        }
        visit(c);
      }
    };
    visit(choice);
    // 6.1 keeps the chosen member in the choice symbol (cs->def[S_DEF_USER])
    if (this.model.flavor === 'v6.1' && choice.sym) {
      const cur: UserValue | undefined = ev.assignments.get(choice.sym);
      out.push({ sym: choice.sym, value: { tri: 2, str: cur?.str ?? 'y', choiceMember: sym }, moveChoice: false });
    }
    return out;
  }

  // recomputes the values table; the symbols whose value moved, `first` first
  private refresh(first: KconfigSymbol | null): UiValueChange[] {
    const next = this.values();
    const out: UiValueChange[] = [];
    for (let i = 0; i < next.length; i++) {
      if (next[i] === this.now[i]) continue;
      const c = { name: this.model.symbols[i].name, before: this.now[i], after: next[i] };
      if (first && first.id === i) out.unshift(c);
      else out.push(c);
    }
    for (let i = 0; i < next.length; i++) this.now[i] = next[i];
    return out;
  }

  /** Removes edit `id`: the values are recomputed from the start with every other edit, in order. */
  undo(id: number): UiSetResult {
    const edit = this.edits.find((e) => e.id === id);
    if (!edit) return { ok: false, error: `no edit ${id} (already undone?)`, changed: [] };
    this.edits = this.edits.filter((e) => e !== edit);
    let assignments = this.base.assignments;
    for (const e of this.edits) assignments = assignments.withChanges(e.changes);
    const touched = new Set<KconfigSymbol>(edit.changes.map((c) => c.sym));
    this.session.apply(assignments, [...touched]);
    return { ok: true, changed: this.refresh(edit.sym) };
  }

  /** Undoes every edit. */
  reset(): UiSetResult {
    const touched = new Set<KconfigSymbol>();
    for (const e of this.edits) for (const c of e.changes) touched.add(c.sym);
    this.edits = [];
    this.session.apply(this.base.assignments, [...touched]);
    return { ok: true, changed: this.refresh(null) };
  }

  /** The edits in order. */
  editList(): UiEdit[] {
    return this.edits.map((e) => ({ id: e.id, name: e.sym.name, value: e.value, moved: e.moved }));
  }

  /** The edits and the semantic diff of the .config against the starting one, each line with its menu. */
  changes(): UiChanges {
    const all = diffConfigs(this.startValues, parseConfigValues(this.dotConfig(), 'now').value);
    // `# X is not set` ↔ not written at all is no change of value (a menu that closed drops its n lines)
    const real = all.filter((c) => (c.old ?? 'n') !== (c.new ?? 'n'));
    const diff = real.map((c) => {
      const sym = this.model.byName.get(c.symbol);
      const node = sym?.nodes.find((n) => n.prompt) ?? sym?.nodes[0];
      return { name: c.symbol, before: c.old ?? null, after: c.new ?? null, menu: node ? menuPath(this.model, node).path.join(' > ') : '' };
    });
    return { edits: this.editList(), diff, unwritten: all.length - real.length };
  }

  /** The .config now, as conf writes it (writeDotConfig()). */
  dotConfig(): string {
    return writeDotConfig(this.ev);
  }

  /** The user edits as `NAME VALUE` answers (the intermediate text's format), in edit order. */
  answers(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.edits) {
      const v = this.now[e.sym.id];
      out.set(e.sym.name, e.sym.type === 'string' ? JSON.stringify(v) : v);
    }
    return out;
  }

  /**
   * The minimal Nix file (`kfit nix from-config` logic, planNixChanges()) that turns the starting config into
   * the current one, checked against the engine's olddefconfig of the start plus the plan's answers.
   */
  nixFile(name = 'kfit-ui'): string {
    const newValues = parseConfigValues(this.dotConfig(), 'now').value;
    const evaluate = (answers: ConfigValues): ConfigValues => {
      const text = this.startConfig + formatConfigValues(answers);
      const r = runTarget(this.model, { target: 'olddefconfig', config: { name: '.config', text } });
      return parseConfigValues(r.output ?? '', 'olddefconfig').value;
    };
    const plan = planNixChanges(this.startValues, newValues, { evaluate });
    const header = [`Written by kfit ui: ${plan.changes.length} changed symbols, ${plan.entries.length} lines.`];
    return emitKernelPatch({ name, entries: plan.entries, header });
  }
}
