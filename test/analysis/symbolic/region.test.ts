/**
 * Symbolic regions: the regions a peer stands for, and whether a peer matches a region (yes, no, maybe).
 */
import {
  ALL_IPV4, ENTIRE_CLUSTER, formatCidrOrRange, intersectRanges, Ipv4Range, matchPeer, parseCidr, parsePeers,
  Peer, peerRegions, pinnedNamespaces, podsOfNamespace, rangesWithin, Region, regionWithin, Selector, unionRanges,
} from '../../../src/analysis';
import { namespacesNamed } from '../../../src/analysis/symbolic/selectors';

const cidr = (c: string) => parseCidr(c);
const range = (start: number, end: number): Ipv4Range => ({ start, end });
const peer = (p: object): Peer => parsePeers([p], 'from')![0];
const PODS = [cidr('10.0.0.0/8')];
const labels = (s: Record<string, string>) => new Selector(Object.entries(s).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })));
const pods = (ns: Selector, p: Selector = Selector.ALL): Region => ({ kind: 'pods', namespaces: { selector: ns }, pods: { selector: p } });
const ext = (...c: string[]): Region => ({ kind: 'external', ranges: c.map(cidr) });

describe('ranges', () => {
  test('intersectRanges of sorted disjoint lists', () => {
    expect(intersectRanges([range(0, 10), range(20, 30)], [range(5, 25)])).toEqual([range(5, 10), range(20, 25)]);
    expect(intersectRanges([range(5, 25)], [range(0, 10), range(20, 30)])).toEqual([range(5, 10), range(20, 25)]);
    expect(intersectRanges([range(0, 4)], [range(5, 9)])).toEqual([]);
    expect(intersectRanges([range(0, 5)], [range(5, 9)])).toEqual([range(5, 5)]);
  });

  test('unionRanges sorts and merges overlapping and adjacent ranges', () => {
    expect(unionRanges([range(20, 30), range(0, 10), range(11, 12), range(25, 40), range(42, 50)])).toEqual([range(0, 12), range(20, 40), range(42, 50)]);
  });

  test('rangesWithin', () => {
    expect(rangesWithin([range(2, 3), range(8, 9)], [range(0, 10)])).toBe(true);
    expect(rangesWithin([range(0, 10)], [range(0, 1), range(4, 4)])).toBe(false);
    expect(rangesWithin([range(0, 10)], [range(0, 3), range(5, 10)])).toBe(false);
    expect(rangesWithin([range(5, 6)], [range(0, 3), range(5, 10)])).toBe(true);
    expect(rangesWithin([range(2, 3), range(8, 11)], [range(0, 10)])).toBe(false);
    expect(rangesWithin([], [range(0, 10)])).toBe(true);
  });

  test('formatCidrOrRange', () => {
    expect(formatCidrOrRange(cidr('10.0.0.0/8'))).toBe('10.0.0.0/8');
    expect(formatCidrOrRange(ALL_IPV4)).toBe('0.0.0.0/0');
    expect(formatCidrOrRange(cidr('10.1.2.3/32'))).toBe('10.1.2.3/32');
    expect(formatCidrOrRange(range(0, 2))).toBe('0.0.0.0-0.0.0.2');
    expect(formatCidrOrRange(range(2, 5))).toBe('0.0.0.2-0.0.0.5');
  });
});

