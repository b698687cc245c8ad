/**
 * The symbolic evaluator: NetworkPolicies (additive, `maybe` counts), and first-match tiers around them
 * (`maybe` Deny ignored, `maybe` Allow allows and continues, `maybe` Pass takes both branches).
 */
import {
  buildModel, ENTIRE_CLUSTER, firstMatch, PodsRegion, podsOfNamespace, Region, Selector, SymbolicEvaluator, SymPorts, SymbolicTierRule, Tiers, Tri,
} from '../../../src/analysis';
import { Model } from '../../../src/analysis/model';
import { netpol, ns } from '../helpers';

const tcp = (...ports: number[]) => SymPorts.of(ports.map((port) => ({ protocol: 'TCP' as const, port })), 'unknown');
const ext: Region = { kind: 'external', ranges: [{ start: 0, end: 0xffffffff }] };
const byName = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });

function tierRule(action: SymbolicTierRule['action'], subject: Tri, peer: Tri, ports: SymPorts = SymPorts.ALL, regions: Region[] = [ENTIRE_CLUSTER]): SymbolicTierRule {
  return { id: `${action}-${subject}-${peer}`, action, subject: () => subject, peer: () => peer, regions: () => regions, ports: () => ports };
}

// Built before each test, not at load time: an error there would fail the whole file (mutation testing reports
// that as a runtime error of every mutant, not as a test that kills it).
let model: Model;
let ev: SymbolicEvaluator;
beforeEach(() => {
  model = buildModel([
    ns('a'), ns('b'),
    netpol('a', 'iso', {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [byName('b')], ports: [{ port: 80 }] }, { from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ port: 443 }] }, { from: [{ podSelector: {} }], ports: [{ port: 'http' }] }],
      egress: [{ to: [byName('b')], ports: [{ port: 'db' }] }, { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'db' }, { port: 8443 }] }],
    }),
    netpol('b', 'web-only', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
  ]);
  ev = new SymbolicEvaluator(model);
});
const A = podsOfNamespace('a');
const B = podsOfNamespace('b');

describe('NetworkPolicies', () => {
  test('isolation: yes when a policy selects every pod, maybe when some, no when none', () => {
    expect(ev.isolation('ingress', A)).toBe('yes');
    expect(ev.isolation('egress', A)).toBe('yes');
    expect(ev.isolation('ingress', B)).toBe('maybe');
    expect(ev.isolation('egress', B)).toBe('no');
    expect(ev.isolation('ingress', podsOfNamespace('c'))).toBe('no');
    expect(ev.isolation('ingress', { kind: 'pods', namespaces: { selector: Selector.ALL }, pods: { labels: { app: 'web' } } })).toBe('maybe');
  });

  test('selecting: the policies of the subject\'s namespaces, or of every namespace when they are not pinned', () => {
    expect(ev.selecting('ingress', A).map((s) => [s.policy.id, s.selects])).toEqual([['a/iso', 'yes']]);
    expect(ev.selecting('ingress', ENTIRE_CLUSTER).map((s) => [s.policy.id, s.selects])).toEqual([['a/iso', 'maybe'], ['b/web-only', 'maybe']]);
    expect(ev.selecting('ingress', { kind: 'pods', namespaces: { selector: Selector.ALL }, pods: { labels: { app: 'db' } } })).toEqual([{ policy: model.policies[0], selects: 'maybe' }]);
  });

  test('possible counts maybe matches; uniform only sure ones', () => {
    const v = ev.evaluate('ingress', A, B);
    expect(v.possible.toString()).toBe('TCP 80,443');
    expect(v.uniform.toString()).toBe('TCP 80');
    expect(ev.evaluate('ingress', A, ext).possible).toBe(SymPorts.NONE);
    expect(ev.evaluate('ingress', A, A).possible.toString()).toBe('TCP 443,TCP port named http');
  });

  test('possible and uniform alone are the two halves of evaluate', () => {
    expect(ev.possible('ingress', A, B).toString()).toBe('TCP 80,443');
    expect(ev.uniform('ingress', A, B).toString()).toBe('TCP 80');
  });

  test('a rule without peers surely matches everything', () => {
    const open = new SymbolicEvaluator(buildModel([netpol('c', 'open', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })]));
    expect(open.uniform('ingress', podsOfNamespace('c'), ENTIRE_CLUSTER).toString()).toBe('TCP 80');
    expect(open.uniform('ingress', podsOfNamespace('c'), ext).toString()).toBe('TCP 80');
  });

  test('one policy selecting every pod isolates them, whatever other policies select', () => {
    const m = buildModel([
      netpol('c', 'all', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
      netpol('c', 'some', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{ from: [byName('d')], ports: [{ port: 80 }] }] }),
    ]);
    const e = new SymbolicEvaluator(m);
    expect(e.possible('ingress', podsOfNamespace('c'), podsOfNamespace('d')).toString()).toBe('TCP 80');
    expect(e.possible('ingress', podsOfNamespace('c'), ext)).toBe(SymPorts.NONE);
  });

  test('an unisolated subject admits everything; a partly isolated one may, but surely only its rules', () => {
    expect(ev.evaluate('egress', B, A)).toEqual({ possible: SymPorts.ALL, uniform: SymPorts.ALL });
    const v = ev.evaluate('ingress', B, A);
    expect(v.possible).toBe(SymPorts.ALL);
    expect(v.uniform).toBe(SymPorts.NONE);
  });

  test('named ports resolve at the destination: the subject for ingress, the peer for egress', () => {
    const known: PodsRegion = { ...A, pods: { labels: { app: 'web' } }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] };
    expect(ev.evaluate('ingress', known, A).uniform.toString()).toBe('TCP 8080');
    expect(ev.evaluate('egress', A, B).possible.toString()).toBe('TCP port named db');
    expect(ev.evaluate('egress', A, { ...B, ports: [{ name: 'db', port: 5432, protocol: 'TCP' }] }).possible.toString()).toBe('TCP 5432');
    expect(ev.evaluate('egress', A, { kind: 'external', ranges: [{ start: 0xcb007100, end: 0xcb0071ff }] }).possible.toString()).toBe('TCP 8443');
  });

  test('candidates: the peers of the rules that may apply, everything when the subject may be open', () => {
    const c = ev.candidates('ingress', A).map((x) => [x.source.kind, x.source.kind === 'rule' ? `${x.source.rule}/${x.source.peer}` : '', x.region.kind]);
    expect(c).toEqual([['rule', '0/0', 'pods'], ['rule', '1/0', 'pods'], ['rule', '2/0', 'pods']]);
    const open = ev.candidates('ingress', B).map((x) => [x.source.kind, x.source.kind === 'rule' ? `${x.source.rule}/${x.source.peer}` : '', x.region.kind]);
    expect(open).toEqual([['rule', '0/undefined', 'pods'], ['rule', '0/undefined', 'external'], ['unisolated', '', 'pods'], ['unisolated', '', 'external']]);
  });
});

