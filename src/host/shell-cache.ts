/**
 * The on-disk cache of `$(shell,…)` answers (`${KFIT_CACHE}/shell-cache/`), one JSON file per answer.
 *
 * An answer is keyed by the command, the whole environment the shell gets, and the identity (size, mtime,
 * inode) of every program or path the command names: `gcc` is looked up on PATH, `/usr/lib/gcc/…/
 * plugin-version.h` and `$(srctree)/scripts/cc-version.sh` are looked at directly. So a changed variable or
 * an installed/updated tool makes a new key. The working directory is part of the key only when srctree is
 * relative (an in-tree build: `./scripts/…` then depends on it); with `O=` (srctree absolute) the probes only
 * use the directory for scratch files, so every build directory shares the answers.
 * Gotcha: a tool that changes behaviour without any of those changing (a new plugin directory that the command
 * does not name, a changed config file of the tool) is not noticed: set KFIT_SHELL_CACHE=off to run every probe.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomically } from './atomic-file.ts';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

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

/** The answers of one environment's probes in a cache directory. */
export class ShellAnswerCache {
  private readonly dir: string;
  private readonly env: Readonly<Record<string, string>>;
  private dirReady = false;
  private envDigest: string | undefined;
  private readonly pathSignatures = new Map<string, string>();
  private pathListing: ReadonlyMap<string, ReadonlySet<string>> | undefined;

  constructor(dir: string, env: Readonly<Record<string, string>>) {
    this.dir = dir;
    this.env = env;
  }

  /** The cached raw output of `command` run in `cwd`, or undefined. */
  get(command: string, cwd: string): string | undefined {
    try {
      const file = join(this.dir, this.cacheKey(command, cwd) + '.json');
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { command?: unknown; output?: unknown };
      if (entry.command === command && typeof entry.output === 'string') return entry.output;
    } catch {
      // not cached yet
    }
    return undefined;
  }

  /** Remembers the raw output of `command` run in `cwd` (silently nothing when the folder cannot be written). */
  set(command: string, cwd: string, output: string): void {
    try {
      const file = join(this.dir, this.cacheKey(command, cwd) + '.json');
      if (!this.dirReady) {
        mkdirSync(this.dir, { recursive: true });
        this.dirReady = true;
      }
      writeFileAtomically(file, JSON.stringify({ command, output }));
    } catch {
      // a cache that cannot be written is no cache
    }
  }

  /** The cache key of a command: format, command, cwd, environment, identities of the paths it names. */
  private cacheKey(command: string, cwd: string): string {
    if (this.envDigest === undefined) {
      const h = createHash('sha256');
      for (const name of Object.keys(this.env).sort()) {
        if (VOLATILE_ENV.has(name) || name.startsWith('KFIT_')) continue; // kfit's own settings reach no probe
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

/**
 * make's own `$(shell …)` calls (kconfigEnvironment(): `$(CC) --version`, `$(RUSTC) --version`, …) answered from
 * the cache in `dir` (keyed like every probe: command, environment, identity of the programs it names), run by
 * `run` when not known yet.
 */
export function cachedMakeShell(dir: string, run: (command: string, env: Readonly<Record<string, string>>) => string): (command: string, env: Readonly<Record<string, string>>) => string {
  const caches = new WeakMap<object, ShellAnswerCache>();
  return (command, env) => {
    let cache = caches.get(env);
    if (!cache) caches.set(env, (cache = new ShellAnswerCache(dir, env)));
    // not run in any particular directory: one answer for every working directory
    const known = cache.get(command, '/');
    if (known !== undefined) return known;
    const output = run(command, env);
    cache.set(command, '/', output);
    return output;
  };
}
