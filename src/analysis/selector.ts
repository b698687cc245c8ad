/**
 * Kubernetes label selectors: `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist).
 */

/** Labels of a pod or namespace. */
export type Labels = Readonly<Record<string, string>>;

/** The operators of a `matchExpressions` entry. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One requirement of a selector; `matchLabels` entries become `In` with one value. */
export interface Requirement {
  /** Label key. */
  readonly key: string;
  /** Operator. */
  readonly operator: SelectorOperator;
  /** Values (sorted); empty for Exists and DoesNotExist. */
  readonly values: readonly string[];
}

const TEXT: Record<SelectorOperator, (r: Requirement) => string> = {
  In: (r) => (r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`),
  NotIn: (r) => `${r.key} notin (${r.values.join(',')})`,
  Exists: (r) => r.key,
  DoesNotExist: (r) => `!${r.key}`,
};

/**
 * A parsed label selector. All requirements must hold (AND); no requirement selects everything.
 */
export class Selector {
  /** The selector that selects everything (`{}`). */
  public static readonly ALL = new Selector([]);

  /** A canonical text for the selector, equal for equivalent spellings. */
  public readonly key: string;

  constructor(public readonly requirements: readonly Requirement[]) {
    // JSON: unambiguous whatever the keys and values contain.
    this.key = requirements.length === 0 ? '' : JSON.stringify(requirements.map((r) => JSON.stringify([r.key, r.operator, r.values])).sort());
  }

  /** Whether the selector has no requirement and so selects everything. */
  public isAll(): boolean {
    return this.requirements.length === 0;
  }

  /** Whether `labels` satisfy every requirement. */
  public matches(labels: Labels): boolean {
    for (const r of this.requirements) {
      const v = Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined;
      switch (r.operator) {
        // `values` holds strings only: an absent label (undefined) is in none of them.
        case 'In': if (!r.values.includes(v as string)) return false; break;
        case 'NotIn': if (r.values.includes(v as string)) return false; break;
        case 'Exists': if (v === undefined) return false; break;
        case 'DoesNotExist': if (v !== undefined) return false; break;
      }
    }
    return true;
  }

  /**
   * The values `key` must take for the selector to match (from `matchLabels` or `In`): the values of its first
   * `In` on that key that every requirement on the key accepts (so the intersection of several `In`); undefined
   * when the selector does not pin the key to a finite set.
   */
  public pinnedValues(key: string): string[] | undefined {
    const first = this.requirements.find((r) => r.key === key && r.operator === 'In');
    return first?.values.filter((v) => this.matchesValueOf(key, v));
  }

  /** The `matchLabels`-style requirements (In with exactly one value), as labels. */
  public exactLabels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of this.requirements) if (r.operator === 'In' && r.values.length === 1) out[r.key] = r.values[0];
    return out;
  }

  /** A short human text: `app=web,tier in (a,b),!debug`, or `{}` for everything. */
  public toString(): string {
    if (this.isAll()) return '{}';
    return this.requirements.map((r) => TEXT[r.operator](r)).join(',');
  }

  private matchesValueOf(key: string, value: string): boolean {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      if (r.operator === 'NotIn' && r.values.includes(value)) return false;
      if (r.operator === 'DoesNotExist') return false;
      if (r.operator === 'In' && !r.values.includes(value)) return false;
    }
    return true;
  }
}

function labelValue(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  throw new Error(`${what} must be a string, got ${JSON.stringify(v)}`);
}

/** Reads a labels map (`metadata.labels`); scalars are turned into strings. */
export function parseLabels(raw: unknown, what: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${what} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = labelValue(v, `${what}.${k}`);
  return out;
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Parses a LabelSelector. `null`/absent and `{}` select everything. Throws an Error naming `what` for an
 * unknown operator, `In`/`NotIn` without values, or values given to `Exists`/`DoesNotExist`.
 */
export function parseSelector(raw: unknown, what: string): Selector {
  if (raw === undefined || raw === null) return Selector.ALL;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${what} must be a label selector (a map)`);
  const sel = raw as Record<string, unknown>;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(parseLabels(sel.matchLabels, `${what}.matchLabels`))) reqs.push({ key: k, operator: 'In', values: [v] });
  const exprs = sel.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) throw new Error(`${what}.matchExpressions must be a list`);
    exprs.forEach((e, i) => {
      const w = `${what}.matchExpressions[${i}]`;
      if (typeof e !== 'object' || e === null) throw new Error(`${w} must be a map with key and operator`);
      const { key, operator, values } = e as Record<string, unknown>;
      if (typeof key !== 'string' || key === '') throw new Error(`${w} has no key`);
      if (!OPERATORS.includes(operator as string)) {
        throw new Error(`${w} has unknown operator ${JSON.stringify(operator)}; use In, NotIn, Exists or DoesNotExist`);
      }
      const vals = values === undefined || values === null ? [] : values;
      if (!Array.isArray(vals)) throw new Error(`${w}.values must be a list`);
      const strs = vals.map((x, j) => labelValue(x, `${w}.values[${j}]`));
      if ((operator === 'In' || operator === 'NotIn') && strs.length === 0) throw new Error(`${w}: operator ${operator} needs at least one value`);
      if ((operator === 'Exists' || operator === 'DoesNotExist') && strs.length > 0) throw new Error(`${w}: operator ${operator} takes no values`);
      reqs.push({ key, operator: operator as SelectorOperator, values: [...new Set(strs)].sort() });
    });
  }
  return reqs.length === 0 ? Selector.ALL : new Selector(reqs);
}
