// The other kernel tree of a check (6.1 ↔ 6.12), for symbols the checked tree lacks: read from disk only when
// a diagnosis needs it, then kept with one rename matcher per checked model.
import type { KconfigModel } from '../kconfig/model.ts';
import { RenameMatcher, type RenameResult } from './renames.ts';

/**
 * The matcher's answers kept between runs (the host keeps them on disk, keyed by both trees): a name found
 * there needs neither the other tree's model nor a matcher.
 */
export interface RenameResultStore {
  /** The answer kept for `name` (null: the other tree does not define it), or undefined when none is kept. */
  get(name: string): RenameResult | null | undefined;
  set(name: string, result: RenameResult | null): void;
}

/** What {@link OtherTree.matcherInto} gives: the successors of one name (RenameMatcher.find()). */
export interface RenameFinder {
  find(name: string): RenameResult | undefined;
}

/** Options of {@link OtherTree.lazy}. */
export interface OtherTreeOptions {
  /** The user named this tree (`--other-src`): use it for warnings too, not only for errors. */
  readonly explicit?: boolean;
  /** Whether it is an older or a newer kernel than the checked one (the words of explanations follow it). */
  readonly age?: 'older' | 'newer';
  /** The kept answers for a checked model, made on the first question (undefined: none kept). */
  readonly results?: (to: KconfigModel) => RenameResultStore | undefined;
}

/**
 * The other kernel tree of a check (6.1 ↔ 6.12): read only when a symbol missing from the checked tree needs
 * it, then kept with one matcher per checked model.
 */
export class OtherTree {
  /** Says which tree this is, for explanations ("the 6.1 tree in kfit's cache, /root/.cache/kfit/linux-6.1"). */
  readonly label: string;
  readonly explicit: boolean;
  readonly age: 'older' | 'newer' | undefined;
  readonly #load: () => KconfigModel | undefined;
  #model: KconfigModel | undefined;
  #loaded = false;
  #asked = false;
  readonly #matchers = new Map<KconfigModel, RenameMatcher>();
  readonly #results: ((to: KconfigModel) => RenameResultStore | undefined) | undefined;
  readonly #stores = new Map<KconfigModel, RenameFinder>();

  private constructor(label: string, load: () => KconfigModel | undefined, options: OtherTreeOptions) {
    this.label = label;
    this.#load = load;
    this.explicit = options.explicit ?? false;
    this.age = options.age;
    this.#results = options.results;
  }

  /** A tree loaded on first use; `load` returns undefined when the tree cannot be read. */
  static lazy(label: string, load: () => KconfigModel | undefined, options: OtherTreeOptions = {}): OtherTree {
    return new OtherTree(label, load, options);
  }

  /** A tree already in memory (labelled with its `mainmenu` unless told otherwise). */
  static of(model: KconfigModel, label = model.mainmenu, options: OtherTreeOptions = { explicit: true }): OtherTree {
    return new OtherTree(label, () => model, options);
  }

  /** True once the model was read (or tried), or a matcher asked for (its answers may come from a store). */
  get loaded(): boolean {
    return this.#loaded || this.#asked;
  }

  /** The model, loading it on the first call. */
  model(): KconfigModel | undefined {
    if (!this.#loaded) {
      this.#model = this.#load();
      this.#loaded = true;
    }
    return this.#model;
  }

  /**
   * The matcher from this tree into `to` (the checked tree), built once per `to`. With kept answers (options.results)
   * a name already answered is read from them, and the model is read and the matcher built only for a new name.
   */
  matcherInto(to: KconfigModel): RenameFinder | undefined {
    this.#asked = true;
    let finder = this.#stores.get(to);
    if (finder) return finder;
    const store = this.#results?.(to);
    if (!store) return this.#matcher(to);
    finder = {
      find: (name) => {
        const kept = store.get(name);
        if (kept !== undefined) return kept ?? undefined;
        const m = this.#matcher(to);
        if (!m) return undefined;
        const r = m.find(name);
        store.set(name, r ?? null);
        return r;
      },
    };
    this.#stores.set(to, finder);
    return finder;
  }

  #matcher(to: KconfigModel): RenameMatcher | undefined {
    const from = this.model();
    if (!from) return undefined;
    let m = this.#matchers.get(to);
    if (!m) this.#matchers.set(to, (m = RenameMatcher.build(from, to)));
    return m;
  }
}
