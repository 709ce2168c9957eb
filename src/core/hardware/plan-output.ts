// Printing a hardware plan: a text report, a .config fragment and a Nix `structuredExtraConfig` entry.
import { emitKernelPatch, type KernelPatchEntry } from '../nix/index.ts';
import type { ClosureResult } from './closure.ts';
import type { HwPlan, PlanItem } from './plan.ts';

function firstReason(item: PlanItem): string {
  const r = item.reasons[0];
  if (r === undefined) return '';
  const more = item.reasons.length > 1 ? ` (+${item.reasons.length - 1} more)` : '';
  return `${r.label} [${r.device}] via ${r.via}${more}`;
}

/** The value a symbol gets in the outputs: the closure's when there is one, else `y`. */
function valueOf(symbol: string, closure: ClosureResult | undefined): string {
  const v = closure?.values.find((x) => x.symbol === symbol)?.value;
  return v === undefined || v === '' ? 'y' : v;
}

/** A human report: symbols grouped by class with their first reason, then unmatched devices and notes. */
export function formatPlanText(plan: HwPlan, closure?: ClosureResult): string {
  const lines: string[] = [];
  const groups: [string, string][] = [['device-driver', 'Device drivers'], ['platform-quirk', 'Platform quirks (DMI/WMI)'], ['cpu-model', 'CPU-model drivers (EDAC, RAPL, PMUs)'], ['cpu-feature', 'CPU-feature accelerations'], ['functionality', 'Functionality matched by capability (input handlers)'], ['gate', 'Directory gates (menus the drivers live under)']];
  for (const [cls, title] of groups) {
    const items = plan.items.filter((i) => i.class === cls);
    if (items.length === 0) continue;
    lines.push(`${title}: ${items.length}`);
    for (const i of items) lines.push(`  CONFIG_${i.symbol}=${valueOf(i.symbol, closure)}  ${firstReason(i)}`);
  }
  if (closure) {
    const added = closure.values.filter((v) => v.because !== 'requested');
    if (added.length > 0) {
      lines.push(`Added to satisfy dependencies: ${added.length}`);
      for (const a of added) lines.push(`  CONFIG_${a.symbol}=${a.value}  (${a.because})`);
    }
    if (closure.failures.length > 0) {
      lines.push(`Requested but cannot stick: ${closure.failures.length}`);
      for (const f of closure.failures) lines.push(`  CONFIG_${f.symbol}: wanted ${f.wanted}, got ${f.got || 'n'}: ${f.reason}`);
    }
    if (closure.unknown.length > 0) lines.push(`Not defined by this tree's Kconfig: ${closure.unknown.join(' ')}`);
  }
  if (plan.unmatched.length > 0) {
    lines.push(`Devices with no matching driver in this tree: ${plan.unmatched.length}`);
    for (const u of plan.unmatched) lines.push(`  ${u.label} [${u.device}]${u.driver ? ` bound to ${u.driver}` : ''}: ${u.modaliases[0]!.length > 90 ? `${u.modaliases[0]!.slice(0, 87)}...` : u.modaliases[0]}`);
  }
  for (const n of plan.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/** A .config fragment: one `CONFIG_X=y` line per symbol with a comment naming the device above it. */
export function formatPlanConfig(plan: HwPlan, closure?: ClosureResult): string {
  const lines = ['# Hardware plan written by kfit hw plan'];
  for (const i of plan.items) {
    const v = valueOf(i.symbol, closure);
    if (v === 'n') continue;
    lines.push(`# ${i.class}: ${firstReason(i)}`, `CONFIG_${i.symbol}=${v}`);
  }
  for (const a of closure?.values.filter((x) => x.because !== 'requested') ?? []) {
    if (a.value !== 'n' && a.value !== '') lines.push(`# ${a.because}`, `CONFIG_${a.symbol}=${a.value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Nix file with one `boot.kernelPatches` entry whose `structuredExtraConfig` sets the plan (`X = yes; # device …`). */
export function formatPlanNix(plan: HwPlan, closure?: ClosureResult): string {
  const entries: KernelPatchEntry[] = [];
  const seen = new Set<string>();
  // Promptless symbols (set only by select) are left out: NixOS cannot answer them.
  const unsettable = new Set(closure?.values.filter((v) => !v.settable).map((v) => v.symbol) ?? []);
  const push = (symbol: string, value: string, comment: string): void => {
    if (seen.has(symbol) || value === 'n' || value === '' || unsettable.has(symbol)) return;
    seen.add(symbol);
    entries.push({ symbol, value: value === 'm' ? { kind: 'module' } : value === 'y' ? { kind: 'yes' } : { kind: 'freeform', value }, comment });
  };
  for (const i of plan.items) push(i.symbol, valueOf(i.symbol, closure), `${i.class}: ${firstReason(i)}`);
  for (const a of closure?.values ?? []) if (a.because !== 'requested') push(a.symbol, a.value, a.because);
  return emitKernelPatch({ name: 'kfit-hardware', entries, header: ['Hardware plan written by kfit hw plan: the options this machine\'s devices need.', 'Use it as one entry of boot.kernelPatches.'] });
}
