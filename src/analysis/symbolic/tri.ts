/**
 * Three-valued matching: whether a rule matches every member of a symbolic region (`yes`), none (`no`), or
 * possibly some (`maybe`), because the region stands for pods and namespaces whose labels are unknown.
 */

/** `yes`: every member of the region matches; `no`: none does; `maybe`: the analysis cannot tell. */
export type Tri = 'yes' | 'no' | 'maybe';

/** Both hold. */
export function and3(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'maybe';
}

/** Either holds. */
export function or3(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  return a === 'no' && b === 'no' ? 'no' : 'maybe';
}

/** `yes` when `always`, `no` when `never`, else `maybe` (`always` wins when both hold, e.g. for an empty region). */
export function tri(always: boolean, never: boolean): Tri {
  return always ? 'yes' : never ? 'no' : 'maybe';
}
