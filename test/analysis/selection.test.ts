/**
 * `Selection` (selection.ts): the namespaces and workloads a selector selects, in order, through label indexes
 * and caches that scan only the candidates a pinned label leaves (`scanned` counts the work).
 */
import { buildModel, parseSelector } from '../../src/analysis';
import { Selection } from '../../src/analysis/selection';
import { deploy, ns, pod } from './helpers';

const sel = (raw: object) => parseSelector(raw, 'sel');

/** Namespaces a (team=x), b (team=y), c (team=x), d (no Namespace object); pods with app labels. */
function selection(): { s: Selection; id: (i: number) => string } {
  const m = buildModel([
    ns('a', { team: 'x' }), ns('b', { team: 'y' }), ns('c', { team: 'x' }),
    pod('a', 'p1', { app: 'web' }), pod('a', 'p2', { app: 'db' }), pod('b', 'p3', { app: 'web' }), pod('c', 'p4', { app: 'api' }),
    deploy('c', 'p5', { app: 'web' }), pod('d', 'p6', { app: 'web' }),
  ]);
  return { s: new Selection(m), id: (i) => m.workloads[i].id };
}

describe('namespaces', () => {
  test('a selector without a pinned label scans every namespace, sorted by name (those with workloads only included)', () => {
    const { s } = selection();
    expect(s.namespaces(sel({}))).toEqual(['a', 'b', 'c', 'd']);
    expect(s.scanned).toBe(4);
    expect(s.namespaces(sel({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }))).toEqual(['a', 'b', 'c']);
  });

  test('a pinned label scans only its namespaces (the smallest bucket of its In values)', () => {
    const { s } = selection();
    expect(s.namespaces(sel({ matchLabels: { team: 'x' } }))).toEqual(['a', 'c']);
    expect(s.scanned).toBe(2);
    expect(s.namespaces(sel({ matchLabels: { team: 'x', 'kubernetes.io/metadata.name': 'c' } }))).toEqual(['c']);
    expect(s.scanned).toBe(3);
    expect(s.namespaces(sel({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['b', 'd'] }, { key: 'team', operator: 'NotIn', values: ['q'] }] }))).toEqual(['b', 'd']);
    expect(s.scanned).toBe(5);
    expect(s.namespaces(sel({ matchLabels: { team: 'none' } }))).toEqual([]);
    expect(s.scanned).toBe(5);
  });

  test('the answer for a selector is computed once', () => {
    const { s } = selection();
    const first = s.namespaces(sel({ matchLabels: { team: 'x' } }));
    expect(s.namespaces(sel({ matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] }))).toBe(first);
    expect(s.scanned).toBe(2);
  });
});

describe('pods', () => {
  test('a podSelector only: the policy\'s namespace', () => {
    const { s, id } = selection();
    expect(s.pods('a', sel({}), undefined).map(id)).toEqual(['a/p1[Pod]', 'a/p2[Pod]']);
    expect(s.pods('a', undefined, undefined).map(id)).toEqual(['a/p1[Pod]', 'a/p2[Pod]']);
    expect(s.pods('nowhere', undefined, undefined)).toEqual([]);
  });

  test('namespace and pod selectors together, sorted by workload', () => {
    const { s, id } = selection();
    expect(s.pods(undefined, sel({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }), sel({ matchLabels: { team: 'x' } })).map(id))
      .toEqual(['a/p1[Pod]', 'c/p4[Pod]', 'c/p5[Deployment]']);
  });

  test('the smaller of the pinned pod label\'s bucket and the namespaces\' workloads is scanned', () => {
    const { s, id } = selection();
    // every namespace (6 workloads) against app=api (1 workload): the bucket
    expect(s.pods(undefined, sel({ matchLabels: { app: 'api' } }), sel({})).map(id)).toEqual(['c/p4[Pod]']);
    expect(s.scanned).toBe(4 + 1);
    // namespace a (2 workloads) against app=web (4 workloads): the namespace
    expect(s.pods('a', sel({ matchLabels: { app: 'web' } }), undefined).map(id)).toEqual(['a/p1[Pod]']);
    expect(s.scanned).toBe(5 + 2);
  });

  test('a bucket of several values is sorted by workload', () => {
    const { s, id } = selection();
    expect(s.pods(undefined, sel({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }), sel({ matchLabels: { team: 'x' } })).map(id))
      .toEqual(['a/p1[Pod]', 'c/p4[Pod]', 'c/p5[Deployment]']);
  });

  test('the answer for a pair of selectors is computed once; the policy namespace is part of the question', () => {
    const { s } = selection();
    const first = s.pods('a', sel({ matchLabels: { app: 'web' } }), undefined);
    const scanned = s.scanned;
    expect(s.pods('a', sel({ matchLabels: { app: 'web' } }), undefined)).toBe(first);
    expect(s.scanned).toBe(scanned);
    expect(s.pods('b', sel({ matchLabels: { app: 'web' } }), undefined)).not.toEqual(first);
    expect(s.pods(undefined, sel({ matchLabels: { app: 'web' } }), sel({ matchLabels: { 'kubernetes.io/metadata.name': 'a' } }))).toEqual(first);
  });
});

describe('pods through a label bucket (survivors of the mutation run)', () => {
  /** Namespace m with many workloads, so that a label bucket costs less than scanning the namespace. */
  function crowded(): { s: Selection; ids: (l: number[]) => string[] } {
    const m = buildModel([
      ns('m'),
      pod('m', 'w0', { app: 'b' }), pod('m', 'w1', { app: 'a' }), pod('m', 'w2', { app: 'c', tier: 'x' }),
      pod('m', 'w3', { app: 'd', tier: 'x' }), pod('m', 'w4', { app: 'e', tier: 'x' }), pod('m', 'w5', { app: 'f', tier: 'x' }),
    ]);
    return { s: new Selection(m), ids: (l) => l.map((i) => m.workloads[i].name) };
  }

  test('GIVEN an In of several values WHEN its bucket is scanned THEN the indexes come sorted, not in value order', () => {
    const { s } = crowded();
    // app=b is w0 and app=a is w1: the bucket of `app in (b, a)` is their concatenation, w1 then w0 (values sorted).
    expect(s.pods('m', sel({ matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }] }), undefined)).toEqual([0, 1]);
    expect(s.scanned).toBe(2);
  });

  test('GIVEN an In value no workload carries THEN the bucket holds the others only', () => {
    const { s, ids } = crowded();
    expect(ids(s.pods('m', sel({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'zzz'] }] }), undefined))).toEqual(['w1']);
    expect(s.scanned).toBe(1);
  });

  test('GIVEN two pinned keys THEN the smaller bucket is scanned, whichever comes first', () => {
    const { s, ids } = crowded();
    // tier=x has 4 workloads, app=c one: only app=c's bucket is scanned.
    expect(ids(s.pods('m', sel({ matchLabels: { app: 'c', tier: 'x' } }), undefined))).toEqual(['w2']);
    expect(s.scanned).toBe(1);
    const again = crowded();
    expect(again.ids(again.s.pods('m', sel({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }, { key: 'app', operator: 'In', values: ['d'] }] }), undefined))).toEqual(['w3']);
    expect(again.s.scanned).toBe(1);
  });
});

test('GIVEN a namespace known only by a workload that sorts before the Namespace objects THEN namespaces are still sorted by name', () => {
  const s = new Selection(buildModel([ns('b'), pod('a', 'p', { app: 'web' })]));
  expect(s.namespaces(sel({}))).toEqual(['a', 'b']);
});
