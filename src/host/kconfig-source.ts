/**
 * The Node implementation of core's `SourceHost`: Kconfig files under srctree, globs, environment variables,
 * and `$(shell,…)` run with `/bin/sh -c` the way conf's popen() runs it, with an on-disk answer cache
 * (shell-cache.ts: keyed by the command, the environment and the identity of the tools it names).
 *
 * At the first probe the cache cannot answer, the host finds all of the tree's probes with a quick scan
 * (probe-scan.ts) and starts them in the background as it finds them (`prefetch()`, probe-runner.ts), so a
 * cold parse does not wait for ~100 compiler runs one after another as conf does.
 * Gotcha: the cache does not notice a tool that changes behaviour without its file or the environment changing
 * (see shell-cache.ts): pass `cache: false` (or set KFIT_SHELL_CACHE=off) to run every probe.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { shellOutputText } from '../core/kconfig/macro.ts';
import { scanKconfigProbes } from '../core/kconfig/probe-scan.ts';
import { globToRegExp, type SourceHost } from '../core/kconfig/source-host.ts';
import { ProbeRunner } from './probe-runner.ts';
import { defaultShellCacheDir, ShellAnswerCache } from './shell-cache.ts';

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
   * At the first probe the cache cannot answer, start all the tree's probes in the background (`prefetch()`)
   * instead of running them one by one. Default true.
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
  /** Commands run at once (default: twice the number of CPUs: a probe is partly process start-up and waiting). */
  readonly jobs?: number;
}

/** What `prefetch` found. */
export interface PrefetchStats {
  /** Commands handed to the background runner so far. */
  readonly commands: number;
  /** Probes whose command contains another probe's answer (each starts once the answers it needs are in). */
  readonly dependent: number;
}

/**
 * A probe the scan met before its answer was known. `command` is the command, or undefined
 * while its text still waits for other probes' answers (`template` holds the text with their marks).
 */
interface PendingProbe {
  command: string | undefined;
  readonly template: string;
}

/** Stands for the not-yet-known answer of pending probe `i` in the text the scan sees. */
const markOf = (i: number): string => `\u0001kfit-probe:${i}\u0001`;
const MARK = /\u0001kfit-probe:(\d+)\u0001/g;

/** Re-exported: callers decide from it whether a model cache is allowed. */
export { defaultShellCacheDir };

/** A SourceHost over a kernel tree on this machine. */
export class NodeSourceHost implements SourceHost {
  readonly srctree: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stats: NodeSourceHostStats = { filesRead: 0, shellRuns: 0, shellCacheHits: 0, shellPrefetched: 0, shellDirect: 0 };
  private readonly cwdOption: string | undefined;
  private cwdReady: string | undefined;
  private readonly cache: ShellAnswerCache | undefined;
  /** Answers found by `prefetch()`, by command (raw output). */
  private readonly answers = new Map<string, string>();
  private readonly autoPrefetch: boolean;
  private prefetchDone = false;
  /** The first file read: the root Kconfig file, which `prefetch()` parses. */
  private rootFile: string | undefined;
  /** Runs the probes `prefetch()` found, in the background; undefined once they all finished. */
  private runner: ProbeRunner | undefined;
  private jobs = 2;
  /** Runner numbers of the commands handed to it. */
  private readonly submitted = new Map<string, number>();
  /** The scan's pending probes, by mark number, and the mark number of each command or template. */
  private readonly pending: PendingProbe[] = [];
  private readonly pendingIndex = new Map<string, number>();
  /** Pending probes whose text still waits for answers. */
  private readonly unresolved = new Set<number>();
  private dependent = 0;
  /** File texts the scan read, handed to the parse (each file is read from disk once). */
  private readonly texts = new Map<string, string | undefined>();

  constructor(options: NodeSourceHostOptions) {
    this.srctree = resolve(options.srctree);
    this.env = options.env;
    this.cwdOption = options.cwd;
    const cacheDir = options.cache === undefined ? defaultShellCacheDir() : options.cache;
    this.cache = cacheDir === false ? undefined : new ShellAnswerCache(cacheDir, this.env);
    this.autoPrefetch = options.prefetch ?? true;
  }

  readFile(path: string): string | undefined {
    this.rootFile ??= path;
    if (this.texts.has(path)) {
      const text = this.texts.get(path);
      this.texts.delete(path);
      return text;
    }
    return this.readFromDisk(path);
  }

