/**
 * Pair-level semantics of cluster-wide policies, for the engine: whether a subject selects a pod, whether a peer
 * matches a pod or an external address (three-valued, since some peers match addresses the manifests do not
 * give), which connections a rule's ports admit towards a destination, and whether two subjects may select the
 * same pod.
 */
import { ClusterPeer, ClusterPortSpec, ClusterRule, ClusterSubject, PodsSelection } from './cluster-policy';
import { Ipv4Range, MAX_IPV4 } from './ipv4';
import { namespaceLabels, podNetworkMatch } from './match';
import { Model, Workload } from './model';
import { ConnectionSet, MAX_PORT, MIN_PORT, Protocol, PROTOCOLS } from './ports';
import { Labels, Selector } from './selector';
import { satisfiable } from './symbolic/selectors';

/**
 * Whether a peer matches: `yes`, `no`, or `maybe` when it depends on addresses the manifests do not give (pod IPs
 * against `networks`, node IPs, DNS answers, IPv6). The analysis must then assume whichever answer allows more
 * (a match, for an Allow rule; no match, for a Deny rule; for Pass, whichever leads to more access), and say so
 * (the reader has already warned about `nodes`, `domainNames` and IPv6 peers, naming the policy and the rule).
 */
export type Match = 'yes' | 'no' | 'maybe';

/** Whether a subject (or pods selection) selects the pods with `podLabels` in a namespace with `nsLabels`. */
export function selectsPod(s: PodsSelection, nsLabels: Labels, podLabels: Labels): boolean {
  return s.namespaceSelector.matches(nsLabels) && (!s.podSelector || s.podSelector.matches(podLabels));
}

/** Whether a policy's subject selects the pods of `w` (namespace labels from the model). */
export function subjectSelectsWorkload(model: Model, subject: ClusterSubject, w: Workload): boolean {
  return selectsPod(subject, namespaceLabels(model, w.namespace), w.labels);
}

/**
 * Whether a peer matches the pods with `podLabels` in a namespace with `nsLabels`:
 * - `namespaces`/`pods`: `yes` or `no` by their selectors;
 * - `networks`: "cluster-internal traffic will be checked against the rule as well": `yes` when its IPv4
 *   ranges cover every one of `model.podNetworks` (as `0.0.0.0/0` does), `maybe` when they overlap one or the
 *   peer has IPv6 CIDRs (dual-stack pods have IPv6 addresses), `no` otherwise;
 * - `nodes`: `maybe` (host-networked pods have their node's address; the model does not record hostNetwork);
 * - `domainNames`: `maybe` (a name may resolve to a pod's address).
 */
export function clusterPeerMatchesPod(model: Model, peer: ClusterPeer, nsLabels: Labels, podLabels: Labels): Match {
  switch (peer.type) {
    case 'pods': return selectsPod(peer, nsLabels, podLabels) ? 'yes' : 'no';
    case 'networks': return podNetworkMatch(model.podNetworks, peer.ranges, peer.ipv6.length > 0);
    default: return 'maybe';
  }
}

/** `clusterPeerMatchesPod` for the pods of a workload. */
export function clusterPeerMatchesWorkload(model: Model, peer: ClusterPeer, w: Workload): Match {
  return clusterPeerMatchesPod(model, peer, namespaceLabels(model, w.namespace), w.labels);
}

/**
 * Whether a peer matches every address of `range`, an external IPv4 range: `namespaces`/`pods` never do (they
 * match pods), `networks` does when one of its ranges contains `range` (`maybe` on a partial overlap: cut the
 * address space at the boundaries of `peer.ranges` to avoid it), `nodes` `maybe` (node addresses are not in the
 * manifests). `domainNames` `no`: the analysis gives the addresses of each domain name an endpoint of their own
 * (`*.example.com[Domain]`, see `clusterPeerMatchesDomain`), so an external range stands for the addresses outside
 * the domains.
 */
export function clusterPeerMatchesRange(peer: ClusterPeer, range: Ipv4Range): Match {
  switch (peer.type) {
    case 'pods': return 'no';
    case 'networks': {
      if (peer.ranges.some((r) => r.start <= range.start && range.end <= r.end)) return 'yes';
      return peer.ranges.some((r) => r.start <= range.end && range.start <= r.end) ? 'maybe' : 'no';
    }
    case 'nodes': return 'maybe';
    default: return 'no';
  }
}

/**
 * Whether the domain name `pattern` of a `domainNames` peer covers every name `name` stands for: an exact name
 * covers itself; `*.example.com` ("matches one or more entire labels", as a prefix only) covers every name below
 * `example.com` and every wildcard below it, not `example.com` itself. Names compare without case and without a
 * trailing dot, as DNS does.
 */
