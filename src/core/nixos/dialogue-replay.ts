// A ConfSession that replays a recorded generate-config.pl dialogue (its `DEBUG=1` output: `GOT:`,
// `QUESTION:`, `CHOICE:` lines). It lets the script logic be checked against the real conf's prompts
// without any Kconfig engine, and records what the simulated script answered.
import type { ConfProcess, ConfSession } from './conf-session.ts';

/** One prompt of a recorded dialogue with the answer the real script gave. */
export interface RecordedPrompt {
  readonly pass: number;
  /** conf's output for this prompt, as the script read it (lines, then the text ending in `###`). */
  readonly output: string;
  readonly kind: 'question' | 'choice';
  readonly name?: string;
  /** The question text and the allowed answers conf showed (regular questions). */
  readonly question?: string;
  readonly alts?: string;
  readonly recordedAnswer: string;
}

/** A parsed recorded dialogue: the prompts of each `make config` pass. */
export interface RecordedDialogue {
  readonly passes: readonly (readonly RecordedPrompt[])[];
  /** Lines the script itself printed that are not part of the dialogue (die text, error list). */
  readonly scriptLines: readonly string[];
}

/** `recordedAnswer` of a prompt the real script died on before answering. */
export const DIED = '<died>';

const QUESTION_LINE = /^QUESTION: (.*), NAME: ([A-Za-z0-9_]+), ALTS: (.*), ANSWER: (.*)$/;
const CHOICE_LINE = /^CHOICE: (.*), ANSWER: (.*)$/;

/** Parses generate-config.pl's DEBUG output (full or with unneeded `GOT:` lines collapsed). */
export function parseDialogue(text: string): RecordedDialogue {
  const passes: RecordedPrompt[][] = [];
  const scriptLines: string[] = [];
  let pending = '';
  let current: RecordedPrompt[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('GOT: ')) {
      if (line.startsWith('GOT: make: Entering directory')) {
        passes.push((current = []));
        pending = '';
      }
      pending += `${line.slice(5)}\n`;
      continue;
    }
    let m = QUESTION_LINE.exec(line);
    if (m && current) {
      current.push({ pass: passes.length, kind: 'question', name: m[2], question: m[1], alts: m[3], output: `${pending}${m[1]} (${m[2]}) [${m[3]}] ###`, recordedAnswer: m[4] });
      pending = '';
      continue;
    }
    m = CHOICE_LINE.exec(line);
    if (m && current) {
      current.push({ pass: passes.length, kind: 'choice', output: `${pending}choice[${m[1]}]: ###`, recordedAnswer: m[2] });
      pending = '';
      continue;
    }
    if (current && line.startsWith('conflicting answers! at ')) {
      // the script dies before its CHOICE debug line: rebuild the prompt conf printed from the items seen
      const items = pending.split('\n').filter((l) => /^\s*>?\s*\d+\.\s/.test(l)).length;
      current.push({ pass: passes.length, kind: 'choice', output: `${pending}choice[1-${items}?]: ###`, recordedAnswer: DIED });
      pending = '';
    }
    if (line !== '') scriptLines.push(line);
  }
  return { passes, scriptLines };
}

/** A ConfSession that plays `dialogue` back; `finalConfig` is what `.config` holds at the end. */
export function replaySession(dialogue: RecordedDialogue, finalConfig: string): ConfSession & { readonly written: string[] } {
  const written: string[] = [];
  let pass = 0;
  return {
    written,
    runConfig(): ConfProcess {
      const prompts = dialogue.passes[pass++] ?? [];
      let i = 0;
      let closed = false;
      return {
        read: () => (closed || i >= prompts.length ? undefined : prompts[i++].output),
        write: (answer) => void written.push(answer),
        close: () => void (closed = true),
      };
    },
    dotConfig: () => finalConfig,
  };
}
