// The JSON shapes of `kfit ui`'s HTTP API, shared by the server (src/host/ui-server.ts) and the page (app.ts).
// Types only: nothing here runs.

/** Startup facts the page shows in its header. */
export interface UiInfo {
  readonly mainmenu: string;
  readonly srctree: string;
  readonly arch: string;
  readonly flavor: string;
  /** Where the starting config came from (a file, `defconfig`, or the NixOS pipeline). */
  readonly start: string;
  /** True when the pipeline check is available (`--kernel-config`). */
  readonly canCheck: boolean;
  /** The root menu's id, for GET /api/menu?id=. */
  readonly root: number;
}

/** One row of the menu tree (a finalized menu node with its current value). */
export interface UiNode {
  readonly id: number;
  readonly kind: 'config' | 'menuconfig' | 'choice' | 'menu' | 'comment' | 'if' | 'root';
  readonly prompt: string;
  /** The symbol's name (empty for menus, comments and choices). */
  readonly name: string;
  readonly type: 'unknown' | 'bool' | 'tristate' | 'int' | 'hex' | 'string' | '';
  /** n/m/y for bool/tristate, the text for int/hex/string, the selected member's prompt for a choice. */
  readonly value: string;
  /** menu_is_visible(). */
  readonly visible: boolean;
  /** Values the user may set now (bool/tristate: n/m/y subset; `*` for any text; empty when fixed). */
  readonly allowed: readonly string[];
  /** True when the node has children rows (a menu, a choice, a config with dependent entries). */
  readonly hasChildren: boolean;
  /** True when the user set the symbol in this session (an entry of the changes list). */
  readonly user: boolean;
  /** True when the value differs from the starting config. */
  readonly changed: boolean;
  /** For choice members: true when this member is the selected one. */
  readonly selected?: boolean;
  /** For a choice member, the choice node's id. */
  readonly choice?: number;
}

/** A search hit: the node, and the menu path to it (prompts from the top). */
export interface UiSearchHit {
  readonly node: UiNode;
  readonly path: readonly string[];
  /** Ids of the ancestors from the top, to expand the tree to the hit. */
  readonly ancestors: readonly number[];
  /** Where the query matched: name, prompt or help. */
  readonly match: 'name' | 'prompt' | 'help';
}

/** One symbol whose value moved because of a change. */
export interface UiValueChange {
  readonly name: string;
  readonly before: string;
  readonly after: string;
}

/** The answer to POST /api/set. */
export interface UiSetResult {
  readonly ok: boolean;
  /** Why a value was refused (one sentence). */
  readonly error?: string;
  /** Every symbol whose value changed (the set symbol first). */
  readonly changed: readonly UiValueChange[];
  /** The edit's id, for POST /api/undo. */
  readonly edit?: number;
}

/** One user edit in the "changed" list. */
export interface UiEdit {
  readonly id: number;
  readonly name: string;
  readonly value: string;
  /** How many symbols' values it moved when made. */
  readonly moved: number;
}

/** The help/why panel of one symbol or node. */
export interface UiHelp {
  readonly name: string;
  /** menuconfig's help screen text (formatMenuHelp()). */
  readonly help: string;
  /** Why the symbol has its value (provenance), one line each. */
  readonly why: readonly string[];
  readonly node?: UiNode;
}

/** One line of the semantic diff against the starting config. */
export interface UiDiffLine {
  readonly name: string;
  readonly before: string | null;
  readonly after: string | null;
  /** The menu holding it (prompts from the top, ` > ` joined). */
  readonly menu: string;
}

/** GET /api/changes: the edits and the diff. */
export interface UiChanges {
  readonly edits: readonly UiEdit[];
  /** Values that differ from the start (n ↔ not written at all is not a difference). */
  readonly diff: readonly UiDiffLine[];
  /** How many `# X is not set` lines appeared or vanished (the semantic diff counts them; the list does not). */
  readonly unwritten: number;
}

/** POST /api/check: nixpkgs' pipeline simulated on the intermediate text plus the edits. */
export interface UiCheck {
  readonly exitCode: number;
  /** generate-config.pl's output lines. */
  readonly lines: readonly string[];
  /** kfit's diagnosis, one per error/warning. */
  readonly diagnoses: readonly { readonly name: string; readonly why: string }[];
  /** The intermediate-text lines the edits added. */
  readonly added: readonly string[];
  /** The output lines that the text without the edits does not give (what the edits caused). */
  readonly fresh: readonly string[];
}
