/**
 * `make oldconfig` / `make config` (conf --oldconfig / --oldaskconfig): conf's line dialogue over kfit's engine,
 * answers fed one line at a time. A thin adapter over the NixOS pipeline's dialogue (nixos/conf-dialogue.ts,
 * which plays nixpkgs' patched conf), turning it back into the stock conf:
 * - no `###` markers (nixpkgs' patch prints them before each read);
 * - the echo of each answer as xfgets() prints it: the line as read (none when stdin and stdout are a TTY; at
 *   end of input, "\n" for a symbol question and nothing for a choice question, as conf's preset `line` gives);
 * - the real help screen (print_help(), symbol-help.ts) where the NixOS dialogue prints "(help)";
 * - oldconfig mode: conf() of the root is skipped (the dialogue always starts in oldaskconfig mode; its first
 *   question is whether the root is visible, which the adapter answers "no" once);
 * - 6.12's end-of-input guard of conf_string(): an int/hex answer that cannot be set after EOF stops with
 *   "error: no value for new symbol 'X' at end of input" and exit status 1.
 *
 * Gotcha: on an input whose last line has no newline, `?` alone is help here (the NixOS dialogue adds the
 * newline); conf takes it as the value "?".
 */
import { engineSession, type ConfKconfig } from '../nixos/conf-dialogue.ts';
import type { ConfProcess } from '../nixos/conf-session.ts';
import { EngineKconfig } from '../nixos/engine-kconfig.ts';
import type { Evaluation } from './evaluation.ts';
import type { KconfigModel, KconfigSymbol, MenuNode, Tristate } from './model.ts';
import { formatConfHelp } from './symbol-help.ts';

/** Which conf mode to play: `oldaskconfig` asks every visible symbol (`make config`), `oldconfig` only new ones. */
export type OldconfigMode = 'oldconfig' | 'oldaskconfig';

/** How the dialogue reads its input. */
export interface OldconfigOptions {
  readonly mode: OldconfigMode;
  /** stdin and stdout are a terminal (conf's tty_stdio): answers are not echoed. */
  readonly tty: boolean;
}

/** What one step of the dialogue printed, and whether it now waits for an answer line. */
export interface OldconfigStep {
  readonly stdout: string;
  readonly stderr: string;
  /** True: call `answer()` with the next input line (or null at end of input). */
  readonly waiting: boolean;
  /** Set when conf would exit with an error (nothing is written then). */
  readonly exitCode?: number;
}

const HELP_MARK = '\n(help)\n';

// Records what the dialogue asked the engine, to know which menu node a question or a help request is about.
class Recorder implements ConfKconfig {
  readonly root: MenuNode;
  readonly flavor: 'v6.12' | 'v6.1';
  readonly k: EngineKconfig;
  private skipRoot: boolean;
  lastPrompt: MenuNode | null = null;
  choice: MenuNode | null = null;
  choiceMembers: MenuNode[] = [];
  failedString: KconfigSymbol | null = null;

  constructor(k: EngineKconfig, mode: OldconfigMode) {
    this.k = k;
    this.root = k.root;
    this.flavor = k.flavor;
    this.skipRoot = mode === 'oldconfig';
  }

  isVisible(menu: MenuNode): boolean {
    if (this.skipRoot && menu === this.root) {
      // conf --oldconfig starts with check_conf(): the dialogue's first call is conf(root)'s visibility test
      this.skipRoot = false;
      return false;
    }
    return this.k.isVisible(menu);
  }
  promptText(menu: MenuNode): string {
    this.lastPrompt = menu;
    if (this.choice && menu.sym && menu.parent === this.choice) this.choiceMembers.push(menu);
    return this.k.promptText(menu);
  }
  hasValue(sym: KconfigSymbol): boolean {
    return this.k.hasValue(sym);
  }
  isChangeable(sym: KconfigSymbol): boolean {
    return this.k.isChangeable(sym);
  }
  tristate(sym: KconfigSymbol): Tristate {
    return this.k.tristate(sym);
  }
  stringValue(sym: KconfigSymbol): string {
    return this.k.stringValue(sym);
  }
  withinRange(sym: KconfigSymbol, value: Tristate): boolean {
    return this.k.withinRange(sym, value);
  }
  setTristate(sym: KconfigSymbol, value: Tristate): boolean {
    return this.k.setTristate(sym, value);
  }
  setString(sym: KconfigSymbol, value: string): boolean {
    const ok = this.k.setString(sym, value);
    if (!ok) this.failedString = sym;
    return ok;
  }
  choiceSelection(choice: MenuNode): KconfigSymbol | null {
    this.choice = choice;
    this.choiceMembers = [];
    return this.k.choiceSelection(choice);
  }
  setChoice(choice: MenuNode, member: KconfigSymbol): void {
    this.k.setChoice(choice, member);
  }
  writeConfig(): string {
    return this.k.writeConfig();
  }
}

