// The other kernel tree of a check (6.1 ↔ 6.12), for symbols the checked tree lacks: read from disk only when
// a diagnosis needs it, then kept with one rename matcher per checked model.
import type { KconfigModel } from '../kconfig/model.ts';
import { RenameMatcher } from './renames.ts';

/** Options of {@link OtherTree.lazy}. */
export interface OtherTreeOptions {
  /** The user named this tree (`--other-src`): use it for warnings too, not only for errors. */
  readonly explicit?: boolean;
  /** Whether it is an older or a newer kernel than the checked one (the words of explanations follow it). */
  readonly age?: 'older' | 'newer';
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
  readonly #matchers = new Map<KconfigModel, RenameMatcher>();

  private constructor(label: string, load: () => KconfigModel | undefined, options: OtherTreeOptions) {
    this.label = label;
    this.#load = load;
    this.explicit = options.explicit ?? false;
    this.age = options.age;
  }

  /** A tree loaded on first use; `load` returns undefined when the tree cannot be read. */
  static lazy(label: string, load: () => KconfigModel | undefined, options: OtherTreeOptions = {}): OtherTree {
    return new OtherTree(label, load, options);
  }

  /** A tree already in memory (labelled with its `mainmenu` unless told otherwise). */
  static of(model: KconfigModel, label = model.mainmenu, options: OtherTreeOptions = { explicit: true }): OtherTree {
    return new OtherTree(label, () => model, options);
  }

  /** True once the model was read (or tried). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** The model, loading it on the first call. */
  model(): KconfigModel | undefined {
    if (!this.#loaded) {
      this.#model = this.#load();
      this.#loaded = true;
    }
    return this.#model;
  }

  /** The matcher from this tree into `to` (the checked tree), built once per `to`. */
  matcherInto(to: KconfigModel): RenameMatcher | undefined {
    const from = this.model();
    if (!from) return undefined;
    let m = this.#matchers.get(to);
    if (!m) this.#matchers.set(to, (m = RenameMatcher.build(from, to)));
    return m;
  }
}
