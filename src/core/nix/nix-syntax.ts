// Nix lexical details the printer needs: string literals and attribute names.

const keywords = new Set(['assert', 'else', 'if', 'in', 'inherit', 'let', 'or', 'rec', 'then', 'with']);

/**
 * Quotes `text` as a Nix double-quoted string: `\` → `\\`, `"` → `\"`, `${` → `\${` (so nothing is
 * interpolated), and control characters as `\n`, `\r`, `\t`.
 */
export function quoteNixString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break; // backslash
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x24: // `$` only needs escaping before `{`
        out += text.charCodeAt(i + 1) === 0x7b ? '\\$' : '$';
        break;
      default: out += text[i];
    }
  }
  return `${out}"`;
}

/** Writes an attribute name: bare when it is a Nix identifier (`SND`), quoted otherwise (`"9P_FS"`). */
export function nixAttrName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !keywords.has(name) ? name : quoteNixString(name);
}
