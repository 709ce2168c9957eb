// Preprocessing one kernel .c file (directives in order, local includes inlined) and finding its device
// tables (`struct X_device_id name[] = {…}` + `MODULE_DEVICE_TABLE(X, name)`) and `MODULE_ALIAS` strings.
import { CParser, decodeString, evaluateCondition, type CInit } from './c-initializer.ts';
import { enumMacros, expandTokens, parseDefine, stripComments, tokenize, type Macro, type MacroEvent, type PreprocessedFile, type PreprocessHost, type Token } from './c-preprocess.ts';

/** A device-ID array definition in header text. */
export const TABLE_RE = /\bstruct\s+\w+_device_id\s+\w+\s*\[\s*\]\s*=/;

/** Symbol values for `#if`: name without `CONFIG_` → `y`/`m`/value; `undefined` means "every symbol set". */
export type CppConfig = ReadonlyMap<string, string> | undefined;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

function joinRel(dir: string, rel: string): string {
  const parts = dir === '.' ? [] : dir.split('/');
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

function configDefined(name: string, config: CppConfig): boolean {
  const base = name.slice(7);
  if (config === undefined) return !base.endsWith('_MODULE');
  if (base.endsWith('_MODULE')) return config.get(base.slice(0, -7)) === 'm';
  return config.has(base);
}

/**
 * Preprocesses a file: returns the text of its active lines (local `#include "…"` inlined) and every
 * #define/#undef with its offset in that text. Mirrors cpp's directive handling (cpplib directives.c).
 */
export function preprocessFile(path: string, host: PreprocessHost, config: CppConfig): PreprocessedFile {
  const live = new Map<string, Macro | undefined>();
  const events: MacroEvent[] = [];
  const problems: string[] = [];
  const chunks: string[] = [];
  let length = 0;
  const lookup = (name: string): Macro | undefined => (live.has(name) ? live.get(name) : host.globalMacro(name));
  // `defined(X)`: a file-local definition, else the header index, except include guards (`__FOO_H`),
  // which the header index knows but this file has not included yet.
  const isDefined = (name: string): boolean => (live.has(name) ? live.get(name) !== undefined : !/_H_*$|_INCLUDED_*$/.test(name) && host.globalMacro(name) !== undefined);

  const condition = (expr: string): boolean => {
    // defined(X) / defined X, IS_ENABLED(CONFIG_X) and friends, then macro-expand and evaluate.
    let text = expr.replace(/\bdefined\s*\(\s*(\w+)\s*\)|\bdefined\s+(\w+)/g, (_m, a?: string, b?: string) => {
      const name = (a ?? b)!;
      if (name.startsWith('CONFIG_')) return configDefined(name, config) ? '1' : '0';
      return isDefined(name) ? '1' : '0';
    });
    text = text.replace(/\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)\s*\(\s*(CONFIG_\w+)\s*\)/g, (_m, fn: string, sym: string) => {
      const v = config?.get(sym.slice(7));
      if (config === undefined) return fn === 'IS_MODULE' ? '0' : '1';
      if (fn === 'IS_BUILTIN') return v === 'y' ? '1' : '0';
      if (fn === 'IS_MODULE') return v === 'm' ? '1' : '0';
      return v === 'y' || v === 'm' ? '1' : '0';
    });
    text = text.replace(/\bCONFIG_\w+/g, (sym) => {
      if (config === undefined) return sym.endsWith('_MODULE') ? '0' : '1';
      const base = sym.slice(7);
      if (base.endsWith('_MODULE')) return config.get(base.slice(0, -7)) === 'm' ? '1' : '0';
      const v = config.get(base);
      return v === undefined ? '0' : v === 'y' || v === 'm' ? '1' : /^-?(0x)?[0-9a-fA-F]+$/.test(v) ? v : '1';
    });
    return evaluateCondition(expandTokens(tokenize(text), lookup));
  };

  const visit = (file: string, depth: number): void => {
    const raw = host.readFile(file);
    if (raw === undefined) {
      problems.push(`${file}: cannot read`);
      return;
    }
    const stack: { active: boolean; taken: boolean; parent: boolean }[] = [];
    const active = (): boolean => stack.length === 0 || stack[stack.length - 1]!.active;
    for (const line of stripComments(raw).split('\n')) {
      const dm = /^\s*#\s*(\w+)\s*(.*)$/.exec(line);
      if (dm === null) {
        if (active() && line.trim() !== '') {
          chunks.push(line, '\n');
          length += line.length + 1;
        }
        continue;
      }
      const [, directive, rest] = dm as unknown as [string, string, string];
      switch (directive) {
        case 'if':
        case 'ifdef':
        case 'ifndef': {
          const parent = active();
          let v = false;
          if (parent) {
            if (directive === 'if') v = condition(rest);
            else {
              const name = rest.trim().split(/\s/)[0] ?? '';
              const defined = name.startsWith('CONFIG_') ? configDefined(name, config) : isDefined(name);
              v = directive === 'ifdef' ? defined : !defined;
            }
          }
          stack.push({ active: parent && v, taken: v, parent });
          break;
        }
        case 'elif': {
          const top = stack[stack.length - 1];
          if (!top) break;
          if (top.taken || !top.parent) top.active = false;
          else {
            top.active = condition(rest);
            top.taken = top.active;
          }
          break;
        }
        case 'else': {
          const top = stack[stack.length - 1];
          if (!top) break;
          top.active = top.parent && !top.taken;
          top.taken = true;
          break;
        }
        case 'endif':
          stack.pop();
          break;
        default:
          if (!active()) break;
          if (directive === 'define') {
            const d = parseDefine(rest);
            if (d) {
              live.set(d.name, d.macro);
              events.push({ offset: length, name: d.name, macro: d.macro });
            }
          } else if (directive === 'undef') {
            const name = rest.trim();
            live.set(name, undefined);
            events.push({ offset: length, name, macro: undefined });
          } else if (directive === 'include') {
            const m = /^"([^"]+)"/.exec(rest.trim());
            if (m && depth < 8) {
              const target = joinRel(dirOf(file), m[1]!);
              if (host.readFile(target) !== undefined) visit(target, depth + 1);
            }
            // A shared header that holds an ID table itself (<linux/input/elan-i2c-ids.h>) is inlined too;
            // other <…> headers only contribute their macros, through the header index.
            const a = /^<([^>]+)>/.exec(rest.trim());
            if (a && depth < 8) {
              const target = `include/${a[1]}`;
              const has = host.headerHasTable ? host.headerHasTable(target) : TABLE_RE.test(host.readFile(target) ?? '');
              if (has) visit(target, depth + 1);
            }
          }
      }
    }
  };
  visit(path, 0);
  return { text: chunks.join(''), events, problems };
}

