// merge_config.sh without the shell: merge .config fragments in order, with the script's messages, and the
// "Value requested for X not in final .config" check after evaluation. Mirrors scripts/kconfig/merge_config.sh
// of Linux 6.1 and 6.12 (6.12 adds -Q). The text transformations are those of the grep/sed lines the script
// runs, quirks included (see the Gotchas); the `make KCONFIG_ALLCONFIG=… alldefconfig` step in between is the
// caller's (kfit's evaluator), which passes the resulting .config text to checkMergedConfig().

/** One input file of merge_config.sh: the name it was given on the command line, and its text. */
export interface ConfigFragment {
  /** The path as written on the command line (it appears in the messages). */
  name: string;
  /** The file's bytes as text; undefined when the file does not exist or cannot be read. */
  text: string | undefined;
}

/** merge_config.sh's flags. */
export interface MergeConfigOptions {
  /** `-r`: also say "Value of X is redundant by fragment F:" when a fragment repeats a value. */
  warnRedundant?: boolean;
  /** `-y`: a fragment's `=m` does not demote an earlier `=y`. */
  builtin?: boolean;
  /** `-s`: fail (exit 1) when a fragment redefines a value. */
  strict?: boolean;
  /** `-Q` (6.12 and later): no override messages. */
  quiet?: boolean;
  /** `$CONFIG_`: the symbol prefix (default `CONFIG_`). */
  configPrefix?: string;
  /** `-m` false: say where the merged file goes (`$KCONFIG_CONFIG`, default `.config`). */
  kconfigConfig?: string;
}

/** What merging produced: the text of `$TMP_FILE`, what the script printed, and its exit status so far. */
export interface MergeResult {
  /** The merged file (what `-m` copies to `$KCONFIG_CONFIG`, or what make gets as `KCONFIG_ALLCONFIG`). */
  text: string;
  /** Lines the script prints on stdout, in order (without newlines). */
  stdout: string[];
  /** Lines the script prints on stderr. */
  stderr: string[];
  /** 0, or 1 when a fragment was missing or strict mode was violated (then `text` is not written). */
  exitCode: 0 | 1;
}

/** One line of the final check: a requested value that did not make it into the evaluated .config. */
export interface UnmetRequest {
  name: string;
  /** The merged file's line(s) for the symbol (lines joined by "\n", as `$(grep -w …)` gives them). */
  requested: string;
  /** The final .config's line(s), or "" when none. */
  actual: string;
}

/** A file as sed sees it: lines with their own terminator, so a missing last newline survives edits. */
type Lines = string[];

function toLines(text: string): Lines {
  const out: Lines = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) out.push(text.slice(start));
      return out;
    }
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

