/**
 * Runs `$(shell,…)` probes in the background while the caller goes on with synchronous work (the Kconfig
 * parse), and hands their output over when asked.
 *
 * One `xargs -0 -n2 -P<jobs>` process runs them, fed through its stdin as commands are found; each command runs
 * as `/bin/sh -c COMMAND sh` (what conf's popen() runs: `$0` is `sh`) with stdin from /dev/null and stderr
 * dropped, in the given working directory and environment, its stdout going to a file of a scratch folder. A
 * small wrapper shell around it then appends the command's number to a `done` log. The caller reads that log
 * (one read per poll) and waits by polling it, sleeping 1 ms between polls: synchronous code cannot wait for
 * a child in any other way, and the wait costs next to nothing.
 *
 * Gotcha: writes to the stdin pipe must complete at once (libuv writes immediately when nothing is queued, but
 * queues the rest when the pipe is full, and the queue only drains when the event loop runs, which a
 * synchronous parse never lets happen). So at most `MAX_UNFINISHED_BYTES` of commands are in the pipe or
 * running at a time; later ones wait in a local queue until earlier ones finish.
 * Gotcha: without xargs (or when the runner dies), `wait` reports the command as lost and the caller runs it
 * itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of `ProbeRunner`. */
export interface ProbeRunnerOptions {
  /** The working directory of the commands. */
  readonly cwd: string;
  /** Their whole environment (nothing is added to it). */
  readonly env: Readonly<Record<string, string>>;
  /** Commands run at once. */
  readonly jobs: number;
}

/** Bytes of commands at most in the pipe to xargs or running (far below the 64 KiB a Linux pipe holds). */
const MAX_UNFINISHED_BYTES = 32 * 1024;

/**
 * The shell around each command: $0 is the output file, $1 the command. `echo` is a builtin of dash and bash,
 * so the done line costs no process; a line this short is appended in one write.
 */
const WRAPPER = '/bin/sh -c "$1" sh </dev/null >"$0" 2>/dev/null; echo "${0##*/}" >>"${0%/*}/done"';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps `ms` milliseconds without spinning (Atomics.wait on a cell nobody notifies). */
function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** What `wait` found: the command's raw stdout, or that the runner could not run it. */
export type ProbeResult = { readonly ok: true; readonly output: string } | { readonly ok: false };

/** A background runner of shell commands (see the file comment). */
export class ProbeRunner {
  private readonly options: ProbeRunnerOptions;
  private child: ChildProcess | undefined;
  private dir: string | undefined;
  private doneFd = -1;
  private doneBuffer = '';
  private started = false;
  private dead = false;
  /** Commands by number. */
  private readonly commands: string[] = [];
  /** Outputs of finished commands, by number. */
  private readonly outputs = new Map<number, string>();
  /** Numbers that finished since the last `takeFinished()`. */
  private fresh: number[] = [];
  /** Numbers handed to xargs and not finished yet. */
  private readonly running = new Set<number>();
  /** Numbers waiting for room in the pipe. */
  private readonly queued: number[] = [];
  private unfinishedBytes = 0;
  private readonly cleanup = (): void => this.close();

  constructor(options: ProbeRunnerOptions) {
    this.options = options;
  }

  /** Commands submitted so far. */
  get submitted(): number {
    return this.commands.length;
  }

  /** True when every submitted command has finished (or was lost). */
  get idle(): boolean {
    return this.running.size === 0 && this.queued.length === 0;
  }

  /** Queues a command; returns its number. Commands with a NUL byte (which xargs -0 cannot pass) are lost. */
  submit(command: string): number {
    const id = this.commands.length;
    this.commands.push(command);
    this.queued.push(id);
    this.feed();
    return id;
  }

  /** The command with number `id`. */
  command(id: number): string {
    return this.commands[id];
  }

