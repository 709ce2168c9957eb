// `kfit config` end to end on a small hand-made tree (always) and on the real 6.12 tree (when installed).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const mainTs = new URL('../main.ts', import.meta.url).pathname;
// --import resolves from the child's cwd (a temp dir), so give tsx by its absolute URL.
const tsx = import.meta.resolve('tsx');

function kfit(cwd: string, args: string[], env: Record<string, string> = {}, input = ''): { status: number; stdout: string; stderr: string } {
  const script = `import(${JSON.stringify(mainTs)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`;
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, KFIT_SHELL_CACHE: 'off', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function fakeTree(kconfig: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-config-tree-'));
  mkdirSync(join(dir, 'arch', 'x86', 'configs'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n');
  writeFileSync(join(dir, 'arch', 'x86', 'Makefile'), '');
  writeFileSync(join(dir, 'Kconfig'), kconfig);
  return dir;
}

const good = 'mainmenu "Fake"\nconfig A\n\tbool "A"\n\tdefault y\nmenu "M"\nconfig B\n\tstring "B"\n\tdefault "x"\nendmenu\n';

test('a Kconfig syntax error is an InputError with file:line:col, and nothing is written', () => {
  const tree = fakeTree('config A\n\tbool "A"\n\tdepends on (B\n');
  const out = mkdtempSync(join(tmpdir(), 'kfit-config-out-'));
  try {
    const r = kfit(out, ['config', 'allnoconfig', '--src', tree, '--arch', 'x86_64']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Kconfig:3:\d+: error: /m);
    assert.equal(existsSync(join(out, '.config')), false);
  } finally {
    rmSync(tree, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('a recursive dependency stops kfit config as it stops conf: exit 1, conf\'s words, nothing written', () => {
  const tree = fakeTree('config A\n\tbool "A"\n\tdepends on C\n\nconfig B\n\tbool "B"\n\tdepends on A\n\tselect C\n\nconfig C\n\tbool\n');
  const out = mkdtempSync(join(tmpdir(), 'kfit-config-out-'));
  try {
    const r = kfit(out, ['config', 'olddefconfig', '--src', tree, '--arch', 'x86_64']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Kconfig:1:1: error: recursive dependency detected!$/m);
    assert.match(r.stderr, /^ {2}Kconfig:1:1: note: symbol A depends on C\n {2}Kconfig:10:1: note: symbol C is selected by B\n {2}Kconfig:5:1: note: symbol B depends on A$/m);
    assert.equal(existsSync(join(out, '.config')), false);
  } finally {
    rmSync(tree, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('helpnewconfig prints the help screen of each new symbol and writes nothing', () => {
  const tree = fakeTree(good + 'config NEW\n\tbool "new one"\n\tdepends on A\n\thelp\n\t  Some help.\n');
  const out = mkdtempSync(join(tmpdir(), 'kfit-config-out-'));
  try {
    writeFileSync(join(out, '.config'), 'CONFIG_A=y\nCONFIG_B="x"\n');
    const r = kfit(out, ['config', 'helpnewconfig', '--src', tree, '--arch', 'x86_64']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      '-----\n\nCONFIG_NEW:\n\nSome help.\n\nSymbol: NEW [=n]\nType  : bool\nDefined at Kconfig:10\n  Prompt: new one\n' +
        '  Depends on: A [=y]\n  Location:\n    -> new one (NEW [=n])\n\n\n\n-----\n',
    );
    assert.equal(readFileSync(join(out, '.config'), 'utf8'), 'CONFIG_A=y\nCONFIG_B="x"\n');
  } finally {
    rmSync(tree, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('oldconfig reads answers from stdin, asks only new symbols, and writes .config', () => {
  const tree = fakeTree(good + 'config NEW\n\tbool "new one"\n\thelp\n\t  Some help.\n\nconfig NUM\n\tint "a number"\n\trange 1 3\n');
  const out = mkdtempSync(join(tmpdir(), 'kfit-config-out-'));
  try {
    writeFileSync(join(out, '.config'), 'CONFIG_A=y\nCONFIG_B="x"\n');
    const r = kfit(out, ['config', 'oldconfig', '--src', tree, '--arch', 'x86_64'], {}, '?\ny\n7\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      // conf 6.12's stdout for the same tree, .config and answers
      '*\n* Restart config...\n*\n*\n* Fake\n*\nA (A) [Y/n/?] y\nnew one (NEW) [N/y/?] (NEW) ?\n\n' +
        'CONFIG_NEW:\n\nSome help.\n\nSymbol: NEW [=n]\nType  : bool\nDefined at Kconfig:10\n  Prompt: new one\n  Location:\n    -> new one (NEW [=n])\n\n\n\n' +
        'new one (NEW) [N/y/?] (NEW) y\na number (NUM) [1] (NEW) 7\na number (NUM) [1] (NEW) \n#\n# configuration written to .config\n#\n',
    );
    assert.match(r.stderr, /Error in reading or end of file/);
    assert.match(readFileSync(join(out, '.config'), 'utf8'), /^CONFIG_NEW=y\nCONFIG_NUM=1\n$/m);
  } finally {
    rmSync(tree, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('olddefconfig writes atomically, keeps .config.old, says "No change" the second time, warns with line numbers', () => {
  const tree = fakeTree(good);
  const out = mkdtempSync(join(tmpdir(), 'kfit-config-out-'));
  try {
    writeFileSync(join(out, '.config'), '# CONFIG_A is not set\nbogus\n');
    const r = kfit(out, ['config', 'olddefconfig', '--src', tree, '--arch', 'x86_64']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '#\n# configuration written to .config\n#\n');
    assert.equal(r.stderr, '.config:2:warning: unexpected data: bogus\n');
    const text = readFileSync(join(out, '.config'), 'utf8');
    assert.equal(
      text,
      '#\n# Automatically generated file; DO NOT EDIT.\n# Fake\n#\n# CONFIG_A is not set\n\n#\n# M\n#\nCONFIG_B="x"\n# end of M\n',
    );
    assert.equal(readFileSync(join(out, '.config.old'), 'utf8'), '# CONFIG_A is not set\nbogus\n');
    const again = kfit(out, ['config', 'olddefconfig', '--src', tree, '--arch', 'x86_64']);
    assert.equal(again.stdout, '#\n# No change to .config\n#\n');
    const json = kfit(out, ['config', 'savedefconfig', '--src', tree, '--arch', 'x86_64', '--json', '--out', 'min']);
    assert.equal(JSON.parse(json.stdout).output, 'min');
    assert.equal(readFileSync(join(out, 'min'), 'utf8'), '# CONFIG_A is not set\n');
  } finally {
    rmSync(tree, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

const tree612 = join(process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit'), 'linux-6.12');

test('defconfig on the real 6.12 tree (x86_64) gives a complete .config', { skip: !existsSync(join(tree612, 'Kconfig')) && 'no 6.12 tree' }, () => {
  const out = mkdtempSync(join(tmpdir(), 'kfit-config-out-'));
  try {
    const r = kfit(out, ['config', 'defconfig', '--src', tree612, '--arch', 'x86_64', '--json'], { KFIT_SHELL_CACHE: '' });
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { counts: { y: number } };
    assert.ok(summary.counts.y > 1000);
    const text = readFileSync(join(out, '.config'), 'utf8');
    assert.match(text, /^# Linux\/x86_64 6\.12\.\d+ Kernel Configuration$/m);
    assert.match(text, /^CONFIG_64BIT=y$/m);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
