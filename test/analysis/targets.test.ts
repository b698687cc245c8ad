/**
 * What a rule's peers match, as the engine computes it once per rule (targets.ts), observed through the analysis:
 * several peers of one rule, the address space cut at a single address, selectors of every namespace, and the
 * levels towards a domain's addresses.
 */
import { analyze, buildModel } from '../../src/analysis';
import { Selection } from '../../src/analysis/selection';
import { TargetBuilder } from '../../src/analysis/targets';
import { ALL_NAMESPACES, anp, cnp, inNamespaces, netpol, pod, podsWith, reach } from './helpers';

const NONE = 'No Connections';
const ALL = 'All Connections';

test('a rule matches when any of its peers does, at the strongest level of them', () => {
  // networks 0.0.0.0/0 matches every pod (yes); 203.0.113.0/24 none (no); the Deny must deny for sure.
  const deny = (networks: string[][]) => reach([
    pod('a', 'client', { app: 'client' }), pod('b', 'web'),
    anp('x', 1, podsWith({ app: 'client' }), { egress: [{ action: 'Deny', to: networks.map((n) => ({ networks: n })) }] }),
  ]).c('a/client[Pod]', 'b/web[Pod]');
  expect(deny([['0.0.0.0/0'], ['203.0.113.0/24']])).toBe(NONE);
  expect(deny([['203.0.113.0/24'], ['0.0.0.0/0']])).toBe(NONE);
  expect(deny([['10.0.0.0/8'], ['203.0.113.0/24']])).toBe(ALL); // maybe: assumed not to deny
  expect(deny([['203.0.113.0/24'], ['10.0.0.0/8'], ['0.0.0.0/0'], ['198.51.100.0/24']])).toBe(NONE);
});

test('a single address is a segment of its own', () => {
  const { c } = reach([
    pod('a', 'web', { app: 'web' }),
    netpol('a', 'in', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.7/32' } }] }] }),
    netpol('a', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '198.51.100.9/32' } }] }] }),
  ]);
  expect(c('203.0.113.7', 'a/web[Pod]')).toBe(ALL);
  expect(c('203.0.113.6', 'a/web[Pod]')).toBe(NONE);
  expect(c('203.0.113.8', 'a/web[Pod]')).toBe(NONE);
  expect(c('a/web[Pod]', '198.51.100.9')).toBe(ALL);
  expect(c('a/web[Pod]', '198.51.100.10')).toBe(NONE);
});

test('namespaceSelector {} with a podSelector: those pods in every namespace, no others', () => {
  const { c } = reach([
    pod('a', 'web', { app: 'web' }), pod('b', 'mon', { role: 'monitoring' }), pod('c', 'other'),
    netpol('a', 'in', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'monitoring' } } }] }] }),
  ]);
  expect(c('b/mon[Pod]', 'a/web[Pod]')).toBe(ALL);
  expect(c('c/other[Pod]', 'a/web[Pod]')).toBe(NONE);
  const cluster = reach([
    pod('a', 'web', { app: 'web' }), pod('b', 'mon', { role: 'monitoring' }), pod('c', 'other'),
    anp('x', 1, inNamespaces('a'), { ingress: [{ action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { role: 'monitoring' } } } }] }] }),
  ]);
  expect(cluster.c('b/mon[Pod]', 'a/web[Pod]')).toBe(NONE);
  expect(cluster.c('c/other[Pod]', 'a/web[Pod]')).toBe(ALL);
});

test('towards a domain\'s addresses: an ipBlock with no address left never matches; one with addresses may', () => {
  const objects = (cidr: string, except: string[]) => [
    pod('a', 'client', { app: 'client' }), pod('b', 'other'),
    // A domain peer elsewhere makes example.com a Domain endpoint of the analysis.
    cnp('d', 'Admin', 1, inNamespaces('b'), { egress: [{ action: 'Accept', to: [{ domainNames: ['example.com'] }] }] }),
    netpol('a', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr, except } }], ports: [{ port: 443 }] }] }),
  ];
  expect(analyze(objects('10.0.0.0/8', ['10.0.0.0/8'])).between('a/client', 'example.com[Domain]').toString()).toBe(NONE);
  expect(analyze(objects('10.0.0.0/8', ['10.0.0.0/9'])).between('a/client', 'example.com[Domain]').toString()).toBe('TCP 443');
  expect(analyze(objects('fd00::/8', [])).between('a/client', 'example.com[Domain]').toString()).toBe('TCP 443');
});

test('a domain is listed for the subjects of the policies that name it, whichever rule names it', () => {
  const r = analyze([
    pod('a', 'client', { app: 'client' }), pod('b', 'other'),
    cnp('d', 'Admin', 1, inNamespaces('a'), { egress: [{ action: 'Deny', to: [ALL_NAMESPACES] }, { action: 'Accept', to: [{ domainNames: ['example.com', 'example.org'] }] }] }),
  ]);
  expect(r.connections.filter((x) => x.dst.kind === 'Domain').map((x) => `${x.src.id} => ${x.dst.id}`)).toEqual([
    'a/client[Pod] => example.com[Domain]', 'a/client[Pod] => example.org[Domain]',
  ]);
});

test('GIVEN a rule whose peers list workloads out of order WHEN its targets are built THEN they are sorted and unique', () => {
  // GIVEN: five workloads; the rule's peers name app=y (index 1), then app=x (index 0), then app=y again.
  const m = buildModel([
    pod('a', 'p0', { app: 'x' }), pod('a', 'p1', { app: 'y' }), pod('a', 'p2', { app: 'z' }), pod('a', 'p3', { app: 'z' }), pod('a', 'p4', { app: 'z' }),
    netpol('a', 'in', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'y' } } }, { podSelector: { matchLabels: { app: 'x' } } }, { podSelector: { matchLabels: { app: 'y' } } }] }] }),
  ]);
  const policy = m.policies[0];
  // WHEN
  const t = new TargetBuilder(m, new Selection(m), []).npRule(policy, policy.ingress[0]).targets;
  // THEN
  expect([t.podBase, t.pods, t.podListLevel]).toEqual(['no', [0, 1], 'yes']);
});
