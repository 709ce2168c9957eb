// `kfit config <target>`: the kernel's configuration targets (make allnoconfig, defconfig, olddefconfig, …)
// computed by kfit's Kconfig engine, with the same .config bytes and messages as scripts/kconfig/conf.
import { loadKconfigModel, type LoadedKconfigModel } from '../../host/kconfig-model.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, type Diagnostic } from '../../core/diag/diagnostic.ts';
import { InputError } from '../../core/diag/errors.ts';
import { formatConfWarning, readDotConfig } from '../../core/dotconfig/read.ts';
import { KconfigProbabilityError, parseKconfigProbability, parseKconfigSeed } from '../../core/kconfig/glibc-random.ts';
import { CONFIG_TARGETS, runTarget, type ConfigTarget, type TargetInput, type TextFile } from '../../core/kconfig/targets.ts';
import type { KconfigModel } from '../../core/kconfig/model.ts';
import { OldconfigDialogue, type OldconfigMode } from '../../core/kconfig/oldconfig.ts';
import type { Evaluation } from '../../core/kconfig/evaluation.ts';
import { formatUnmetDependency } from '../../core/kconfig/warnings.ts';

interface ConfigOptions {
  src: string;
  arch?: string;
  in?: string;
  out?: string;
  seed?: string;
  probability?: string;
  allconfig?: string;
  defconfig?: string;
  json?: boolean;
  shellCache?: boolean;
}

/** Registers `kfit config`. */
export function registerConfig(program: Command): void {
  program
    .command('config')
    .description(`run a Kconfig target like make does (${CONFIG_TARGETS.join(', ')}, NAME_defconfig, or the dialogues oldconfig and oldaskconfig, answers read from stdin)`)
    .argument('<target>', 'the configuration target')
    .requiredOption('--src <dir>', 'the kernel source tree')
    .option('--arch <arch>', 'ARCH= (x86_64, arm64, …); default: $ARCH or x86_64')
    .option('--in <file>', 'the existing .config (olddefconfig, oldconfig, savedefconfig, listnewconfig, …)', '.config')
    .option('--out <file>', 'where to write (default .config; defconfig for savedefconfig)')
    .option('--seed <n>', 'randconfig seed (KCONFIG_SEED)')
    .option('--probability <p>', 'randconfig probabilities (KCONFIG_PROBABILITY)')
    .option('--allconfig <file>', 'KCONFIG_ALLCONFIG for all*config and randconfig')
    .option('--defconfig <file>', 'the defconfig file for defconfig')
    .option('--json', 'print a JSON summary instead of conf messages')
    .option('--no-shell-cache', 'run every $(shell,…) probe instead of using the answer cache')
    .action(async (target: string, options: ConfigOptions) => {
      if (target === 'oldconfig' || target === 'oldaskconfig') await runDialogueCommand(target, options, stdinLines());
      else runConfigCommand(target, options);
    });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function mustRead(path: string, what: string): TextFile {
  const text = readText(path);
  if (text === undefined) throw new InputError('config/missing-file', `kfit: cannot read ${what} ${path}`);
  return { name: path, text };
}

// The arch Makefile's KBUILD_DEFCONFIG (default `defconfig`, scripts/kconfig/Makefile) for a build on a
// non-powerpc host: `$(if $(filter ppc%,$(uname)),$(uname),X)` is X, `$(ARCH)` is ARCH; x86 picks by ARCH.
function defaultDefconfig(srctree: string, arch: string, srcarch: string): string {
  if (srcarch === 'x86') return arch === 'i386' ? 'i386_defconfig' : 'x86_64_defconfig';
  const makefile = readText(join(srctree, 'arch', srcarch, 'Makefile')) ?? '';
  const m = /^KBUILD_DEFCONFIG\s*:?=\s*(.+)$/m.exec(makefile);
  if (!m) return 'defconfig';
  return m[1]
    .trim()
    .replace(/\$\(if \$\(filter [^,]*,\$\(uname\)\),\$\(uname\),([^)]*)\)/, '$1')
    .replace(/\$\(ARCH\)/g, arch);
}

/**
 * A defconfig that an arch Makefile generates (`NAME:` then `$(call merge_into_defconfig,BASE,FRAGMENTS)`,
 * scripts/Makefile.defconf), as the base text and fragment texts merge_config.sh reads.
 */