  private readFromDisk(path: string): string | undefined {
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
      // The first probe conf would run: start them all in the background, then wait for this one.
      this.prefetch(this.rootFile);
    }
    if (this.runner) {
      const answer = this.awaitAnswer(command);
      if (answer !== undefined) {
        this.stats.shellPrefetched++;
        return answer;
      }
    }
    this.stats.shellRuns++;
    this.stats.shellDirect++;
    const r = spawnSync('/bin/sh', ['-c', command, 'sh'], {
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
   * Finds the `$(shell,…)` probes of the tree rooted at `rootFile` with the probe scan (probe-scan.ts: lexing,
   * `source`, assignments; no syntax tree) and starts them in the background (ProbeRunner, `jobs` at a time)
   * as it finds them, so that they run while the scan and the parse go on and the parse then mostly finds its
   * answers ready, instead of waiting for ~100 compiler runs one after another as conf does. Measured on
   * 6.12 x86_64: 107 probes, ~2.1 s one by one, ~0.8 s through the runner with 4 jobs on 2 CPUs; 85 start as
   * the scan meets them, the other 22 are built from earlier answers. A probe whose answer is not known yet
   * stands in the scanned text as a mark; a command built from marks starts as soon as the probes it names
   * have answered (their output put in as do_shell() would). Returns without waiting for the probes; the
   * host's `runShell` waits for each answer it needs. The answers also go to the cache. Each command runs at most once, as in conf.
   * Gotcha: conf runs probes one after another in file order; running them side by side is the same only
   * because Kconfig probes have no side effects on each other (each uses its own `.tmp_$$`).
   */
  prefetch(rootFile = this.rootFile ?? 'Kconfig', options: PrefetchOptions = {}): PrefetchStats {
    this.prefetchDone = true;
    this.jobs = options.jobs ?? 2 * availableParallelism();
    const scanning: SourceHost = {
      readFile: (path) => {
        this.collect();
        if (!this.texts.has(path)) this.texts.set(path, this.readFromDisk(path));
        return this.texts.get(path);
      },
      glob: (pattern) => this.glob(pattern),
      getEnv: (name) => this.getEnv(name),
      runShell: (command) => {
        this.collect();
        const known = this.answers.get(command) ?? this.cachedAnswer(command);
        return known ?? markOf(this.pendingProbe(command));
      },
    };
    scanKconfigProbes(rootFile, scanning);
    this.collect();
    return { commands: this.runner?.submitted ?? this.submitted.size, dependent: this.dependent };
  }

  /** The mark number of a probe the scan met; starts it when its text is known. */
  private pendingProbe(text: string): number {
    const known = this.pendingIndex.get(text);
    if (known !== undefined) return known;
    const i = this.pending.length;
    this.pendingIndex.set(text, i);
    MARK.lastIndex = 0;
    if (MARK.test(text)) {
      this.pending.push({ command: undefined, template: text });
      this.unresolved.add(i);
      this.dependent++;
      this.resolveTemplates();
    } else {
      this.pending.push({ command: text, template: text });
      this.submit(text);
    }
    return i;
  }

  /** What pending probe `i` expands to, once its command has answered. */
  private pendingValue(i: number): string | undefined {
    const command = this.pending[i]?.command;
    if (command === undefined) return undefined;
    const raw = this.answers.get(command) ?? this.cachedAnswer(command);
    return raw === undefined ? undefined : shellOutputText(raw);
  }

  /** Fills in the commands whose marks all have answers now, and starts them. */
  private resolveTemplates(): void {
    let progress = true;
    while (progress) {
      progress = false;
      for (const i of this.unresolved) {
        const p = this.pending[i];
        let complete = true;
        const command = p.template.replace(MARK, (_, n: string) => {
          const value = this.pendingValue(Number(n));
          if (value === undefined) complete = false;
          return value ?? '';
        });
        if (!complete) continue;
        this.unresolved.delete(i);
        p.command = command;
        if (this.answers.has(command) || this.cachedAnswer(command) !== undefined) progress = true;
        else this.submit(command);
      }
    }
  }

  private submit(command: string): void {
    if (this.submitted.has(command)) return;
    this.runner ??= new ProbeRunner({ cwd: this.cwd(), env: this.env, jobs: this.jobs });
    this.submitted.set(command, this.runner.submit(command));
  }

  /** Takes the answers of the probes that finished; resolves the commands waiting for them. */
  private collect(): void {
    const runner = this.runner;
    if (!runner) return;
    runner.poll();
    const finished = runner.takeFinished();
    for (const id of finished) {
      const command = runner.command(id);
      const output = runner.output(id) ?? '';
      this.stats.shellRuns++;
      this.answers.set(command, output);
      this.storeAnswer(command, output);
    }
    if (finished.length > 0 && this.unresolved.size > 0) this.resolveTemplates();
  }

  /** The answer of a command the runner has or will have (waiting for it), or undefined: run it yourself. */
  private awaitAnswer(command: string): string | undefined {
    this.collect();
    let answer = this.answers.get(command);
    const id = this.submitted.get(command);
    if (answer === undefined && id !== undefined && this.runner) {
      this.runner.wait(id);
      this.collect();
      answer = this.answers.get(command);
    }
    if (this.runner?.idle && this.unresolved.size === 0) {
      this.runner.close();
      this.runner = undefined;
    }
    return answer;
  }

  private cachedAnswer(command: string): string | undefined {
    return this.cache?.get(command, this.cwd());
  }

  private storeAnswer(command: string, output: string): void {
    this.cache?.set(command, this.cwd(), output);
  }

  private cwd(): string {
    if (this.cwdReady) return this.cwdReady;
    const dir = this.cwdOption ?? join(tmpdir(), 'kfit-shell-cwd');
    mkdirSync(dir, { recursive: true });
    this.cwdReady = dir;
    return dir;
  }
}
