// Alias patterns from device-table entries, as modpost writes them: mirrors scripts/mod/file2alias.c
// (do_pci_entry, do_usb_entry_multi, do_of_entry_multi, do_acpi_entry, do_pnp_device_entry, …) for the
// struct layouts of include/linux/mod_devicetable.h (6.x).
import type { CInit, CValue } from './c-initializer.ts';

/** Field name and size in bytes (0: string or nested). */
type Layout = readonly (readonly [string, number])[];

const LAYOUTS: Readonly<Record<string, Layout>> = {
  pci: [['vendor', 4], ['device', 4], ['subvendor', 4], ['subdevice', 4], ['class', 4], ['class_mask', 4], ['driver_data', 8], ['override_only', 4]],
  usb: [['match_flags', 2], ['idVendor', 2], ['idProduct', 2], ['bcdDevice_lo', 2], ['bcdDevice_hi', 2], ['bDeviceClass', 1], ['bDeviceSubClass', 1], ['bDeviceProtocol', 1], ['bInterfaceClass', 1], ['bInterfaceSubClass', 1], ['bInterfaceProtocol', 1], ['bInterfaceNumber', 1], ['driver_info', 8]],
  hid: [['bus', 2], ['group', 2], ['vendor', 4], ['product', 4], ['driver_data', 8]],
  ieee1394: [['match_flags', 4], ['vendor_id', 4], ['model_id', 4], ['specifier_id', 4], ['version', 4], ['driver_data', 8]],
  serio: [['type', 1], ['extra', 1], ['id', 1], ['proto', 1]],
  acpi: [['id', 0], ['driver_data', 8], ['cls', 4], ['cls_msk', 4]],
  pnp: [['id', 0], ['driver_data', 8]],
  pnp_card: [['id', 0], ['driver_data', 8], ['devs', 0]],
  pcmcia: [['match_flags', 2], ['manf_id', 2], ['card_id', 2], ['func_id', 1], ['function', 1], ['device_no', 1], ['prod_id_hash', 0], ['prod_id', 0], ['driver_info', 8]],
  input: [['flags', 8], ['bustype', 2], ['vendor', 2], ['product', 2], ['version', 2], ['evbit', 0], ['keybit', 0], ['relbit', 0], ['absbit', 0], ['mscbit', 0], ['ledbit', 0], ['sndbit', 0], ['ffbit', 0], ['swbit', 0], ['propbit', 0], ['driver_info', 8]],
  eisa: [['sig', 0], ['driver_data', 8]],
  sdio: [['class', 1], ['vendor', 2], ['device', 2], ['driver_data', 8]],
  ssb: [['vendor', 2], ['coreid', 2], ['revision', 1]],
  bcma: [['manuf', 2], ['id', 2], ['rev', 1], ['class', 1]],
  virtio: [['device', 4], ['vendor', 4]],
  vmbus: [['guid', 0], ['driver_data', 8]],
  rpmsg: [['name', 0], ['driver_data', 8]],
  i2c: [['name', 0], ['driver_data', 8]],
  spi: [['name', 0], ['driver_data', 8]],
  platform: [['name', 0], ['driver_data', 8]],
  auxiliary: [['name', 0], ['driver_data', 8]],
  mhi: [['chan', 0], ['driver_data', 8]],
  dmi: [['callback', 8], ['ident', 0], ['matches', 0], ['driver_data', 8]],
  mdio: [['phy_id', 4], ['phy_id_mask', 4]],
  x86cpu: [['vendor', 2], ['family', 2], ['model', 2], ['steppings', 2], ['feature', 2], ['flags', 2], ['driver_data', 8]],
  cpu: [['feature', 2]],
  mei: [['name', 0], ['uuid', 0], ['version', 1], ['driver_info', 8]],
  hdaudio: [['vendor_id', 4], ['rev_id', 4], ['api_version', 1], ['name', 0], ['driver_data', 8]],
  sdw: [['mfg_id', 2], ['part_id', 2], ['sdw_version', 1], ['class_id', 1], ['driver_data', 8]],
  wmi: [['guid_string', 0], ['context', 8]],
  ssam: [['match_flags', 1], ['domain', 1], ['category', 1], ['target', 1], ['instance', 1], ['function', 1], ['driver_data', 8]],
  ishtp: [['guid', 0], ['driver_data', 8]],
  of: [['name', 0], ['type', 0], ['compatible', 0], ['data', 8]],
  typec: [['svid', 2], ['mode', 1], ['driver_data', 8]],
};