describe('peerRegions', () => {
  test('a pod peer: its selectors, the policy namespace when it has no namespaceSelector', () => {
    expect(peerRegions(peer({ podSelector: { matchLabels: { app: 'x' } } }), 'shop', PODS)).toEqual([pods(namespacesNamed(['shop']), labels({ app: 'x' }))]);
    expect(peerRegions(peer({ namespaceSelector: { matchLabels: { team: 'a' } } }), 'shop', PODS)).toEqual([pods(labels({ team: 'a' }))]);
  });

  test('an ipBlock: its external addresses, and the pods with an address inside a pod network', () => {
    expect(peerRegions(peer({ ipBlock: { cidr: '0.0.0.0/0', except: ['10.1.0.0/16'] } }), 'shop', PODS)).toEqual([
      { kind: 'external', ranges: [range(0, cidr('10.1.0.0/16').start - 1), range(cidr('10.1.0.0/16').end + 1, ALL_IPV4.end)] },
      { ...ENTIRE_CLUSTER, addresses: [range(cidr('10.0.0.0/8').start, cidr('10.1.0.0/16').start - 1), range(cidr('10.1.0.0/16').end + 1, cidr('10.0.0.0/8').end)] },
    ]);
    expect(peerRegions(peer({ ipBlock: { cidr: '203.0.113.0/24' } }), 'shop', PODS)).toEqual([ext('203.0.113.0/24')]);
    expect(peerRegions(peer({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }), 'shop', PODS)).toEqual([]);
  });

  test('an IPv6 ipBlock: itself, and the pods of every namespace', () => {
    expect(peerRegions(peer({ ipBlock: { cidr: 'fd00::/8', except: ['fd00::/16'] } }), 'shop', PODS)).toEqual([
      { kind: 'external6', cidr: 'fd00::/8', except: ['fd00::/16'] }, ENTIRE_CLUSTER,
    ]);
  });
});

describe('matchPeer', () => {
  const web = pods(namespacesNamed(['shop']), labels({ app: 'web' }));
  test.each<[string, object, Region, string]>([
    ['own namespace, matching pods', { podSelector: { matchLabels: { app: 'web' } } }, web, 'yes'],
    ['own namespace, other pods', { podSelector: { matchLabels: { app: 'db' } } }, web, 'no'],
    ['own namespace, unknown pod labels', { podSelector: { matchLabels: { tier: 'x' } } }, web, 'maybe'],
    ['another namespace by name', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }, web, 'no'],
    ['a forgeable namespace label', { namespaceSelector: { matchLabels: { team: 'a' } } }, web, 'maybe'],
    ['every namespace', { namespaceSelector: {} }, web, 'yes'],
    ['a pod peer never matches external addresses', { namespaceSelector: {} }, ext('0.0.0.0/0'), 'no'],
    ['an ipBlock covering the range', { ipBlock: { cidr: '203.0.0.0/8' } }, ext('203.0.113.0/24'), 'yes'],
    ['an ipBlock disjoint from the range', { ipBlock: { cidr: '198.51.100.0/24' } }, ext('203.0.113.0/24'), 'no'],
    ['an ipBlock overlapping the range', { ipBlock: { cidr: '203.0.113.0/25' } }, ext('203.0.113.0/24'), 'maybe'],
    ['an ipBlock outside the pod networks never matches pods', { ipBlock: { cidr: '203.0.113.0/24' } }, web, 'no'],
    ['an ipBlock inside a pod network may match any pods', { ipBlock: { cidr: '10.1.0.0/16' } }, web, 'maybe'],
    ['an ipBlock covering the addresses of a pod region', { ipBlock: { cidr: '10.0.0.0/8' } }, { ...ENTIRE_CLUSTER, addresses: [cidr('10.1.0.0/16')] }, 'yes'],
    ['an ipBlock disjoint from the addresses of a pod region', { ipBlock: { cidr: '10.2.0.0/16' } }, { ...ENTIRE_CLUSTER, addresses: [cidr('10.1.0.0/16')] }, 'no'],
    ['an ipBlock overlapping the addresses of a pod region', { ipBlock: { cidr: '10.1.0.0/17' } }, { ...ENTIRE_CLUSTER, addresses: [cidr('10.1.0.0/16')] }, 'maybe'],
    ['an IPv6 ipBlock may match pods', { ipBlock: { cidr: 'fd00::/8' } }, web, 'maybe'],
    ['an IPv6 ipBlock never matches IPv4 addresses', { ipBlock: { cidr: 'fd00::/8' } }, ext('0.0.0.0/0'), 'no'],
    ['an IPv4 ipBlock never matches IPv6 addresses', { ipBlock: { cidr: '0.0.0.0/0' } }, { kind: 'external6', cidr: 'fd00::/8', except: [] }, 'no'],
    ['the same IPv6 block', { ipBlock: { cidr: 'fd00::/8' } }, { kind: 'external6', cidr: 'fd00::/8', except: [] }, 'yes'],
    ['the same IPv6 block with other excepts', { ipBlock: { cidr: 'fd00::/8', except: ['fd00::/9'] } }, { kind: 'external6', cidr: 'fd00::/8', except: [] }, 'maybe'],
    ['another IPv6 block', { ipBlock: { cidr: 'fd01::/16' } }, { kind: 'external6', cidr: 'fd00::/8', except: [] }, 'maybe'],
  ])('%s: %s', (_name, p, region, want) => {
    expect(matchPeer(peer(p), 'shop', region, PODS)).toBe(want);
  });
});

