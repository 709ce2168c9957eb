// `kfit why SYMBOL…`: why a symbol has its value in a .config, or in the .config NixOS' pipeline would make
// (simulated as `kfit nixos check` does), with the whole chain of selectors and blockers.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/diag/errors.ts';
import { readNixosIntermediate } from './nixos-files.ts';
import { hasErrors } from '../../core/diag/index.ts';
import { parseConfigValues } from '../../core/config-diff/index.ts';
import { Evaluation } from '../../core/kconfig/evaluation.ts';
import { readDotConfig } from '../../core/dotconfig/read.ts';
import { postReadV61 } from '../../core/kconfig/targets-v61.ts';
import type { KconfigModel, KconfigSymbol } from '../../core/kconfig/model.ts';
import { explainWhy, type SymbolWhy, type UserOrigin, type WhySelector, type WhySource } from '../../core/kconfig/why.ts';
import {
  EngineKconfig,
  OtherTree,
  diagnoseMessage,
  engineLoader,
  engineSession,
  mergeSettings,
  originOf,
  parseKernelConfig,
  simulateGenerateConfig,
  type AnswerOrigin,
  type Answers,
  type DialogueEntry,
  type GenerateConfigResult,
} from '../../core/nixos/index.ts';
import { readConfigText } from '../../host/config-file.ts';
import { kconfigDefinitionFinder, renameResultStore } from '../../host/kconfig-definitions.ts';
import { defaultModelCacheDir } from '../../host/model-cache.ts';
import { findOtherCachedTree, loadKernelTree, makeBaseConfig, treeAge, type LoadedTree } from '../../host/nixos-system.ts';
import { configPath } from './config-input.ts';

interface WhyFlags {
  src?: string;
  arch: string;
  config?: string;
  kernelConfig?: string;
  structured?: string;
  base?: string;
  autoModules?: boolean;
  preferBuiltin?: boolean;
  depth: string;
  otherSrc?: string | false;
  json?: boolean;
}

/** Registers `kfit why`. */
export function registerWhy(program: Command): void {
  program
    .command('why')
    .description('why a Kconfig symbol is set (or not): value, definition, menu, what set it, what limits or blocks it, and the same for its selectors and blockers')
    .argument('<symbol...>', 'symbol names (with or without CONFIG_)')
    .option('--src <dir>', 'the kernel source tree (required)')
    .option('--arch <arch>', 'architecture (make ARCH)', 'x86_64')
    .option('--config <file>', 'a .config (plain, .gz, .xz, or `running`)')
    .option('--kernel-config <file>', "NixOS: the intermediate text (the configfile derivation's kernel-config); the pipeline is simulated")
    .option('--structured <file>', 'NixOS: the unmerged definitions as JSON (as for kfit nixos check)')
    .option('--base <target>', 'NixOS: kernelBaseConfig (default defconfig)')
    .option('--no-auto-modules', 'NixOS: autoModules = false')
    .option('--prefer-builtin', 'NixOS: preferBuiltin = true')
    .option('--depth <n>', "how many levels of selectors' and blockers' own reasons to follow", '3')
    .option('--other-src <dir>', "for an absent name: the other kernel version's tree to look for its new name (default: the other tree in kfit's cache)")
    .option('--no-other-src', 'for an absent name: do not look in another tree')
    .option('--json', 'print the explanations as JSON')
    .action((names: string[], flags: WhyFlags) => {
      process.stdout.write(runWhy(names, flags));
    });
}