/** The macro table as it stood at `offset` of a preprocessed file (local definitions over the headers). */
export function macrosAt(file: PreprocessedFile, offset: number, host: PreprocessHost, enums?: ReadonlyMap<string, Macro>): (name: string) => Macro | undefined {
  const local = new Map<string, Macro | undefined>(enums);
  for (const e of file.events) {
    if (e.offset > offset) break;
    local.set(e.name, e.macro);
  }
  return (name) => (local.has(name) ? local.get(name) : host.globalMacro(name));
}

/** One device table of a file: its type (`pci`, `usb`, …), array name and parsed entries. */
export interface SourceTable {
  readonly type: string;
  readonly name: string;
  readonly entries: readonly CInit[];
}

const STRUCT_TYPE: Readonly<Record<string, string>> = {
  pci_device_id: 'pci', usb_device_id: 'usb', hid_device_id: 'hid', ieee1394_device_id: 'ieee1394', serio_device_id: 'serio',
  acpi_device_id: 'acpi', pnp_device_id: 'pnp', pnp_card_device_id: 'pnp_card', pcmcia_device_id: 'pcmcia', input_device_id: 'input',
  eisa_device_id: 'eisa', sdio_device_id: 'sdio', ssb_device_id: 'ssb', bcma_device_id: 'bcma', virtio_device_id: 'virtio',
  hv_vmbus_device_id: 'vmbus', rpmsg_device_id: 'rpmsg', i2c_device_id: 'i2c', i3c_device_id: 'i3c', spi_device_id: 'spi',
  dmi_system_id: 'dmi', platform_device_id: 'platform', mdio_device_id: 'mdio', x86_cpu_id: 'x86cpu', cpu_feature: 'cpu',
  mei_cl_device_id: 'mei', hda_device_id: 'hdaudio', sdw_device_id: 'sdw', wmi_device_id: 'wmi', mhi_device_id: 'mhi',
  auxiliary_device_id: 'auxiliary', ssam_device_id: 'ssam', ishtp_device_id: 'ishtp', of_device_id: 'of', typec_device_id: 'typec',
  tb_service_id: 'tbsvc', ulpi_device_id: 'ulpi', ipack_device_id: 'ipack', zorro_device_id: 'zorro', isapnp_device_id: 'isapnp',
  amba_id: 'amba', rio_device_id: 'rapidio', slim_device_id: 'slim', tee_client_device_id: 'tee', dfl_device_id: 'dfl',
  cdx_device_id: 'cdx', coreboot_device_id: 'coreboot', fsl_mc_device_id: 'fslmc', vchiq_device_id: 'vchiq', parisc_device_id: 'parisc',
  ccw_device_id: 'ccw', ap_device_id: 'ap', css_device_id: 'css', vio_device_id: 'vio', mips_cdmm_device_id: 'mipscdmm',
};

