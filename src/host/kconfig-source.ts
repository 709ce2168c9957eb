/**
 * The Node implementation of core's `SourceHost`: Kconfig files under srctree, globs, environment variables,
 * and `$(shell,…)` run with `/bin/sh -c` the way conf's popen() runs it, with an on-disk answer cache.
 *
 * The cache (`${KFIT_CACHE}/shell-cache/`) keys an answer by the command, the whole environment the shell gets,
 * and the identity (size, mtime, inode) of every program or path the command names: `gcc` is looked up on
 * PATH, `/usr/lib/gcc/…/plugin-version.h` and `$(srctree)/scripts/cc-version.sh` are looked at directly. So a
 * changed variable or an installed/updated tool makes a new key. The working directory is part of the key only
 * when srctree is relative (an in-tree build: `./scripts/…` then depends on it); with `O=` (srctree absolute)
 * the probes only use the directory for scratch files, so every build directory shares the answers.
 * At the first probe the cache cannot answer, the host runs all of the tree's probes in parallel (`prefetch()`),
 * so a cold parse does not wait for ~100 compiler runs one after another as conf does.
 * Gotcha: a tool that changes behaviour without any of those changing (a new plugin directory that the command
 * does not name, a changed config file of the tool) is not noticed: pass `cache: false` (or set
 * KFIT_SHELL_CACHE=off) to run every probe.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import { globToRegExp, type SourceHost } from '../core/kconfig/source-host.ts';

/** Options of `NodeSourceHost`. */
export interface NodeSourceHostOptions {
  /** The kernel source tree (absolute or relative to the process's cwd). */
  readonly srctree: string;
  /** The environment conf runs in (see `kconfigEnvironment` in kconfig-env.ts); macros and probes see it. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Where `$(shell,…)` runs: conf runs in the O= build directory, never in srctree (cc-option makes a
   * `.tmp_$$` directory there). Default: `${tmpdir}/kfit-shell-cwd`, created on first use.
   */
  readonly cwd?: string;
  /**
   * The answer cache: a directory, or false for none. Default: `${KFIT_CACHE or ~/.cache/kfit}/shell-cache`,
   * unless the environment of this process has KFIT_SHELL_CACHE=off.
   */
  readonly cache?: string | false;
  /**
   * At the first probe the cache cannot answer, run all the tree's probes in parallel (`prefetch()`) instead of
   * one by one. Default true.
   */
  readonly prefetch?: boolean;
}

/** Counters of one host, for benchmarks and tests. */
export interface NodeSourceHostStats {
  filesRead: number;
  /** Commands executed (by runShell or by prefetch). */
  shellRuns: number;
  shellCacheHits: number;
  /** runShell calls answered by `prefetch()`. */
  shellPrefetched: number;
  /** runShell calls answered by running the command there and then. */
  shellDirect: number;
}

/** Options of `NodeSourceHost.prefetch`. */
export interface PrefetchOptions {
  /** Commands run at once (default: the number of CPUs, at least 2). */
  readonly jobs?: number;
  /**
   * Speculative rounds at most (default 2: on 6.12 x86_64 they find 85 + 16 of the 107 probes); commands still
   * unknown after them run one by one during the real parse.
   */
  readonly maxRounds?: number;
}

/** What `prefetch` did. */
export interface PrefetchStats {
  /** Rounds that ran commands. */
  readonly rounds: number;
  /** Commands run. */
  readonly commands: number;
}

const CACHE_FORMAT = 1;

/** Environment variables that change from shell to shell and cannot matter to a probe. */
const VOLATILE_ENV = new Set(['_', 'SHLVL', 'OLDPWD', 'PWD']);

/** The default shell-answer cache directory, or false when KFIT_SHELL_CACHE=off. */
export function defaultShellCacheDir(): string | false {
  const off = process.env.KFIT_SHELL_CACHE;
  if (off === 'off' || off === '0' || off === 'false') return false;
  const base = process.env.KFIT_CACHE || join(homedir(), '.cache', 'kfit');
  return join(base, 'shell-cache');
}

/** A SourceHost over a kernel tree on this machine. */
export class NodeSourceHost implements SourceHost {
  readonly srctree: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stats: NodeSourceHostStats = { filesRead: 0, shellRuns: 0, shellCacheHits: 0, shellPrefetched: 0, shellDirect: 0 };
  private readonly cwdOption: string | undefined;
  private cwdReady: string | undefined;
  private readonly cacheDir: string | false;
  private cacheReady = false;
  private envDigest: string | undefined;
  private readonly pathSignatures = new Map<string, string>();
  private pathListing: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** Answers found by `prefetch()`, by command. */
  private readonly answers = new Map<string, string>();
  private readonly autoPrefetch: boolean;
  private prefetchDone = false;
  /** The first file read: the root Kconfig file, which `prefetch()` parses. */
  private rootFile: string | undefined;

