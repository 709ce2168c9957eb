// The narrow interface between the generate-config.pl simulation and whatever plays `make config`:
// kfit's Kconfig engine, a recorded dialogue (tests), or the kernel's own conf (an oracle). It is
// exactly what generate-config.pl sees: conf's stdout, cut where conf waits for an answer, and its stdin.

/** One running `make config` (conf in its default "oldaskconfig" mode, then its restart loop). */
export interface ConfProcess {
  /**
   * conf's output up to and including the next `###` (the marker nixpkgs' postPatch makes conf print
   * before each `fflush(stdout)`, i.e. right before it reads an answer), or the remaining output when
   * conf ends without asking again; undefined once everything was read.
   */
  read(): string | undefined;
  /** Sends one answer line (without the newline) to conf's stdin. */
  write(answer: string): void;
  /** Closes conf's stdin (the script died): conf reads EOF for every further question. */
  close(): void;
}

/** What plays the kernel's config program for the simulation: a base config, then `make config` runs. */
export interface ConfSession {
  /** Starts one `make config` on the current `.config` (the first one starts from the base config). */
  runConfig(): ConfProcess;
  /** The current `$BUILD_ROOT/.config` text. */
  dotConfig(): string;
}

/** One line of the `.config` as generate-config.pl reads it back (spec §6.6). */
export type ConfigValues = ReadonlyMap<string, string>;

const QUOTED = /^CONFIG_([A-Za-z0-9_]+)="(.*)"$/;
const PLAIN = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/;
const NOT_SET = /^# CONFIG_([A-Za-z0-9_]+) is not set$/;

/** Reads a `.config` the way generate-config.pl does after its two passes (quoted strings unescaped, `n` for "is not set"). */
export function readConfigValues(text: string): ConfigValues {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    let m = QUOTED.exec(line);
    if (m) {
      values.set(m[1], m[2].replace(/\\([\\"])/g, '$1'));
      continue;
    }
    m = PLAIN.exec(line);
    if (m) {
      values.set(m[1], m[2]);
      continue;
    }
    m = NOT_SET.exec(line);
    if (m) values.set(m[1], 'n');
  }
  return values;
}
