// Builds the Nix expression `kfit nix to-config` hands to `nix-instantiate --eval --json --strict`, and reads
// its JSON back into kernel patches with per-symbol definitions.
import { quoteNixString } from './nix-syntax.ts';

/** What the evaluation expression needs to know. */
export interface StructuredEvalOptions {
  /** Absolute paths of the Nix files, in the order given. */
  readonly files: readonly string[];
  /** Nix expression for the base lib: `import <nixpkgs/lib>` or the stand-in applied to `{ version }`. */
  readonly libExpression: string;
  /** Kernel version for `whenAtLeast`/`version` arguments, or null when unknown. */
  readonly version: string | null;
  /** Attribute paths to select inside each file's value (like `nix-instantiate -A`). */
  readonly attrs?: readonly string[];
}

/** One kernel patch (or bare structured set) found in a file. */
export interface EvaluatedPatch {
  readonly file: string;
  /** The entry's `name`, or null for a bare structured set. */
  readonly name: string | null;
  /** True when the entry used the old key `extraStructuredConfig` (nixpkgs ≥ 2025-08 rejects it). */
  readonly oldKey: boolean;
  /** The structured set as JSON (values may carry `_type` wrappers), or a settings-level wrapper. */
  readonly settings: unknown;
}

/**
 * Returns the Nix expression that evaluates `files` and yields a list of
 * `{ file; name; oldKey; settings; }`, accepting a bare `with lib.kernel; { X = yes; }` set, a function of
 * `{ lib, version, ... }`, one `boot.kernelPatches` entry, a list of them, a NixOS module setting
 * `boot.kernelPatches`, or a set of named entries and lists (derpconfig's `patches.nix`: the named entries,
 * not the lists, unless `attrs` picks).
 */
export function structuredEvalExpression(options: StructuredEvalOptions): string {
  const version = options.version === null ? 'null' : quoteNixString(options.version);
  const attrs = `[ ${(options.attrs ?? []).map(quoteNixString).join(' ')} ]`;
  const files = options.files.map((f) => `(${quoteNixString(f)})`).join(' ');
  return `let
  version = ${version};
  baseLib = ${options.libExpression};
  needVersion = name: throw "\${name} needs the kernel version; pass --kernel-version or --src";
  bound = if version == null
    then { whenAtLeast = _: needVersion "whenAtLeast"; whenOlder = _: needVersion "whenOlder"; whenBetween = _: _: needVersion "whenBetween"; }
    else baseLib.kernel.whenHelpers version;
  lib = baseLib // { kernel = baseLib.kernel // bound; };
  args = { inherit lib; version = if version == null then needVersion "version" else version; config = { }; pkgs = { inherit lib; }; };
  call = f: if builtins.isFunction f then
      (let fa = builtins.functionArgs f; in if fa == { } then f args else f (builtins.intersectAttrs fa args))
    else f;
  isEntry = v: builtins.isAttrs v && (v ? structuredExtraConfig || v ? extraStructuredConfig);
  isEntryList = v: builtins.isList v && builtins.all isEntry v;
  toEntry = file: v: {
    inherit file;
    name = if v ? name then v.name else null;
    oldKey = !(v ? structuredExtraConfig);
    settings = if v ? structuredExtraConfig then v.structuredExtraConfig else v.extraStructuredConfig;
  };
  entriesOf = file: v:
    if isEntry v then [ (toEntry file v) ]
    else if builtins.isList v then builtins.concatLists (map (entriesOf file) v)
    else if builtins.isAttrs v && v ? boot && v.boot ? kernelPatches then entriesOf file v.boot.kernelPatches
    else if builtins.isAttrs v && builtins.any (n: isEntry v.\${n} || isEntryList v.\${n}) (builtins.attrNames v) then
      builtins.concatLists (map (n: if isEntry v.\${n} then [ (toEntry file v.\${n}) ] else [ ]) (builtins.attrNames v))
    else if builtins.isAttrs v then [ { inherit file; name = null; oldKey = false; settings = v; } ]
    else throw "\${file} is neither a structured config set, a kernel patch, nor a list of them";
  select = v: path: builtins.foldl' (acc: n: if builtins.isAttrs acc && acc ? \${n} then acc.\${n} else throw "attribute '\${n}' not found") v (builtins.filter builtins.isString (builtins.split "\\\\." path));
  selected = v: if ${attrs} == [ ] then [ v ] else map (select v) ${attrs};
  fileEntries = file: builtins.concatLists (map (entriesOf file) (selected (call (import file))));
in
builtins.concatLists (map fileEntries [ ${files} ])
`;
}
