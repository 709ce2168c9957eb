// kfit's stand-in for the parts of nixpkgs' `lib` that kernel configs use, so Nix files evaluate without
// `<nixpkgs>`. Written from the behaviour described in research/nixos-config-pipeline.md §2 (lib/kernel.nix)
// and lib/modules.nix' property wrappers; values have the same shape as nixpkgs' own (`_type` wrappers),
// so `nix-instantiate --eval --json` prints the same JSON with either lib.

/**
 * The stand-in, as Nix source: a function of `{ version }` (the kernel version string, or null) returning
 * a `lib` with `kernel` (`yes`, `no`, `module`, `unset`, `freeform`, `option`, `whenHelpers`, and
 * kfit's convenience `whenAtLeast`/`whenOlder`/`whenBetween` bound to `version`), the priority wrappers
 * (`mkOverride`, `mkForce` 50, `mkImageMediaOverride` 60, `mkVMOverride` 10, `mkDefault` 1000,
 * `mkOptionDefault` 1500), `mkIf`, `mkMerge`, `optionalAttrs`, `optional(s)`, `versionOlder`, `versionAtLeast`.
 *
 * Gotcha: nixpkgs' `lib.kernel` has no top-level `whenAtLeast`; common-config takes them from
 * `lib.kernel.whenHelpers version`. kfit adds the bound versions to both libs for hand-written files,
 * and they throw when no kernel version was given.
 */
export const LIB_KERNEL_STANDIN = `# kfit's stand-in for nixpkgs' lib (lib.kernel + module-system property wrappers).
{ version ? null }:
let
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  versionOlder = v1: v2: builtins.compareVersions v2 v1 == 1;
  versionAtLeast = v1: v2: !(versionOlder v1 v2);
  whenHelpers = version: {
    whenAtLeast = ver: mkIf (versionAtLeast version ver);
    whenOlder = ver: mkIf (versionOlder version ver);
    whenBetween = ver1: ver2: mkIf (versionAtLeast version ver1 && versionOlder version ver2);
  };
  kernel = {
    yes = { tristate = "y"; optional = false; };
    no = { tristate = "n"; optional = false; };
    module = { tristate = "m"; optional = false; };
    unset = { tristate = null; optional = false; };
    freeform = v: { freeform = v; optional = false; };
    option = x: x // { optional = true; };
    inherit whenHelpers;
  };
in
{
  inherit mkOverride mkIf mkMerge versionOlder versionAtLeast kernel;
  mkForce = mkOverride 50;
  mkImageMediaOverride = mkOverride 60;
  mkVMOverride = mkOverride 10;
  mkDefault = mkOverride 1000;
  mkOptionDefault = mkOverride 1500;
  optionalAttrs = cond: as: if cond then as else { };
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  version = builtins.nixVersion;
}
`;
