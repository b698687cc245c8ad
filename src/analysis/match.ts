/**
 * Pair-level semantics: whether a policy selects a workload, whether a peer matches a source or destination,
 * and which connections a rule's ports admit towards a destination.
 */
import type { Match } from './cluster-match';
import { Ipv4Range, isIpv6 } from './ipv4';
import { Model, NAMESPACE_NAME_LABEL, Peer, Policy, PortSpec, Rule, Workload } from './model';
import { ConnectionSet, MAX_PORT, MIN_PORT } from './ports';
import { Labels } from './selector';

/** Labels of namespace `name` in the model (only `kubernetes.io/metadata.name` when it is not declared). */
export function namespaceLabels(model: Model, name: string): Labels {
  return model.namespaces.get(name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
}

/** Whether `policy` selects the pods of `w`. */
export function policySelects(policy: Policy, w: Workload): boolean {
  return policy.namespace === w.namespace && policy.podSelector.matches(w.labels);
}

/** Whether a pod peer of a policy in `policyNamespace` matches the pods of `w`. Always false for ipBlock peers. */
export function peerMatchesWorkload(model: Model, policyNamespace: string, peer: Peer, w: Workload): boolean {
  if (peer.type !== 'pods') return false;
  if (peer.namespaceSelector) {
    if (!peer.namespaceSelector.matches(namespaceLabels(model, w.namespace))) return false;
  } else if (w.namespace !== policyNamespace) {
    return false;
  }
  return !peer.podSelector || peer.podSelector.matches(w.labels);
}

/**
 * Whether addresses (`ranges`, plus IPv6 CIDRs when `ipv6`) match the pods, whose addresses lie somewhere in the
 * pod networks: `yes` when the ranges cover every pod network, `maybe` when they overlap one (or are IPv6: a
 * dual-stack pod also has an IPv6 address), `no` otherwise. No pod network known: `maybe` when there is an address.
 */
export function podNetworkMatch(podNetworks: readonly Ipv4Range[], ranges: readonly Ipv4Range[], ipv6: boolean): Match {
  const covered = (n: Ipv4Range) => ranges.some((r) => r.start <= n.start && n.end <= r.end);
  if (podNetworks.length > 0 && podNetworks.every(covered)) return 'yes';
  const overlaps = podNetworks.some((n) => ranges.some((r) => r.start <= n.end && n.start <= r.end));
  return overlaps || ipv6 ? 'maybe' : 'no';
}

/**
 * Whether a NetworkPolicy peer matches the pods of `w`: a pod peer `yes` or `no` by its selectors; an ipBlock by
 * the pod networks (`podNetworkMatch`: network plugins match pod IPs against ipBlocks, and the upstream e2e suite
 * expects a pod IP inside an ipBlock to be admitted).
 */
export function npPeerMatchesWorkload(model: Model, policyNamespace: string, peer: Peer, w: Workload): Match {
  if (peer.type === 'ipBlock') return podNetworkMatch(model.podNetworks, peer.ranges, isIpv6(peer.cidr));
  return peerMatchesWorkload(model, policyNamespace, peer, w) ? 'yes' : 'no';
}

/** Whether an ipBlock peer matches every address of `range` (a range within one analysis segment). */
export function peerMatchesRange(peer: Peer, range: Ipv4Range): boolean {
  if (peer.type !== 'ipBlock') return false;
  return peer.ranges.some((r) => r.start <= range.start && range.end <= r.end);
}

/**
 * The connections one PortSpec admits towards `dst` (a workload, or undefined for an external address):
 * a named port resolves against `dst`'s container ports with the same protocol and admits nothing elsewhere.
 */
export function portSpecConnections(p: PortSpec, dst: Workload | undefined): ConnectionSet {
  if (p.port === undefined) return ConnectionSet.of(p.protocol, MIN_PORT, MAX_PORT);
  if (typeof p.port === 'number') return ConnectionSet.of(p.protocol, p.port, p.endPort ?? p.port);
  let out = ConnectionSet.NONE;
  for (const cp of dst?.ports ?? []) {
    if (cp.name === p.port && cp.protocol === p.protocol) out = out.union(ConnectionSet.of(cp.protocol, cp.port));
  }
  return out;
}

/** The connections a rule's `ports` admit towards `dst` (undefined = an external address). */
export function ruleConnections(rule: Rule, dst: Workload | undefined): ConnectionSet {
  if (!rule.ports) return ConnectionSet.ALL;
  let out = ConnectionSet.NONE;
  for (const p of rule.ports) out = out.union(portSpecConnections(p, dst));
  return out;
}

/** Whether a rule has a named port (so its connections depend on the destination). */
export function ruleHasNamedPort(rule: Rule): boolean {
  return rule.ports?.some((p) => typeof p.port === 'string') ?? false;
}
