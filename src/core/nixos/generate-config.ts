// generate-config.pl, simulated (spec §6): answer conf's questions from the intermediate text in two
// `make config` passes, then compare the resulting .config with the answers. The conf side is a
// ConfSession, so the same logic runs against kfit's engine, a recorded dialogue or the real conf.
import type { Answers } from './intermediate.ts';
import { readConfigValues, type ConfigValues, type ConfSession } from './conf-session.ts';

/** The derivation attributes that change the script's behaviour (environment of spec §6.1). */
export interface GenerateConfigOptions {
  /** `autoModules` (AUTO_MODULES): answer `m` to unanswered questions that offer it. Default true. */
  readonly autoModules?: boolean;
  /** `preferBuiltin` (PREFER_BUILTIN): keep built-in (capital `Y`) instead of the auto `m`. Default false. */
  readonly preferBuiltin?: boolean;
  /** `ignoreConfigErrors`: every message becomes a warning and the exit status 0. Default false. */
  readonly ignoreConfigErrors?: boolean;
}

/** One exchange of the dialogue, as the script's DEBUG output shows it. */
export type DialogueEntry =
  | { readonly kind: 'question'; readonly pass: number; readonly question: string; readonly name: string; readonly alts: string; readonly answer: string; readonly source: AnswerSource }
  | { readonly kind: 'choice'; readonly pass: number; readonly range: string; readonly answer: string; readonly items: readonly ChoiceItem[] };

/** Where a question's answer came from. */
export type AnswerSource = 'explicit' | 'auto-module' | 'default';

/** A choice item conf listed before a `choice[…]` prompt. */
export interface ChoiceItem {
  readonly number: string;
  readonly symbol: string;
}

/** How the script ended early (a Perl `die`). */
export interface Death {
  readonly kind: 'repeated-question' | 'conflicting-answers';
  /** The die text without Perl's ` at … line N.` suffix, e.g. `repeated question: SCSI device support`. */
  readonly message: string;
  readonly pass: number;
  /** The symbol asked (repeated question) or the choice items answered `y` (conflicting answers). */
  readonly symbols: readonly string[];
  /** The question's allowed answers as conf showed them (repeated question). */
  readonly alts?: string;
  readonly answer?: string;
}

/** One line of the final check (spec §6.7). */
export interface ConfigMessage {
  readonly severity: 'error' | 'warning';
  readonly kind: 'unused' | 'not-set-correctly';
  readonly name: string;
  readonly wanted: string;
  readonly got?: string;
  /** The exact text after `error: ` / `warning: `. */
  readonly text: string;
}

/** Everything the script did and printed. */
export interface GenerateConfigResult {
  readonly dialogue: readonly DialogueEntry[];
  /** `don't know how to answer this question: …` warnings. */
  readonly unknownPrompts: readonly string[];
  readonly death?: Death;
  readonly messages: readonly ConfigMessage[];
  /** 0 or 255 (Perl's `exit -1` / `die`). */
  readonly exitCode: number;
  /** The final `.config` (also after a death: what conf wrote on EOF; not a nixpkgs output then). */
  readonly dotConfig: string;
}

const QUESTION = /^([\s\S]*) \(([A-Za-z0-9_]+)\) \[(.*)\].*###$/;
const CHOICE_PROMPT = /choice\[(.*)\]: ###$/;
const NAMELESS = /^([\s\S]*) \[(.*)\] ###$/;
const CHOICE_ITEM = /^\s*>?\s*(\d+)\.\s+.*?\(([A-Za-z0-9_]+)\)(?:\s+\(NEW\))?\s*$/;
const AUTO_MODULE_ALTS = /^(\w\/)+m\/(\w\/)*\?$/;

class Died extends Error {
  readonly death: Death;
  constructor(death: Death) {
    super(death.message);
    this.death = death;
  }
}

/** The answer the script gives to a regular question (the auto-module rule, then the explicit answer). */
export function answerQuestion(name: string, alts: string, answers: Answers, options: GenerateConfigOptions): { answer: string; source: AnswerSource } {
  const explicit = answers.get(name);
  if (explicit) return { answer: explicit.value, source: 'explicit' };
  const auto = (options.autoModules ?? true) && AUTO_MODULE_ALTS.test(alts) && !((options.preferBuiltin ?? false) && alts.includes('Y'));
  return auto ? { answer: 'm', source: 'auto-module' } : { answer: '', source: 'default' };
}

