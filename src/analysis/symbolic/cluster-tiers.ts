/**
 * Cluster-wide policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) as the
 * first-match tier rules of the symbolic evaluator: subjects and peers matched against symbolic regions with
 * `yes`, `no` or `maybe`, ports as symbolic ports.
 */
import { ClusterPeer, ClusterPolicy, ClusterPortSpec, describeClusterPolicy, describeClusterRule, PodsSelection } from '../cluster-policy';
import { Ipv4Range } from '../ipv4';
import { Model, NAMESPACE_NAME_LABEL, PortSpec } from '../model';
import { PROTOCOLS } from '../ports';
import { Selector } from '../selector';
import type { Direction, SymbolicTierRule, Tiers } from './evaluator';
import { ALL_IPV4, ENTIRE_CLUSTER, intersectRanges, PodsRegion, pinnedNamespaces, rangesWithin, Region } from './region';
import { matchSpace, NAMESPACE_KEYS } from './selectors';
import { PortContext, SymPorts } from './sym-ports';
import { and3, or3, tri, Tri } from './tri';

/** Whether a subject (or `namespaces`/`pods` peer) selects every, no or possibly some pod of `region`. */
export function matchSelection(s: PodsSelection, region: PodsRegion): Tri {
  return and3(matchSpace(s.namespaceSelector, region.namespaces, NAMESPACE_KEYS), matchSpace(s.podSelector ?? Selector.ALL, region.pods));
}

/**
 * Whether a cluster-wide peer matches every, no or possibly some member of `region`. `networks` may match pods
 * whose address lies in a pod network (the CRDs: "cluster-internal traffic will be checked against the rule as
 * well"); `nodes` and `domainNames` match addresses the manifests do not give: always `maybe`.
 */
export function matchClusterPeer(peer: ClusterPeer, region: Region, podNetworks: readonly Ipv4Range[]): Tri {
  if (peer.type === 'nodes' || peer.type === 'domainNames') return 'maybe';
  if (peer.type === 'pods') return region.kind === 'pods' ? matchSelection(peer, region) : 'no';
  const v6: Tri = peer.ipv6.length > 0 ? 'maybe' : 'no';
  if (region.kind === 'external6') return v6;
  if (region.kind === 'external') return tri(rangesWithin(region.ranges, peer.ranges), intersectRanges(region.ranges, peer.ranges).length === 0);
  const reach = intersectRanges(peer.ranges, podNetworks);
  if (region.addresses) return or3(tri(rangesWithin(region.addresses, reach), intersectRanges(region.addresses, reach).length === 0), v6);
  return or3(reach.length > 0 ? 'maybe' : 'no', v6);
}

/** The regions a cluster-wide peer stands for. */
export function clusterPeerRegions(peer: ClusterPeer, podNetworks: readonly Ipv4Range[]): Region[] {
  if (peer.type === 'pods') return [{ kind: 'pods', namespaces: { selector: peer.namespaceSelector }, pods: { selector: peer.podSelector ?? Selector.ALL } }];
  if (peer.type !== 'networks') return [ENTIRE_CLUSTER, { kind: 'external', ranges: [ALL_IPV4] }];
  const out: Region[] = [];
  if (peer.ranges.length > 0) out.push({ kind: 'external', ranges: peer.ranges });
  const inPods = intersectRanges(peer.ranges, podNetworks);
  if (inPods.length > 0) out.push({ ...ENTIRE_CLUSTER, addresses: inPods });
  for (const c of peer.ipv6) out.push({ kind: 'external6', cidr: c, except: [] });
  if (peer.ipv6.length > 0) out.push(ENTIRE_CLUSTER);
  return out;
}

/** The connections of a rule's ports; a named port, which has no protocol of its own, stands for each one. */
export function clusterPorts(ports: readonly ClusterPortSpec[] | undefined, ctx: PortContext): SymPorts {
  if (!ports) return SymPorts.ALL;
  const specs: PortSpec[] = ports.flatMap((p) => (p.protocol ? [p as PortSpec] : PROTOCOLS.map((protocol) => ({ ...p, protocol }))));
  return SymPorts.of(specs, ctx);
}

/** The tier rules of `model.clusterPolicies`, per direction, in evaluation order. */
export function clusterTiers(model: Pick<Model, 'clusterPolicies'>, podNetworks: readonly Ipv4Range[]): Record<Direction, Tiers> {
  const out: Record<Direction, { admin: SymbolicTierRule[]; baseline: SymbolicTierRule[] }> = { ingress: { admin: [], baseline: [] }, egress: { admin: [], baseline: [] } };
  for (const policy of model.clusterPolicies) {
    for (const direction of ['ingress', 'egress'] as const) {
      const list = policy.tier === 'Admin' ? out[direction].admin : out[direction].baseline;
      for (const rule of policy[direction]) list.push(tierRule(policy, direction, rule, podNetworks));
    }
  }
  return out;
}

function tierRule(policy: ClusterPolicy, direction: Direction, rule: ClusterPolicy['ingress'][number], podNetworks: readonly Ipv4Range[]): SymbolicTierRule {
  return {
    subjectNamespaces: policy.subject.namespaceSelector.pinnedValues(NAMESPACE_NAME_LABEL),
    id: `${describeClusterPolicy(policy)} ${describeClusterRule(direction, rule)}`,
    action: rule.action,
    subject: (region) => matchSelection(policy.subject, region),
    peer: (region) => rule.peers.reduce<Tri>((m, p) => or3(m, matchClusterPeer(p, region, podNetworks)), 'no'),
    regions: () => rule.peers.flatMap((p) => clusterPeerRegions(p, podNetworks)),
    ports: (ctx) => clusterPorts(rule.ports, ctx),
  };
}

/** Per list of tier rules: the positions of the rules whose subject pins namespaces by name, by name; and the rest. */
interface RuleIndex {
  readonly byName: ReadonlyMap<string, readonly number[]>;
  readonly unpinned: readonly number[];
}

const indexes = new WeakMap<readonly SymbolicTierRule[], RuleIndex>();

function indexOf(rules: readonly SymbolicTierRule[]): RuleIndex {
  let index = indexes.get(rules);
  if (index) return index;
  const byName = new Map<string, number[]>();
  const unpinned: number[] = [];
  rules.forEach((r, i) => {
    if (!r.subjectNamespaces) return unpinned.push(i);
    for (const n of new Set(r.subjectNamespaces)) {
      const l = byName.get(n);
      if (l) l.push(i); else byName.set(n, [i]);
    }
    return undefined;
  });
  indexes.set(rules, index = { byName, unpinned });
  return index;
}

/**
 * The rules of `rules`, in their order, whose subject may select pods of `subject`: a rule whose subject pins
 * namespaces by name (`kubernetes.io/metadata.name in (…)`) cannot select pods of a subject pinned to other names,
 * so it is left out without matching (one Admin-tier policy per tenant would otherwise make every tenant's
 * evaluation scan every tenant's rules). The rules left in are still matched as before.
 */
export function rulesFor(rules: readonly SymbolicTierRule[], subject: PodsRegion): readonly SymbolicTierRule[] {
  const names = pinnedNamespaces(subject);
  if (!names || names.some((n) => n === undefined)) return rules;
  const index = indexOf(rules);
  const at = new Set(index.unpinned);
  for (const n of names) for (const i of index.byName.get(n) ?? []) at.add(i);
  return [...at].sort((a, b) => a - b).map((i) => rules[i]);
}