/** Table types this module turns into aliases. */
export const SUPPORTED_TABLE_TYPES: readonly string[] = Object.keys(LAYOUTS);

function fieldsOf(init: CInit, layout: Layout): Map<string, CValue> {
  const out = new Map<string, CValue>();
  let cur = 0;
  for (const item of init.items) {
    if (item.field !== undefined) {
      const k = layout.findIndex(([f]) => f === item.field);
      if (k < 0) continue;
      cur = k;
    }
    const f = layout[cur];
    if (f) out.set(f[0], item.value);
    cur++;
  }
  return out;
}

function num(v: CValue, size: number): bigint {
  if (typeof v !== 'bigint') return 0n;
  return size > 0 ? BigInt.asUintN(size * 8, v) : v;
}

function str(v: CValue): string {
  if (typeof v === 'string') return v;
  return '';
}

function hex(v: bigint, size: number): string {
  const width = size === 1 ? 2 : size === 2 ? 4 : size === 4 ? 8 : 0;
  return v.toString(16).toUpperCase().padStart(width, '0');
}

/** `ADD()` of file2alias.c: the separator, then the zero-padded upper-case hex value or `*`. */
function add(sep: string, cond: boolean, v: bigint, size: number): string {
  return `${sep}${cond ? hex(v, size) : '*'}`;
}

function wildcard(s: string): string {
  return s.endsWith('*') ? s : `${s}*`;
}

/** Bytes of a nested initializer (`{ {b0, b1, …} }` for guid_t/uuid_le). */
function bytesOf(v: CValue): bigint[] {
  const out: bigint[] = [];
  const walk = (x: CValue): void => {
    if (typeof x === 'bigint') out.push(BigInt.asUintN(8, x));
    else if (typeof x === 'object' && x !== null) for (const i of x.items) walk(i.value);
  };
  walk(v);
  return out;
}

