// The kernel's own Kconfig parser as the oracle of ours. A small C program (ours, WALK_C) is linked with the
// scripts/kconfig objects that the oracle's `make` built; it calls conf_parse() and walks conf's menu tree. The same
// walk over our syntax tree must print the same, for the real trees and for the data-driven cases.
import { seededRandom } from '../core/lab/statistics.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { hasErrors } from '../core/diag/diagnostic.ts';
import { parseKconfig } from '../core/kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../core/kconfig/source-host.ts';
import type { EntrySyntax, ExprSyntax, KconfigSyntax } from '../core/kconfig/syntax.ts';
import { kconfigEnvironment } from './kconfig-env.ts';
import { buildDir, confEnvironment, oracleEnvironment } from './kconfig-oracle.ts';
import { NodeSourceHost } from './kconfig-source.ts';

/** One scratch directory per test file, removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'kfit-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const treeOf = (version: string): string => join(cache, `linux-${version}`);

// The kernel's own parser as the oracle: a small C program (ours) linked with the scripts/kconfig objects that
// the oracle's `make` built walks conf's menu tree after conf_parse() and prints every entry, its prompt, its help
// text, default values, selects, implies and ranges (their `if` conditions are merged with the menu's dependencies
// by menu_finalize(), so they are left out); the same walk over our syntax must print the same.
const WALK_C = `#include <stdio.h>
#include "lkc.h"
static void out(const char *tag, const char *s) {
  printf("%s ", tag);
  for (; s && *s; s++) {
    if (*s == '\\n') fputs("\\\\n", stdout); else if (*s == '\\\\') fputs("\\\\\\\\", stdout); else putchar(*s);
  }
  putchar('\\n');
}
static void psym(struct symbol *s) { fputs(s->name ? s->name : "<choice>", stdout); }
static void pexpr(struct expr *e) {
  switch (e->type) {
  case E_SYMBOL: psym(e->left.sym); break;
  case E_NOT: putchar('!'); pexpr(e->left.expr); break;
  case E_AND: case E_OR:
    putchar('('); pexpr(e->left.expr); fputs(e->type == E_AND ? " && " : " || ", stdout); pexpr(e->right.expr); putchar(')'); break;
  case E_RANGE: psym(e->left.sym); putchar(' '); psym(e->right.sym); break;
  default: {
    const char *op = e->type == E_EQUAL ? "=" : e->type == E_UNEQUAL ? "!=" : e->type == E_LTH ? "<" :
      e->type == E_LEQ ? "<=" : e->type == E_GTH ? ">" : e->type == E_GEQ ? ">=" : "?";
    psym(e->left.sym); printf(" %s ", op); psym(e->right.sym);
  }
  }
}
static void walk(struct menu *m) {
  for (; m; m = m->next) {
    if (m->sym) out("E", m->sym->name ? m->sym->name : "<choice>");
    else if (m->prompt) out("M", m->prompt->text);
    else out("I", "if");
    if (m->prompt) out("P", m->prompt->text);
    if (m->help) out("H", m->help);
    if (m->sym) {
      for (struct property *p = m->sym->prop; p; p = p->next) {
        if (p->menu != m) continue;
        if (p->type == P_DEFAULT) { printf("D "); pexpr(p->expr); putchar('\\n'); }
        else if (p->type == P_SELECT) { printf("S "); pexpr(p->expr); putchar('\\n'); }
        else if (p->type == P_IMPLY) { printf("Y "); pexpr(p->expr); putchar('\\n'); }
        else if (p->type == P_RANGE) { printf("R "); pexpr(p->expr); putchar('\\n'); }
      }
    }
    if (m->list) walk(m->list);
  }
}
int main(void) { conf_parse("Kconfig"); walk(rootmenu.list); return 0; }
`;

/** An expression as WALK_C prints it: `&&`/`||` in parentheses, comparisons with spaces, names only. */
function expr(e: ExprSyntax): string {
  switch (e.kind) {
    case 'symbol':
      return e.name;
    case 'not':
      return `!${expr(e.operand)}`;
    case 'and':
    case 'or':
      return `(${expr(e.left)} ${e.kind === 'and' ? '&&' : '||'} ${expr(e.right)})`;
    case 'compare':
      return `${e.left.name} ${e.op} ${e.right.name}`;
  }
}