function generatedDefconfig(srctree: string, srcarch: string, name: string): TargetInput['mergedDefconfig'] {
  const makefile = readText(join(srctree, 'arch', srcarch, 'Makefile'));
  if (!makefile) return undefined;
  const escaped = name.replace(/[.]/g, '\\.');
  const rule = new RegExp(`^${escaped}:[^\\n]*\\n\\t\\$\\(call (merge_into_defconfig(?:_override)?),([^,)]+),([^)]*)\\)`, 'm').exec(makefile);
  if (!rule) return undefined;
  const dir = join(srctree, 'arch', srcarch, 'configs');
  const base = join(dir, rule[2].trim());
  const baseText = readText(base);
  if (baseText === undefined) return undefined;
  const fragments = rule[3]
    .split(/[\s\\]+/)
    .filter((f) => f !== '')
    .map((f) => {
      const path = join(dir, `${f}.config`);
      return { name: path, text: readText(path) };
    });
  return { base: { name: base, text: baseText }, fragments, quiet: rule[1].endsWith('_override') };
}

// arch/mips/Makefile: `$(bits)$(rev)[el]_defconfig` = generic_defconfig + generic/$(bits)$(rev).config +
// generic/$(endian).config, then the board fragments (all of them, sorted, when BOARDS is not given).
function mipsGeneric(srctree: string, name: string): TargetInput['mipsGenericDefconfig'] {
  const m = /^(32|64|micro32)(r1|r2|r6)(el)?_defconfig$/.exec(name);
  if (!m) return undefined;
  const dir = join(srctree, 'arch', 'mips', 'configs');
  const base = readText(join(dir, 'generic_defconfig'));
  if (base === undefined) return undefined;
  const fragment = (f: string): { name: string; text: string | undefined } => ({ name: join(dir, 'generic', f), text: readText(join(dir, 'generic', f)) });
  const boards = readdirSync(join(dir, 'generic'))
    .filter((f) => /^board-.*\.config$/.test(f))
    .sort()
    .map((f) => ({ name: join(dir, 'generic', f), text: readFileSync(join(dir, 'generic', f), 'utf8') }));
  return {
    base: { name: join(dir, 'generic_defconfig'), text: base },
    fragments: [fragment(`${m[1]}${m[2]}.config`), fragment(`${m[3] ? 'el' : 'eb'}.config`)],
    boards,
  };
}

/** The --src tree, resolved; an InputError when it is not a kernel tree. */
function checkedTree(options: ConfigOptions): string {
  const srctree = resolve(options.src);
  if (!existsSync(join(srctree, 'Kconfig'))) throw new InputError('config/no-tree', `kfit: ${srctree} is not a kernel tree (no Kconfig)`);
  return srctree;
}

/**
 * The tree's model as `make O=<cwd> ARCH=…` would read it (in-tree when cwd is the tree), with
 * menu_warn()/prop_warn() of conf_parse() printed while parsing, before anything else.
 */
function loadForCommand(srctree: string, options: ConfigOptions): LoadedKconfigModel {
  const cwd = process.cwd();
  const loaded = loadKconfigModel({
    srctree,
    arch: options.arch ?? process.env.ARCH ?? 'x86_64',
    objtree: resolve(cwd) === srctree ? undefined : cwd,
    shellCache: options.shellCache === false ? false : undefined,
  });
  for (const d of loaded.warnings) if (d.span) process.stderr.write(`${d.span.file}:${d.span.line}:warning: ${d.message}\n`);
  return loaded;
}

