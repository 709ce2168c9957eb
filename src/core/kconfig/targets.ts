/**
 * The configuration targets of scripts/kconfig/conf.c (and the Makefile's tinyconfig): each turns inputs
 * (.config, defconfig, KCONFIG_ALLCONFIG, seed) into user values, evaluates, and gives the text conf writes.
 */
import { diagnostic, type Diagnostic } from '../diag/diagnostic.ts';
import { InputError } from '../diag/errors.ts';
import { mergeConfigFragments, type ConfigFragment } from '../dotconfig/merge-config.ts';
import { readDotConfig } from '../dotconfig/read.ts';
import { writeMinConfig } from '../dotconfig/min-config.ts';
import { symbolLine, writeDotConfig } from '../dotconfig/write.ts';
import { Assignments, AssignmentsBuilder, moveToTail } from './assignments.ts';
import { Evaluation } from './evaluation.ts';
import { GlibcRandom, type RandconfigProbability } from './glibc-random.ts';
import { menuIsVisible, subEntries, allEntries } from './menu.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from './model.ts';
import { formatConfHelp } from './symbol-help.ts';
import { isChangeable } from './symbol-value.ts';
import { prepareAllV61, postReadV61 } from './targets-v61.ts';

/** The targets `kfit config` runs. */
export const CONFIG_TARGETS = [
  'allnoconfig',
  'allyesconfig',
  'allmodconfig',
  'alldefconfig',
  'defconfig',
  'olddefconfig',
  'savedefconfig',
  'listnewconfig',
  'helpnewconfig',
  'randconfig',
  'tinyconfig',
  'yes2modconfig',
  'mod2yesconfig',
  'mod2noconfig',
] as const;

/** One of CONFIG_TARGETS. */
export type ConfigTarget = (typeof CONFIG_TARGETS)[number];

/** A named input text (the name appears in messages and warnings). */
export interface TextFile {
  readonly name: string;
  readonly text: string;
}

/** What a target reads. The caller (host/CLI) reads the files; core never touches the disk. */
export interface TargetInput {
  readonly target: ConfigTarget;
  /** The existing .config (KCONFIG_CONFIG) for olddefconfig, savedefconfig, listnewconfig, helpnewconfig. */
  readonly config?: TextFile;
  /** When there is no .config: the first existing file of KCONFIG_DEFCONFIG_LIST. */
  readonly defconfigFallback?: TextFile;
  /** defconfig: the *_defconfig file. */
  readonly defconfig?: TextFile;
  /**
   * defconfig of a generated target (arch Makefiles' `$(call merge_into_defconfig,BASE,FRAGMENTS)`, e.g.
   * powerpc's ppc64le_defconfig): merge_config.sh -m of the fragments into BASE, then olddefconfig.
   */
  readonly mergedDefconfig?: { readonly base: TextFile; readonly fragments: readonly ConfigFragment[]; readonly quiet: boolean };
  /**
   * defconfig of a MIPS generic target (arch/mips/Makefile `generic_defconfigs`, e.g. 32r2el_defconfig):
   * generic_defconfig + the bits/revision and endian fragments, then every board fragment whose
   * `# require` lines hold in the olddefconfig'd result (arch/mips/tools/generic-board-config.sh).
   */
  readonly mipsGenericDefconfig?: {
    readonly base: TextFile;
    readonly fragments: readonly ConfigFragment[];
    readonly boards: readonly TextFile[];
  };
  /** KCONFIG_ALLCONFIG for all*config and randconfig. */
  readonly allconfig?: TextFile;
  /** randconfig: the seed conf passes to srand(). */
  readonly seed?: number;
  readonly probability?: RandconfigProbability;
  /** tinyconfig: kernel/configs/tiny-base.config and the merged fragments (tiny.config, arch tiny.config). */
  readonly tinyBase?: TextFile;
  readonly tinyFragments?: readonly ConfigFragment[];
  /** KCONFIG_WARN_UNKNOWN_SYMBOLS. */
  readonly warnUnknown?: boolean;
}

