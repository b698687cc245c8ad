/**
 * Symbolic regions of the network: pods described by what is known of their namespace and labels (they may
 * not exist yet), or external addresses. A NetworkPolicy peer matches a region with `yes`, `no` or `maybe`.
 */
import { formatIpv4, formatRange, Ipv4Range, isIpv6, MAX_IPV4 } from '../ipv4';
import { ContainerPort, NAMESPACE_NAME_LABEL, Peer } from '../model';
import { Selector } from '../selector';
import { ANY_LABELS, LabelSpace, matchSpace, NAMESPACE_KEYS, namespacesNamed, spaceWithin } from './selectors';
import { and3, tri, Tri } from './tri';

/** Pods: of namespaces in `namespaces`, with labels in `pods`. */
export interface PodsRegion {
  /** Discriminator. */
  readonly kind: 'pods';
  /** The namespaces' labels; `kubernetes.io/metadata.name` is the only one trusted to pin a namespace. */
  readonly namespaces: LabelSpace;
  /** The pods' labels. */
  readonly pods: LabelSpace;
  /** Only pods whose address lies in these ranges (the part of an ipBlock inside the pod networks). */
  readonly addresses?: readonly Ipv4Range[];
  /** The pods' container ports, when they are a known workload's (named ports resolve against them). */
  readonly ports?: readonly ContainerPort[];
}

/** External IPv4 addresses. */
export interface ExternalRegion {
  /** Discriminator. */
  readonly kind: 'external';
  /** Sorted, disjoint ranges. */
  readonly ranges: readonly Ipv4Range[];
}

/** External IPv6 addresses, which the analysis does not model: an ipBlock as written. */
export interface External6Region {
  /** Discriminator. */
  readonly kind: 'external6';
  /** The CIDR. */
  readonly cidr: string;
  /** Its excepts. */
  readonly except: readonly string[];
}

/** Where a connection may come from or go to. */
export type Region = PodsRegion | ExternalRegion | External6Region;

/** Every IPv4 address. */
export const ALL_IPV4: Ipv4Range = { start: 0, end: MAX_IPV4 };

/** Every pod of every namespace. */
export const ENTIRE_CLUSTER: PodsRegion = { kind: 'pods', namespaces: ANY_LABELS, pods: ANY_LABELS };

/** Every pod of the named namespace. */
export function podsOfNamespace(name: string): PodsRegion {
  return { kind: 'pods', namespaces: { selector: namespacesNamed([name]) }, pods: ANY_LABELS };
}

/** Overlap of two sorted lists of disjoint ranges. */
export function intersectRanges(a: readonly Ipv4Range[], b: readonly Ipv4Range[]): Ipv4Range[] {
  const out: Ipv4Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (start <= end) out.push({ start, end });
    if (a[i].end < b[j].end) i++; else j++;
  }
  return out;
}

/** Whether every address of `a` is in `b` (both sorted, disjoint and not adjacent, as ipBlocks and pod networks are). */
export function rangesWithin(a: readonly Ipv4Range[], b: readonly Ipv4Range[]): boolean {
  return a.every((x) => b.some((y) => y.start <= x.start && x.end <= y.end));
}

/**
 * The regions a peer of a policy in `policyNamespace` stands for. An IPv4 ipBlock is its external addresses,
 * plus, where it overlaps a pod network, the pods of every namespace with an address there; an IPv6 ipBlock
 * may match pods of every namespace (IPv6 pod networks are not modelled). `podNetworks`: sorted, disjoint.
 */
export function peerRegions(peer: Peer, policyNamespace: string, podNetworks: readonly Ipv4Range[]): Region[] {
  if (peer.type === 'pods') {
    const namespaces = peer.namespaceSelector ? { selector: peer.namespaceSelector } : { selector: namespacesNamed([policyNamespace]) };
    return [{ kind: 'pods', namespaces, pods: { selector: peer.podSelector ?? Selector.ALL } }];
  }
  if (isIpv6(peer.cidr)) {
    return [{ kind: 'external6', cidr: peer.cidr, except: peer.except }, ENTIRE_CLUSTER];
  }
  const out: Region[] = [];
  if (peer.ranges.length > 0) out.push({ kind: 'external', ranges: peer.ranges });
  const inPods = intersectRanges(peer.ranges, podNetworks);
  if (inPods.length > 0) out.push({ ...ENTIRE_CLUSTER, addresses: inPods });
  return out;
}

/** The regions of a rule with no peers: every pod and every external address. */
export const EVERYWHERE: readonly Region[] = [ENTIRE_CLUSTER, { kind: 'external', ranges: [ALL_IPV4] }];

/**
 * Whether a NetworkPolicy peer of a policy in `policyNamespace` matches every, no or possibly some member of
 * `region`. `podNetworks`: sorted, disjoint.
 */
export function matchPeer(peer: Peer, policyNamespace: string, region: Region, podNetworks: readonly Ipv4Range[]): Tri {
  if (peer.type === 'pods') {
    if (region.kind !== 'pods') return 'no';
    const ns = matchSpace(peer.namespaceSelector ?? namespacesNamed([policyNamespace]), region.namespaces, NAMESPACE_KEYS);
    return and3(ns, matchSpace(peer.podSelector ?? Selector.ALL, region.pods));
  }
  const ipv6 = isIpv6(peer.cidr);
  if (region.kind === 'external6') return ipv6 && region.cidr === peer.cidr && sameList(region.except, peer.except) ? 'yes' : ipv6 ? 'maybe' : 'no';
  if (region.kind === 'external') {
    const overlap = intersectRanges(region.ranges, peer.ranges);
    return tri(rangesWithin(region.ranges, peer.ranges), overlap.length === 0);
  }
  if (ipv6) return 'maybe';
  const reach = intersectRanges(peer.ranges, podNetworks);
  if (reach.length === 0) return 'no';
  if (!region.addresses) return 'maybe';
  return tri(rangesWithin(region.addresses, reach), intersectRanges(region.addresses, reach).length === 0);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether every member of `a` is a member of `b` (a sufficient test). */
export function regionWithin(a: Region, b: Region): boolean {
  if (a.kind === 'external' && b.kind === 'external') return rangesWithin(a.ranges, b.ranges);
  if (a.kind === 'external6' && b.kind === 'external6') return a.cidr === b.cidr && sameList(a.except, b.except);
  if (a.kind !== 'pods' || b.kind !== 'pods') return false;
  if (b.addresses && !(a.addresses && rangesWithin(a.addresses, b.addresses))) return false;
  return spaceWithin(a.namespaces, b.namespaces, NAMESPACE_KEYS) && spaceWithin(a.pods, b.pods);
}

/** The namespaces a region's namespace part pins by name, or undefined when it does not pin them. */
export function pinnedNamespaces(region: PodsRegion): string[] | undefined {
  if ('labels' in region.namespaces) return [region.namespaces.labels[NAMESPACE_NAME_LABEL]];
  return region.namespaces.selector.pinnedValues(NAMESPACE_NAME_LABEL);
}

/** `10.0.0.0/8` when the range is a CIDR block, else `a.b.c.d-e.f.g.h`. */
export function formatCidrOrRange(r: Ipv4Range): string {
  const n = r.end - r.start + 1;
  const bits = Math.log2(n);
  if (Number.isInteger(bits) && r.start % n === 0) return `${formatIpv4(r.start)}/${32 - bits}`;
  return formatRange(r);
}