// mirrors runConfig, generate-config.pl: read conf's output line by line and answer at each `###`
function runConfig(session: ConfSession, pass: number, answers: Answers, options: GenerateConfigOptions, dialogue: DialogueEntry[], unknown: string[]): void {
  const conf = session.runConfig();
  let choices: ChoiceItem[] = [];
  let prevQuestion = '';
  let prevName = '';
  for (let chunk = conf.read(); chunk !== undefined; chunk = conf.read()) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const line = chunk.slice(start, nl);
      const m = CHOICE_ITEM.exec(line);
      if (m) choices.push({ number: m[1], symbol: m[2] });
      else choices = [];
      start = nl + 1;
    }
    const buffer = chunk.slice(start);
    if (!buffer.endsWith('###')) continue; // conf ended without asking
    let q: RegExpExecArray | null;
    if ((q = QUESTION.exec(buffer))) {
      const [, question, name, alts] = q;
      const { answer, source } = answerQuestion(name, alts, answers, options);
      dialogue.push({ kind: 'question', pass, question, name, alts, answer, source });
      conf.write(answer);
      if (prevQuestion !== '' && prevQuestion !== '0' && prevQuestion === question && name === prevName) {
        conf.close();
        throw new Died({ kind: 'repeated-question', message: `repeated question: ${question}`, pass, symbols: [name], alts, answer });
      }
      prevQuestion = question;
      prevName = name;
    } else if ((q = CHOICE_PROMPT.exec(buffer))) {
      const range = q[1];
      const chosen = choices.filter((c) => answers.get(c.symbol)?.value === 'y');
      if (chosen.length > 1) {
        conf.close();
        throw new Died({ kind: 'conflicting-answers', message: 'conflicting answers!', pass, symbols: chosen.map((c) => c.symbol) });
      }
      const answer = chosen.length === 1 ? chosen[0].number : '';
      dialogue.push({ kind: 'choice', pass, range, answer, items: choices });
      if (range.includes('-')) conf.write(answer);
    } else if (NAMELESS.test(buffer)) {
      conf.write('');
    } else {
      unknown.push(`don't know how to answer this question: ${buffer}`);
      conf.write('');
    }
    choices = [];
  }
}

/** The final comparison of answers and `.config` (spec §6.7), in Perl `sort` order. */
export function checkConfig(answers: Answers, config: ConfigValues, options: GenerateConfigOptions = {}): ConfigMessage[] {
  const out: ConfigMessage[] = [];
  const names = [...answers.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const a = answers.get(name)!;
    const severity = a.required && !(options.ignoreConfigErrors ?? false) ? 'error' : 'warning';
    const got = config.get(name);
    if (got === undefined) {
      out.push({ severity, kind: 'unused', name, wanted: a.value, text: `unused option: ${name}` });
    } else if (got !== '' && got !== '0' && got !== a.value) {
      out.push({ severity, kind: 'not-set-correctly', name, wanted: a.value, got, text: `option not set correctly: ${name} (wanted '${a.value}', got '${got}')` });
    }
  }
  return out;
}

/** Runs the simulated generate-config.pl: two `make config` passes on `session`, then the check. */
export function simulateGenerateConfig(answers: Answers, session: ConfSession, options: GenerateConfigOptions = {}): GenerateConfigResult {
  const dialogue: DialogueEntry[] = [];
  const unknownPrompts: string[] = [];
  try {
    runConfig(session, 1, answers, options, dialogue, unknownPrompts);
    runConfig(session, 2, answers, options, dialogue, unknownPrompts);
  } catch (e) {
    if (!(e instanceof Died)) throw e;
    return { dialogue, unknownPrompts, death: e.death, messages: [], exitCode: 255, dotConfig: session.dotConfig() };
  }
  const dotConfig = session.dotConfig();
  const messages = checkConfig(answers, readConfigValues(dotConfig), options);
  return { dialogue, unknownPrompts, messages, exitCode: messages.some((m) => m.severity === 'error') ? 255 : 0, dotConfig };
}

/** The lines generate-config.pl prints on stderr for `result` (without the DEBUG dialogue). */
export function formatGenerateConfigOutput(result: GenerateConfigResult, scriptPath = 'generate-config.pl'): string[] {
  const lines = [...result.unknownPrompts];
  if (result.death) {
    lines.push(`${result.death.message} at ${scriptPath} line ${result.death.kind === 'repeated-question' ? 94 : 107}.`);
  }
  for (const m of result.messages) lines.push(`${m.severity}: ${m.text}`);
  return lines;
}
