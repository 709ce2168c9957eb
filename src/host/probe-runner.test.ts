// The background probe runner: outputs, the environment and working directory a probe sees (as conf's popen()
// gives them), commands running side by side, more commands than fit in the pipe, and a runner that cannot start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ProbeRunner } from './probe-runner.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kfit-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const PATH = process.env.PATH ?? '/usr/bin:/bin';

test('a probe sees exactly what `/bin/sh -c COMMAND` run directly sees; stderr and exit status are dropped', () => {
  const cwd = mkdtempSync(join(scratch, 'cwd-'));
  const env = { PATH, FOO: 'a b', PWD: '/elsewhere' };
  const runner = new ProbeRunner({ cwd, env, jobs: 2 });
  const probe = 'env | sort; echo "0=$0 #=$#"; pwd; cat; echo done';
  const ids = [runner.submit(probe), runner.submit('echo out; echo err >&2; exit 3'), runner.submit("printf 'no newline'")];
  const direct = spawnSync('/bin/sh', ['-c', probe, 'sh'], { cwd, env, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).stdout;
  assert.match(direct, /^0=sh #=0$/m);
  // waited for in another order than submitted
  assert.deepEqual(runner.wait(ids[2]), { ok: true, output: 'no newline' });
  assert.deepEqual(runner.wait(ids[0]), { ok: true, output: direct });
  assert.deepEqual(runner.wait(ids[1]), { ok: true, output: 'out\n' });
  assert.equal(runner.idle, true);
  runner.close();
});

test('commands run side by side, up to `jobs` at a time', () => {
  const cwd = mkdtempSync(join(scratch, 'cwd-'));
  const runner = new ProbeRunner({ cwd, env: { PATH }, jobs: 2 });
  // The first only finishes once the second has run: one at a time, this would never end.
  const waiter = runner.submit('i=0; while [ ! -e flag ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i+1)); done; [ -e flag ] && echo saw-flag');
  const setter = runner.submit('touch flag; echo set');
  assert.deepEqual(runner.wait(waiter), { ok: true, output: 'saw-flag\n' });
  assert.deepEqual(runner.wait(setter), { ok: true, output: 'set\n' });
  runner.close();
});

test('more commands than the pipe holds wait in the runner and all finish, each with its own output', () => {
  const cwd = mkdtempSync(join(scratch, 'cwd-'));
  const runner = new ProbeRunner({ cwd, env: { PATH }, jobs: 4 });
  const pad = 'x'.repeat(2000);
  const ids: number[] = [];
  for (let i = 0; i < 60; i++) ids.push(runner.submit(`: ${pad}; echo ${i}`));
  assert.equal(runner.submitted, 60);
  for (let i = ids.length - 1; i >= 0; i--) assert.deepEqual(runner.wait(ids[i]), { ok: true, output: `${i}\n` });
  assert.equal(runner.idle, true);
  runner.close();
});

test('without xargs the runner reports each command as lost (the caller runs it)', () => {
  const runner = new ProbeRunner({ cwd: scratch, env: { PATH: join(scratch, 'no-such-dir') }, jobs: 2 });
  const id = runner.submit('echo hi');
  assert.deepEqual(runner.wait(id), { ok: false });
  assert.equal(runner.idle, true);
  runner.close();
});

test('a command with a NUL byte (xargs -0 cannot pass it) is lost, the others run', () => {
  const runner = new ProbeRunner({ cwd: scratch, env: { PATH }, jobs: 2 });
  const bad = runner.submit('echo a\0b');
  const good = runner.submit('echo fine');
  assert.deepEqual(runner.wait(bad), { ok: false });
  assert.deepEqual(runner.wait(good), { ok: true, output: 'fine\n' });
  runner.close();
});

test('when xargs stops (a wrapper killed), waiting ends and the unfinished commands are reported lost', () => {
  const runner = new ProbeRunner({ cwd: scratch, env: { PATH }, jobs: 1 });
  const killer = runner.submit('kill -9 $PPID; sleep 1'); // $PPID: the wrapper shell; xargs gives up after it
  const later = runner.submit('echo later');
  assert.deepEqual(runner.wait(killer), { ok: false });
  assert.deepEqual(runner.wait(later), { ok: false });
  runner.close();
});
