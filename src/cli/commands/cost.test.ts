// `kfit cost` end to end on the real 6.12 tree: defconfig, Debian's amd64 config, a NixOS pipeline input,
// --against, --top, calibration, and bad inputs (exit 1, one line, nothing on stdout).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const mainTs = new URL('../main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const src = join(cache, 'linux-6.12');
const skip = !existsSync(join(src, 'Kbuild')) && 'no 6.12 tree in the cache (setup.sh)';
const debian = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';
const fixtures = new URL('../../../test/fixtures/nixos/stock-6.12-defconfig/', import.meta.url).pathname;

function kfit(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const script = `import(${JSON.stringify(mainTs)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`;
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Group { key: string; objects: number; modules: number; cpuSeconds: number; wallSeconds: number }
interface Report {
  jobs: number;
  rate: { origin: string; file: string | null };
  estimate: { objects: number; cObjects: number; modules: number; wallSeconds: number; cpuSeconds: number };
  top: Group[];
  against: null | { estimate: { objects: number; modules: number; wallSeconds: number }; removedObjects: number; removedModules: number; addedObjects: number; addedModules: number; savedWallSeconds: number; topRemoved: Group[] };
  warnings: string[];
}

function json(args: string[], env: Record<string, string> = {}): Report {
  const r = kfit([...args, '--json'], env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

// a rate file of the user's own calibration must not change what these tests expect
const noRate = mkdtempSync(join(tmpdir(), 'kfit-cost-cache-'));
process.on('exit', () => rmSync(noRate, { recursive: true, force: true }));

test('defconfig: the estimate at -j2 is the measured build (722 s) within 3%, top groups largest first', { skip }, () => {
  const r = json(['cost', '--src', src, '--config', 'defconfig', '--jobs', '2', '--top', '4', '--by', 'gate'], { KFIT_CACHE: noRate });
  assert.equal(r.rate.file, null);
  assert.match(r.rate.origin, /^default/);
  assert.ok(r.estimate.objects > 2800 && r.estimate.objects < 2950, `${r.estimate.objects}`);
  assert.equal(r.estimate.modules, 9);
  assert.ok(Math.abs(r.estimate.wallSeconds - 722) / 722 < 0.03, `${r.estimate.wallSeconds} s`);
  assert.equal(r.top.length, 4);
  for (let i = 1; i < r.top.length; i++) assert.ok(r.top[i - 1]!.cpuSeconds >= r.top[i]!.cpuSeconds);
  assert.equal(r.against, null);
});

test('Debian amd64: its 4,230 modules; --against defconfig: what goes, consistent counts, time saved', { skip: skip || (!existsSync(debian) && `no ${debian}`) }, () => {
  const r = json(['cost', '--src', src, '--config', debian, '--jobs', '2', '--against', 'defconfig', '--top', '3'], { KFIT_CACHE: noRate });
  assert.equal(r.estimate.modules, 4230, 'the .ko count of the linux-image package');
  const a = r.against!;
  assert.equal(a.estimate.modules, 9);
  assert.equal(a.estimate.objects, r.estimate.objects - a.removedObjects + a.addedObjects);
  assert.equal(a.estimate.modules, r.estimate.modules - a.removedModules + a.addedModules);
  assert.ok(a.savedWallSeconds > 3000, `${a.savedWallSeconds} s saved`);
  assert.equal(a.topRemoved.length, 3);
  assert.ok(a.topRemoved[0]!.objects > 500);
  // text output: the headline and the groups
  const t = kfit(['cost', '--src', src, '--config', debian, '--jobs', '2', '--against', 'defconfig', '--top', '2'], { KFIT_CACHE: noRate });
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^build: \d+ objects .* 4230 modules/);
  assert.match(t.stdout, /against defconfig: .*\n {2}estimate .* saves (~\d+ min|\d+ h \d\d min)/);
  assert.match(t.stdout, /what defconfig leaves out, by symbol/);
});

test('NixOS inputs: the simulated pipeline costs the same build as the .config nixpkgs really produced', { skip: skip || (!existsSync(join(fixtures, 'expected.config')) && 'no fixture') }, () => {
  const simulated = json(['cost', '--src', src, '--kernel-config', join(fixtures, 'kernel-config'), '--base', 'defconfig', '--jobs', '2', '--top', '1']);
  const real = json(['cost', '--src', src, '--config', join(fixtures, 'expected.config'), '--jobs', '2', '--top', '1'], { KFIT_CACHE: noRate });
  assert.equal(simulated.estimate.objects, real.estimate.objects);
  assert.equal(simulated.estimate.modules, real.estimate.modules);
  assert.ok(simulated.estimate.modules > 5000, `${simulated.estimate.modules} modules`);
  assert.ok(real.warnings.some((w) => /debug info/.test(w)), 'NixOS builds BTF: the default rate says it has none');
});

test('calibration round trip through the cache: a timed build is estimated back; --reset returns to the default', { skip }, () => {
  const home = mkdtempSync(join(tmpdir(), 'kfit-cost-cal-'));
  try {
    const env = { KFIT_CACHE: home };
    const c = kfit(['cost', 'calibrate', '--seconds', '1500', '--config', 'defconfig', '--src', src, '--jobs', '2'], env);
    assert.equal(c.status, 0, c.stderr);
    assert.match(c.stdout, /gives that build back as 1500 s/);
    const r = json(['cost', '--src', src, '--config', 'defconfig', '--jobs', '2', '--top', '0'], env);
    assert.equal(r.rate.file, join(home, 'cost', 'rate.json'));
    assert.match(r.rate.origin, /^calibrated .* 1500 s build of defconfig/);
    assert.ok(Math.abs(r.estimate.wallSeconds - 1500) <= 1, `${r.estimate.wallSeconds}`);
    // at -j4 the parallel part halves
    const r4 = json(['cost', '--src', src, '--config', 'defconfig', '--jobs', '4', '--top', '0'], env);
    assert.ok(Math.abs(r4.estimate.wallSeconds - (20 + (1500 - 20) / 2)) <= 1, `${r4.estimate.wallSeconds}`);
    assert.equal(kfit(['cost', 'calibrate', '--reset'], env).status, 0);
    assert.equal(json(['cost', '--src', src, '--config', 'defconfig', '--jobs', '2', '--top', '0'], env).rate.file, null);
    // an incremental build (few compile steps in its log) is refused and nothing is stored
    const b = join(home, 'build');
    mkdirSync(join(b, '.kfit'), { recursive: true });
    writeFileSync(join(b, '.config'), 'CONFIG_64BIT=y\nCONFIG_X86_64=y\n');
    writeFileSync(join(b, 'vmlinux'), '');
    writeFileSync(join(b, '.kfit', 'build.log'), '$ make -C x O=y -j2 bzImage\n  CC      init/main.o\n');
    const inc = kfit(['cost', 'calibrate', '--build-dir', b, '--src', src], env);
    assert.equal(inc.status, 1);
    assert.match(inc.stderr, /incremental build/);
    assert.equal(existsSync(join(home, 'cost', 'rate.json')), false);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('bad inputs: one line on stderr, exit 1, nothing on stdout', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-cost-bad-'));
  try {
    const notConfig = join(dir, 'hw.json');
    writeFileSync(notConfig, '{"format": "kfit-hw-snapshot"}\n');
    const broken = join(dir, 'structured.json');
    writeFileSync(broken, '{"structuredExtraConfig": ');
    const cases: [string[], RegExp][] = [
      [['cost', '--config', 'defconfig'], /needs --src/],
      [['cost', '--src', src], /exactly one of --config/],
      [['cost', '--src', src, '--config', join(dir, 'nope.config')], /nope\.config: cannot read \(no such file\)/],
      [['cost', '--src', src, '--config', notConfig], /hw\.json:1:1: error: not a kernel \.config/],
      [['cost', '--src', dir, '--config', 'defconfig'], /not a kernel tree/],
      [['cost', '--src', src, '--config', 'defconfig', '--jobs', '0'], /--jobs expects a positive integer/],
      [['cost', '--src', src, '--config', 'defconfig', '--by', 'colour'], /--by expects symbol, gate, dir or menu/],
      [['cost', '--src', src, '--config', 'defconfig', '--kernel-config', notConfig], /exactly one of/],
      [['cost', '--src', src, '--structured', broken], /structured\.json:1:1: error: not JSON/],
      [['cost', 'calibrate'], /needs --build-dir DIR .* or --seconds S/],
      [['cost', 'calibrate', '--build-dir', dir], /no \.config/],
      [['cost', 'recalibrate'], /unknown action/],
    ];
    for (const [args, message] of cases) {
      const r = kfit(args, { KFIT_CACHE: dir });
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