/** Table types named in MODULE_DEVICE_TABLE for a struct type. */
export function tableTypeOfStruct(struct: string): string | undefined {
  return STRUCT_TYPE[struct];
}

/**
 * Tables whose definition comes out of a macro (`CH_PCI_DEVICE_ID_TABLE_DEFINE_BEGIN`): expand the whole
 * file and look for `struct X NAME [ … ] = {` in the tokens. Slower, so only for names not found as text.
 */
function macroDefinedTables(file: PreprocessedFile, host: PreprocessHost, wanted: ReadonlyMap<string, string>, enums: ReadonlyMap<string, Macro> | undefined): SourceTable[] {
  const toks = expandTokens(tokenize(file.text), macrosAt(file, file.text.length, host, enums));
  const out: SourceTable[] = [];
  for (let i = 0; i + 3 < toks.length; i++) {
    if (toks[i]!.t !== 'struct' || STRUCT_TYPE[toks[i + 1]!.t] === undefined) continue;
    let j = i + 2;
    while (toks[j]?.t.startsWith('__')) j++;
    const name = toks[j]?.t;
    const type = name === undefined ? undefined : wanted.get(name);
    if (type === undefined || toks[j + 1]?.t !== '[') continue;
    while (j < toks.length && toks[j]!.t !== '=' && toks[j]!.t !== ';') j++;
    if (toks[j]?.t !== '=' || toks[j + 1]?.t !== '{') continue;
    const init = new CParser(toks, j + 1).braceList();
    const entries = init.items.map((it) => it.value).filter((v): v is CInit => typeof v === 'object' && v !== null);
    out.push({ type, name: name!, entries: entries.slice(0, -1) });
  }
  return out;
}

const KEEP = new Set(['MODULE_ALIAS', 'MODULE_INFO', '__MODULE_INFO']);