/** Runs one target; throws InputError for bad input and writes nothing then. */
export function runConfigCommand(targetName: string, options: ConfigOptions): void {
  const srctree = checkedTree(options);
  const isNamedDefconfig = targetName.endsWith('_defconfig');
  if (!isNamedDefconfig && !(CONFIG_TARGETS as readonly string[]).includes(targetName)) {
    throw new InputError('config/target', `kfit: unknown target '${targetName}'; expected one of ${CONFIG_TARGETS.join(', ')} or NAME_defconfig`);
  }
  const target: ConfigTarget = isNamedDefconfig ? 'defconfig' : (targetName as ConfigTarget);
  const { model, env: kenv } = loadForCommand(srctree, options);
  const fromTree = (rel: string): string => (isAbsolute(rel) ? rel : existsSync(rel) ? rel : join(srctree, rel));
  const input: { -readonly [K in keyof TargetInput]: TargetInput[K] } = { target, warnUnknown: !!process.env.KCONFIG_WARN_UNKNOWN_SYMBOLS };
  const kbuildDefconfig = defaultDefconfig(srctree, kenv.arch, kenv.srcarch);
  const banner: string[] = [];
  switch (target) {
    case 'defconfig': {
      const name = isNamedDefconfig ? targetName : kbuildDefconfig;
      const file = options.defconfig ?? `arch/${kenv.srcarch}/configs/${name}`;
      const text = readText(fromTree(file));
      const mips = text === undefined && !options.defconfig && kenv.srcarch === 'mips' ? mipsGeneric(srctree, name) : undefined;
      if (mips) {
        input.mipsGenericDefconfig = mips;
        if (!isNamedDefconfig) banner.push(`*** Default configuration is based on target '${kbuildDefconfig}'`);
        break;
      }
      const generated = text === undefined && !options.defconfig ? generatedDefconfig(srctree, kenv.srcarch, name) : undefined;
      if (generated) {
        input.mergedDefconfig = generated;
        if (!isNamedDefconfig) banner.push(`*** Default configuration is based on target '${kbuildDefconfig}'`);
        break;
      }
      if (text === undefined) throw new InputError('config/no-defconfig', `***\n*** Can't find default configuration "${file}"!\n***`);
      input.defconfig = { name: file, text };
      if (!options.defconfig && !isNamedDefconfig) banner.push(`*** Default configuration is based on '${kbuildDefconfig}'`);
      break;
    }
    case 'olddefconfig':
    case 'savedefconfig':
    case 'listnewconfig':
    case 'helpnewconfig':
    case 'yes2modconfig':
    case 'mod2yesconfig':
    case 'mod2noconfig': {
      const path = options.in ?? '.config';
      const text = readText(path);
      if (text !== undefined) input.config = { name: path, text };
      else input.defconfigFallback = defconfigListFile(srctree, kenv.srcarch, kbuildDefconfig);
      break;
    }
    case 'tinyconfig': {
      input.tinyBase = mustRead(join(srctree, 'kernel/configs/tiny-base.config'), 'the tiny base config');
      input.tinyFragments = [join(srctree, 'kernel/configs/tiny.config'), join(srctree, `arch/${kenv.srcarch}/configs/tiny.config`)]
        .filter((f) => existsSync(f))
        .map((f) => ({ name: f, text: readFileSync(f, 'utf8') }));
      break;
    }
    default: {
      const all = options.allconfig ?? process.env.KCONFIG_ALLCONFIG;
      if (all !== undefined) {
        let path = all;
        if (all === '' || all === '1') {
          const modeFile = `${target.replace(/config$/, '').replace('rand', 'allrandom')}.config`.replace('allrandom.config', 'allrandom.config');
          path = existsSync(modeFile) ? modeFile : 'all.config';
          if (!existsSync(path)) throw new InputError('config/allconfig', `*** KCONFIG_ALLCONFIG set, but no "${modeFile}" or "all.config" file found`);
        }
        const text = readText(fromTree(path));
        if (text === undefined) throw new InputError('config/allconfig', `*** Can't read seed configuration "${path}"!`);
        input.allconfig = { name: path, text };
      }
      if (target === 'randconfig') {
        const seed = parseKconfigSeed(options.seed ?? process.env.KCONFIG_SEED);
        if (options.seed !== undefined && seed === undefined) throw new InputError('config/seed', `kfit: --seed ${options.seed} is not a number (decimal, 0x… or 0…)`);
        input.seed = seed ?? ((Math.floor(Date.now() / 1000) + 1) * ((Date.now() % 1000) * 1000 + 1)) >>> 0;
        try {
          input.probability = parseKconfigProbability(options.probability ?? process.env.KCONFIG_PROBABILITY);
        } catch (e) {
          if (e instanceof KconfigProbabilityError) throw new InputError('config/probability', e.message);
          throw e;
        }
      }
    }
  }
  const result = runTarget(model, input);
  const warnings = result.diagnostics;
  // KCONFIG_WERROR: conf stops before writing when reading warned (conf_errors()) or a select broke a
  // dependency (sym_dep_errors()).
  if (process.env.KCONFIG_WERROR && warnings.length > 0) {
    throw new InputError('config/werror', warnings.map(formatWarning).join('\n') + '\nkfit: KCONFIG_WERROR is set and there were warnings; nothing written');
  }
  const outPath = options.out ?? (target === 'savedefconfig' ? 'defconfig' : '.config');
  let message: string | null = null;
  if (result.output !== null) message = writeAtomically(outPath, result.output, target !== 'savedefconfig');
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary(model, result.evaluation, targetName, result.output === null ? null : outPath, warnings, result.stdout), null, 2)}\n`);
    return;
  }
  for (const d of warnings) if (d.code !== 'kconfig/unmet-dependency') process.stderr.write(`${formatWarning(d)}\n`);
  for (const u of result.evaluation.unmetDependencies()) process.stderr.write(formatUnmetDependency(result.evaluation, u));
  for (const line of [...banner, ...result.stdout]) process.stdout.write(`${line}\n`);
  if (message) process.stdout.write(`#\n# ${message}\n#\n`);
}