function uuidText(b: bigint[], upper: boolean): string {
  const h = (i: number): string => (b[i] ?? 0n).toString(16).padStart(2, '0');
  const s = `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
  return upper ? s.toUpperCase() : s;
}

/** Array initializer of bit words (`{ [BIT_WORD(n)] = BIT_MASK(n) | … }`) → set bit numbers. */
function bitsOf(v: CValue): number[] {
  const out: number[] = [];
  if (typeof v !== 'object' || v === null) return out;
  let idx = 0;
  for (const item of v.items) {
    if (item.index !== undefined) idx = item.index;
    const w = typeof item.value === 'bigint' ? BigInt.asUintN(64, item.value) : 0n;
    for (let b = 0; b < 64; b++) if ((w >> BigInt(b)) & 1n) out.push(idx * 64 + b);
    idx++;
  }
  return out;
}

const DMI_FIELDS: readonly [string, number][] = [
  ['bvn', 1], ['bvr', 2], ['bd', 3], ['br', 4], ['efr', 5], ['svn', 6], ['pn', 7], ['pvr', 8], ['rvn', 13], ['rn', 14], ['rvr', 15], ['cvn', 18], ['ct', 19], ['cvr', 20],
];

function usbEntry(f: Map<string, CValue>, devInitial: bigint, ndigits: number, lo: number, hi: number, max: number): string {
  const flags = Number(num(f.get('match_flags'), 2));
  let a = 'usb:';
  a += add('v', (flags & 0x1) !== 0, num(f.get('idVendor'), 2), 2);
  a += add('p', (flags & 0x2) !== 0, num(f.get('idProduct'), 2), 2);
  a += 'd';
  if (ndigits > 0) a += devInitial.toString(16).toUpperCase().padStart(ndigits, '0');
  if (lo === hi) a += lo.toString(16).toUpperCase();
  else if (lo > 0 || hi < max) {
    if (lo > 0x9 || hi < 0xa) a += `[${lo.toString(16).toUpperCase()}-${hi.toString(16).toUpperCase()}]`;
    else a += `${lo < 0x9 ? `[${lo.toString(16).toUpperCase()}-9` : `[${lo.toString(16).toUpperCase()}`}${hi > 0xa ? `A-${hi.toString(16).toUpperCase()}]` : `${hi.toString(16).toUpperCase()}]`}`;
  }
  if (ndigits < 3) a += '*';
  a += add('dc', (flags & 0x10) !== 0, num(f.get('bDeviceClass'), 1), 1);
  a += add('dsc', (flags & 0x20) !== 0, num(f.get('bDeviceSubClass'), 1), 1);
  a += add('dp', (flags & 0x40) !== 0, num(f.get('bDeviceProtocol'), 1), 1);
  a += add('ic', (flags & 0x80) !== 0, num(f.get('bInterfaceClass'), 1), 1);
  a += add('isc', (flags & 0x100) !== 0, num(f.get('bInterfaceSubClass'), 1), 1);
  a += add('ip', (flags & 0x200) !== 0, num(f.get('bInterfaceProtocol'), 1), 1);
  a += add('in', (flags & 0x400) !== 0, num(f.get('bInterfaceNumber'), 1), 1);
  return wildcard(a);
}

/** Mirrors incbcd(), file2alias.c: BCD-aware increment returning the previous value. */
function incbcd(bcd: { v: number }, inc: number, max: number, chars: number): number {
  const init = bcd.v;
  if (max > 0x9) {
    bcd.v += inc;
    return init;
  }
  let dec = 0;
  for (let i = 0; i < chars; i++) dec += Math.min((bcd.v >> (i * 4)) & 0xf, 9) * 10 ** i;
  dec += inc;
  bcd.v = 0;
  for (let i = 0; i < chars; i++) bcd.v += (Math.floor(dec / 10 ** i) % 10) << (i * 4);
  return init;
}

/** Mirrors do_usb_entry_multi(): bcdDevice ranges become several patterns with `[a-b]` classes. */
function usbEntries(f: Map<string, CValue>): string[] {
  const flags = Number(num(f.get('match_flags'), 2));
  let devlo = flags & 0x4 ? Number(num(f.get('bcdDevice_lo'), 2)) : 0;
  let devhi = flags & 0x8 ? Number(num(f.get('bcdDevice_hi'), 2)) : 0xffffffff;
  let max = 0x9;
  for (let nd = 0; nd < 4; nd++) {
    const clo = (devlo >> (nd * 4)) & 0xf;
    const chi = ((devhi > 0x9999 ? 0x9999 : devhi) >>> (nd * 4)) & 0xf;
    if (clo > max || chi > max) {
      max = 0xf;
      break;
    }
  }
  if ((num(f.get('idVendor'), 2) | num(f.get('idProduct'), 2) | num(f.get('bDeviceClass'), 1) | num(f.get('bInterfaceClass'), 1)) === 0n) return [];
  const out: string[] = [];
  for (let nd = 3; devlo <= devhi; nd--) {
    const clo = devlo & 0xf;
    let chi = devhi & 0xf;
    if (chi > max) chi = max;
    devlo = devlo >>> 4;
    devhi = devhi >>> 4;
    if (devlo === devhi || nd === 0) {
      out.push(usbEntry(f, BigInt(devlo), nd, clo, chi, max));
      break;
    }
    if (clo > 0) {
      const box = { v: devlo };
      const prev = incbcd(box, 1, max, 4);
      devlo = box.v;
      out.push(usbEntry(f, BigInt(prev), nd, clo, max, max));
    }
    if (chi < max) {
      const box = { v: devhi };
      const prev = incbcd(box, -1, max, 4);
      devhi = box.v;
      out.push(usbEntry(f, BigInt(prev), nd, 0, chi, max));
    }
  }
  return out;
}

/** The alias patterns modpost would write for one table entry of type `type` (`pci`, `usb`, `of`, …). */
export function aliasesOfEntry(type: string, entry: CInit): string[] {
  const layout = LAYOUTS[type];
  if (layout === undefined) return [];
  const f = fieldsOf(entry, layout);
  const n = (name: string): bigint => num(f.get(name), layout.find(([k]) => k === name)?.[1] ?? 0);
  switch (type) {
    case 'pci': {
      const over = n('override_only');
      if (over !== 0n && over !== 1n) return [];
      const ANY = 0xffffffffn;
      let a = over === 1n ? 'vfio_pci:' : 'pci:';
      a += add('v', n('vendor') !== ANY, n('vendor'), 4) + add('d', n('device') !== ANY, n('device'), 4);
      a += add('sv', n('subvendor') !== ANY, n('subvendor'), 4) + add('sd', n('subdevice') !== ANY, n('subdevice'), 4);
      const cls = n('class');
      const mask = n('class_mask');
      const bm = (mask >> 16n) & 0xffn;
      const sm = (mask >> 8n) & 0xffn;
      const im = mask & 0xffn;
      if ((bm !== 0n && bm !== 0xffn) || (sm !== 0n && sm !== 0xffn) || (im !== 0n && im !== 0xffn)) return [];
      a += add('bc', bm === 0xffn, (cls >> 16n) & 0xffn, 1) + add('sc', sm === 0xffn, (cls >> 8n) & 0xffn, 1) + add('i', im === 0xffn, cls & 0xffn, 1);
      return [wildcard(a)];
    }
    case 'usb': return usbEntries(f);
    case 'hid':
      return [`hid:${add('b', n('bus') !== 0xffffn, n('bus'), 2)}${add('g', n('group') !== 0n, n('group'), 2)}${add('v', n('vendor') !== 0xffffffffn, n('vendor'), 4)}${add('p', n('product') !== 0xffffffffn, n('product'), 4)}`];
    case 'ieee1394': {
      const m = Number(n('match_flags'));
      return [wildcard(`ieee1394:${add('ven', (m & 1) !== 0, n('vendor_id'), 4)}${add('mo', (m & 2) !== 0, n('model_id'), 4)}${add('sp', (m & 4) !== 0, n('specifier_id'), 4)}${add('ver', (m & 8) !== 0, n('version'), 4)}`)];
    }
    case 'serio':
      return [wildcard(`serio:${add('ty', n('type') !== 0xffn, n('type'), 1)}${add('pr', n('proto') !== 0xffn, n('proto'), 1)}${add('id', n('id') !== 0xffn, n('id'), 1)}${add('ex', n('extra') !== 0xffn, n('extra'), 1)}`)];
    case 'acpi': {
      const id = str(f.get('id'));
      if (id !== '') return [`acpi*:${id}:*`];
      const cls = n('cls');
      const msk = n('cls_msk');
      let a = 'acpi*:';
      for (let i = 1; i <= 3; i++) {
        const shift = BigInt(8 * (3 - i));
        a += (msk >> shift) & 0xffn ? ((cls >> shift) & 0xffn).toString(16).padStart(2, '0') : '??';
      }
      return [`${a}:*`];
    }
    case 'pnp': {
      const id = str(f.get('id'));
      return [`pnp:d${id}*`, `acpi*:${id.toUpperCase()}:*`];
    }
    case 'pcmcia': {
      const m = Number(n('match_flags'));
      const h = bytesOfWords(f.get('prod_id_hash'));
      let a = 'pcmcia:';
      a += add('m', (m & 0x1) !== 0, n('manf_id'), 2) + add('c', (m & 0x2) !== 0, n('card_id'), 2) + add('f', (m & 0x4) !== 0, n('func_id'), 1);
      a += add('fn', (m & 0x8) !== 0, n('function'), 1) + add('pfn', (m & 0x100) !== 0, n('device_no'), 1);
      ['pa', 'pb', 'pc', 'pd'].forEach((p, k) => { a += add(p, (m & (0x10 << k)) !== 0, h[k] ?? 0n, 4); });
      return [wildcard(a)];
    }
    case 'input': {
      const fl = Number(n('flags'));
      let a = 'input:';
      a += add('b', (fl & 1) !== 0, n('bustype'), 2) + add('v', (fl & 2) !== 0, n('vendor'), 2) + add('p', (fl & 4) !== 0, n('product'), 2) + add('e', (fl & 8) !== 0, n('version'), 2);
      a += '-e*';
      const part = (flag: number, field: string, min: number, max: number, next: string): void => {
        if (fl & flag) for (const b of bitsOf(f.get(field))) if (b >= min && b <= max) a += `${b.toString(16).toUpperCase()},*`;
        a += next;
      };
      part(0x10, 'evbit', 0, 0x1f, 'k*');
      part(0x20, 'keybit', 0x71, 0x2ff, 'r*');
      part(0x40, 'relbit', 0, 0x0f, 'a*');
      part(0x80, 'absbit', 0, 0x3f, 'm*');
      part(0x100, 'mscbit', 0, 0x07, 'l*');
      part(0x200, 'ledbit', 0, 0x0f, 's*');
      part(0x400, 'sndbit', 0, 0x07, 'f*');
      part(0x800, 'ffbit', 0, 0x7f, 'w*');
      part(0x1000, 'swbit', 0, 0x10, '');
      return [a];
    }
    case 'eisa': return [`eisa:s${str(f.get('sig'))}*`];
    case 'sdio': return [wildcard(`sdio:${add('c', n('class') !== 0xffn, n('class'), 1)}${add('v', n('vendor') !== 0xffffn, n('vendor'), 2)}${add('d', n('device') !== 0xffffn, n('device'), 2)}`)];
    case 'ssb': return [wildcard(`ssb:${add('v', n('vendor') !== 0xffffn, n('vendor'), 2)}${add('id', n('coreid') !== 0xffffn, n('coreid'), 2)}${add('rev', n('revision') !== 0xffn, n('revision'), 1)}`)];
    case 'bcma': return [wildcard(`bcma:${add('m', n('manuf') !== 0xffffn, n('manuf'), 2)}${add('id', n('id') !== 0xffffn, n('id'), 2)}${add('rev', n('rev') !== 0xffn, n('rev'), 1)}${add('cl', n('class') !== 0xffn, n('class'), 1)}`)];
    case 'virtio': return [wildcard(`virtio:${add('d', n('device') !== 0xffffffffn, n('device'), 4)}${add('v', n('vendor') !== 0xffffffffn, n('vendor'), 4)}`)];
    case 'vmbus': return [`vmbus:${bytesOf(f.get('guid')).map((b) => b.toString(16).padStart(2, '0')).join('')}`];
    case 'rpmsg': return [`rpmsg:${str(f.get('name'))}`];
    case 'i2c': return [`i2c:${str(f.get('name'))}`];
    case 'spi': return [`spi:${str(f.get('name'))}`];
    case 'platform': return [`platform:${str(f.get('name'))}`];
    case 'auxiliary': return [`auxiliary:${str(f.get('name'))}`];
    case 'mhi': return [`mhi:${str(f.get('chan'))}`];
    case 'dmi': {
      const matches = f.get('matches');
      const list = typeof matches === 'object' && matches !== null ? matches.items.map((i) => i.value) : [];
      const slots = list.slice(0, 4).map((m) => {
        const mf = typeof m === 'object' && m !== null ? fieldsOf(m, [['slot', 1], ['exact_match', 1], ['substr', 0]]) : new Map<string, CValue>();
        return { slot: Number(num(mf.get('slot'), 1) & 0x7fn), substr: str(mf.get('substr')) };
      });
      let a = 'dmi*';
      for (const [prefix, field] of DMI_FIELDS) {
        for (const s of slots) if (s.slot !== 0 && s.slot === field) a += `:${prefix}*${[...s.substr].filter((c) => c > ' ' && c < '\x7f' && c !== ':').join('')}*`;
      }
      return [`${a}:`];
    }
    case 'mdio': {
      const id = n('phy_id');
      const mask = n('phy_id_mask');
      let a = 'mdio:';
      for (let i = 0; i < 32; i++) {
        const bit = BigInt(31 - i);
        a += !((mask >> bit) & 1n) ? '?' : (id >> bit) & 1n ? '1' : '0';
      }
      return [a];
    }
    case 'x86cpu': {
      let a = 'cpu:type:x86,';
      a += add('ven', n('vendor') !== 0xffffn, n('vendor'), 2) + add('fam', n('family') !== 0n, n('family'), 2) + add('mod', n('model') !== 0n, n('model'), 2);
      a += ':feature:*';
      if (n('feature') !== 0n) a += `${hex(n('feature'), 2)}*`;
      return [a];
    }
    case 'cpu': return [`cpu:type:*:feature:*${hex(n('feature'), 2)}*`];
    case 'mei': {
      const name = str(f.get('name'));
      return [`mei:${name || '*'}:${uuidText(bytesOf(f.get('uuid')), false)}${add(':', n('version') !== 0xffn, n('version'), 1)}:*`];
    }
    case 'hdaudio': return [wildcard(`hdaudio:${add('v', n('vendor_id') !== 0n, n('vendor_id'), 4)}${add('r', n('rev_id') !== 0n, n('rev_id'), 4)}${add('a', n('api_version') !== 0n, n('api_version'), 1)}`)];
    case 'sdw': return [wildcard(`sdw:${add('m', n('mfg_id') !== 0n, n('mfg_id'), 2)}${add('p', n('part_id') !== 0n, n('part_id'), 2)}${add('v', n('sdw_version') !== 0n, n('sdw_version'), 1)}${add('c', n('class_id') !== 0n, n('class_id'), 1)}`)];
    case 'wmi': { const g = str(f.get('guid_string')); return g.length === 36 ? [`wmi:${g}`] : []; }
    case 'ssam': {
      const m = Number(n('match_flags'));
      return [`ssam:d${hex(n('domain'), 1)}c${hex(n('category'), 1)}${add('t', (m & 1) !== 0, n('target'), 1)}${add('i', (m & 2) !== 0, n('instance'), 1)}${add('f', (m & 4) !== 0, n('function'), 1)}`];
    }
    case 'ishtp': return [`ishtp:{${uuidText(bytesOf(f.get('guid')), true)}}`];
    case 'typec': return [`typec:id${hex(n('svid'), 2)}${add('m', n('mode') !== 0x7n, n('mode'), 1)}`];
    case 'of': {
      const name = str(f.get('name'));
      const typ = str(f.get('type'));
      const compat = str(f.get('compatible'));
      let a = `of:N${name || '*'}T${typ || '*'}`;
      if (compat !== '') a += `${typ ? '*' : ''}C${compat}`;
      a = a.replace(/\s/g, '_');
      return [a, wildcard(`${a}C`)];
    }
    case 'pnp_card': {
      const devs = f.get('devs');
      const ids = typeof devs === 'object' && devs !== null ? devs.items.map((d) => (typeof d.value === 'object' && d.value !== null ? str(d.value.items[0]?.value) : str(d.value))) : [];
      return ids.filter((id) => id !== '').flatMap((id) => [`pnp:d${id}*`, `acpi*:${id.toUpperCase()}:*`]);
    }
    default: return [];
  }
}

function bytesOfWords(v: CValue): bigint[] {
  if (typeof v !== 'object' || v === null) return [];
  return v.items.map((i) => (typeof i.value === 'bigint' ? BigInt.asUintN(32, i.value) : 0n));
}

/** All aliases of a table, in entry order (pnp_card entries deduplicated across the table as modpost does). */
export function aliasesOfTable(type: string, entries: readonly CInit[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    for (const a of aliasesOfEntry(type, e)) {
      if (type === 'pnp_card') {
        if (seen.has(a)) continue;
        seen.add(a);
      }
      out.push(a);
    }
  }
  return out;
}
