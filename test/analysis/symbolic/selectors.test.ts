/**
 * Reasoning over label selectors: satisfiability and implication are exact for Kubernetes selectors.
 */
import {
  ANY_LABELS, implies, matchSpace, NAMESPACE_KEYS, namespacesExcept, namespacesNamed, negate, Requirement, satisfiable, Selector, spaceWithin,
} from '../../../src/analysis';

const r = (key: string, operator: Requirement['operator'], ...values: string[]): Requirement => ({ key, operator, values });
const sel = (...reqs: Requirement[]) => new Selector(reqs);
const A = new Set(['a']);

describe('satisfiable', () => {
  test.each<[string, Requirement[], boolean]>([
    ['nothing', [], true],
    ['In x and In y', [r('a', 'In', 'x'), r('a', 'In', 'y')], false],
    ['In x,y and In y', [r('a', 'In', 'x', 'y'), r('a', 'In', 'y')], true],
    ['In x and NotIn x', [r('a', 'In', 'x'), r('a', 'NotIn', 'x')], false],
    ['In x,y and NotIn x', [r('a', 'In', 'x', 'y'), r('a', 'NotIn', 'x')], true],
    ['NotIn x alone (the label may be absent)', [r('a', 'NotIn', 'x')], true],
    ['Exists and DoesNotExist', [r('a', 'Exists'), r('a', 'DoesNotExist')], false],
    ['Exists and NotIn x (another value)', [r('a', 'Exists'), r('a', 'NotIn', 'x')], true],
    ['In x and DoesNotExist', [r('a', 'In', 'x'), r('a', 'DoesNotExist')], false],
    ['DoesNotExist and NotIn x', [r('a', 'DoesNotExist'), r('a', 'NotIn', 'x')], true],
    ['keys are independent', [r('a', 'In', 'x'), r('b', 'DoesNotExist'), r('c', 'Exists')], true],
    ['one unsatisfiable key is enough', [r('a', 'In', 'x'), r('b', 'Exists'), r('b', 'DoesNotExist')], false],
  ])('%s', (_name, reqs, want) => {
    expect(satisfiable(reqs)).toBe(want);
  });

  test('an empty value is a value like any other', () => {
    expect(satisfiable([r('a', 'NotIn', '')], A)).toBe(true);
    expect(satisfiable([r('a', 'In', ''), r('a', 'NotIn', 'x')])).toBe(true);
    expect(satisfiable([r('a', 'In', ''), r('a', 'NotIn', '')])).toBe(false);
  });

  test('a key that is always present cannot be absent', () => {
    expect(satisfiable([r('a', 'DoesNotExist')], A)).toBe(false);
    expect(satisfiable([r('a', 'NotIn', 'x')], A)).toBe(true);
    expect(satisfiable([r('a', 'In', 'x'), r('a', 'NotIn', 'x')], A)).toBe(false);
    expect(satisfiable([r('b', 'DoesNotExist')], A)).toBe(true);
  });
});

test('negate turns each operator into its complement, keeping the values', () => {
  expect([r('a', 'In', 'x'), r('a', 'NotIn', 'x'), r('a', 'Exists'), r('a', 'DoesNotExist')].map(negate)).toEqual([
    r('a', 'NotIn', 'x'), r('a', 'In', 'x'), r('a', 'DoesNotExist'), r('a', 'Exists'),
  ]);
});

describe('implies', () => {
  test.each<[string, Selector, Selector, boolean]>([
    ['anything implies {}', sel(r('a', 'In', 'x')), Selector.ALL, true],
    ['{} implies only {}', Selector.ALL, sel(r('a', 'Exists')), false],
    ['In x implies Exists', sel(r('a', 'In', 'x')), sel(r('a', 'Exists')), true],
    ['Exists does not imply In x', sel(r('a', 'Exists')), sel(r('a', 'In', 'x')), false],
    ['In x implies In x,y', sel(r('a', 'In', 'x')), sel(r('a', 'In', 'x', 'y')), true],
    ['In x,y does not imply In x', sel(r('a', 'In', 'x', 'y')), sel(r('a', 'In', 'x')), false],
    ['In x implies NotIn y', sel(r('a', 'In', 'x')), sel(r('a', 'NotIn', 'y')), true],
    ['NotIn x,y implies NotIn x', sel(r('a', 'NotIn', 'x', 'y')), sel(r('a', 'NotIn', 'x')), true],
    ['DoesNotExist implies NotIn x', sel(r('a', 'DoesNotExist')), sel(r('a', 'NotIn', 'x')), true],
    ['more requirements imply fewer', sel(r('a', 'In', 'x'), r('b', 'In', 'y')), sel(r('b', 'In', 'y')), true],
    ['fewer do not imply more', sel(r('b', 'In', 'y')), sel(r('a', 'In', 'x'), r('b', 'In', 'y')), false],
    ['an unsatisfiable selector implies everything', sel(r('a', 'Exists'), r('a', 'DoesNotExist')), sel(r('b', 'In', 'z')), true],
  ])('%s', (_name, a, b, want) => {
    expect(implies(a, b)).toBe(want);
  });

  test('with an always-present key, NotIn x implies Exists', () => {
    expect(implies(sel(r('a', 'NotIn', 'x')), sel(r('a', 'Exists')))).toBe(false);
    expect(implies(sel(r('a', 'NotIn', 'x')), sel(r('a', 'Exists')), A)).toBe(true);
  });
});

