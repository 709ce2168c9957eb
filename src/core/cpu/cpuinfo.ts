// `/proc/cpuinfo` → the facts `-march` detection needs: vendor, family, model and flags of the first
// processor block, plus how the other blocks differ (hybrid cores, or a hypervisor that hides features).
import { diagnostic, type Diagnostic, type Parsed } from '../diag/diagnostic.ts';
import { InputError } from '../diag/errors.ts';

/** The x86 vendors `-march=native` tells apart (the `vendor_id` strings of CPUID leaf 0). */
export type CpuVendor = 'intel' | 'amd' | 'hygon' | 'zhaoxin' | 'centaur' | 'other';

/** What one cpuinfo processor block says about the CPU. */
export interface CpuInfo {
  /** The `vendor_id` line as written (`GenuineIntel`, `AuthenticAMD`, `HygonGenuine`, …). */
  readonly vendorId: string;
  readonly vendor: CpuVendor;
  /** `cpu family`, decimal in cpuinfo, extended family already added by the kernel. */
  readonly family: number;
  /** `model`, decimal, extended model already folded in. */
  readonly model: number;
  readonly modelName: string;
  /** The `flags` line, in the kernel's spelling (`pni` for SSE3, `abm` for LZCNT, `avx512_bf16`, …). */
  readonly flags: ReadonlySet<string>;
  /** Number of processor blocks in the file. */
  readonly processors: number;
  /**
   * Processor blocks whose flags differ from the first one's, with the flags they lack or add (hybrid
   * Intel parts show the same flags on P- and E-cores; a difference usually means a hypervisor or a bug).
   */
  readonly differences: readonly CpuBlockDifference[];
}

/** How one processor block's flags differ from the first block's. */
export interface CpuBlockDifference {
  readonly processor: string;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  /** A different `model name` (e.g. a hybrid part that names its cores), when it differs. */
  readonly modelName?: string;
}

interface Block {
  readonly fields: Map<string, string>;
  readonly line: number;
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let fields = new Map<string, string>();
  let start = 1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      if (fields.size > 0) blocks.push({ fields, line: start });
      fields = new Map();
      continue;
    }
    if (fields.size === 0) start = i + 1;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  if (fields.size > 0) blocks.push({ fields, line: start });
  return blocks;
}

function vendorOf(id: string): CpuVendor {
  switch (id) {
    case 'GenuineIntel':
      return 'intel';
    case 'AuthenticAMD':
      return 'amd';
    case 'HygonGenuine':
      return 'hygon';
    case '  Shanghai  ':
    case 'Shanghai':
      return 'zhaoxin';
    case 'CentaurHauls':
      return 'centaur';
    default:
      return 'other';
  }
}

/** Names what kind of machine a non-x86 cpuinfo comes from, from the fields only other arches print. */
function otherArch(fields: Map<string, string>): string | undefined {
  if (fields.has('CPU implementer') || fields.has('CPU architecture') || fields.has('Features')) return 'an ARM cpuinfo';
  if (fields.has('isa') || fields.has('mmu') || fields.has('hart')) return 'a RISC-V cpuinfo';
  if (fields.has('cpu') && /POWER|ppc/i.test(fields.get('cpu') ?? '')) return 'a POWER cpuinfo';
  if (fields.has('vendor_id') && /IBM\/S390/.test(fields.get('vendor_id') ?? '')) return 'an s390 cpuinfo';
  return undefined;
}

function flagSet(fields: Map<string, string>): Set<string> {
  return new Set((fields.get('flags') ?? '').split(/\s+/).filter((f) => f !== ''));
}

/**
 * Parses `/proc/cpuinfo` text. The first processor block is the answer; later blocks are compared with it.
 * Throws an InputError (`cpu/not-x86`) for another architecture's cpuinfo or a file without any x86 block,
 * since only x86_64 is supported.
 */
export function parseCpuinfo(text: string, file: string): Parsed<CpuInfo> {
  const blocks = splitBlocks(text);
  const first = blocks[0];
  const other = first ? otherArch(first.fields) : undefined;
  if (!first || other || !first.fields.has('flags') || !first.fields.has('vendor_id')) {
    const what = other ?? (first ? 'no vendor_id and flags lines' : 'an empty file');
    throw new InputError('cpu/not-x86', `${file}:${first?.line ?? 1}:1: error: not an x86 /proc/cpuinfo (found ${what}); only x86_64 is supported`);
  }
  const diagnostics: Diagnostic[] = [];
  const flags = flagSet(first.fields);
  const number = (key: string): number => {
    const raw = first.fields.get(key);
    const n = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
    if (!Number.isFinite(n)) {
      diagnostics.push(diagnostic('warning', 'cpu/field', `no numeric "${key}" line in the first processor block; taken as 0`, { file, line: first.line, column: 1 }));
      return 0;
    }
    return n;
  };
  const modelName = first.fields.get('model name') ?? '';
  const differences: CpuBlockDifference[] = [];
  for (const block of blocks.slice(1)) {
    if (!block.fields.has('flags')) continue;
    const theirs = flagSet(block.fields);
    const missing = [...flags].filter((f) => !theirs.has(f));
    const extra = [...theirs].filter((f) => !flags.has(f));
    const name = block.fields.get('model name') ?? '';
    if (missing.length > 0 || extra.length > 0 || name !== modelName) {
      differences.push({ processor: block.fields.get('processor') ?? `line ${block.line}`, missing, extra, modelName: name !== modelName ? name : undefined });
    }
  }
  if (!flags.has('lm')) {
    diagnostics.push(diagnostic('warning', 'cpu/no-lm', 'the flags have no "lm": this CPU (or the hypervisor\'s view of it) cannot run x86_64 code', { file, line: first.line, column: 1 }));
  }
  const vendorId = first.fields.get('vendor_id') ?? '';
  return {
    value: { vendorId, vendor: vendorOf(vendorId), family: number('cpu family'), model: number('model'), modelName, flags, processors: blocks.length, differences },
    diagnostics,
  };
}
