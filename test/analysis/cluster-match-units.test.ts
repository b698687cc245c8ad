/**
 * The matching functions of cluster-wide peers (cluster-match.ts) on their own, at their edges: written from the
 * CRD descriptions ("matches one or more entire labels" for a `*.` domain name; networks by CIDR; named ports only
 * towards a workload's container ports), for the survivors of their mutation run.
 */
import {
  ClusterPeer, clusterPeerMatchesDomain, clusterPeerMatchesRange, clusterPortConnections, ClusterRule, clusterRuleHasNamedPort,
  domainCovers, rangesMatchAnyAddress, Selector,
} from '../../src/analysis';

const MAX = 0xffffffff;
const networks = (ranges: Array<[number, number]>, ipv6: string[] = []): ClusterPeer => ({
  type: 'networks', cidrs: [], ranges: ranges.map(([start, end]) => ({ start, end })), ipv6,
} as ClusterPeer);
const pods: ClusterPeer = { type: 'pods', namespaceSelector: Selector.ALL } as ClusterPeer;
const nodes: ClusterPeer = { type: 'nodes', nodeSelector: Selector.ALL };
const domains = (...domainNames: string[]): ClusterPeer => ({ type: 'domainNames', domainNames });

describe('domainCovers', () => {
  test.each<[string, string, boolean]>([
    ['example.com', 'example.com', true],
    ['Example.COM.', 'example.com', true], // no case, no trailing dot, as DNS
    ['example.com', 'EXAMPLE.com.', true],
    ['example.com', 'www.example.com', false],
    ['example.com', 'example.org', false],
    ['*.example.com', 'www.example.com', true],
    ['*.example.com', 'a.b.example.com', true], // one or more entire labels
    ['*.Example.com.', 'WWW.example.COM', true],
    ['*.example.com', 'example.com', false], // not the name itself
    ['*.example.com', '.example.com', false],
    ['*.example.com', 'badexample.com', false], // entire labels only
    ['*.example.com', '*.example.com', true], // a wildcard below covers itself
    ['*.example.com', '*.sub.example.com', true],
    ['www.example.com', '*.example.com', false], // an exact name does not cover a wildcard
    ['a.example.com', 'b.example.com', false],
    ['x*.example.com', 'xa.example.com', false], // `*` only as a whole first label
  ])('%s covers %s: %s', (pattern, name, covers) => {
    expect(domainCovers(pattern, name)).toBe(covers);
  });
});

describe('clusterPeerMatchesRange', () => {
  const range = { start: 100, end: 200 };
  test.each<[string, ClusterPeer, string]>([
    ['pods never match addresses', pods, 'no'],
    ['nodes may', nodes, 'maybe'],
    ['domain names: the range stands for addresses outside the domains', domains('example.com'), 'no'],
    ['a network containing the range exactly', networks([[100, 200]]), 'yes'],
    ['a network one address short at the start', networks([[101, 200]]), 'maybe'],
    ['a network one address short at the end', networks([[100, 199]]), 'maybe'],
    ['a network touching the range at its last address', networks([[200, 300]]), 'maybe'],
    ['a network touching the range at its first address', networks([[0, 100]]), 'maybe'],
    ['a network just after the range', networks([[201, 300]]), 'no'],
    ['a network just before the range', networks([[0, 99]]), 'no'],
    ['the second of two networks contains it', networks([[0, 10], [50, 250]]), 'yes'],
  ])('%s', (_what, peer, expected) => {
    expect(clusterPeerMatchesRange(peer, range)).toBe(expected);
  });
});

describe('clusterPeerMatchesDomain', () => {
  test.each<[string, ClusterPeer, string]>([
    ['pods: no (a name resolving to a pod is the pod\'s line)', pods, 'no'],
    ['nodes: maybe', nodes, 'maybe'],
    ['every IPv4 address: yes', networks([[0, MAX]]), 'yes'],
    ['all but the first address: maybe', networks([[1, MAX]]), 'maybe'],
    ['all but the last address: maybe', networks([[0, MAX - 1]]), 'maybe'],
    ['some IPv4 addresses: maybe', networks([[5, 6]]), 'maybe'],
    ['IPv6 only: maybe', networks([], ['2001:db8::/32']), 'maybe'],
    ['no address at all: no', networks([]), 'no'],
    ['a name that covers it: yes', domains('other.org', '*.example.com'), 'yes'],
    ['names that do not: maybe (one address may serve both)', domains('other.org'), 'maybe'],
  ])('%s', (_what, peer, expected) => {
    expect(clusterPeerMatchesDomain(peer, 'www.example.com')).toBe(expected);
  });
});

test('rangesMatchAnyAddress: yes only for the whole space, maybe for some (or IPv6), no for none', () => {
  expect(rangesMatchAnyAddress([{ start: 0, end: MAX }], false)).toBe('yes');
  expect(rangesMatchAnyAddress([{ start: 1, end: MAX }], false)).toBe('maybe');
  expect(rangesMatchAnyAddress([{ start: 0, end: MAX - 1 }], false)).toBe('maybe');
  expect(rangesMatchAnyAddress([], true)).toBe('maybe');
  expect(rangesMatchAnyAddress([], false)).toBe('no');
});

describe('ports', () => {
  const rule = (ports?: ClusterRule['ports']): ClusterRule => ({ index: 0, action: 'Allow', writtenAction: 'Accept', peers: [pods], ports });
  test('a named port resolves only against a workload\'s container ports: nothing towards an address', () => {
    expect(clusterPortConnections({ port: 'http' }, undefined).toString()).toBe('No Connections');
    expect(clusterPortConnections({ port: 'http', protocol: 'TCP' }, undefined).toString()).toBe('No Connections');
  });

  test('clusterRuleHasNamedPort: only a port given by name', () => {
    expect(clusterRuleHasNamedPort(rule())).toBe(false);
    expect(clusterRuleHasNamedPort(rule([{ protocol: 'TCP', port: 80 }]))).toBe(false);
    expect(clusterRuleHasNamedPort(rule([{ protocol: 'TCP', port: 80 }, { port: 'http' }]))).toBe(true);
  });
});