  /** The numbers that finished since the last call (found by `poll` or `wait`). */
  takeFinished(): number[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  /** Reads the done log; returns how many commands finished since the last read. */
  poll(): number {
    if (this.doneFd < 0) return 0;
    const buf = Buffer.allocUnsafe(4096);
    let text = '';
    for (;;) {
      const n = readSync(this.doneFd, buf, 0, buf.length, null);
      if (n <= 0) break;
      text += buf.toString('latin1', 0, n);
      if (n < buf.length) break;
    }
    if (text === '') return 0;
    text = this.doneBuffer + text;
    const lines = text.split('\n');
    this.doneBuffer = lines.pop() ?? '';
    let finished = 0;
    for (const line of lines) {
      const id = Number(line);
      if (!this.running.delete(id)) continue;
      let output = '';
      try {
        output = readFileSync(join(this.dir!, String(id)), 'utf8');
      } catch {
        // the wrapper could not create its output file: the command printed nothing we can see
      }
      this.outputs.set(id, output);
      this.unfinishedBytes -= Buffer.byteLength(this.commands[id]) + 16;
      this.fresh.push(id);
      finished++;
    }
    if (finished > 0) this.feed();
    return finished;
  }

  /** The output of a finished command (undefined while it runs). */
  output(id: number): string | undefined {
    return this.outputs.get(id);
  }

  /** Waits until command `id` has finished. Not ok when the runner could not run it (the caller runs it then). */
  wait(id: number): ProbeResult {
    let polls = 0;
    for (;;) {
      const out = this.outputs.get(id);
      if (out !== undefined) return { ok: true, output: out };
      if (this.dead || id >= this.commands.length || (!this.running.has(id) && !this.queued.includes(id))) return { ok: false };
      if (this.poll() > 0) continue;
      if (++polls % 64 === 0 && !this.alive()) {
        this.markDead();
        continue;
      }
      sleep(1);
    }
  }

  /** Stops the runner (running commands finish on their own) and removes its scratch folder. */
  close(): void {
    process.removeListener('exit', this.cleanup);
    if (this.child) {
      // EOF makes xargs exit once its commands are done; the event loop then reaps it before the process ends.
      this.child.stdin?.destroy();
      this.child.ref();
      this.child = undefined;
    }
    if (this.doneFd >= 0) closeSync(this.doneFd);
    this.doneFd = -1;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.markDead();
  }

  /** Hands queued commands to xargs while there is room in the pipe. */
  private feed(): void {
    if (!this.started) this.start();
    while (this.queued.length > 0 && !this.dead) {
      const id = this.queued[0];
      const command = this.commands[id];
      const bytes = Buffer.byteLength(command) + 16;
      if (command.includes('\0')) {
        this.queued.shift();
        continue; // lost: wait() says so and the caller runs it itself
      }
      if (this.unfinishedBytes > 0 && this.unfinishedBytes + bytes > MAX_UNFINISHED_BYTES) return;
      const stdin = this.child!.stdin!;
      stdin.write(`${join(this.dir!, String(id))}\0${command}\0`);
      if (stdin.writableLength > 0) {
        // the pipe is full after all: what is left only goes out when the event loop runs, which may be never
        this.markDead();
        return;
      }
      this.queued.shift();
      this.running.add(id);
      this.unfinishedBytes += bytes;
    }
  }

  private start(): void {
    this.started = true;
    this.dir = mkdtempSync(join(tmpdir(), 'kfit-probes-'));
    const done = join(this.dir, 'done');
    writeFileSync(done, '');
    this.doneFd = openSync(done, 'r');
    process.once('exit', this.cleanup);
    const jobs = String(Math.max(1, this.options.jobs));
    const child = spawn('xargs', ['-0', '-n2', `-P${jobs}`, '/bin/sh', '-c', WRAPPER], {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', () => this.markDead()); // only seen if the event loop runs; pid === undefined says it at once
    if (child.pid === undefined) {
      this.markDead();
      return;
    }
    // A write after xargs died fails later with EPIPE: without a handler that would be an uncaught error.
    child.stdin?.on('error', () => this.markDead());
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    this.child = child;
  }

  /** Whether the xargs process still runs (a zombie counts as gone: its exit is only reaped by the event loop). */
  private alive(): boolean {
    const pid = this.child?.pid;
    if (pid === undefined) return false;
    if (!procAvailable) return true;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }

  private markDead(): void {
    if (this.dead) return;
    this.dead = true;
    this.poll(); // keep what finished
    this.running.clear();
    this.queued.length = 0;
  }
}

const procAvailable = existsSync('/proc/self/stat');