// The first existing file of KCONFIG_DEFCONFIG_LIST, read when there is no .config (conf_read(NULL)).
function defconfigListFile(srctree: string, srcarch: string, kbuildDefconfig: string): TextFile | undefined {
  const r = release();
  for (const name of [`/lib/modules/${r}/.config`, '/etc/kernel-config', `/boot/config-${r}`, `arch/${srcarch}/configs/${kbuildDefconfig}`]) {
    const t = readText(isAbsolute(name) ? name : existsSync(name) ? name : join(srctree, name));
    if (t !== undefined) return { name, text: t };
  }
  return undefined;
}

/** Reads input lines as fgets() returns them: with their `\n`, a last line without one as it is, null at the end. */
export type LineSource = () => Promise<string | null>;

/** Lines of this process's stdin (piped or a terminal), read only as far as asked. */
export function stdinLines(): LineSource {
  process.stdin.setEncoding('utf8');
  const it = process.stdin[Symbol.asyncIterator]();
  let buffer = '';
  let done = false;
  return async () => {
    for (;;) {
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        const line = buffer.slice(0, nl + 1);
        buffer = buffer.slice(nl + 1);
        return line;
      }
      if (done) {
        const rest = buffer;
        buffer = '';
        return rest === '' ? null : rest;
      }
      const r = await it.next();
      if (r.done) done = true;
      else buffer += String(r.value);
    }
  };
}

/**
 * `kfit config oldconfig|oldaskconfig`: conf's line dialogue (make oldconfig / make config), answers from
 * `lines`, then the .config written as conf writes it.
 */
export async function runDialogueCommand(mode: OldconfigMode, options: ConfigOptions, lines: LineSource): Promise<void> {
  const srctree = checkedTree(options);
  const { model, env: kenv } = loadForCommand(srctree, options);
  const path = options.in ?? '.config';
  const text = readText(path);
  const file = text !== undefined ? { name: path, text } : defconfigListFile(srctree, kenv.srcarch, defaultDefconfig(srctree, kenv.arch, kenv.srcarch));
  if (text === undefined && file) process.stdout.write(`#\n# using defaults found in ${file.name}\n#\n`);
  if (file) for (const d of readDotConfig(model, file.text, file.name).diagnostics) process.stderr.write(`${formatWarning(d)}\n`);
  // a reader that went away (`| head`) ends the dialogue quietly, as SIGPIPE ends conf
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
  const tty = !!process.stdin.isTTY && !!process.stdout.isTTY;
  const dialogue = OldconfigDialogue.load(model, file?.text ?? '', { mode, tty });
  try {
    for (let step = dialogue.start(); ; step = dialogue.answer(await lines())) {
      if (step.exitCode) throw new InputError('config/end-of-input', `${step.stdout}${step.stderr}`.replace(/^\n+|\n+$/g, ''));
      process.stdout.write(step.stdout);
      process.stderr.write(step.stderr);
      if (!step.waiting) break;
    }
  } finally {
    process.stdin.destroy();
  }
  const ev = dialogue.evaluation();
  for (const u of ev.unmetDependencies()) process.stderr.write(formatUnmetDependency(ev, u));
  const message = writeAtomically(options.out ?? '.config', dialogue.writeConfig(), true);
  if (message) process.stdout.write(`#\n# ${message}\n#\n`);
}

function formatWarning(d: Diagnostic): string {
  if (d.code === 'dotconfig/read') return formatConfWarning(d);
  if (d.code === 'kconfig/unmet-dependency') return `\nWARNING: ${d.message}`;
  return formatDiagnostic(d);
}

// conf_write(): a temporary file, then rename; an identical file is left alone ("No change to …"),
// an existing .config is kept as .config.old.
function writeAtomically(path: string, text: string, keepOld: boolean): string | null {
  if (path === '') throw new InputError('config/out', 'kfit: config name is empty');
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError('config/out', `kfit: ${path}: Is a directory`);
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const old = readText(path);
  if (keepOld && old === text) return `No change to ${path}`;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  try {
    if (keepOld && old !== undefined) renameSync(path, `${path}.old`);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  return keepOld ? `configuration written to ${path}` : null;
}

function summary(model: KconfigModel, ev: Evaluation, target: string, out: string | null, warnings: readonly Diagnostic[], stdout: readonly string[]): object {
  const counts = { y: 0, m: 0, n: 0, string: 0, int: 0, hex: 0 };
  for (const sym of model.symbols) {
    if (sym.isConst || sym.isChoice || sym.type === 'unknown' || !sym.name || !ev.isWritten(sym)) continue;
    if (sym.type === 'bool' || sym.type === 'tristate') counts[ev.value(sym) as 'y' | 'm' | 'n']++;
    else counts[sym.type]++;
  }
  return {
    target,
    flavor: model.flavor,
    output: out,
    counts,
    stdout,
    warnings: warnings.map((d) => ({ code: d.code, message: d.message, span: d.span })),
  };
}