/** The device tables a preprocessed file exports with MODULE_DEVICE_TABLE, and its explicit MODULE_ALIAS strings. */
export function findTables(file: PreprocessedFile, host: PreprocessHost): { tables: SourceTable[]; aliases: string[] } {
  const text = file.text;
  const exported = new Map<string, string>();
  for (const m of text.matchAll(/\bMODULE_DEVICE_TABLE\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)/g)) exported.set(m[2]!, m[1]!);
  const tables: SourceTable[] = [];
  const enums = text.includes('enum') ? enumMacros(text) : undefined;
  const re = /\bstruct\s+(\w+)\s+(?:__\w+\s+)*(\w+)\s*\[[^\]=;{]*\]\s*(?:__\w+(?:\([^)]*\))?\s*)*=\s*\{/g;
  for (const m of text.matchAll(re)) {
    const name = m[2]!;
    const type = exported.get(name);
    if (type === undefined || STRUCT_TYPE[m[1]!] === undefined) continue;
    // The body up to the matching brace (raw braces balance in kernel tables).
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = open;
    for (; close < text.length; close++) {
      const c = text[close];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
      else if (c === '"') {
        close++;
        while (close < text.length && text[close] !== '"') close += text[close] === '\\' ? 2 : 1;
      }
    }
    // Expand piecewise: a #define/#undef inside the table body applies from its place on.
    const bounds = [open, ...file.events.filter((e) => e.offset > open && e.offset <= close).map((e) => e.offset), close + 1];
    const toks: Token[] = [];
    for (let b = 0; b + 1 < bounds.length; b++) {
      if (bounds[b]! >= bounds[b + 1]!) continue;
      for (const tok of expandTokens(tokenize(text.slice(bounds[b], bounds[b + 1])), macrosAt(file, bounds[b]!, host, enums))) toks.push(tok);
    }
    const init = new CParser(toks).braceList();
    const entries = init.items.map((i) => i.value).filter((v): v is CInit => typeof v === 'object' && v !== null);
    // modpost drops the last element: the terminator.
    tables.push({ type, name, entries: entries.slice(0, -1) });
    exported.delete(name);
  }
  // Names never written as `name[` in the text come out of a macro; names that are (inside an #if'd-out
  // block, say) are not looked for again.
  for (const name of [...exported.keys()]) if (new RegExp(`\\b${name}\\s*\\[`).test(text)) exported.delete(name);
  if (exported.size > 0) tables.push(...macroDefinedTables(file, host, exported, enums));
  const aliases: string[] = [];
  // MODULE_ALIAS*/MODULE_INFO invocations, and line-leading macro invocations whose definition (or the
  // definition of a macro it uses) writes one, e.g. DECLARE_USB_FUNCTION_INIT → MODULE_ALIAS("usbfunc:" …).
  const starts: number[] = [];
  for (const m of text.matchAll(/\b(MODULE_ALIAS\w*|MODULE_INFO)\s*\(/g)) starts.push(m.index);
  const atEnd = macrosAt(file, text.length, host, enums);
  const writesAlias = (name: string, depth: number): boolean => {
    const macro = atEnd(name);
    if (macro === undefined || macro.params === null) return false;
    return macro.body.some((t) => t.k === 'id' && (KEEP.has(t.t) || (depth > 0 && t.t !== name && /^[A-Z_][A-Z0-9_]+$/.test(t.t) && writesAlias(t.t, depth - 1))));
  };
  for (const m of text.matchAll(/^[ \t]*([A-Z_][A-Z0-9_]+)[ \t]*\(/gm)) {
    if (!/^MODULE_(ALIAS|INFO)/.test(m[1]!) && writesAlias(m[1]!, 1)) starts.push(m.index + m[0].indexOf(m[1]!));
  }
  for (const start of starts) {
    let depth = 0;
    let end = text.indexOf('(', start);
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    const lookup = macrosAt(file, start, host);
    const toks: Token[] = expandTokens(tokenize(text.slice(start, end + 1)), (n) => (KEEP.has(n) ? undefined : lookup(n)));
    for (let i = 0; i + 2 < toks.length; i++) {
      const head = toks[i]!.t;
      if (!KEEP.has(head) || toks[i + 1]!.t !== '(') continue;
      let j = i + 2;
      if (head !== 'MODULE_ALIAS') {
        // MODULE_INFO(alias, "…") and __MODULE_INFO(alias, name, "…")
        if (toks[j]?.t !== 'alias' || toks[j + 1]?.t !== ',') continue;
        j += 2;
        if (head === '__MODULE_INFO') {
          if (toks[j + 1]?.t !== ',') continue;
          j += 2;
        }
      }
      let s = '';
      while (toks[j]?.k === 'str') s += decodeString(toks[j++]!.t);
      if (s !== '' && toks[j]?.t === ')') aliases.push(s);
    }
  }
  return { tables, aliases };
}