describe('matchSpace', () => {
  test('known labels: yes or no', () => {
    expect(matchSpace(sel(r('app', 'In', 'web')), { labels: { app: 'web', x: 'y' } })).toBe('yes');
    expect(matchSpace(sel(r('app', 'In', 'web')), { labels: { app: 'db' } })).toBe('no');
  });

  test('a selector space: yes when implied, no when disjoint, else maybe', () => {
    expect(matchSpace(sel(r('app', 'Exists')), { selector: sel(r('app', 'In', 'web')) })).toBe('yes');
    expect(matchSpace(sel(r('app', 'In', 'db')), { selector: sel(r('app', 'In', 'web')) })).toBe('no');
    expect(matchSpace(sel(r('team', 'In', 'a')), { selector: sel(r('app', 'In', 'web')) })).toBe('maybe');
    expect(matchSpace(Selector.ALL, ANY_LABELS)).toBe('yes');
    expect(matchSpace(sel(r('app', 'DoesNotExist')), ANY_LABELS)).toBe('maybe');
  });

  test('namespaces always carry their name', () => {
    const any = { selector: Selector.ALL };
    expect(matchSpace(sel(r('kubernetes.io/metadata.name', 'Exists')), any, NAMESPACE_KEYS)).toBe('yes');
    expect(matchSpace(sel(r('kubernetes.io/metadata.name', 'DoesNotExist')), any, NAMESPACE_KEYS)).toBe('no');
    expect(matchSpace(namespacesNamed(['a']), { selector: namespacesExcept(['a']) }, NAMESPACE_KEYS)).toBe('no');
  });
});

test('namespacesNamed and namespacesExcept pin by name, sorted and unique', () => {
  expect(namespacesNamed(['b', 'a', 'b']).requirements).toEqual([r('kubernetes.io/metadata.name', 'In', 'a', 'b')]);
  expect(namespacesExcept(['b', 'a', 'a']).requirements).toEqual([r('kubernetes.io/metadata.name', 'NotIn', 'a', 'b')]);
  expect(namespacesExcept([])).toBe(Selector.ALL);
});

describe('spaceWithin', () => {
  test('known labels are within the same labels only, or within a selector they match', () => {
    expect(spaceWithin({ labels: { a: 'x' } }, { labels: { a: 'x' } })).toBe(true);
    expect(spaceWithin({ labels: { a: 'x' } }, { labels: { a: 'y' } })).toBe(false);
    expect(spaceWithin({ labels: { a: 'x' } }, { labels: { a: 'x', b: 'y' } })).toBe(false);
    expect(spaceWithin({ labels: { a: 'x', b: 'y' } }, { labels: { a: 'x', c: 'y' } })).toBe(false);
    expect(spaceWithin({ labels: { a: 'x' } }, { selector: sel(r('a', 'Exists')) })).toBe(true);
    expect(spaceWithin({ labels: { b: 'x' } }, { selector: sel(r('a', 'Exists')) })).toBe(false);
  });

  test('a selector is within known labels never, within a selector it implies', () => {
    expect(spaceWithin({ selector: sel(r('a', 'In', 'x')) }, { labels: { a: 'x' } })).toBe(false);
    expect(spaceWithin({ selector: sel(r('a', 'In', 'x')) }, { selector: sel(r('a', 'Exists')) })).toBe(true);
    expect(spaceWithin({ selector: sel(r('a', 'Exists')) }, { selector: sel(r('a', 'In', 'x')) })).toBe(false);
  });
});
