/**
 * The 6.1 versions of the steps of conf's targets that differ from 6.12: conf_read()'s reset of user values
 * after reading, and conf_set_all_new_symbols() with choice symbols that have their own values
 * (SYMBOL_NEED_SET_CHOICE_VALUES, set_all_choice_values(), randomize_choice_values() of 6.1's conf.c).
 */
import { Assignments, AssignmentsBuilder, type UserValue } from './assignments.ts';
import { Evaluation } from './evaluation.ts';
import type { GlibcRandom, RandconfigProbability } from './glibc-random.ts';
import type { KconfigModel, KconfigSymbol, Tristate } from './model.ts';
import { stringWithinRange } from './symbol-value.ts';

// mirrors the second half of 6.1's conf_read(): forget values of invisible symbols (when nothing is
// unsaved) and of out-of-range strings/numbers.
export function postReadV61(model: KconfigModel, assignments: Assignments): Assignments {
  const ev = Evaluation.create(model, assignments);
  let unsaved = 0;
  for (const sym of model.hashOrder) {
    ev.calc(sym);
    if (sym.isChoice || sym.type === 'unknown') continue;
    const user = assignments.get(sym);
    const write = ev.isWritten(sym);
    if (user && write) {
      if (sym.type === 'bool' || sym.type === 'tristate') {
        if (user.tri === ev.tristate(sym)) continue;
      } else if (user.str === ev.currVal(sym)) continue;
    } else if (!user && !write) continue;
    unsaved++;
  }
  const b = new AssignmentsBuilder(assignments);
  for (const sym of model.hashOrder) {
    const user = assignments.get(sym);
    if (!user || sym.choice) continue;
    if (ev.visibility(sym) === 0 && unsaved === 0) b.values.delete(sym.id);
    if (sym.type === 'string' || sym.type === 'int' || sym.type === 'hex') {
      if (!stringWithinRange(ev, sym, user.str)) {
        b.values.delete(sym.id);
        unsaved++;
      }
    }
  }
  return b.build();
}

type AllMode = 'no' | 'yes' | 'mod' | 'default' | 'random';

/**
 * mirrors 6.1's conf_set_all_new_symbols() (repeated while it changes something, as randconfig does).
 * `afterRead` is true for defconfig, where conf_read() already computed (and so skipped) every symbol.
 */
export function prepareAllV61(
  model: KconfigModel,
  base: Assignments,
  mode: AllMode,
  rng: GlibcRandom | undefined,
  probability: RandconfigProbability | undefined,
  afterRead: boolean,
): Assignments {
  const b = new AssignmentsBuilder(base);
  // def[S_DEF_USER] values that are not flagged as set (sym->flags lacks SYMBOL_DEF_USER).
  const shadow = new Map<number, UserValue>();
  const pby = probability?.pby ?? 50;
  const pty = probability?.pty ?? 33;
  const ptm = probability?.ptm ?? 33;
  // Which symbols have been computed (SYMBOL_VALID) before the first loop of each round.
  let valid = new Set<number>();
  if (afterRead) for (const s of model.hashOrder) valid.add(s.id);
  for (let round = 0; ; round++) {
    let changed = false;
    for (const sym of model.hashOrder) {
      if (b.values.has(sym.id) || valid.has(sym.id)) continue;
      if (sym.type !== 'bool' && sym.type !== 'tristate') continue;
      let tri: Tristate;
      switch (mode) {
        case 'yes':
          tri = 2;
          break;
        case 'mod':
          tri = 1;
          break;
        case 'no':
          tri = 0;
          break;
        case 'random': {
          tri = 0;
          const cnt = rng!.next() % 100;
          if (sym.type === 'tristate') {
            if (cnt < pty) tri = 2;
            else if (cnt < pty + ptm) tri = 1;
          } else if (cnt < pby) tri = 2;
          break;
        }
        default:
          continue;
      }
      changed = true;
      const value: UserValue = { tri, str: '', choiceMember: shadow.get(sym.id)?.choiceMember };
      if (sym.isChoice && mode === 'random') shadow.set(sym.id, value);
      else b.values.set(sym.id, value);
    }
    // sym_clear_all_valid(), then the choice loop computes choice symbols with the values so far. Gotcha:
    // C clears SYMBOL_VALID only on the choice it just set, so values computed earlier in this loop stay
    // as they were (stale) for the choices after it; the evaluation here keeps them the same way.
    let ev = Evaluation.create(model, b.build());
    for (const csym of model.hashOrder) {
      if (!csym.isChoice || b.values.has(csym.id)) continue;
      ev.calc(csym);
      if (mode === 'random') {
        if (randomizeChoice(b, shadow, csym, ev, rng!)) {
          changed = true;
          ev = ev.withStaleValues(b.build(), [csym, ...csym.nodes[0].choiceMembers]);
        }
      } else {
        // set_all_choice_values(): the choice keeps its def[] value and becomes user-set.
        const s = shadow.get(csym.id) ?? base.values.get(csym.id) ?? { tri: 0 as Tristate, str: '' };
        b.values.set(csym.id, s);
        changed = true;
        ev = ev.withStaleValues(b.build(), [csym]);
      }
    }
    // The symbols computed by now count as SYMBOL_VALID in the next round's first loop.
    valid = new Set<number>();
    for (const s of model.hashOrder) if (ev.isComputed(s)) valid.add(s.id);
    if (mode !== 'random' || !changed) break;
    if (round > 1000) break;
  }
  return b.build();
}

// mirrors 6.1's randomize_choice_values(): a random member of a `y` choice becomes the user's choice.
function randomizeChoice(b: AssignmentsBuilder, shadow: Map<number, UserValue>, csym: KconfigSymbol, ev: Evaluation, rng: GlibcRandom): boolean {
  if (ev.tristate(csym) !== 2) return false;
  const members = csym.nodes[0].choiceMembers;
  const def = rng.next() % members.length;
  let chosen: KconfigSymbol | undefined;
  members.forEach((m, i) => {
    if (i === def) chosen = m;
    b.values.set(m.id, { tri: i === def ? 2 : 0, str: '' });
  });
  const prev = shadow.get(csym.id);
  b.values.set(csym.id, { tri: prev ? prev.tri : 0, str: '', choiceMember: chosen });
  return true;
}
