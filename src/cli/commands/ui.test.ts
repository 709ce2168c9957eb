// `kfit ui` as a process: bad input is one line on stderr and exit 1 before anything listens; good input prints
// the URL, serves the API, and Ctrl-C (SIGINT) stops it with exit 0.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeTree } from '../../host/ui-server.test-support.ts';
import type { UiInfo, UiNode } from '../../ui/api.ts';

const mainTs = new URL('../main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const KCONFIG = 'mainmenu "Fake"\nconfig A\n\tbool "A"\n\tdefault y\nconfig B\n\tbool "B"\n\tdepends on A\n';

function script(args: string[]): string[] {
  return ['--import', tsx, '--input-type=module', '-e', `import(${JSON.stringify(mainTs)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`];
}

function kfit(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, script(args), { encoding: 'utf8', env: { ...process.env, KFIT_SHELL_CACHE: 'off' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('bad input: one clear line on stderr, exit 1, nothing listens', () => {
  const tree = fakeTree(KCONFIG);
  try {
    const noTree = kfit(['ui', '--src', join(tree, 'nope')]);
    assert.equal(noTree.status, 1);
    assert.match(noTree.stderr, /^kfit: \S+nope is not a kernel tree \(no Kconfig and Makefile at its top\)\n$/);
    assert.equal(noTree.stdout, '');
    writeFileSync(join(tree, 'bad.config'), 'hello world\n');
    const bad = kfit(['ui', '--src', tree, '--config', join(tree, 'bad.config')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^\S+bad\.config:1:1: error: no CONFIG_ lines[^\n]*\n$/);
    assert.equal(bad.stdout, '');
    const port = kfit(['ui', '--src', tree, '--port', 'x']);
    assert.equal(port.status, 1);
    assert.match(port.stderr, /--port must be a number/);
    writeFileSync(join(tree, 'Kconfig'), 'config A\n\tbool "A"\n\tdepends on (B\n');
    const syntax = kfit(['ui', '--src', tree]);
    assert.equal(syntax.status, 1);
    assert.match(syntax.stderr, /^Kconfig:3:\d+: error: /m);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});

test('kfit ui --json prints the URL, serves the API, and SIGINT stops it with exit 0', async () => {
  const tree = fakeTree(KCONFIG);
  writeFileSync(join(tree, 'start.config'), '# CONFIG_A is not set\n');
  const child = spawn(process.execPath, script(['ui', '--src', tree, '--config', join(tree, 'start.config'), '--json']), { env: { ...process.env, KFIT_SHELL_CACHE: 'off' } });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(\{.*\})\n/.exec(out);
        if (m) resolve((JSON.parse(m[1]) as { url: string }).url);
      });
      child.on('exit', (code) => reject(new Error(`kfit ui exited with ${code} before printing its URL`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const info = (await (await fetch(new URL('/api/info', url))).json()) as UiInfo;
    assert.equal(info.mainmenu, 'Fake');
    assert.equal(info.start, join(tree, 'start.config'));
    const top = (await (await fetch(new URL(`/api/menu?id=${info.root}`, url))).json()) as UiNode[];
    assert.deepEqual(top.map((n) => [n.name, n.value]), [['A', 'n']]);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(tree, { recursive: true, force: true });
  }
});
