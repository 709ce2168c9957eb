// Constant expressions and brace initializers of C, evaluated over already macro-expanded tokens: enough to
// read `struct pci_device_id ids[] = { { PCI_DEVICE(…) , .driver_data = … }, … }` into field values.
import type { Token } from './c-preprocess.ts';

/** A value in an initializer: an integer, a string, a nested list, or something we cannot evaluate. */
export type CValue = bigint | string | CInit | undefined;

/** A brace initializer: positional values and designated fields (`.name = v`, `[index] = v`). */
export interface CInit {
  readonly kind: 'init';
  readonly items: readonly { readonly field?: string; readonly index?: number; readonly value: CValue }[];
}

/** Decodes a C string literal's contents (escapes resolved). */
export function decodeString(lit: string): string {
  const body = lit.slice(1, -1);
  return body.replace(/\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

function parseNumber(t: string): bigint | undefined {
  const s = t.replace(/[uUlL]+$/, '');
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(s);
    if (/^0[bB][01]+$/.test(s)) return BigInt(s);
    if (/^0[0-7]+$/.test(s)) return BigInt(`0o${s.slice(1)}`);
    if (/^[0-9]+$/.test(s)) return BigInt(s);
  } catch {
    return undefined;
  }
  return undefined;
}

const TYPE_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', 'const', 'void', 'u8', 'u16', 'u32', 'u64', '__u8', '__u16', '__u32', '__u64', 's8', 's16', 's32', 's64', 'kernel_ulong_t', 'uintptr_t', 'size_t', 'bool', 'struct', 'enum', 'guid_t', 'uuid_le', 'uuid_t']);

/** A cursor over tokens with a recursive-descent C expression evaluator (unknown identifiers → undefined). */
export class CParser {
  private pos = 0;
  private readonly toks: readonly Token[];

  constructor(toks: readonly Token[], start = 0) {
    this.toks = toks;
    this.pos = start;
  }

  /** The current position. */
  get index(): number {
    return this.pos;
  }

  private peek(o = 0): string | undefined {
    return this.toks[this.pos + o]?.t;
  }

  /** True when the tokens at the cursor look like a cast: `(` type words `)`. */
  private isCast(): number {
    if (this.peek() !== '(') return 0;
    let j = 1;
    let saw = false;
    while (true) {
      const t = this.toks[this.pos + j];
      if (t === undefined) return 0;
      if (t.t === ')') return saw ? j + 1 : 0;
      if (t.t === '*' || (t.k === 'id' && (TYPE_WORDS.has(t.t) || /_t$/.test(t.t) || (saw && this.toks[this.pos + j - 1]?.t === 'struct')))) {
        saw = true;
        j++;
        continue;
      }
      return 0;
    }
  }

  /** Skips a balanced token run until a top-level `,` or `}` (for values we cannot evaluate). */
  private skipValue(): void {
    let depth = 0;
    while (this.pos < this.toks.length) {
      const t = this.peek()!;
      if (depth === 0 && (t === ',' || t === '}')) return;
      if (t === '(' || t === '{' || t === '[') depth++;
      else if (t === ')' || t === '}' || t === ']') depth--;
      this.pos++;
    }
  }

  /** Parses an initializer value: a brace list, string literals, or a constant expression. */
  value(): CValue {
    const cast = this.isCast();
    if (cast > 0 && this.toks[this.pos + cast]?.t === '{') this.pos += cast;
    if (this.peek() === '{') return this.braceList();
    const start = this.pos;
    const v = this.conditional();
    const next = this.peek();
    if (next !== ',' && next !== '}' && next !== undefined) {
      this.pos = start;
      this.skipValue();
      return undefined;
    }
    return v;
  }

  /** Parses `{ … }` at the cursor. */
  braceList(): CInit {
    const items: { field?: string; index?: number; value: CValue }[] = [];
    this.pos++; // {
    while (this.pos < this.toks.length && this.peek() !== '}') {
      let field: string | undefined;
      let index: number | undefined;
      if (this.peek() === '.' && this.toks[this.pos + 1]?.k === 'id') {
        field = this.toks[this.pos + 1]!.t;
        this.pos += 2;
        if (this.peek() === '=') this.pos++;
      } else if (this.peek() === '[') {
        this.pos++;
        const v = this.conditional();
        if (this.peek() === ']') this.pos++;
        if (this.peek() === '=') this.pos++;
        index = typeof v === 'bigint' ? Number(v) : undefined;
      }
      items.push({ field, index, value: this.value() });
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') this.skipValue();
    }
    this.pos++; // }
    return { kind: 'init', items };
  }

  private conditional(): CValue {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.pos++;
    if (this.peek() === ':') {
      // GNU `a ?: b`
      this.pos++;
      const b = this.conditional();
      if (typeof c !== 'bigint') return undefined;
      return c !== 0n ? c : b;
    }
    const a = this.conditional();
    if (this.peek() === ':') this.pos++;
    const b = this.conditional();
    if (typeof c !== 'bigint') return undefined;
    return c !== 0n ? a : b;
  }

  private static readonly PREC: Readonly<Record<string, number>> = {
    '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
  };

  private binary(minPrec: number): CValue {
    let left = this.unary();
    while (true) {
      const op = this.peek();
      const prec = op === undefined ? undefined : CParser.PREC[op];
      if (prec === undefined || prec <= minPrec - 1 || prec < minPrec) break;
      this.pos++;
      const right = this.binary(prec + 1);
      left = typeof left === 'bigint' && typeof right === 'bigint' ? applyBinary(op!, left, right) : undefined;
    }
    return left;
  }

  private unary(): CValue {
    const t = this.peek();
    if (t === '-' || t === '+' || t === '~' || t === '!') {
      this.pos++;
      const v = this.unary();
      if (typeof v !== 'bigint') return undefined;
      return t === '-' ? BigInt.asUintN(64, -v) : t === '+' ? v : t === '~' ? BigInt.asUintN(64, ~v) : v === 0n ? 1n : 0n;
    }
    const cast = this.isCast();
    if (cast > 0) {
      const type = this.toks.slice(this.pos + 1, this.pos + cast - 1).map((x) => x.t).join(' ');
      this.pos += cast;
      const v = this.unary();
      return typeof v === 'bigint' ? castTo(type, v) : v;
    }
    return this.primary();
  }

  private primary(): CValue {
    const tok = this.toks[this.pos];
    if (tok === undefined) return undefined;
    if (tok.t === '{') return this.braceList();
    if (tok.t === '(') {
      this.pos++;
      const v = this.conditional();
      if (this.peek() === ')') this.pos++;
      return v;
    }
    this.pos++;
    if (tok.k === 'num') return parseNumber(tok.t);
    if (tok.k === 'chr') {
      const s = decodeString(tok.t);
      return s.length > 0 ? BigInt(s.charCodeAt(0)) : 0n;
    }
    if (tok.k === 'str') {
      let s = decodeString(tok.t);
      while (this.toks[this.pos]?.k === 'str') s += decodeString(this.toks[this.pos++]!.t);
      return s;
    }
    if (tok.t === 'NULL' || tok.t === 'false') return 0n;
    if (tok.t === 'true') return 1n;
    if (tok.t === 'sizeof') {
      if (this.peek() === '(') this.skipParens();
      return undefined;
    }
    if (this.peek() === '(') this.skipParens(); // an unknown function-like name
    return undefined;
  }

  private skipParens(): void {
    let depth = 0;
    do {
      const t = this.peek();
      if (t === '(') depth++;
      else if (t === ')') depth--;
      this.pos++;
    } while (depth > 0 && this.pos < this.toks.length);
  }
}

function applyBinary(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return BigInt.asUintN(64, a - b);
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '<<': return b > 128n ? undefined : BigInt.asUintN(64, a << b);
    case '>>': return a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    default: return undefined;
  }
}

function castTo(type: string, v: bigint): bigint {
  if (/\*/.test(type)) return v;
  if (/\b(u8|__u8|char)\b/.test(type)) return BigInt.asUintN(8, v);
  if (/\b(u16|__u16|short)\b/.test(type)) return BigInt.asUintN(16, v);
  if (/\b(u32|__u32)\b/.test(type) || /^unsigned( int)?$/.test(type) || type === 'int') return BigInt.asUintN(32, v);
  return v;
}

/** Evaluates a constant expression over tokens (for `#if`); unknown identifiers count as 0. */
export function evaluateCondition(toks: readonly Token[]): boolean {
  const replaced = toks.map((t) => (t.k === 'id' ? { t: '0', k: 'num' as const } : t));
  const v = new CParser(replaced).value();
  return typeof v === 'bigint' ? v !== 0n : false;
}