/** What a target produced. */
export interface TargetResult {
  readonly evaluation: Evaluation;
  /** The text conf writes (.config, or the defconfig of savedefconfig); null for listnewconfig/helpnewconfig. */
  readonly output: string | null;
  /** Lines conf prints on stdout before the "configuration written" message (seed, list, using defaults). */
  readonly stdout: readonly string[];
  /** Warnings (conf prints them on stderr). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs one configuration target on a model (mirrors conf.c main()). */
export function runTarget(model: KconfigModel, input: TargetInput): TargetResult {
  const stdout: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const read = (file: TextFile, previous?: Assignments): Assignments => {
    const r = readDotConfig(model, file.text, file.name, { warnUnknown: input.warnUnknown, previous });
    diagnostics.push(...r.diagnostics);
    return r.assignments;
  };
  const v61 = model.flavor === 'v6.1';
  let assignments = Assignments.empty();
  let stale: Evaluation | undefined;
  switch (input.target) {
    case 'defconfig': {
      if (input.mergedDefconfig) return mergedDefconfig(model, input, stdout, diagnostics);
      if (input.mipsGenericDefconfig) return mipsGenericDefconfig(model, input, stdout, diagnostics);
      if (!input.defconfig) throw new InputError('config/no-defconfig', 'kfit: defconfig needs a defconfig file');
      assignments = read(input.defconfig);
      if (v61) assignments = postReadV61(model, assignments);
      if (v61) assignments = prepareAllV61(model, assignments, 'default', undefined, undefined, true);
      break;
    }
    case 'olddefconfig':
    case 'savedefconfig':
    case 'listnewconfig':
    case 'helpnewconfig':
    case 'yes2modconfig':
    case 'mod2yesconfig':
    case 'mod2noconfig': {
      const file = input.config ?? input.defconfigFallback;
      if (!input.config && input.defconfigFallback) stdout.push(`#\n# using defaults found in ${input.defconfigFallback.name}\n#`);
      if (file) {
        assignments = read(file);
        if (v61) assignments = postReadV61(model, assignments);
      }
      const rewrite: Record<string, [Tristate, Tristate]> = { yes2modconfig: [2, 1], mod2yesconfig: [1, 2], mod2noconfig: [1, 0] };
      const r = rewrite[input.target];
      if (r) ({ assignments, stale } = rewriteTristates(model, assignments, r[0], r[1]));
      break;
    }
    case 'tinyconfig':
      return tinyconfig(model, input, stdout, diagnostics);
    default: {
      if (input.allconfig) assignments = read(input.allconfig);
      const mode = input.target === 'allnoconfig' ? 'no' : input.target === 'allyesconfig' ? 'yes' : input.target === 'allmodconfig' ? 'mod' : input.target === 'randconfig' ? 'random' : 'default';
      let rng: GlibcRandom | undefined;
      if (mode === 'random') {
        const seed = input.seed ?? 0;
        stdout.push(`KCONFIG_SEED=0x${(seed >>> 0).toString(16).toUpperCase()}`);
        rng = new GlibcRandom(seed);
      }
      assignments = v61
        ? prepareAllV61(model, assignments, mode, rng, input.probability, false)
        : setAllNewSymbols(model, assignments, mode, rng, input.probability);
    }
  }
  const ev = Evaluation.create(model, assignments, { stale });
  if (input.target === 'listnewconfig' || input.target === 'helpnewconfig') {
    for (const node of newConfigNodes(ev)) {
      if (input.target === 'helpnewconfig') stdout.push(`-----\n${formatConfHelp(ev, node)}-----`);
      else if (node.sym!.name) {
        const line = symbolLine(ev, node.sym!, 'n');
        if (line !== null) stdout.push(line);
      }
    }
    return { evaluation: ev, output: null, stdout, diagnostics: withUnmet(ev, diagnostics) };
  }
  if (input.target === 'savedefconfig') {
    // conf_write_defconfig() computes every value again (sym_clear_all_valid()); 6.1's choices that conf_read()
    // computed to y lost SYMBOL_DEF_USER there if a visible member has no value
    const again = v61 ? unflagChoicesV61(ev) : undefined;
    const defconfig = again ? Evaluation.create(model, again) : ev;
    return { evaluation: ev, output: writeMinConfig(defconfig), stdout, diagnostics: withUnmet(ev, diagnostics) };
  }
  return { evaluation: ev, output: writeDotConfig(ev), stdout, diagnostics: withUnmet(ev, diagnostics) };
}

// mirrors the start of 6.1's sym_calc_choice(), symbol.c: a choice computed to y keeps SYMBOL_DEF_USER only while
// every visible member has a value; the user values with those choices marked `unflagged`, or undefined if none.
function unflagChoicesV61(ev: Evaluation): Assignments | undefined {
  const b = new AssignmentsBuilder(ev.assignments);
  let changed = false;
  for (const cs of ev.model.symbols) {
    const user = cs.isChoice ? ev.assignments.get(cs) : undefined;
    if (!user || user.unflagged || ev.tristate(cs) !== 2) continue;
    if (!cs.nodes.some((node) => node.choiceMembers.some((m) => ev.visibility(m) !== 0 && !ev.assignments.get(m)))) continue;
    b.values.set(cs.id, { ...user, unflagged: true });
    changed = true;
  }
  return changed ? b.build() : undefined;
}

function withUnmet(ev: Evaluation, diagnostics: Diagnostic[]): Diagnostic[] {
  for (const u of ev.unmetDependencies()) {
    diagnostics.push(
      diagnostic('warning', 'kconfig/unmet-dependency', `unmet direct dependencies detected for ${u.symbol.name}`, u.symbol.nodes[0]?.span),
    );
  }
  return diagnostics;
}

type AllMode = 'no' | 'yes' | 'mod' | 'default' | 'random';

// mirrors conf_rewrite_tristates(): user values `from` of (effectively) tristate symbols become `to`.
function rewriteTristates(model: KconfigModel, base: Assignments, from: Tristate, to: Tristate): { assignments: Assignments; stale: Evaluation } {
  const ev = Evaluation.create(model, base);
  ev.calcAll();
  const b = new AssignmentsBuilder(base);
  for (const [id, v] of base.values) {
    const sym = model.symbols[id];
    if (ev.effectiveType(sym) === 'tristate' && v.tri === from) b.values.set(id, { ...v, tri: to });
  }
  return { assignments: b.build(), stale: ev };
}

// mirrors conf_set_all_new_symbols() and randomize_choice_values() of 6.12's conf.c.
function setAllNewSymbols(
  model: KconfigModel,
  base: Assignments,
  mode: AllMode,
  rng: GlibcRandom | undefined,
  probability: RandconfigProbability | undefined,
): Assignments {
  const b = new AssignmentsBuilder(base);
  const pby = probability?.pby ?? 50;
  const pty = probability?.pty ?? 33;
  const ptm = probability?.ptm ?? 33;
  for (const node of allEntries(model)) {
    const sym = node.sym;
    if (!sym || !node.prompt || b.values.has(sym.id) || (sym.type !== 'bool' && sym.type !== 'tristate') || sym.choice) continue;
    if (sym.isChoice) {
      if (mode === 'random') randomizeChoice(b, node, rng!);
      continue;
    }
    let val: Tristate;
    switch (mode) {
      case 'yes':
        val = 2;
        break;
      case 'mod':
        val = 1;
        break;
      case 'no':
        val = 0;
        break;
      case 'random': {
        val = 0;
        const cnt = rng!.next() % 100;
        if (sym.type === 'tristate') {
          if (cnt < pty) val = 2;
          else if (cnt < pty + ptm) val = 1;
        } else if (cnt < pby) val = 2;
        break;
      }
      default:
        continue;
    }
    b.values.set(sym.id, { tri: val, str: '' });
  }
  return b.build();
}

function randomizeChoice(b: AssignmentsBuilder, choice: MenuNode, rng: GlibcRandom): void {
  const entries = subEntries(choice);
  let cnt = 0;
  for (const m of entries) if (m.sym && !b.values.has(m.sym.id)) cnt++;
  while (cnt > 0) {
    let x = rng.next() % cnt;
    for (const m of entries) {
      const sym = m.sym;
      if (sym && !b.values.has(sym.id)) x--;
      if (x < 0 && sym) {
        b.values.set(sym.id, { tri: 2, str: '' });
        b.choiceOrder.set(choice.id, moveToTail(b.priority(choice), sym.id));
        break;
      }
    }
    cnt--;
  }
}

// mirrors sym_has_value(). v6.1: a choice whose value is y loses SYMBOL_DEF_USER while a visible member has no
// user value (the start of sym_calc_choice(), symbol.c).
function hasValue(ev: Evaluation, sym: KconfigSymbol): boolean {
  if (!ev.assignments.has(sym)) return false;
  if (ev.model.flavor !== 'v6.1' || !sym.isChoice || ev.tristate(sym) !== 2) return true;
  for (const node of sym.nodes) for (const m of node.choiceMembers) if (ev.visibility(m) !== 0 && !ev.assignments.has(m)) return false;
  return true;
}

// mirrors check_conf() in listnewconfig/helpnewconfig mode: the visible, changeable symbols without a user
// value (v6.1 also a choice whose value is y), in menu order.
function newConfigNodes(ev: Evaluation): MenuNode[] {
  const out: MenuNode[] = [];
  const marked = new Set<number>();
  const v61 = ev.model.flavor === 'v6.1';
  const walk = (node: MenuNode): void => {
    if (!menuIsVisible(ev, node)) return;
    const sym = node.sym;
    if (sym && node.prompt && ev.propertyVisibility(node.prompt) === 0) marked.add(sym.id);
    if (sym && !hasValue(ev, sym) && !marked.has(sym.id) && (isChangeable(ev, sym) || (v61 && sym.isChoice && ev.tristate(sym) === 2))) {
      out.push(node);
    }
    for (let c = node.firstChild; c; c = c.next) walk(c);
  };
  walk(ev.model.root);
  return out;
}

// The Makefile's tinyconfig: allnoconfig with KCONFIG_ALLCONFIG=tiny-base.config, merge_config.sh -m of the
// tiny fragments, then olddefconfig.
function tinyconfig(model: KconfigModel, input: TargetInput, stdout: string[], diagnostics: Diagnostic[]): TargetResult {
  const first = runTarget(model, { target: 'allnoconfig', allconfig: input.tinyBase, warnUnknown: input.warnUnknown });
  diagnostics.push(...first.diagnostics);
  stdout.push(...first.stdout, '#\n# configuration written to .config\n#');
  const merged = mergeConfigFragments({ name: '.config', text: first.output! }, input.tinyFragments ?? []);
  stdout.push(...merged.stdout);
  if (merged.exitCode !== 0) throw new InputError('config/merge', merged.stderr.join('\n'));
  const second = runTarget(model, { target: 'olddefconfig', config: { name: '.config', text: merged.text }, warnUnknown: input.warnUnknown });
  diagnostics.push(...second.diagnostics);
  return { evaluation: second.evaluation, output: second.output, stdout, diagnostics };
}

// scripts/Makefile.defconf's merge_into_defconfig: merge_config.sh -m -O objtree BASE FRAGMENTS, then
// olddefconfig.
function mergedDefconfig(model: KconfigModel, input: TargetInput, stdout: string[], diagnostics: Diagnostic[]): TargetResult {
  const spec = input.mergedDefconfig!;
  const merged = mergeConfigFragments({ name: spec.base.name, text: spec.base.text }, spec.fragments, { quiet: spec.quiet });
  stdout.push(...merged.stdout);
  if (merged.exitCode !== 0) throw new InputError('config/merge', merged.stderr.join('\n'));
  const second = runTarget(model, { target: 'olddefconfig', config: { name: '.config', text: merged.text }, warnUnknown: input.warnUnknown });
  diagnostics.push(...second.diagnostics);
  return { evaluation: second.evaluation, output: second.output, stdout, diagnostics };
}

// arch/mips/Makefile's $(generic_defconfigs) recipe and arch/mips/tools/generic-board-config.sh.
function mipsGenericDefconfig(model: KconfigModel, input: TargetInput, stdout: string[], diagnostics: Diagnostic[]): TargetResult {
  const spec = input.mipsGenericDefconfig!;
  const first = mergeConfigFragments({ name: spec.base.name, text: spec.base.text }, spec.fragments);
  stdout.push(...first.stdout.filter((l) => !l.startsWith('#')));
  if (first.exitCode !== 0) throw new InputError('config/merge', first.stderr.join('\n'));
  const reference = runTarget(model, { target: 'olddefconfig', config: { name: '.config', text: first.text } }).output!;
  const refLines = new Set(reference.split('\n'));
  let cfg = first.text;
  for (const board of spec.boards) {
    let ok = true;
    for (const line of board.text.split('\n')) {
      const m = /^# require (.*)$/.exec(line);
      if (!m) continue;
      const req = m[1].split(' ')[0];
      if (req.endsWith('=y')) ok = refLines.has(req);
      else if (req.endsWith('=n')) ok = !refLines.has(`${req.slice(0, -2)}=y`);
      else stdout.push(`WARNING: Unhandled requirement '${req}'`);
      if (!ok) break;
    }
    if (!ok) continue;
    const merged = mergeConfigFragments({ name: '.config', text: cfg }, [{ name: board.name, text: board.text }]);
    stdout.push(...merged.stdout.filter((l) => !/^(#|Using)/.test(l)));
    cfg = merged.text;
  }
  const last = runTarget(model, { target: 'olddefconfig', config: { name: '.config', text: cfg }, warnUnknown: input.warnUnknown });
  diagnostics.push(...last.diagnostics);
  return { evaluation: last.evaluation, output: last.output, stdout, diagnostics };
}
