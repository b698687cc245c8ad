/**
 * The index of tier rules by the namespaces their subject pins (`rulesFor`): a subject pinned to namespace N is
 * evaluated against the rules that pin N and the rules that pin nothing, in their original order; the others
 * surely do not select it. Without it, one Admin-tier policy per tenant made the check quadratic in tenants.
 */
import { ENTIRE_CLUSTER, parseSelector, PodsRegion, podsOfNamespace, rulesFor, SymbolicTierRule } from '../../../src/analysis';

function rule(id: string, subjectNamespaces?: string[]): SymbolicTierRule {
  return { id, action: 'Deny', subjectNamespaces, subject: () => 'yes', peer: () => 'yes', regions: () => [], ports: () => { throw new Error('not asked'); } };
}

const RULES = [rule('a1', ['a']), rule('any1'), rule('b1', ['b']), rule('ab', ['a', 'b']), rule('none', []), rule('any2'), rule('a2', ['a', 'a'])];
const ids = (rules: readonly SymbolicTierRule[]) => rules.map((r) => r.id);

describe('rulesFor', () => {
  test('GIVEN a subject pinned to one namespace THEN its rules and the unpinned ones, in order', () => {
    expect(ids(rulesFor(RULES, podsOfNamespace('a')))).toEqual(['a1', 'any1', 'ab', 'any2', 'a2']);
    expect(ids(rulesFor(RULES, podsOfNamespace('b')))).toEqual(['any1', 'b1', 'ab', 'any2']);
    expect(ids(rulesFor(RULES, podsOfNamespace('c')))).toEqual(['any1', 'any2']);
  });

  test('GIVEN a subject pinned to several namespaces THEN the rules of each, once, in order', () => {
    const ab: PodsRegion = { kind: 'pods', namespaces: { selector: parseSelector({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['b', 'a'] }] }, 'x') }, pods: ENTIRE_CLUSTER.pods };
    expect(ids(rulesFor(RULES, ab))).toEqual(['a1', 'any1', 'b1', 'ab', 'any2', 'a2']);
  });

  test('GIVEN a known namespace (labels) THEN pinned by its name label', () => {
    const known: PodsRegion = { kind: 'pods', namespaces: { labels: { 'kubernetes.io/metadata.name': 'b', team: 'x' } }, pods: { labels: {} } };
    expect(ids(rulesFor(RULES, known))).toEqual(['any1', 'b1', 'ab', 'any2']);
  });

  test('GIVEN a subject not pinned by name THEN every rule, to be matched one by one', () => {
    expect(rulesFor(RULES, ENTIRE_CLUSTER)).toBe(RULES);
    const byTeam: PodsRegion = { kind: 'pods', namespaces: { selector: parseSelector({ matchLabels: { team: 'x' } }, 'x') }, pods: ENTIRE_CLUSTER.pods };
    expect(rulesFor(RULES, byTeam)).toBe(RULES);
    const nameless: PodsRegion = { kind: 'pods', namespaces: { labels: { team: 'x' } }, pods: { labels: {} } };
    expect(rulesFor(RULES, nameless)).toBe(RULES);
  });
});