describe('regionWithin', () => {
  test('external ranges', () => {
    expect(regionWithin(ext('203.0.113.0/24'), ext('203.0.0.0/8'))).toBe(true);
    expect(regionWithin(ext('203.0.0.0/8'), ext('203.0.113.0/24'))).toBe(false);
    expect(regionWithin(ext('203.0.0.0/8'), ENTIRE_CLUSTER)).toBe(false);
    expect(regionWithin(ENTIRE_CLUSTER, ext('0.0.0.0/0'))).toBe(false);
  });

  test('IPv6 blocks are within the same block only', () => {
    const v6 = (c: string, ...except: string[]): Region => ({ kind: 'external6', cidr: c, except });
    expect(regionWithin(v6('fd00::/8'), v6('fd00::/8'))).toBe(true);
    expect(regionWithin(v6('fd00::/8', 'fd00::/9'), v6('fd00::/8', 'fd00::/9'))).toBe(true);
    expect(regionWithin(v6('fd00::/8'), v6('fd00::/8', 'fd00::/9'))).toBe(false);
    expect(regionWithin(v6('fd00::/8', 'a'), v6('fd00::/8', 'b'))).toBe(false);
    expect(regionWithin(v6('fd00::/8'), v6('fd01::/16'))).toBe(false);
    expect(regionWithin(v6('fd00::/8'), ext('0.0.0.0/0'))).toBe(false);
  });

  test('pods: namespaces, labels and addresses', () => {
    expect(regionWithin(podsOfNamespace('a'), ENTIRE_CLUSTER)).toBe(true);
    expect(regionWithin(ENTIRE_CLUSTER, podsOfNamespace('a'))).toBe(false);
    expect(regionWithin(pods(namespacesNamed(['a']), labels({ app: 'x' })), pods(Selector.ALL, labels({ app: 'x' })))).toBe(true);
    expect(regionWithin(pods(namespacesNamed(['a'])), pods(Selector.ALL, labels({ app: 'x' })))).toBe(false);
    const in10 = { ...ENTIRE_CLUSTER, addresses: [cidr('10.0.0.0/8')] };
    const in101 = { ...ENTIRE_CLUSTER, addresses: [cidr('10.1.0.0/16')] };
    expect(regionWithin(in101, in10)).toBe(true);
    expect(regionWithin(in10, in101)).toBe(false);
    expect(regionWithin(ENTIRE_CLUSTER, in10)).toBe(false);
    expect(regionWithin(in10, ENTIRE_CLUSTER)).toBe(true);
  });
});

test('pinnedNamespaces', () => {
  expect(pinnedNamespaces(podsOfNamespace('a') as never)).toEqual(['a']);
  expect(pinnedNamespaces(ENTIRE_CLUSTER)).toBeUndefined();
  expect(pinnedNamespaces({ ...ENTIRE_CLUSTER, namespaces: { labels: { 'kubernetes.io/metadata.name': 'b', team: 'x' } } })).toEqual(['b']);
});
