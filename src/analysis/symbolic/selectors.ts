/**
 * Reasoning over label selectors: whether some label set satisfies a conjunction of requirements, and whether
 * one selector implies another. Exact for Kubernetes selectors (In, NotIn, Exists, DoesNotExist): keys are
 * independent, and for one key a value satisfies all requirements iff one of the listed values or any other
 * value does.
 */
import { NAMESPACE_NAME_LABEL } from '../model';
import { Labels, Requirement, Selector } from '../selector';
import { Tri } from './tri';

/** Labels of one side of a symbolic region: known exactly (a workload's pods), or any labels a selector admits. */
export type LabelSpace = { readonly labels: Labels } | { readonly selector: Selector };

/** Every label space: any labels. */
export const ANY_LABELS: LabelSpace = { selector: Selector.ALL };

/** The keys every namespace carries (the API server sets `kubernetes.io/metadata.name`). */
export const NAMESPACE_KEYS: ReadonlySet<string> = new Set([NAMESPACE_NAME_LABEL]);

const NO_KEYS: ReadonlySet<string> = new Set();

/** A value that is none of the values a selector lists (label values cannot contain NUL). */
const OTHER_VALUE = '\u0000';

function holds(r: Requirement, v: string | undefined): boolean {
  const values: readonly (string | undefined)[] = r.values;
  switch (r.operator) {
    case 'In': return values.includes(v);
    case 'NotIn': return !values.includes(v);
    case 'Exists': return v !== undefined;
    default: return v === undefined; // DoesNotExist
  }
}

/** Whether some set of labels satisfies every requirement; keys in `present` always carry a value. */
export function satisfiable(reqs: readonly Requirement[], present: ReadonlySet<string> = NO_KEYS): boolean {
  for (const key of new Set(reqs.map((r) => r.key))) {
    const rs = reqs.filter((r) => r.key === key);
    if (!present.has(key) && rs.every((r) => holds(r, undefined))) continue;
    if (rs.every((r) => holds(r, OTHER_VALUE))) continue;
    if (!rs.some((s) => s.values.some((v) => rs.every((r) => holds(r, v))))) return false;
  }
  return true;
}

const NEGATION = { In: 'NotIn', NotIn: 'In', Exists: 'DoesNotExist', DoesNotExist: 'Exists' } as const;

/** The requirement that holds exactly where `r` does not. */
export function negate(r: Requirement): Requirement {
  return { key: r.key, operator: NEGATION[r.operator], values: r.values };
}

/** Whether every label set `a` selects is selected by `b`. */
export function implies(a: Selector, b: Selector, present: ReadonlySet<string> = NO_KEYS): boolean {
  return b.requirements.every((rb) => !satisfiable([...a.requirements, negate(rb)], present));
}

/** Whether `sel` selects every (`yes`), no (`no`) or possibly some (`maybe`) label set of `space`. */
export function matchSpace(sel: Selector, space: LabelSpace, present: ReadonlySet<string> = NO_KEYS): Tri {
  if ('labels' in space) return sel.matches(space.labels) ? 'yes' : 'no';
  if (sel.isAll() || space.selector.key === sel.key) return 'yes';
  if (implies(space.selector, sel, present)) return 'yes';
  return satisfiable([...space.selector.requirements, ...sel.requirements], present) ? 'maybe' : 'no';
}

const named = new Map<string, Selector>();

/** The selector `kubernetes.io/metadata.name in (names)`. */
export function namespacesNamed(names: readonly string[]): Selector {
  if (names.length !== 1) return new Selector([{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...new Set(names)].sort() }]);
  let sel = named.get(names[0]);
  if (!sel) named.set(names[0], sel = new Selector([{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [names[0]] }]));
  return sel;
}

/** The selector `kubernetes.io/metadata.name notin (names)`, or every namespace when `names` is empty. */
export function namespacesExcept(names: readonly string[]): Selector {
  if (names.length === 0) return Selector.ALL;
  return new Selector([{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...new Set(names)].sort() }]);
}

/** Whether every label set of `a` is in `b` (a sufficient test; exact for selector spaces). */
export function spaceWithin(a: LabelSpace, b: LabelSpace, present: ReadonlySet<string> = NO_KEYS): boolean {
  if ('labels' in b) return 'labels' in a && sameLabels(a.labels, b.labels);
  return matchSpace(b.selector, a, present) === 'yes';
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