describe('first-match tiers', () => {
  const run = (rules: SymbolicTierRule[], mode: 'possible' | 'uniform' = 'possible', pending: SymPorts = SymPorts.ALL) => {
    const r = firstMatch(rules, A, B, 'unknown', pending, mode);
    return [r.allowed.toString(), r.next.toString()];
  };

  test.each<[string, SymbolicTierRule[], string, string[]]>([
    ['Allow yes decides', [tierRule('Allow', 'yes', 'yes'), tierRule('Deny', 'yes', 'yes')], 'possible', ['All Connections', 'No Connections']],
    ['Allow maybe allows and continues', [tierRule('Allow', 'yes', 'maybe', tcp(80)), tierRule('Deny', 'yes', 'yes')], 'possible', ['TCP 80', 'No Connections']],
    ['Allow maybe, uniform: only continues', [tierRule('Allow', 'maybe', 'yes', tcp(80))], 'uniform', ['No Connections', 'All Connections']],
    ['Allow with an unsure subject', [tierRule('Allow', 'maybe', 'yes')], 'possible', ['All Connections', 'All Connections']],
    ['Deny yes decides', [tierRule('Deny', 'yes', 'yes'), tierRule('Allow', 'yes', 'yes')], 'possible', ['No Connections', 'No Connections']],
    ['Deny maybe does not match', [tierRule('Deny', 'yes', 'maybe'), tierRule('Allow', 'yes', 'yes', tcp(80))], 'possible', ['TCP 80', 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535']],
    ['Deny on some ports', [tierRule('Deny', 'yes', 'yes', tcp(80)), tierRule('Allow', 'yes', 'yes')], 'possible', ['SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535', 'No Connections']],
    ['Pass yes skips the rest of the tier', [tierRule('Pass', 'yes', 'yes', tcp(22)), tierRule('Deny', 'yes', 'yes')], 'possible', ['No Connections', 'TCP 22']],
    ['Pass maybe: both branches', [tierRule('Pass', 'yes', 'maybe', tcp(22)), tierRule('Deny', 'yes', 'yes')], 'possible', ['No Connections', 'TCP 22']],
    ['Pass maybe then Allow: both', [tierRule('Pass', 'maybe', 'yes', tcp(22)), tierRule('Allow', 'yes', 'yes', tcp(22, 80))], 'possible', ['TCP 22,80', 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535']],
    ['a subject that does not match skips the rule', [tierRule('Deny', 'no', 'yes'), tierRule('Allow', 'yes', 'no'), tierRule('Allow', 'yes', 'yes', tcp(443))], 'possible', ['TCP 443', 'SCTP 1-65535,TCP 1-442,444-65535,UDP 1-65535']],
    ['nothing matches: everything goes on', [], 'possible', ['No Connections', 'All Connections']],
  ])('%s', (_name, rules, mode, want) => {
    expect(run(rules, mode as 'possible' | 'uniform')).toEqual(want);
  });

  test('rules only see what is still pending; nothing pending stops the tier', () => {
    expect(run([tierRule('Allow', 'yes', 'yes', tcp(80))], 'possible', tcp(443))).toEqual(['No Connections', 'TCP 443']);
    let asked = false;
    const probe: SymbolicTierRule = { ...tierRule('Allow', 'yes', 'yes'), subject: () => { asked = true; return 'yes'; } };
    expect(run([tierRule('Deny', 'yes', 'yes'), probe])).toEqual(['No Connections', 'No Connections']);
    expect(asked).toBe(false);
  });
});

describe('tiers around NetworkPolicies', () => {
  const withTiers = (ingress: Partial<Tiers>) => new SymbolicEvaluator(model, model.podNetworks, {
    ingress: { admin: [], baseline: [], ...ingress }, egress: { admin: [], baseline: [] },
  });

  test('an admin Deny beats a NetworkPolicy allow; an unsure one does not', () => {
    expect(withTiers({ admin: [tierRule('Deny', 'yes', 'yes')] }).evaluate('ingress', A, B).possible).toBe(SymPorts.NONE);
    expect(withTiers({ admin: [tierRule('Deny', 'yes', 'maybe')] }).evaluate('ingress', A, B).possible.toString()).toBe('TCP 80,443');
  });

  test('an admin Allow beats NetworkPolicy isolation', () => {
    expect(withTiers({ admin: [tierRule('Allow', 'yes', 'yes', tcp(22))] }).evaluate('ingress', A, B).uniform.toString()).toBe('TCP 22,80');
  });

  test('an admin Pass defers to NetworkPolicies, and to the baseline where none selects the pods', () => {
    const deny = tierRule('Deny', 'yes', 'yes');
    const pass = tierRule('Pass', 'yes', 'yes');
    expect(withTiers({ admin: [pass, deny] }).evaluate('ingress', A, B).possible.toString()).toBe('TCP 80,443');
    expect(withTiers({ admin: [pass], baseline: [deny] }).evaluate('ingress', podsOfNamespace('c'), B).possible).toBe(SymPorts.NONE);
  });

  test('a baseline Deny is overridden by any NetworkPolicy that selects the pods; else it applies', () => {
    const deny = tierRule('Deny', 'yes', 'yes');
    expect(withTiers({ baseline: [deny] }).evaluate('ingress', A, B).possible.toString()).toBe('TCP 80,443');
    expect(withTiers({ baseline: [deny] }).evaluate('ingress', podsOfNamespace('c'), B)).toEqual({ possible: SymPorts.NONE, uniform: SymPorts.NONE });
    expect(withTiers({ baseline: [tierRule('Allow', 'yes', 'yes', tcp(53)), deny] }).evaluate('ingress', podsOfNamespace('c'), B).possible.toString()).toBe('TCP 53');
  });

  test('tiersMayApply: a cluster-wide rule whose subject may include the pods', () => {
    expect(withTiers({ admin: [tierRule('Deny', 'no', 'yes')] }).tiersMayApply('ingress', A)).toBe(false);
    expect(withTiers({ baseline: [tierRule('Deny', 'no', 'yes'), tierRule('Deny', 'maybe', 'no')] }).tiersMayApply('ingress', A)).toBe(true);
    expect(withTiers({ admin: [tierRule('Deny', 'yes', 'yes')] }).tiersMayApply('egress', A)).toBe(false);
    expect(ev.tiersMayApply('ingress', A)).toBe(false);
  });

  test('possible and uniform differ on an unsure Allow', () => {
    const e = withTiers({ admin: [tierRule('Allow', 'yes', 'maybe', tcp(22))] });
    expect(e.possible('ingress', A, B).toString()).toBe('TCP 22,80,443');
    expect(e.evaluate('ingress', A, B).possible.toString()).toBe('TCP 22,80,443');
    expect(e.uniform('ingress', A, B).toString()).toBe('TCP 80');
  });

  test('candidates: allow and pass rules of both tiers, in order, never deny rules or rules whose subject is elsewhere', () => {
    const e = withTiers({
      admin: [tierRule('Deny', 'yes', 'yes'), tierRule('Allow', 'yes', 'yes', SymPorts.ALL, [ext]), tierRule('Pass', 'maybe', 'yes'), tierRule('Allow', 'no', 'yes')],
      baseline: [tierRule('Allow', 'yes', 'yes', SymPorts.ALL, [B])],
    });
    expect(e.candidates('ingress', A).map((c) => (c.source.kind === 'tier' ? c.source.rule.id : c.source.kind))).toEqual(['Allow-yes-yes', 'Pass-maybe-yes', 'rule', 'rule', 'rule', 'Allow-yes-yes']);
  });
});
