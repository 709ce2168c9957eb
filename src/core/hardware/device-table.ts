// Device tables of one source file → the alias patterns modpost would generate for it (plus its explicit
// MODULE_ALIAS strings): the "from source, no built kernel" alias database.
import { findTables, preprocessFile, type CppConfig } from './c-source.ts';
import type { PreprocessHost } from './c-preprocess.ts';
import { aliasesOfTable, SUPPORTED_TABLE_TYPES } from './file2alias.ts';

/** One table of a file with the aliases it produces. */
export interface FileTable {
  readonly type: string;
  readonly name: string;
  readonly entries: number;
  readonly aliases: readonly string[];
}

/** What one source file contributes to the alias database. */
export interface FileAliases {
  /** The `.c` file (tree-relative). */
  readonly file: string;
  readonly tables: readonly FileTable[];
  /** Explicit `MODULE_ALIAS()` strings (functional aliases such as `fs-ext4`, and hand-written device ones). */
  readonly explicit: readonly string[];
  /** Problems: unreadable files, tables of a type we do not translate. */
  readonly problems: readonly string[];
}

/** Extracts a file's device tables and aliases. `config` drives `#if` (undefined: every CONFIG_ symbol set). */
export function extractFileAliases(file: string, host: PreprocessHost, config: CppConfig): FileAliases {
  const pre = preprocessFile(file, host, config);
  const problems = [...pre.problems];
  const { tables, aliases } = findTables(pre, host);
  const out: FileTable[] = [];
  for (const t of tables) {
    if (!SUPPORTED_TABLE_TYPES.includes(t.type) && t.type !== 'pnp_card') {
      problems.push(`${file}: table ${t.name} of type ${t.type} is not translated`);
      continue;
    }
    out.push({ type: t.type, name: t.name, entries: t.entries.length, aliases: aliasesOfTable(t.type, t.entries) });
  }
  return { file, tables: out, explicit: aliases, problems };
}