function body(line: string): string {
  return line.endsWith('\n') ? line.slice(0, -1) : line;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether `grep -w NAME` selects this line (GNU grep, C locale): NAME with no word character either side. */
export function grepWordMatches(line: string, name: string): boolean {
  if (name === '') return false;
  for (let i = line.indexOf(name); i >= 0; i = line.indexOf(name, i + 1)) {
    const before = i === 0 ? false : isWordChar(line.charCodeAt(i - 1));
    const afterIndex = i + name.length;
    const after = afterIndex >= line.length ? false : isWordChar(line.charCodeAt(afterIndex));
    if (!before && !after) return true;
  }
  return false;
}

/** `$(grep -w NAME FILE)`: the selected lines joined by "\n" (command substitution drops trailing newlines). */
function grepWord(lines: Lines, name: string): string {
  const hits: string[] = [];
  for (const line of lines) if (grepWordMatches(body(line), name)) hits.push(body(line));
  return hits.join('\n').replace(/\n+$/, '');
}

/**
 * The symbol names merge_config.sh's two sed expressions list for a file, in line order:
 * `^PREFIX[a-zA-Z0-9_]*=` and `^# PREFIX[a-zA-Z0-9_]* is not set$`.
 */
export function listConfigNames(text: string, configPrefix = 'CONFIG_'): string[] {
  const prefix = configPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const set = new RegExp(`^(${prefix}[a-zA-Z0-9_]*)=`);
  const unset = new RegExp(`^# (${prefix}[a-zA-Z0-9_]*) is not set$`);
  const names: string[] = [];
  for (const line of toLines(text)) {
    const b = body(line);
    const m = set.exec(b) ?? unset.exec(b);
    if (m) names.push(m[1]);
  }
  return names;
}

/**
 * What `echo $VAR` prints for an unquoted expansion: fields split on blanks and newlines, joined by one space.
 * Gotcha: the script's `echo Previous  value: …` therefore prints "Previous value:" with ONE space. Pathname
 * expansion of the fields and dash's backslash escapes in echo are not reproduced.
 */
function echoUnquoted(...words: string[]): string {
  return words.join(' ').split(/[ \t\n]+/).filter((w) => w !== '').join(' ');
}

/** `${VALUE#CONFIG_*=}`: drop the shortest prefix matching the shell pattern (the script hard-codes CONFIG_). */
function stripAssignment(value: string): string {
  if (!value.startsWith('CONFIG_')) return value;
  const eq = value.indexOf('=', 7);
  return eq < 0 ? value : value.slice(eq + 1);
}

/** `sed -i "/NAME[ =]/d"`: delete every line containing NAME followed by a space or '=' (anywhere). */
function deleteMentions(lines: Lines, name: string): Lines {
  return lines.filter((line) => {
    const b = body(line);
    return !(b.includes(`${name} `) || b.includes(`${name}=`));
  });
}

/**
 * Merges `fragments` into `base` in order, as `merge_config.sh [-m] [-r] [-y] [-s] [-Q] BASE FRAGMENT…` does
 * up to the make step: prints "Using BASE as base", "Merging F", and for each symbol a later fragment sets
 * again, "Value of X is redefined by fragment F:" with the previous and new lines; the earlier lines are
 * removed and the fragment is appended after one empty line. Mirrors the merge loop of merge_config.sh.
 * Gotcha: the script matches names with `grep -w`, so a name that appears inside a string value or a comment
 * of the base also counts as "previously defined", and its deletion (`sed /X[ =]/d`) removes any line
 * with "X " or "X=" in it.
 */
export function mergeConfigFragments(
  base: ConfigFragment,
  fragments: readonly ConfigFragment[],
  options: MergeConfigOptions = {},
): MergeResult {
  const prefix = options.configPrefix ?? 'CONFIG_';
  const say = !options.quiet;
  const stdout: string[] = [];
  const stderr: string[] = [];
  if (base.text === undefined) stderr.push(`The base file '${base.name}' does not exist. Creating one...`);
  let tmp = toLines(base.text ?? '');
  stdout.push(`Using ${base.name} as base`);
  let strictViolated = false;
  for (const fragment of fragments) {
    stdout.push(echoUnquoted('Merging', fragment.name));
    if (fragment.text === undefined) {
      stderr.push(`The merge file '${fragment.name}' does not exist.  Exit.`);
      return { text: tmp.join(''), stdout, stderr, exitCode: 1 };
    }
    let merge = toLines(fragment.text);
    for (const name of listConfigNames(fragment.text, prefix)) {
      const previous = grepWord(tmp, name);
      if (!tmp.some((line) => grepWordMatches(body(line), name))) continue;
      const next = grepWord(merge, name);
      let keepPrevious = false;
      if (options.builtin && stripAssignment(next) === 'm' && stripAssignment(previous) === 'y') {
        if (say) {
          stdout.push(echoUnquoted('Previous  value:', previous));
          stdout.push(echoUnquoted('New value:      ', next));
          stdout.push('-y passed, will not demote y to m');
          stdout.push('');
        }
        keepPrevious = true;
      } else if (previous !== next) {
        if (say) {
          stdout.push(echoUnquoted('Value of', name, 'is redefined by fragment', `${fragment.name}:`));
          stdout.push(echoUnquoted('Previous  value:', previous));
          stdout.push(echoUnquoted('New value:      ', next));
          stdout.push('');
        }
        if (options.strict) strictViolated = true;
      } else if (options.warnRedundant && say) {
        stdout.push(echoUnquoted('Value of', name, 'is redundant by fragment', `${fragment.name}:`));
      }
      if (keepPrevious) merge = deleteMentions(merge, name);
      else tmp = deleteMentions(tmp, name);
    }
    tmp = [...tmp, '\n', ...merge]; // `echo >> $TMP_FILE` in case the previous file lacks a final newline
  }
  const text = tmp.join('');
  if (strictViolated) {
    stdout.push('The fragment redefined a value and strict mode had been passed.');
    return { text, stdout, stderr, exitCode: 1 };
  }
  return { text, stdout, stderr, exitCode: 0 };
}

/** The lines `merge_config.sh -m` prints after writing the merged file. */
export function mergedWithoutMakeMessage(kconfigConfig = '.config'): string[] {
  return ['#', `# merged configuration written to ${kconfigConfig} (needs make)`, '#'];
}

/**
 * The script's last step: every symbol the merged file names (in order, repeats included) whose `grep -w`
 * lines differ between the merged file and the evaluated .config. Mirrors the final loop of merge_config.sh;
 * `finalConfig` is the .config that `make KCONFIG_ALLCONFIG=… alldefconfig|allnoconfig` wrote.
 */
export function checkMergedConfig(merged: string, finalConfig: string, configPrefix = 'CONFIG_'): UnmetRequest[] {
  const mergedLines = toLines(merged);
  const finalLines = toLines(finalConfig);
  const unmet: UnmetRequest[] = [];
  for (const name of listConfigNames(merged, configPrefix)) {
    const requested = grepWord(mergedLines, name);
    const actual = grepWord(finalLines, name);
    if (requested !== actual) unmet.push({ name, requested, actual });
  }
  return unmet;
}

/** The report lines merge_config.sh prints for unmet requests ("Value requested for X not in final .config"). */
export function formatUnmetRequests(unmet: readonly UnmetRequest[]): string[] {
  const out: string[] = [];
  for (const u of unmet) {
    out.push(`Value requested for ${u.name} not in final .config`);
    out.push(...`Requested value:  ${u.requested}`.split('\n'));
    out.push(...`Actual value:     ${u.actual}`.split('\n'));
    out.push('');
  }
  return out;
}