function walkOurs(syntax: KconfigSyntax): string {
  const out: string[] = [];
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  const walk = (entries: readonly EntrySyntax[]): void => {
    for (const e of entries) {
      let prompt: string | undefined;
      if (e.kind === 'config' || e.kind === 'menuconfig') out.push(`E ${e.name}`);
      else if (e.kind === 'choice') out.push(`E ${e.name ?? '<choice>'}`);
      else if (e.kind === 'menu' || e.kind === 'comment') {
        out.push(`M ${esc(e.prompt)}`);
        prompt = e.prompt;
      } else out.push('I if');
      let help: string | undefined;
      const props: string[] = [];
      if (e.kind !== 'if') {
        for (const a of e.attributes) {
          if (a.kind === 'prompt') prompt = a.prompt.text;
          else if (a.kind === 'type' && a.prompt) prompt = a.prompt.text;
          else if (a.kind === 'help') help = a.text;
          else if (a.kind === 'default' || a.kind === 'def_type') props.push(`D ${expr(a.value)}`);
          else if (a.kind === 'select') props.push(`S ${a.target.name}`);
          else if (a.kind === 'imply') props.push(`Y ${a.target.name}`);
          else if (a.kind === 'range') props.push(`R ${a.low.name} ${a.high.name}`);
        }
      }
      if (prompt !== undefined) out.push(`P ${esc(prompt)}`);
      if (help !== undefined) out.push(`H ${esc(help)}`);
      if (e.kind === 'config' || e.kind === 'menuconfig' || e.kind === 'choice') out.push(...props);
      if (e.kind === 'choice' || e.kind === 'menu' || e.kind === 'if') walk(e.children);
    }
  };
  walk(syntax.entries);
  return out.join('\n') + '\n';
}

const walkBinaries = new Map<string, string>();

