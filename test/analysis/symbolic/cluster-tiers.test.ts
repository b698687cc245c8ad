/**
 * Cluster-wide policies as tier rules of the symbolic evaluator.
 */
import {
  buildModel, clusterPeerRegions, ClusterPeer, clusterPorts, clusterTiers, ENTIRE_CLUSTER, matchClusterPeer, matchSelection, parseCidr, podsOfNamespace,
  Region, regionText, Selector, Tri,
} from '../../../src/analysis';
import { namespacesNamed } from '../../../src/analysis/symbolic/selectors';
import { NAME, V1ALPHA2 } from '../cluster-fixtures';

const PODS = [parseCidr('10.0.0.0/8')];
const networks = (ranges: string[], ipv6: string[] = []): ClusterPeer => ({ type: 'networks', cidrs: [...ranges, ...ipv6], ranges: ranges.map(parseCidr), ipv6 });
const pods = (ns: Selector, p?: Selector): ClusterPeer => ({ type: 'pods', namespaceSelector: ns, podSelector: p });
const ext = (...c: string[]): Region => ({ kind: 'external', ranges: c.map(parseCidr) });
const web: Region = { kind: 'pods', namespaces: { selector: namespacesNamed(['shop']) }, pods: { labels: { app: 'web' } } };
const app = (v: string) => new Selector([{ key: 'app', operator: 'In', values: [v] }]);

describe('matchClusterPeer', () => {
  test.each<[string, ClusterPeer, Region, Tri]>([
    ['nodes: always maybe', { type: 'nodes', nodeSelector: Selector.ALL }, ext('203.0.113.0/24'), 'maybe'],
    ['domain names: always maybe', { type: 'domainNames', domainNames: ['example.com'] }, web, 'maybe'],
    ['pods: by their selectors', pods(namespacesNamed(['shop']), app('web')), web, 'yes'],
    ['pods: other pods', pods(namespacesNamed(['shop']), app('db')), web, 'no'],
    ['pods: every pod of the namespaces', pods(namespacesNamed(['shop'])), web, 'yes'],
    ['pods never match external addresses', pods(Selector.ALL), ext('0.0.0.0/0'), 'no'],
    ['networks covering the range', networks(['203.0.0.0/8']), ext('203.0.113.0/24'), 'yes'],
    ['networks overlapping the range', networks(['203.0.113.0/25']), ext('203.0.113.0/24'), 'maybe'],
    ['networks disjoint from the range', networks(['198.51.100.0/24']), ext('203.0.113.0/24'), 'no'],
    ['IPv4 networks never match an IPv6 block', networks(['0.0.0.0/0']), { kind: 'external6', cidr: 'fd00::/8', except: [] }, 'no'],
    ['IPv6 networks may match an IPv6 block', networks([], ['fd00::/8']), { kind: 'external6', cidr: 'fd00::/8', except: [] }, 'maybe'],
    ['networks inside a pod network may match any pods', networks(['10.1.0.0/16']), web, 'maybe'],
    ['networks outside the pod networks never match pods', networks(['203.0.113.0/24']), web, 'no'],
    ['IPv6 networks may match any pods', networks(['203.0.113.0/24'], ['fd00::/8']), web, 'maybe'],
    ['networks covering the addresses of a pod region', networks(['10.0.0.0/8']), { ...ENTIRE_CLUSTER, addresses: [parseCidr('10.1.0.0/16')] }, 'yes'],
    ['networks overlapping them', networks(['10.1.0.0/17']), { ...ENTIRE_CLUSTER, addresses: [parseCidr('10.1.0.0/16')] }, 'maybe'],
    ['networks disjoint from them', networks(['10.2.0.0/16']), { ...ENTIRE_CLUSTER, addresses: [parseCidr('10.1.0.0/16')] }, 'no'],
    ['networks disjoint from them, with IPv6', networks(['10.2.0.0/16'], ['fd00::/8']), { ...ENTIRE_CLUSTER, addresses: [parseCidr('10.1.0.0/16')] }, 'maybe'],
  ])('%s', (_name, peer, region, want) => {
    expect(matchClusterPeer(peer, region, PODS)).toBe(want);
  });
});

test('matchSelection: namespaces by name are trusted, other namespace labels are not', () => {
  expect(matchSelection({ namespaceSelector: namespacesNamed(['shop']) }, podsOfNamespace('shop'))).toBe('yes');
  expect(matchSelection({ namespaceSelector: namespacesNamed(['other']) }, podsOfNamespace('shop'))).toBe('no');
  expect(matchSelection({ namespaceSelector: app('x') }, podsOfNamespace('shop'))).toBe('maybe');
  expect(matchSelection({ namespaceSelector: Selector.ALL, podSelector: app('web') }, podsOfNamespace('shop'))).toBe('maybe');
});