/** One conf --oldconfig / --oldaskconfig run on a loaded `.config`, stepped one answer line at a time. */
export class OldconfigDialogue {
  private readonly rec: Recorder;
  private readonly proc: ConfProcess;
  private readonly tty: boolean;
  private finished = false;
  private eof = false;
  // the question now waiting: a choice's `choice[1-N?]: ` or a symbol's prompt
  private choiceQuestion = false;
  private questionNode: MenuNode | null = null;
  private choiceNode: MenuNode | null = null;
  private choiceMembers: MenuNode[] = [];

  private constructor(rec: Recorder, tty: boolean) {
    this.rec = rec;
    this.tty = tty;
    this.proc = engineSession(() => rec, '').runConfig();
  }

  /** Loads `.config` text as conf_read() does and starts the dialogue. The first step is `start()`. */
  static load(model: KconfigModel, dotConfig: string, options: OldconfigOptions): OldconfigDialogue {
    return new OldconfigDialogue(new Recorder(EngineKconfig.load(model, dotConfig), options.mode), options.tty);
  }

  /** conf's output up to its first question (or to the end). */
  start(): OldconfigStep {
    return this.take(this.proc.read(), '', '');
  }

  /**
   * Feeds one input line as fgets() returns it (with its `\n`, or without one on a last line that lacks it), or
   * null at end of input; returns what conf printed up to its next question.
   */
  answer(line: string | null): OldconfigStep {
    if (this.finished) return { stdout: '', stderr: '', waiting: false };
    let stderr = '';
    let echo: string;
    let answer: string;
    if (line === null) {
      this.eof = true;
      stderr = '\nError in reading or end of file.\n';
      echo = this.tty ? '' : this.choiceQuestion ? '' : '\n';
      answer = '';
    } else {
      echo = this.tty ? '' : line;
      answer = line.endsWith('\n') ? line.slice(0, -1) : line;
    }
    const help = this.helpFor(answer);
    this.rec.failedString = null;
    this.proc.write(answer);
    let chunk = this.proc.read();
    // the dialogue echoes `${answer}\n` first: put conf's echo in its place
    if (chunk !== undefined && chunk.startsWith(`${answer}\n`)) chunk = chunk.slice(answer.length + 1);
    // (read through a cast: TypeScript keeps the `null` assigned above, but the dialogue may have set it since)
    const failed = this.rec.failedString as KconfigSymbol | null;
    if (this.eof && failed && failed.type !== 'string') {
      // mirrors the end-of-input guard of 6.12.117's conf_string(): exit instead of asking forever
      this.finished = true;
      return {
        stdout: echo,
        stderr: `${stderr}\nerror: no value for new symbol '${failed.name}' at end of input\n`,
        waiting: false,
        exitCode: 1,
      };
    }
    return this.take(chunk, echo, stderr, help);
  }

  /** The evaluation with every answer so far applied. */
  evaluation(): Evaluation {
    return this.rec.k.ev;
  }

  /** The `.config` conf writes at the end (conf_write()). */
  writeConfig(): string {
    return this.rec.writeConfig();
  }

  // The node whose help conf prints for this answer, if it asks for help: the question's symbol, the choice
  // (`?`), or the member numbered in `N?`.
  private helpFor(answer: string): MenuNode | null {
    const trimmed = answer.trim();
    if (!this.choiceQuestion) return this.questionNode;
    if (trimmed.startsWith('?')) return this.choiceNode;
    const n = parseInt(trimmed, 10);
    return this.choiceMembers[n - 1] ?? null;
  }

  private take(chunk: string | undefined, echo: string, stderr: string, help: MenuNode | null = null): OldconfigStep {
    if (chunk === undefined) {
      this.finished = true;
      return { stdout: echo, stderr, waiting: false };
    }
    const waiting = chunk.endsWith('###');
    let text = waiting ? chunk.slice(0, -3) : chunk;
    if (help && text.includes(HELP_MARK)) {
      text = text.split(HELP_MARK).join(formatConfHelp(this.rec.k.ev, help));
    }
    if (!waiting) this.finished = true;
    else {
      this.choiceQuestion = /choice\[1-\d+\?\]: $/.test(text);
      this.questionNode = this.rec.lastPrompt;
      this.choiceNode = this.rec.choice;
      this.choiceMembers = this.rec.choiceMembers.slice();
    }
    return { stdout: echo + text, stderr, waiting };
  }
}
