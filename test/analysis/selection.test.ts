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