/** Compiles WALK_C against the scripts/kconfig objects of `version` that the oracle's make built (once). */
function walkBinary(version: string): string {
  const known = walkBinaries.get(version);
  if (known) return known;
  confEnvironment(version, 'x86_64'); // the oracle builds conf's objects (the parser does not depend on ARCH)
  const objs = join(buildDir(version, 'x86_64'), 'scripts', 'kconfig');
  const srcDir = join(treeOf(version), 'scripts');
  const dir = mkdtempSync(join(scratch, 'walk-'));
  writeFileSync(join(dir, 'walk.c'), WALK_C);
  const objects = ['confdata', 'expr', 'lexer.lex', 'menu', 'parser.tab', 'preprocess', 'symbol', 'util'].map((o) => join(objs, `${o}.o`));
  const cc = spawnSync('gcc', ['-I', join(srcDir, 'kconfig'), '-I', objs, '-I', join(srcDir, 'include'), '-o', join(dir, 'walk'), join(dir, 'walk.c'), ...objects], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  walkBinaries.set(version, join(dir, 'walk'));
  return join(dir, 'walk');
}

for (const [version, arches] of [['6.12', ['x86_64', 'arm64', 'powerpc']], ['6.1', ['x86_64', 'mips']]] as const) {
  const present = existsSync(join(treeOf(version), 'Kconfig'));
  for (const arch of arches) {
    test(`Linux ${version} ${arch}: every entry, prompt, help text, default, select, imply and range equals conf's own parse`, { skip: !present && 'tree not installed' }, () => {
      const walk = walkBinary(version);
      const dir = mkdtempSync(join(scratch, 'walk-run-'));
      const srctree = treeOf(version);
      const { env } = kconfigEnvironment({ srctree, arch, objtree: dir, baseEnv: oracleEnvironment() });
      const c = spawnSync(walk, [], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(c.status, 0, c.stderr);
      const r = parseKconfig('Kconfig', new NodeSourceHost({ srctree, env }));
      const ours = walkOurs(r.value);
      assert.ok(c.stdout.length > 1_000_000);
      if (ours !== c.stdout) {
        const a = c.stdout.split('\n');
        const b = ours.split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        assert.fail(`first difference at line ${i + 1}:\n  conf: ${a[i]}\n  kfit: ${b[i]}`);
      }
    });
  }
}


// Every data-driven case (src/core/kconfig/cases/*.txt), parsed with each version's grammar (`flavor`), must be
// accepted or rejected as conf of that version does, and read the same when accepted. Cases with `-- shell`
// answers are left out (conf would run the commands for real).
interface CaseFiles {
  name: string;
  files: Map<string, string>;
  env: Record<string, string>;
}

function readCaseFiles(text: string): CaseFiles[] {
  const out: CaseFiles[] = [];
  for (const block of text.split(/\n==>\n/)) {
    const lines = block.split('\n');
    const start = lines.findIndex((l) => l.startsWith('# '));
    if (start < 0) continue;
    const name = lines[start].slice(2);
    const input = lines.slice(start + 1);
    if (input.some((l) => l.startsWith('-- shell '))) continue;
    const files = new Map<string, string[]>([['Kconfig', []]]);
    const env: Record<string, string> = {};
    let file = 'Kconfig';
    for (const line of input) {
      const m = /^-- (file|env) (.*)$/.exec(line);
      if (m?.[1] === 'file') files.set((file = m[2].trim()), []);
      else if (m?.[1] === 'env') env[m[2].slice(0, m[2].indexOf('='))] = m[2].slice(m[2].indexOf('=') + 1);
      else files.get(file)!.push(line);
    }
    const texts = new Map<string, string>();
    for (const [f, ls] of files) {
      while (ls.length > 0 && ls[ls.length - 1] === '') ls.pop();
      const t = ls.join('\n').replace(/→/g, '\t');
      texts.set(f, t.endsWith('⏎') ? t.slice(0, -1) : t + '\n');
    }
    out.push({ name, files: texts, env });
  }
  return out;
}

const casesDir = join(new URL('.', import.meta.url).pathname, '..', 'core', 'kconfig', 'cases');
const treesPresent = existsSync(join(treeOf('6.12'), 'Kconfig')) && existsSync(join(treeOf('6.1'), 'Kconfig'));
for (const file of readdirSync(casesDir).filter((n) => n.endsWith('.txt')).sort()) {
  for (const c of readCaseFiles(readFileSync(join(casesDir, file), 'utf8'))) {
    test(`cases/${file}: ${c.name}: conf 6.1 and 6.12 accept or reject it as we do, and read it the same`, { skip: !treesPresent && 'trees not installed' }, () => {
      const dir = mkdtempSync(join(scratch, 'case-'));
      for (const [name, text] of c.files) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      for (const version of ['6.12', '6.1'] as const) {
        const flavor = version === '6.12' ? 'v6.12' : 'v6.1';
        const ours = parseKconfig('Kconfig', new MemorySourceHost(c.files, { env: c.env }), { flavor });
        const r = spawnSync(walkBinary(version), [], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...c.env }, encoding: 'utf8' });
        if (hasErrors(ours.diagnostics)) {
          assert.notEqual(r.status, 0, `Linux ${version} accepts what we reject:\n${r.stdout}`);
        } else if (r.status !== 0) {
          // conf also checks meaning while parsing (menu_finalize, sym_check_deps): the model builder's part.
          assert.match(r.stderr, /recursive dependency|choice/, `Linux ${version} rejects what we accept:\n${r.stderr}`);
        } else {
          // $(info,…) also prints on stdout: keep the walk's own lines.
          const walked = r.stdout.split('\n').filter((l) => /^[EMIPHDSYR] /.test(l));
          assert.equal(walkOurs(ours.value), walked.join('\n') + '\n', `Linux ${version}`);
        }
      }
    });
  }
}