test('clusterPeerRegions', () => {
  const texts = (peer: ClusterPeer) => clusterPeerRegions(peer, PODS).map(regionText);
  expect(texts(pods(namespacesNamed(['shop']), app('web')))).toEqual(['shop/[pods with app=web]']);
  expect(texts(pods(Selector.ALL))).toEqual(['entire-cluster']);
  expect(texts({ type: 'nodes', nodeSelector: Selector.ALL })).toEqual(['entire-cluster', '0.0.0.0-255.255.255.255']);
  expect(texts({ type: 'domainNames', domainNames: ['example.com'] })).toEqual(['entire-cluster', '0.0.0.0-255.255.255.255']);
  expect(texts(networks(['203.0.113.0/24']))).toEqual(['203.0.113.0-203.0.113.255']);
  expect(texts(networks(['0.0.0.0/1']))).toEqual(['0.0.0.0-127.255.255.255', '[all namespaces]/[pods with addresses in 10.0.0.0/8]']);
  expect(texts(networks([], ['fd00::/8', 'fe80::/10']))).toEqual(['fd00::/8', 'fe80::/10', 'entire-cluster']);
});

test('clusterPorts: absent is every port; a named port stands for each protocol', () => {
  expect(clusterPorts(undefined, 'unknown').toString()).toBe('All Connections');
  expect(clusterPorts([{ protocol: 'UDP', port: 53 }, { port: 'dns' }], 'unknown').toString()).toBe('UDP 53,SCTP port named dns,TCP port named dns,UDP port named dns');
  expect(clusterPorts([{ port: 'dns' }], [{ name: 'dns', port: 5353, protocol: 'UDP' }]).toString()).toBe('UDP 5353');
  expect(clusterPorts([{ port: 80 }], 'unknown').toString()).toBe('SCTP 80,TCP 80,UDP 80');
});

test('clusterTiers: the rules of each tier and direction, in evaluation order, named by policy and rule', () => {
  const cnp = (name: string, tier: string, priority: number, spec: object) => ({ apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject: { namespaces: { matchLabels: { [NAME]: 'shop' } } }, ...spec } });
  const model = buildModel([
    cnp('b', 'Admin', 2, { ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
    cnp('a', 'Admin', 1, { ingress: [{ name: 'first', action: 'Pass', from: [{ namespaces: {} }] }], egress: [{ action: 'Accept', to: [{ networks: ['203.0.113.0/24'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }] }),
    cnp('c', 'Baseline', 1, { ingress: [{ action: 'Accept', from: [{ pods: { podSelector: { matchLabels: { app: 'x' } } } }] }] }),
  ]);
  const t = clusterTiers(model, PODS);
  expect(t.ingress.admin.map((r) => [r.id, r.action])).toEqual([
    ['ClusterNetworkPolicy a (tier Admin, priority 1) spec.ingress[0] ("first")', 'Pass'],
    ['ClusterNetworkPolicy b (tier Admin, priority 2) spec.ingress[0]', 'Deny'],
  ]);
  expect(t.ingress.baseline.map((r) => r.id)).toEqual(['ClusterNetworkPolicy c (tier Baseline, priority 1) spec.ingress[0]']);
  expect(t.egress.admin.map((r) => r.id)).toEqual(['ClusterNetworkPolicy a (tier Admin, priority 1) spec.egress[0]']);
  expect(t.egress.baseline).toEqual([]);
  const egress = t.egress.admin[0];
  expect([egress.subject(podsOfNamespace('shop')), egress.subject(podsOfNamespace('other'))]).toEqual(['yes', 'no']);
  expect([egress.peer(ext('203.0.113.0/25')), egress.peer(ext('198.51.100.0/24')), egress.peer(podsOfNamespace('x'))]).toEqual(['yes', 'no', 'no']);
  expect(egress.regions().map(regionText)).toEqual(['203.0.113.0-203.0.113.255']);
  expect(egress.ports('unknown').toString()).toBe('TCP 443');
  const base = t.ingress.baseline[0];
  expect([base.peer(podsOfNamespace('x')), base.peer({ kind: 'pods', namespaces: { selector: namespacesNamed(['x']) }, pods: { labels: { app: 'x' } } })]).toEqual(['maybe', 'yes']);
});
