/** kfit's version, as printed by `kfit --version` and in bug reports. */
export const VERSION = '0.1.0';