/** Runs `kfit why`; returns the text to print (throws InputError for bad input, before printing anything). */
export function runWhy(rawNames: readonly string[], flags: WhyFlags): string {
  if (!flags.src) throw new InputError('why/src', 'kfit: give --src DIR (the kernel source tree)');
  const depth = Number(flags.depth);
  if (!Number.isInteger(depth) || depth < 0) throw new InputError('why/depth', `kfit: --depth wants a whole number >= 0, got '${flags.depth}'`);
  const nixos = flags.kernelConfig !== undefined || flags.structured !== undefined;
  if (nixos && flags.config) throw new InputError('why/input', 'kfit: give either --config or the NixOS inputs (--kernel-config/--structured), not both');
  if (!nixos && !flags.config) throw new InputError('why/input', 'kfit: give --config FILE (or `running`), or --kernel-config/--structured FILE for a NixOS config');
  const names = rawNames.map((n) => n.replace(/^CONFIG_/, ''));
  const bad = names.find((n) => !/^[A-Za-z0-9_]+$/.test(n));
  if (bad !== undefined) throw new InputError('why/name', `kfit: '${bad}' is not a Kconfig symbol name (letters, digits and _)`);
  const input = nixos ? nixosInput(flags) : configInput(flags);
  const tree = loadKernelTree(flags.src, flags.arch);
  const state = input.evaluate(tree);
  const whys = explainWhy(state.ev, names, { depth, userOrigin: state.userOrigin, wanted: state.wanted, answer: state.answer });
  const absent = new Map<string, string>();
  const lookup = whys.some((w) => !w.present) ? absentLookup(tree, state, flags) : undefined;
  for (const w of whys) if (!w.present) absent.set(w.name, lookup!(w.name));
  if (flags.json) {
    const out = whys.map((w) => (absent.has(w.name) ? { ...w, absent: absent.get(w.name) } : w));
    return `${JSON.stringify({ src: tree.srctree, arch: flags.arch, input: input.label, note: state.note ?? null, symbols: out }, null, 2)}\n`;
  }
  let text = `# ${input.label}; tree ${tree.srctree} (${tree.env.kernelVersion}, ${flags.arch})\n`;
  if (state.note) text += `# ${state.note}\n`;
  for (const w of whys) text += w.present ? formatWhy(w, 0) : `${w.name}: ${absent.get(w.name)}\n`;
  return text;
}

/** What the explanation is computed on: the evaluation, and for NixOS where answers came from. */
interface WhyState {
  readonly ev: Evaluation;
  readonly facts: () => EngineKconfig;
  readonly userOrigin?: (sym: KconfigSymbol) => UserOrigin | undefined;
  readonly wanted?: (sym: KconfigSymbol) => string | undefined;
  readonly answer?: (sym: KconfigSymbol) => string | undefined;
  readonly origin: AnswerOrigin;
  readonly answers: Answers;
  /** NixOS: how the simulated generate-config.pl ended. */
  readonly note?: string;
}

interface WhyInput {
  readonly label: string;
  evaluate(tree: LoadedTree): WhyState;
}

function configInput(flags: WhyFlags): WhyInput {
  const path = configPath(flags.config!);
  const text = readConfigText(path);
  const parsed = parseConfigValues(text, path);
  if (hasErrors(parsed.diagnostics)) throw InputError.fromDiagnostics('config/invalid', parsed.diagnostics);
  return {
    label: `config ${path}`,
    evaluate(tree) {
      // conf_read() as conf does it (6.1 then forgets the values of invisible symbols, as EngineKconfig.load())
      const read = readDotConfig(tree.model, text, path).assignments;
      const ev = Evaluation.create(tree.model, tree.model.flavor === 'v6.1' ? postReadV61(tree.model, read) : read);
      return { ev, facts: () => EngineKconfig.load(tree.model, text), origin: () => undefined, answers: new Map() };
    },
  };
}


// mirrors runCheck()'s input part, src/cli/commands/nixos.ts (the --kernel-config and --structured inputs)
function nixosInput(flags: WhyFlags): WhyInput {
  const { text, file: textFile, structured } = readNixosIntermediate(flags, 'why')!;
  const answers = parseKernelConfig(text, textFile);
  // the intermediate text alone: no Nix definitions behind it, so originOf() names the answer's line
  const origin = originOf(structured?.merged ?? mergeSettings([]), answers);
  const base = flags.base ?? 'defconfig';
  return {
    label: `NixOS pipeline simulated: ${textFile} on make ${base}`,
    evaluate(tree) {
      const baseConfig = makeBaseConfig(tree, base);
      const load = engineLoader(tree.model);
      const result = simulateGenerateConfig(answers, engineSession(load, baseConfig), { autoModules: flags.autoModules !== false, preferBuiltin: !!flags.preferBuiltin });
      const facts = load(result.dotConfig);
      const errors = result.messages.filter((m) => m.severity === 'error').length;
      const note = result.death
        ? `generate-config.pl died (${result.death.message}): the values are those of the .config conf left`
        : `generate-config.pl: ${errors} error(s), ${result.messages.length - errors} warning(s), exit ${result.exitCode}`;
      return { note, ev: facts.ev, facts: () => facts, origin, answers, wanted: (s) => answers.get(s.name)?.value, answer: (s) => answerText(answers, origin, s.name), userOrigin: nixosOrigin(result, answers, origin, baseConfig, base) };
    },
  };
}