// Differential fuzzing: single mutations (token/line deletion, duplication, swap; inserted macro soup or a
// character) of small real Kconfig files must be accepted or rejected as conf of each version does, and read the
// same. Files with `source` or `$(shell` are left out (conf would run whatever a mutation made of a command).
// conf's meaning checks (recursive dependencies, choices) are the model builder's; a conf crash proves nothing.
test('300 mutations of small real Kconfig files read the same to conf 6.1 and 6.12', { skip: !treesPresent && 'trees not installed', timeout: 600_000 }, () => {
  const tree = treeOf('6.12');
  const texts: string[] = [];
  const collect = (dir: string): void => {
    for (const name of readdirSync(join(tree, dir)).sort()) {
      const rel = join(dir, name);
      if (name.startsWith('Kconfig')) {
        const text = readFileSync(join(tree, rel), 'utf8');
        if (text.length < 5000 && !/shell|source/.test(text)) texts.push(text);
      } else if (!name.includes('.') && texts.length < 300) {
        try {
          collect(rel);
        } catch {
          // not a directory
        }
      }
    }
  };
  for (const top of ['drivers/iio', 'drivers/hwmon', 'drivers/input', 'sound', 'drivers/media']) collect(top);
  assert.ok(texts.length > 50, `only ${texts.length} texts`);
  const rnd = seededRandom(0x6b666974);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const soup = ['$(', ')', ',', '$(info,x)', '$(1)', '$(lineno)', '"', "'", '\\', '\n', '\t', '#', '&&', '||', '!', '=', ':=', '(', 'if ', 'endif\n', 'menu "m"\n', 'endmenu', 'choice\n', 'endchoice', 'help\n', '\thelp\n\t  x\n', 'X := y\n', '$(X)'];
  const dir = mkdtempSync(join(scratch, 'dfuzz-'));
  const tally = { same: 0, bothReject: 0, semantic: 0, crash: 0 };
  for (let n = 0; n < 300; n++) {
    let text = texts[pick(texts.length)];
    const k = pick(8);
    if (k <= 2) {
      const tk = text.split(/(\s+)/);
      const i = pick(tk.length);
      if (k === 0) tk.splice(i, 1);
      else if (k === 1) tk.splice(i, 0, tk[i]);
      else {
        const j = Math.min(tk.length - 1, i + 2);
        [tk[i], tk[j]] = [tk[j], tk[i]];
      }
      text = tk.join('');
    } else if (k <= 5) {
      const l = text.split('\n');
      const i = pick(l.length);
      const j = pick(l.length);
      if (k === 3) l.splice(i, 1);
      else if (k === 4) l.splice(i, 0, l[i]);
      else [l[i], l[j]] = [l[j], l[i]];
      text = l.join('\n');
    } else {
      const at = pick(text.length + 1);
      text = text.slice(0, at) + (k === 6 ? soup[pick(soup.length)] : String.fromCharCode(32 + pick(95))) + text.slice(at);
    }
    writeFileSync(join(dir, 'Kconfig'), text);
    for (const version of ['6.12', '6.1'] as const) {
      const ours = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: text }), { flavor: version === '6.12' ? 'v6.12' : 'v6.1' });
      const r = spawnSync(walkBinary(version), [], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
      const context = `mutation ${n}, Linux ${version}:\n${text}`;
      if (r.status === null) {
        tally.crash++; // conf itself crashed (6.1 does on some inputs)
      } else if (hasErrors(ours.diagnostics)) {
        assert.notEqual(r.status, 0, `conf accepts what we reject, ${context}`);
        tally.bothReject++;
      } else if (r.status !== 0) {
        assert.match(r.stderr, /recursive dependency|choice/, `conf rejects what we accept (${r.stderr}), ${context}`);
        tally.semantic++;
      } else {
        const walked = r.stdout.split('\n').filter((l) => /^[EMIPHDSYR] /.test(l));
        assert.equal(walkOurs(ours.value), walked.join('\n') + '\n', context);
        tally.same++;
      }
    }
  }
  // Both outcomes must occur, or the mutations test nothing.
  assert.ok(tally.same > 100 && tally.bothReject > 50, JSON.stringify(tally));
});
