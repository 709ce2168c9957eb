/**
 * Reading `.config` files into user values, as conf_read_simple() (confdata.c) does: `CONFIG_X=val`,
 * `# CONFIG_X is not set`, strings with `\"`/`\\` escapes; invalid, unexpected and duplicate lines give the
 * same warnings, with line numbers.
 */
import { diagnostic, type Diagnostic } from '../diag/diagnostic.ts';
import { Assignments, AssignmentsBuilder, moveToHead, type UserValue } from '../kconfig/assignments.ts';
import { findSymbol, type KconfigModel, type KconfigSymbol, type Tristate } from '../kconfig/model.ts';
import { isValidString } from '../kconfig/symbol-value.ts';

/** Options of `readDotConfig`. */
export interface ReadDotConfigOptions {
  /** KCONFIG_WARN_UNKNOWN_SYMBOLS: warn about names the Kconfig tree does not define. */
  readonly warnUnknown?: boolean;
  /**
   * Where to start from. conf_read_simple() forgets every earlier user value but keeps the v6.12 choice
   * priority lists; pass the previous assignments to keep those.
   */
  readonly previous?: Assignments;
}

/** The outcome of reading a .config: the user values, the warnings, and the names nobody defines. */
export interface DotConfigRead {
  readonly assignments: Assignments;
  readonly diagnostics: readonly Diagnostic[];
  readonly unknown: readonly string[];
  /** True when conf would consider the configuration changed by the read (unknown names, warnings). */
  readonly changed: boolean;
}

/** Formats a read warning the way conf prints it: `file:line:warning: message`. */
export function formatConfWarning(d: Diagnostic): string {
  return d.span ? `${d.span.file}:${d.span.line}:warning: ${d.message}` : `warning: ${d.message}`;
}

/** Reads `.config` text (mirrors conf_read_simple(), the flavor of `model`). */
export function readDotConfig(model: KconfigModel, text: string, file: string, options: ReadDotConfigOptions = {}): DotConfigRead {
  const v61 = model.flavor === 'v6.1';
  const builder = new AssignmentsBuilder();
  if (options.previous) for (const [k, v] of options.previous.choiceOrder) builder.choiceOrder.set(k, v);
  const diagnostics: Diagnostic[] = [];
  const unknown: string[] = [];
  let changed = false;
  // 6.1: every choice starts with a user value `n` (the choice mode), lines update it.
  if (v61) for (const s of model.symbols) if (s.isChoice) builder.values.set(s.id, { tri: 0, str: '' });
  const seen = new Set<number>();
  const warn = (line: number, message: string): void => {
    diagnostics.push(diagnostic('warning', 'dotconfig/read', message, { file, line, column: 1 }));
  };
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    if (!v61 && line.endsWith('\r')) line = line.slice(0, -1);
    let name: string;
    let val: string;
    if (!v61 && line === '') continue;
    if (line.startsWith('#')) {
      if (line[1] !== ' ' || !line.startsWith('CONFIG_', 2)) continue;
      const rest = line.slice(9);
      const sp = rest.indexOf(' ');
      if (sp < 0) continue;
      const tail = rest.slice(sp + 1);
      if (v61 ? !tail.startsWith('is not set') : tail !== 'is not set') continue;
      name = rest.slice(0, sp);
      val = 'n';
    } else if (line.startsWith('CONFIG_')) {
      const rest = line.slice(7);
      const eq = rest.indexOf('=');
      if (eq < 0) {
        if (!v61) warn(lineNo, `unexpected data: ${line}`);
        continue;
      }
      name = rest.slice(0, eq);
      val = rest.slice(eq + 1);
      if (v61 && val.endsWith('\r')) val = val.slice(0, -1);
    } else {
      if (v61) {
        if (line !== '' && line[0] !== '\r') warn(lineNo, `unexpected data: ${line.replace(/\r.*$/s, '')}`);
      } else warn(lineNo, `unexpected data: ${line}`);
      continue;
    }
    const sym = findSymbol(model, name);
    if (!sym || sym.isConst) {
      if (options.warnUnknown) warn(lineNo, `unknown symbol: ${name}`);
      unknown.push(name);
      changed = true;
      continue;
    }
    if (seen.has(sym.id)) {
      warn(lineNo, `override: reassigning to symbol ${sym.name}`);
    }
    const value = parseValue(sym, val, (m) => warn(lineNo, m));
    if (value === 'invalid') continue;
    if (value !== 'skip') {
      builder.values.set(sym.id, { ...value, span: { file, line: lineNo, column: 1 } });
      seen.add(sym.id);
    }
    if (v61) {
      if (value !== 'skip' && sym.choice) updateChoice61(builder, sym, value.tri, (m) => warn(lineNo, m));
    } else if (sym.choice) {
      // The member just read gets the highest priority in its choice (list_move() to the head).
      builder.choiceOrder.set(sym.choice.id, moveToHead(builder.priority(sym.choice), sym.id));
    }
  }
  if (diagnostics.length > 0) changed = true;
  return { assignments: builder.build(), diagnostics, unknown, changed };
}

// mirrors conf_set_sym_val(): 'skip' = no value and no warning (a string without quotes, an untyped name).
function parseValue(sym: KconfigSymbol, p: string, warn: (m: string) => void): UserValue | 'invalid' | 'skip' {
  switch (sym.type) {
    case 'tristate':
    case 'bool':
      if (sym.type === 'tristate' && p[0] === 'm') return { tri: 1, str: '' };
      if (p[0] === 'y') return { tri: 2, str: '' };
      if (p[0] === 'n') return { tri: 0, str: '' };
      warn(`symbol value '${p}' invalid for ${sym.name}`);
      return 'invalid';
    case 'string': {
      if (p[0] !== '"') return 'skip';
      let out = '';
      let i = 1;
      for (;;) {
        if (i >= p.length) {
          warn('invalid string found');
          return 'invalid';
        }
        const c = p[i];
        if (c === '"') break;
        if (c === '\\') {
          i++;
          if (i >= p.length) {
            warn('invalid string found');
            return 'invalid';
          }
          out += p[i];
          i++;
          continue;
        }
        out += c;
        i++;
      }
      return { tri: 0, str: out };
    }
    case 'int':
    case 'hex':
      if (isValidString(sym, p)) return { tri: 0, str: p };
      warn(`symbol value '${p}' invalid for ${sym.name}`);
      return 'invalid';
    default:
      return 'skip';
  }
}

// 6.1: a choice value line updates the choice's user mode and member (conf_read_simple()).
function updateChoice61(b: AssignmentsBuilder, sym: KconfigSymbol, tri: Tristate, warn: (m: string) => void): void {
  const cs = sym.choice!.sym!;
  const cur = b.values.get(cs.id);
  let csTri: Tristate = cur ? cur.tri : 0;
  let member = cur?.choiceMember;
  let has = cur !== undefined;
  if (tri === 1) {
    if (csTri === 2) {
      warn(`${sym.name} creates inconsistent choice state`);
      has = false;
    }
  } else if (tri === 2) {
    if (csTri !== 0) warn(`override: ${sym.name} changes choice state`);
    member = sym;
  }
  csTri = (tri > csTri ? tri : csTri) as Tristate;
  if (has) b.values.set(cs.id, { tri: csTri, str: '', choiceMember: member });
  else {
    // The flag was cleared but def[].tri/val still change; keep them for a later re-set.
    b.values.delete(cs.id);
  }
}