/** Says how generate-config.pl's dialogue gave a symbol its value: the explicit answer (and its Nix file), autoModules, or conf's default kept from the base. */
function nixosOrigin(result: GenerateConfigResult, answers: Answers, origin: AnswerOrigin, baseConfig: string, base: string): (sym: KconfigSymbol) => UserOrigin | undefined {
  // per symbol, the entry that decided: the first explicit or autoModules answer, else the last (a default)
  const asked = new Map<string, DialogueEntry>();
  const decided = (e: DialogueEntry | undefined) => e !== undefined && (e.kind === 'question' ? e.source !== 'default' : e.answer !== '');
  for (const e of result.dialogue) {
    for (const name of e.kind === 'question' ? [e.name] : e.items.map((it) => it.symbol)) if (!decided(asked.get(name))) asked.set(name, e);
  }
  const baseLines = new Map<string, { line: number; value: string }>();
  baseConfig.split('\n').forEach((l, i) => {
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(l) ?? /^# CONFIG_([A-Za-z0-9_]+) is not set$/.exec(l);
    if (m) baseLines.set(m[1], { line: i + 1, value: m[2] ?? 'n' });
  });
  return (sym): UserOrigin | undefined => {
    const e = asked.get(sym.name);
    const a = answers.get(sym.name);
    const from = origin(sym.name);
    const inBase = baseLines.get(sym.name);
    const baseText = inBase ? `the base .config (make ${base}) has CONFIG_${sym.name}=${inBase.value}` : `the base .config (make ${base}) does not set it, so Kconfig's default applied`;
    if (!e) return { text: `not asked by generate-config.pl; ${baseText}`, details: { asked: false, base: inBase?.value ?? null } };
    if (e.kind === 'choice') {
      const chosen = e.answer ? e.items.find((it) => it.number === e.answer)?.symbol : undefined;
      const how = chosen ? `generate-config.pl chose ${chosen} (the answer ${chosen}=y${origin(chosen) ? `, ${origin(chosen)}` : ''})` : `generate-config.pl took conf's default for the choice (pass ${e.pass}); ${baseText}`;
      return { text: how, details: { asked: true, pass: e.pass, choice: true, chosen: chosen ?? null, nix: chosen ? (origin(chosen) ?? null) : null } };
    }
    const how =
      e.source === 'explicit'
        ? `generate-config.pl answered ${e.answer} [${e.alts}] in pass ${e.pass}: the answer ${a?.value ?? e.answer}${from ? ` (${from})` : ''}`
        : e.source === 'auto-module'
          ? `generate-config.pl answered m [${e.alts}] in pass ${e.pass} by autoModules (no answer given)`
          : `generate-config.pl had no answer and took conf's default [${e.alts}] in pass ${e.pass}; ${baseText}`;
    return { text: how, details: { asked: true, pass: e.pass, answer: e.answer, source: e.source, nix: from ?? null, base: inBase?.value ?? null } };
  };
}

function answerText(answers: Answers, origin: AnswerOrigin, name: string): string | undefined {
  const a = answers.get(name);
  if (!a) return undefined;
  const from = origin(name);
  return `${name}${a.required ? '' : '?'} ${a.value}${from ? `, ${from}` : ''}`;
}

// says why a name is absent, as kfit nixos check's diagnosis does: another arch's Kconfig, or its name in the other tree
function absentLookup(tree: LoadedTree, state: WhyState, flags: WhyFlags): (name: string) => string {
  const other = otherTree(flags, tree);
  const definedIn = kconfigDefinitionFinder(tree.srctree, defaultModelCacheDir());
  const facts = state.facts();
  return (name) => diagnoseMessage(facts, { severity: 'error', kind: 'unused', name, wanted: 'y', text: '' }, state.answers, state.origin, other, definedIn).why;
}

// as nixos.ts otherTree(): --other-src, else the other known version's tree in kfit's cache, read only when asked
function otherTree(flags: WhyFlags, tree: LoadedTree): OtherTree | undefined {
  if (flags.otherSrc === false) return undefined;
  const dir = flags.otherSrc ? resolve(flags.otherSrc) : findOtherCachedTree(tree.env.kernelVersion, tree.srctree)?.srctree;
  if (!dir) return undefined;
  const results = (to: KconfigModel) => (to === tree.model ? renameResultStore(dir, tree.srctree, flags.arch, defaultModelCacheDir()) : undefined);
  const load = () => {
    try {
      return loadKernelTree(dir, flags.arch).model;
    } catch {
      return undefined;
    }
  };
  return OtherTree.lazy(flags.otherSrc ? `--other-src ${flags.otherSrc}` : `the tree in kfit's cache, ${dir}`, load, { explicit: !!flags.otherSrc, age: treeAge(dir, tree.env.kernelVersion), results });
}