export function domainCovers(pattern: string, name: string): boolean {
  const norm = (x: string) => x.toLowerCase().replace(/\.$/, '');
  const p = norm(pattern);
  const n = norm(name);
  if (!p.startsWith('*.')) return p === n;
  const suffix = p.slice(1); // `.example.com`
  return n.endsWith(suffix) && n.length > suffix.length;
}

/**
 * Whether a peer matches the addresses of the domain `name` (a `Domain` endpoint of the analysis: the external
 * addresses the name resolves to, which the manifests do not give):
 * - `domainNames`: `yes` when one of its names covers `name` (`domainCovers`), otherwise `maybe` (two names may
 *   resolve to one address, as behind a CDN);
 * - `networks`: `yes` when it covers every IPv4 address, `maybe` when it has some address, `no` when it has none;
 * - `nodes`: `maybe` (a name may resolve to a node's address);
 * - `namespaces`/`pods`: `no` (a domain endpoint stands for addresses outside the known pods; a name that resolves
 *   to a pod's address is covered by the pod's own line, where `domainNames` peers match `maybe`).
 */
export function clusterPeerMatchesDomain(peer: ClusterPeer, name: string): Match {
  switch (peer.type) {
    case 'pods': return 'no';
    case 'networks': return rangesMatchAnyAddress(peer.ranges, peer.ipv6.length > 0);
    case 'nodes': return 'maybe';
    default: return peer.domainNames.some((d) => domainCovers(d, name)) ? 'yes' : 'maybe';
  }
}

/** `yes` when `ranges` cover every IPv4 address, `maybe` when they (or IPv6 CIDRs) have some address, else `no`. */
export function rangesMatchAnyAddress(ranges: readonly Ipv4Range[], ipv6: boolean): Match {
  if (ranges.some((r) => r.start === 0 && r.end === MAX_IPV4)) return 'yes';
  return ranges.length > 0 || ipv6 ? 'maybe' : 'no';
}

/**
 * The connections one ports/protocols entry admits towards `dst` (a workload, or undefined for an address that is
 * not a known pod). A named port resolves against `dst`'s container ports of that name, whatever their protocol
 * (unless the entry names one), and admits nothing towards anything else ("You can't use this in a rule that
 * targets resources without named ports (e.g. Nodes or Networks)").
 */
export function clusterPortConnections(p: ClusterPortSpec, dst: Workload | undefined): ConnectionSet {
  if (typeof p.port !== 'string') {
    const protocols: readonly Protocol[] = p.protocol ? [p.protocol] : PROTOCOLS;
    const [from, to] = p.port === undefined ? [MIN_PORT, MAX_PORT] : [p.port, p.endPort ?? p.port];
    let out = ConnectionSet.NONE;
    for (const proto of protocols) out = out.union(ConnectionSet.of(proto, from, to));
    return out;
  }
  let out = ConnectionSet.NONE;
  for (const cp of dst?.ports ?? []) {
    if (cp.name === p.port && (!p.protocol || cp.protocol === p.protocol)) out = out.union(ConnectionSet.of(cp.protocol, cp.port));
  }
  return out;
}

/**
 * The connections a rule admits towards `dst` by its ports: every port of every protocol when it has none ("If
 * Ports is not set then the rule does not filter traffic via port"). For an ingress rule `dst` is the subject's
 * pod ("it matches on the destination port for the ingress traffic"); for an egress rule, the peer.
 */
export function clusterRuleConnections(rule: ClusterRule, dst: Workload | undefined): ConnectionSet {
  if (!rule.ports) return ConnectionSet.ALL;
  let out = ConnectionSet.NONE;
  for (const p of rule.ports) out = out.union(clusterPortConnections(p, dst));
  return out;
}

/** Whether a rule has a named port (so its connections depend on the destination). */
export function clusterRuleHasNamedPort(rule: ClusterRule): boolean {
  return rule.ports?.some((p) => typeof p.port === 'string') ?? false;
}

/**
 * Whether some labels satisfy both selectors. Exact for label selectors: requirements on different keys are
 * independent, so the two are disjoint exactly when, for some key, their requirements together admit no value
 * (e.g. `kubernetes.io/metadata.name In (a)` and `In (b)`; `team Exists` and `team DoesNotExist`).
 */
export function selectorsMayOverlap(a: Selector, b: Selector): boolean {
  return satisfiable([...a.requirements, ...b.requirements]);
}

/** Whether two subjects (or pods selections) may select the same pod: their namespaces and their pods may overlap. */
export function subjectsMayOverlap(a: PodsSelection, b: PodsSelection): boolean {
  return selectorsMayOverlap(a.namespaceSelector, b.namespaceSelector)
    && selectorsMayOverlap(a.podSelector ?? Selector.ALL, b.podSelector ?? Selector.ALL);
}
