/**
 * The small interface the Kconfig front end needs from its surroundings: files of the source tree, a shell
 * for `$(shell,…)`, and environment variables. Core code takes it as a parameter; `src/host/kconfig-source.ts`
 * implements it on Node, `MemorySourceHost` below implements it on a table of strings for tests.
 */

/** What the Kconfig lexer, parser and macro language read from outside. */
export interface SourceHost {
  /**
   * Reads a Kconfig file. `path` is as written after macro expansion: relative to srctree, or absolute.
   * Returns undefined when the file does not exist or cannot be read (mirrors zconf_fopen(), lexer.l).
   */
  readFile(path: string): string | undefined;
  /**
   * Lists the files matching a glob pattern (relative to srctree), sorted. Linux 6.1 and 6.12 do not glob in
   * `source` (the 4.x `source "dir/*\/Kconfig"` support is gone), so the parser does not call it; it is here for
   * tools that list a tree's Kconfig files.
   */
  glob(pattern: string): readonly string[];
  /**
   * Runs `command` with `/bin/sh -c` the way conf's popen() does and returns its raw standard output
   * (the macro language trims and joins the lines itself). The exit status is ignored, as in do_shell().
   */
  runShell(command: string): string;
  /** Reads an environment variable of the environment conf would run in (undefined when unset). */
  getEnv(name: string): string | undefined;
}

/** Options of an in-memory host. */
export interface MemorySourceHostOptions {
  /** Environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Answers for `$(shell,…)`, keyed by the exact command; a missing command answers ''. */
  readonly shell?: Readonly<Record<string, string>>;
}

/** A SourceHost over a table of file texts, for tests and for the browser. It records the commands it was asked to run. */
export class MemorySourceHost implements SourceHost {
  readonly files: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string>>;
  readonly shell: Readonly<Record<string, string>>;
  /** Every command passed to runShell, in order. */
  readonly commands: string[] = [];

  constructor(files: Readonly<Record<string, string>> | ReadonlyMap<string, string>, options: MemorySourceHostOptions = {}) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
    this.env = options.env ?? {};
    this.shell = options.shell ?? {};
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  glob(pattern: string): readonly string[] {
    const re = globToRegExp(pattern);
    return [...this.files.keys()].filter((f) => re.test(f)).sort();
  }

  runShell(command: string): string {
    this.commands.push(command);
    return Object.hasOwn(this.shell, command) ? this.shell[command] : '';
  }

  getEnv(name: string): string | undefined {
    return Object.hasOwn(this.env, name) ? this.env[name] : undefined;
  }
}

/** Turns a glob (`*`, `?`, `[…]`; `*` does not cross `/`) into an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(re + '$');
}
