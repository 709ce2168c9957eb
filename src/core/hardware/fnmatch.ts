// Shell-pattern matching and alias normalisation with kmod's exact semantics.
// kmod matches modaliases with glibc `fnmatch(pattern, string, 0)` (libkmod-index.c, index_searchwild)
// after passing both sides through `alias_normalize()` (libkmod-util.c).

/**
 * Normalises a modalias or alias pattern as kmod does: every `-` outside a `[...]` group becomes `_`.
 * Returns `undefined` where kmod refuses the string (a `]` outside a group, or a `[` never closed).
 * Mirrors alias_normalize(), libkmod-util.c.
 */
export function normalizeAlias(alias: string): string | undefined {
  let out = '';
  for (let i = 0; i < alias.length; i++) {
    const c = alias.charCodeAt(i);
    if (c === 0x2d /* - */) {
      out += '_';
    } else if (c === 0x5d /* ] */) {
      return undefined;
    } else if (c === 0x5b /* [ */) {
      const close = alias.indexOf(']', i);
      if (close < 0) return undefined;
      out += alias.slice(i, close + 1);
      i = close;
    } else {
      out += alias[i];
    }
  }
  return out;
}

/** Normalises a module name as kmod does: `-` becomes `_`, and the name stops at the first `.`. Mirrors modname_normalize(). */
export function normalizeModuleName(name: string): string {
  const dot = name.indexOf('.');
  return (dot < 0 ? name : name.slice(0, dot)).replace(/-/g, '_');
}

/** True when `c` is one of the characters that make a pattern non-literal for kmod (`*`, `?`, `[`, `\`). */
export function isWildcardChar(c: string): boolean {
  return c === '*' || c === '?' || c === '[' || c === '\\';
}

/** The literal text of a pattern before its first wildcard character (kmod's trie walks this part exactly). */
export function literalPrefix(pattern: string): string {
  for (let i = 0; i < pattern.length; i++) if (isWildcardChar(pattern[i]!)) return pattern.slice(0, i);
  return pattern;
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

function escapeForClass(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

function escapeForRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Parses a bracket expression starting at `pattern[start] === '['`; returns the regex class and the index
 * after the closing `]`, or `undefined` when the bracket is not closed (glibc then treats `[` literally).
 * Mirrors the bracket handling of glibc's fnmatch (internal_fnmatch, fnmatch_loop.c) for flags = 0.
 */
function parseBracket(pattern: string, start: number): { cls: string; next: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < pattern.length) {
    let ch = pattern[i]!;
    if (ch === ']' && !first) {
      return { cls: `[${negate ? '^' : ''}${body}]`, next: i + 1 };
    }
    first = false;
    if (ch === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      const name = end > 0 ? pattern.slice(i + 2, end) : '';
      const cls = POSIX_CLASSES[name];
      if (cls !== undefined) {
        body += cls;
        i = end + 2;
        continue;
      }
    }
    if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      ch = pattern[i]!;
    }
    // A range `a-z` (the `-` is literal when last before `]`).
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      let hi = pattern[i + 2]!;
      let skip = 3;
      if (hi === '\\' && i + 3 < pattern.length) {
        hi = pattern[i + 3]!;
        skip = 4;
      }
      if (hi.charCodeAt(0) >= ch.charCodeAt(0)) body += `${escapeForClass(ch)}-${escapeForClass(hi)}`;
      i += skip;
      continue;
    }
    body += escapeForClass(ch);
    i++;
  }
  return undefined;
}

/** Compiles an fnmatch pattern (flags 0: `*` and `?` also match `/` and a leading `.`) to an anchored RegExp. */
export function compileFnmatch(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      while (pattern[i + 1] === '*') i++;
      re += '[\\s\\S]*';
    } else if (ch === '?') {
      re += '[\\s\\S]';
    } else if (ch === '[') {
      const bracket = parseBracket(pattern, i);
      if (bracket === undefined) {
        re += '\\[';
      } else {
        re += bracket.cls === '[]' ? '(?!)' : bracket.cls === '[^]' ? '[\\s\\S]' : bracket.cls;
        i = bracket.next - 1;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += escapeForRegex(pattern[i]!);
    } else {
      re += escapeForRegex(ch);
    }
  }
  return new RegExp(`${re}$`);
}

/** True when `text` matches the shell pattern `pattern` as glibc `fnmatch(pattern, text, 0)` decides. */
export function fnmatch(pattern: string, text: string): boolean {
  return compileFnmatch(pattern).test(text);
}