// ---- text ----------------------------------------------------------------------------------------------

function selectorText(s: WhySelector): string {
  return `${s.name} [=${s.value}]${s.at ? ` (${s.at}${s.condition ? `, if ${s.condition}` : ''})` : ''}`;
}

function sourceText(s: WhySource): string {
  switch (s.kind) {
    case 'user':
      return s.origin ? s.origin.text : `set to ${s.value} by the user's line${s.at ? ` ${s.at}` : ''}`;
    case 'default':
      return `default ${s.expr}${s.condition ? ` if ${s.condition} (condition ${s.conditionValue})` : ''} at ${s.at}`;
    case 'select':
    case 'imply':
      return `${s.kind === 'select' ? 'selected' : 'implied'} by ${s.by.map(selectorText).join(', ') || '(none found)'}`;
    case 'choice':
      return `${s.isSelected ? 'the selected member' : 'not the selected member'} of the choice "${s.choice}" (${s.at}); selected: ${s.selected ?? 'none'}: ${s.how}`;
    default:
      return 'nothing sets it (no default applies, no select, no user value)';
  }
}

/** Formats one explanation as an indented chain (causes indented below). */
export function formatWhy(w: SymbolWhy, indent: number): string {
  const pad = ' '.repeat(indent);
  if (w.repeated) return `${pad}${w.name}: see above\n`;
  if (!w.present) return `${pad}${w.name}: not defined in this tree for this architecture\n`;
  const value = w.written ? w.value : `${w.value} (not written to .config)`;
  let out = `${pad}${w.name} = ${value}   ${w.type}${w.prompt ? ` "${w.prompt}"` : ' (no prompt)'}\n`;
  const line = (label: string, text: string) => (out += `${pad}  ${label.padEnd(12)}${text}\n`);
  // one definition: its dependencies are the "depends on" line below; several: each with its own
  const defs = w.definitions ?? [];
  for (const d of defs) line('defined at', `${d.at}${defs.length > 1 && d.depends ? `  depends on ${d.depends}` : ''}`);
  if (w.location && w.location.length > 0) line('location', w.location.join(' -> '));
  if (w.answer) line('answer', w.answer);
  line('set by', sourceText(w.set!));
  for (const s of w.also ?? []) line('also', sourceText(s));
  if (w.ignoredUser) line('ignored', `the user value ${w.ignoredUser.value}${w.ignoredUser.at ? ` (${w.ignoredUser.at})` : ''}: ${w.ignoredUser.reason === 'invisible' ? 'the prompt is not visible' : 'a choice member'}`);
  for (const l of w.limits ?? []) {
    if (l.kind === 'depends') line('depends on', `${l.expr}  => ${l.value}${l.value !== 'y' ? (l.value === 'm' ? ' (at most m unless selected)' : ' (only a select can set it)') : ''}`);
    else if (l.kind === 'visibility') line('visible if', `${l.expr}  => ${l.value}`);
    else if (l.kind === 'range') line('range', `${l.low} .. ${l.high}`);
    else if (l.kind === 'modules') line('modules', `${l.modules}: no module (m) values`);
    else line('no prompt', 'users cannot set it: only a default or a select can');
  }
  const set = w.set;
  const selectors = w.selectedBy ?? [];
  if (selectors.length > 0 && !(set?.kind === 'select') && !(w.also ?? []).some((s) => s.kind === 'select')) line('selected by', selectors.map(selectorText).join(', '));
  if (w.blocked) {
    const b = w.blocked;
    const why = b.by === 'depends' ? `depends on ${b.expr}` : b.by === 'visibility' ? `its prompt is visible if ${b.expr}` : b.by === 'no-prompt' ? 'it has no prompt: only a default or a select can set it' : b.by === 'selected' ? `it is selected (a select keeps it at least ${w.value})` : `nothing blocks it: it is ${w.value} by ${w.set?.kind === 'user' ? 'the user value' : 'its default'}; set it to ${b.wanted === 'y or m' ? 'y' : b.wanted} to change that`;
    line('blocked', b.by === 'chosen' ? why : `wanted ${b.wanted}, but ${why}`);
    for (const p of b.parts) line('', `needs ${p.needs} (now ${p.part})`);
  }
  if (w.causes && w.causes.length > 0) {
    out += `${pad}  because:\n`;
    for (const c of w.causes) out += formatWhy(c, indent + 4);
  }
  return out;
}