  constructor(options: NodeSourceHostOptions) {
    this.srctree = resolve(options.srctree);
    this.env = options.env;
    this.cwdOption = options.cwd;
    this.cacheDir = options.cache === undefined ? defaultShellCacheDir() : options.cache;
    this.autoPrefetch = options.prefetch ?? true;
  }

  readFile(path: string): string | undefined {
    this.rootFile ??= path;
    const full = isAbsolute(path) ? path : join(this.srctree, path);
    try {
      const text = readFileSync(full, 'utf8');
      this.stats.filesRead++;
      return text;
    } catch {
      return undefined;
    }
  }

  glob(pattern: string): readonly string[] {
    const parts = pattern.split('/').filter((p) => p !== '');
    const out: string[] = [];
    const walk = (dir: string, rel: string, i: number): void => {
      if (i === parts.length) {
        out.push(rel);
        return;
      }
      const part = parts[i];
      if (!/[*?[]/.test(part)) {
        const next = join(dir, part);
        try {
          statSync(next);
        } catch {
          return;
        }
        walk(next, rel ? `${rel}/${part}` : part, i + 1);
        return;
      }
      const re = globToRegExp(part);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) walk(join(dir, name), rel ? `${rel}/${name}` : name, i + 1);
      }
    };
    walk(isAbsolute(pattern) ? '/' : this.srctree, isAbsolute(pattern) ? '' : '', 0);
    return isAbsolute(pattern) ? out.map((p) => '/' + p) : out;
  }

  getEnv(name: string): string | undefined {
    return Object.hasOwn(this.env, name) ? this.env[name] : undefined;
  }

  runShell(command: string): string {
    const prefetched = this.answers.get(command);
    if (prefetched !== undefined) {
      this.stats.shellPrefetched++;
      return prefetched;
    }
    const cached = this.cachedAnswer(command);
    if (cached !== undefined) {
      this.stats.shellCacheHits++;
      return cached;
    }
    if (this.autoPrefetch && !this.prefetchDone && this.rootFile !== undefined) {
      // The first probe conf would run: run them all, in parallel, then answer this one.
      this.prefetchDone = true;
      this.prefetch(this.rootFile);
      const answer = this.answers.get(command);
      if (answer !== undefined) {
        this.stats.shellPrefetched++;
        return answer;
      }
    }
    this.stats.shellRuns++;
    this.stats.shellDirect++;
    const r = spawnSync('/bin/sh', ['-c', command], {
      cwd: this.cwd(),
      env: this.env,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = r.stdout ? r.stdout.toString('utf8') : '';
    this.storeAnswer(command, output);
    return output;
  }

  /**
   * Runs the `$(shell,…)` probes of the tree rooted at `rootFile` in parallel, ahead of the real parse, so a cold
   * parse takes a fraction of conf's time. Speculative parses collect the commands whose text is known (a
   * command built from a pending answer waits for the next round); each round runs them `jobs` at a time.
   * The answers go to the cache and to this host's memory, so the real parse runs each command at most once,
   * as conf does. Gotcha: conf runs probes one after another in file order; running them side by side is the
   * same only because Kconfig probes have no side effects on each other (each uses its own `.tmp_$$`).
   */
  prefetch(rootFile = this.rootFile ?? 'Kconfig', options: PrefetchOptions = {}): PrefetchStats {
    this.prefetchDone = true;
    const jobs = options.jobs ?? Math.max(2, availableParallelism());
    const maxRounds = options.maxRounds ?? 2;
    const texts = new Map<string, string | undefined>();
    const pendingMark = '\u0001kfit-pending\u0001';
    let rounds = 0;
    let commands = 0;
    while (rounds < maxRounds) {
      const pending: string[] = [];
      const seen = new Set<string>();
      const speculative: SourceHost = {
        readFile: (path) => {
          if (!texts.has(path)) texts.set(path, this.readFile(path));
          return texts.get(path);
        },
        glob: (pattern) => this.glob(pattern),
        getEnv: (name) => this.getEnv(name),
        runShell: (command) => {
          const known = this.answers.get(command) ?? this.cachedAnswer(command);
          if (known !== undefined) return known;
          if (!command.includes(pendingMark) && !seen.has(command)) {
            seen.add(command);
            pending.push(command);
          }
          return pendingMark;
        },
      };
      parseKconfig(rootFile, speculative);
      if (pending.length === 0) break;
      rounds++;
      commands += pending.length;
      this.runParallel(pending, jobs);
      // A few stragglers cost less run one by one in the real parse than another speculative parse.
      if (pending.length < 8) break;
    }
    return { rounds, commands };
  }

  /** Runs commands `jobs` at a time (xargs -P) with /bin/sh -c, as popen() would, and remembers their output. */
  private runParallel(commands: readonly string[], jobs: number): void {
    const dir = mkdtempSync(join(tmpdir(), 'kfit-probes-'));
    try {
      commands.forEach((c, i) => writeFileSync(join(dir, `c${i}`), c));
      const script =
        `seq 0 ${commands.length - 1} | xargs -P ${jobs} -I{} /bin/sh -c ` +
        `'/bin/sh -c "$(cat "$0/c$1")" </dev/null >"$0/o$1" 2>/dev/null; true' "$KFIT_PROBE_DIR" {}`;
      spawnSync('/bin/sh', ['-c', script], {
        cwd: this.cwd(),
        env: { ...this.env, KFIT_PROBE_DIR: dir },
        stdio: 'ignore',
      });
      commands.forEach((c, i) => {
        let output: string;
        try {
          output = readFileSync(join(dir, `o${i}`), 'utf8');
        } catch {
          return; // never started (no seq/xargs?): the real parse runs it itself
        }
        this.stats.shellRuns++;
        this.answers.set(c, output);
        this.storeAnswer(c, output);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private cachedAnswer(command: string): string | undefined {
    if (this.cacheDir === false) return undefined;
    try {
      const file = join(this.cacheDir, this.cacheKey(command, this.cwd()) + '.json');
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { command?: unknown; output?: unknown };
      if (entry.command === command && typeof entry.output === 'string') return entry.output;
    } catch {
      // not cached yet
    }
    return undefined;
  }

  private storeAnswer(command: string, output: string): void {
    if (this.cacheDir === false) return;
    try {
      const file = join(this.cacheDir, this.cacheKey(command, this.cwd()) + '.json');
      if (!this.cacheReady) {
        mkdirSync(this.cacheDir, { recursive: true });
        this.cacheReady = true;
      }
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ command, output }));
      renameSync(tmp, file);
    } catch {
      // a cache that cannot be written is no cache
    }
  }

  private cwd(): string {
    if (this.cwdReady) return this.cwdReady;
    const dir = this.cwdOption ?? join(tmpdir(), 'kfit-shell-cwd');
    mkdirSync(dir, { recursive: true });
    this.cwdReady = dir;
    return dir;
  }

  /** The cache key of a command: format, command, cwd, environment, identities of the paths it names. */
  private cacheKey(command: string, cwd: string): string {
    if (this.envDigest === undefined) {
      const h = createHash('sha256');
      for (const name of Object.keys(this.env).sort()) {
        if (VOLATILE_ENV.has(name)) continue;
        h.update(name).update('\0').update(this.env[name]).update('\0');
      }
      this.envDigest = h.digest('hex');
    }
    const h = createHash('sha256');
    const srctree = this.env.srctree;
    const where = srctree !== undefined && isAbsolute(srctree) ? '' : cwd;
    h.update(`${CACHE_FORMAT}\0${command}\0${where}\0${this.envDigest}\0`);
    for (const word of command.split(/[\s;|&(){}<>"'`=,]+/)) {
      if (word === '' || word.startsWith('-') || word.includes('$')) continue;
      h.update(word).update('\0').update(this.pathSignature(word, cwd)).update('\0');
    }
    return h.digest('hex').slice(0, 40);
  }

  /** The directories of PATH with the names in each (listed once per host: cheaper than a stat per word and dir). */
  private pathDirectories(): ReadonlyMap<string, ReadonlySet<string>> {
    if (this.pathListing) return this.pathListing;
    const listing = new Map<string, ReadonlySet<string>>();
    for (const dir of (this.env.PATH ?? '').split(delimiter)) {
      if (!dir || listing.has(dir)) continue;
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        // a PATH entry that is not a directory holds no programs
      }
      listing.set(dir, new Set(names));
    }
    this.pathListing = listing;
    return listing;
  }

  /** Identity of a path (contains '/') or of a program found on PATH; '' for other words. */
  private pathSignature(word: string, cwd: string): string {
    const known = this.pathSignatures.get(word);
    if (known !== undefined) return known;
    let sig = '';
    if (word.includes('/')) {
      if (!/^\/(dev|proc|sys)\//.test(word)) sig = statSignature(isAbsolute(word) ? word : join(cwd, word));
    } else if (/^[A-Za-z0-9_.+-]+$/.test(word)) {
      for (const [dir, names] of this.pathDirectories()) {
        if (!names.has(word)) continue;
        const s = statSignature(join(dir, word));
        if (s !== 'missing') {
          sig = `${dir}:${s}`;
          break;
        }
      }
    }
    this.pathSignatures.set(word, sig);
    return sig;
  }
}

function statSignature(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

