// The fix loop's edits as a NixOS module: one `boot.kernelPatches` entry whose structuredExtraConfig
// (`with lib.kernel;`) holds each added line with a comment saying why, plus the loop's summary.
import type { FixLoopResult } from './fix-loop.ts';

/** A Nix attribute name: bare when it is an identifier, quoted otherwise (`"8139TOO"`). */
export function nixAttrName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : `"${name}"`;
}

/** The summary lines of a loop (also printed by the CLI). */
export function fixSummary(fix: FixLoopResult): string[] {
  const last = fix.iterations[fix.iterations.length - 1];
  const left = fix.final.result.messages.filter((m) => m.severity === 'error').length;
  return [
    `iterations: ${fix.iterations.length}`,
    `lines added: ${fix.edits.length}`,
    `errors left: ${left}${last?.death ? ` (the script still dies: ${last.death})` : ''}`,
    `accepted: ${fix.accepted ? 'yes' : 'no'}`,
  ];
}

/** Renders the edits as a NixOS module file. */
export function emitFixModule(fix: FixLoopResult, header: readonly string[] = []): string {
  const comment = (s: string) => s.replace(/\n/g, ' ');
  const lines: string[] = [];
  for (const h of header) lines.push(`# ${comment(h)}`);
  for (const s of fixSummary(fix)) lines.push(`# ${s}`);
  lines.push('{ lib, ... }:');
  lines.push('{');
  lines.push('  boot.kernelPatches = [');
  lines.push('    {');
  lines.push('      name = "kfit-config-fixes";');
  lines.push('      patch = null;');
  lines.push('      structuredExtraConfig = with lib.kernel; {');
  for (const e of fix.edits) {
    lines.push(`        # ${comment(e.comment)} (iteration ${e.iteration})`);
    lines.push(`        ${nixAttrName(e.name)} = ${e.nix};`);
  }
  lines.push('      };');
  lines.push('    }');
  lines.push('  ];');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
