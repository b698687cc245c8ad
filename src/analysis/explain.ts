/**
 * Explanations: for each side of a connection (egress at the source, ingress at the destination), the tiers in
 * order — the Admin tier's rules, what it passed on, the NetworkPolicies that isolate the endpoint and their rules,
 * the Baseline tier, the default — and which rule decides which connections. The decision itself is `tiers.ts`'s,
 * shared with the engine; the matching of peers is `match.ts`'s and `cluster-match.ts`'s. Text rendering is in
 * `explain-format.ts`.
 */
import {
  clusterPeerMatchesDomain, clusterPeerMatchesRange, clusterPeerMatchesWorkload, clusterRuleConnections, Match,
  rangesMatchAnyAddress, subjectSelectsWorkload,
} from './cluster-match';
import { ClusterPeer, ClusterPolicy, ClusterRule, describeClusterPolicy, describeClusterRule, WrittenAction } from './cluster-policy';
import { Ipv4Range, isIpv6, parseIpv4 } from './ipv4';
import { npPeerMatchesWorkload, peerMatchesRange, policySelects, ruleConnections } from './match';
import { Model, Peer, Policy, Rule, Workload } from './model';
import { ConnectionSet, Protocol } from './ports';
import { domainEndpoint, Endpoint, externalEndpoint, Reachability, workloadEndpoint } from './reachability';
import { DecisionTier, decideSide, SideTrace, TierRule, TierSide } from './tiers';

/** What one rule does to the connection (a NetworkPolicy rule, or a rule of a cluster-wide policy). */
export interface RuleVerdict {
  /** `ns/name ingress[0]`, or `ClusterNetworkPolicy a (tier Admin, priority 10) spec.ingress[1] ("deny")`. */
  readonly rule: string;
  /** The policy: `ns/name`, or `ClusterNetworkPolicy a (tier Admin, priority 10)`. */
  readonly policy: string;
  /** The rule within the policy: `ingress[0]`, or `spec.ingress[1] ("deny")`. */
  readonly ruleName: string;
  /** The tier of the rule. */
  readonly tier: DecisionTier;
  /** The action as written (`Allow` for a NetworkPolicy rule). */
  readonly action: WrittenAction;
  /** Whether some peer of the rule (or the absence of peers) matches the other side; `maybe` is an assumption. */
  readonly match: Match;
  /** Whether the peers match (`match` is `yes` or `maybe`). */
  readonly peerMatches: boolean;
  /** Why the peers match or not. */
  readonly reason: string;
  /** What the rule's ports cover towards the destination (empty when its peers do not match). */
  readonly connections: ConnectionSet;
  /** What it decided: allowed, denied (`yes` Deny), or passed on (Pass) of what was still undecided. */
  readonly applied: ConnectionSet;
}

/** One side of the connection: egress at the source or ingress at the destination. */
export interface SideExplanation {
  /** `egress` (at the source) or `ingress` (at the destination). */
  readonly direction: 'egress' | 'ingress';
  /** The endpoint whose policies apply. */
  readonly endpoint: Endpoint;
  /** False for an external range or a domain: its traffic is not governed by network policies. */
  readonly governed: boolean;
  /** The Admin-tier policies that select the endpoint and have rules in this direction (descriptions). */
  readonly adminPolicies: readonly string[];
  /** Their rules, in evaluation order. */
  readonly admin: readonly RuleVerdict[];
  /** What the Admin tier allowed. */
  readonly adminAllowed: ConnectionSet;
  /** What the Admin tier left undecided or passed on, to the NetworkPolicy tier. */
  readonly toNetworkPolicy: ConnectionSet;
  /** The NetworkPolicies that select the endpoint and isolate it in this direction, by id. */
  readonly policies: readonly string[];
  /** Each rule of those policies. */
  readonly rules: readonly RuleVerdict[];
  /** What the NetworkPolicy tier allowed of what it received. */
  readonly npAllowed: ConnectionSet;
  /** The Baseline-tier policies that select the endpoint and have rules in this direction (descriptions). */
  readonly baselinePolicies: readonly string[];
  /** What reached the Baseline tier (nothing when a NetworkPolicy isolates the endpoint). */
  readonly toBaseline: ConnectionSet;
  /** Their rules, in evaluation order (empty when a NetworkPolicy isolates the endpoint). */
  readonly baseline: readonly RuleVerdict[];
  /** What the Baseline tier allowed. */
  readonly baselineAllowed: ConnectionSet;
  /** What no tier decided (or a Baseline Pass handed on): allowed by default. */
  readonly toDefault: ConnectionSet;
  /** What this side allows. */
  readonly allowed: ConnectionSet;
}

/** The explanation of the connections from one endpoint to another. */
export interface Explanation {
  /** Source. */
  readonly from: Endpoint;
  /** Destination. */
  readonly to: Endpoint;
  /** Egress at the source. */
  readonly egress: SideExplanation;
  /** Ingress at the destination. */
  readonly ingress: SideExplanation;
  /** What is allowed: both sides must allow it. */
  readonly allowed: ConnectionSet;
  /** The port asked about, if any. */
  readonly port?: { readonly protocol: Protocol; readonly port: number };
}

type Side = { w: Workload } | { range: Ipv4Range } | { domain: string };

interface ExplainRule extends TierRule {
  readonly tier: DecisionTier;
  readonly policy: string;
  readonly ruleName: string;
  readonly writtenAction: WrittenAction;
  readonly match: Match;
  readonly reason: string;
  readonly conns: ConnectionSet;
}

/**
 * A peer as explain shows it: `namespaceSelector team=a + podSelector app=web`, `ipBlock 0.0.0.0/0 except
 * 10.0.0.0/8` (NetworkPolicy); `namespaces team=a`, `pods namespaceSelector {} + podSelector app=web`,
 * `networks 10.0.0.0/8`, `nodes {}`, `domainNames *.example.com` (cluster-wide policy).
 */
export function describePeer(p: Peer | ClusterPeer, cluster: boolean): string {
  if (p.type === 'ipBlock') return `ipBlock ${p.cidr}${p.except.length ? ` except ${p.except.join(',')}` : ''}`;
  if (p.type === 'networks') return `networks ${p.cidrs.join(',')}`;
  if (p.type === 'nodes') return `nodes ${p.nodeSelector.toString()}`;
  if (p.type === 'domainNames') return `domainNames ${p.domainNames.join(',')}`;
  if (cluster && p.podSelector === undefined) return `namespaces ${p.namespaceSelector!.toString()}`;
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaceSelector ${p.namespaceSelector.toString()}`);
  if (p.podSelector) parts.push(`podSelector ${p.podSelector.toString()}`);
  return `${cluster ? 'pods ' : ''}${parts.join(' + ')}`;
}

/** Why a peer only may match: the assumption the analysis makes. */
function assumption(p: Peer | ClusterPeer, other: Side): string {
  if (p.type === 'nodes') return 'node addresses are not in the manifests';
  if (p.type === 'domainNames') return 'w' in other ? 'the name may resolve to a pod\'s address' : 'another name may resolve to the same address';
  if ('domain' in other) return 'the domain\'s addresses are not in the manifests';
  const ipv6 = p.type === 'networks' ? p.ipv6.length > 0 : p.type === 'ipBlock' && isIpv6(p.cidr);
  return ipv6 ? 'IPv6: a dual-stack pod also has an IPv6 address' : 'it overlaps the pod networks, and the pod\'s address is not in the manifests';
}

/** Whether a NetworkPolicy peer of `policy` matches the other side. */
function npPeerLevel(model: Model, policy: Policy, p: Peer, other: Side): Match {
  if ('w' in other) return npPeerMatchesWorkload(model, policy.namespace, p, other.w);
  if ('range' in other) return peerMatchesRange(p, other.range) ? 'yes' : 'no';
  return p.type === 'ipBlock' ? rangesMatchAnyAddress(p.ranges, isIpv6(p.cidr)) : 'no';
}

/** Whether a peer of a cluster-wide policy matches the other side. */
function clusterPeerLevel(model: Model, p: ClusterPeer, other: Side): Match {
  if ('w' in other) return clusterPeerMatchesWorkload(model, p, other.w);
  if ('range' in other) return clusterPeerMatchesRange(p, other.range);
  return clusterPeerMatchesDomain(p, other.domain);
}

function matchRule<P extends Peer | ClusterPeer>(peers: readonly P[] | undefined, level: (p: P) => Match, cluster: boolean, field: string, other: Side):
{ match: Match; reason: string } {
  if (!peers) return { match: 'yes', reason: `no ${field}: everything matches` };
  const levels = peers.map(level);
  const at = (l: Match) => levels.flatMap((x, j) => (x === l ? [j] : []));
  const yes = at('yes');
  if (yes.length > 0) return { match: 'yes', reason: yes.map((j) => `${field}[${j}] ${describePeer(peers[j], cluster)} matches`).join('; ') };
  const maybe = at('maybe');
  if (maybe.length > 0) {
    return { match: 'maybe', reason: maybe.map((j) => `${field}[${j}] ${describePeer(peers[j], cluster)} may match (assumed: ${assumption(peers[j], other)})`).join('; ') };
  }
  return { match: 'no', reason: `no peer matches (${peers.map((p, j) => `${field}[${j}] ${describePeer(p, cluster)}`).join('; ')})` };
}

function workloadOf(s: Side): Workload | undefined {
  return 'w' in s ? s.w : undefined;
}

function clusterRules(model: Model, tier: 'Admin' | 'Baseline', direction: 'egress' | 'ingress', self: Workload, other: Side, dst: Workload | undefined):
{ policies: string[]; rules: ExplainRule[] } {
  const field = direction === 'ingress' ? 'from' : 'to';
  const selecting = model.clusterPolicies.filter((p: ClusterPolicy) => p.tier === tier && p[direction].length > 0 && subjectSelectsWorkload(model, p.subject, self));
  const rules = selecting.flatMap((p) => p[direction].map((r: ClusterRule): ExplainRule => {
    const { match, reason } = matchRule(r.peers, (p) => clusterPeerLevel(model, p, other), true, field, other);
    return {
      tier, action: r.action, writtenAction: r.writtenAction, policy: describeClusterPolicy(p), ruleName: describeClusterRule(direction, r),
      match, reason, conns: match === 'no' ? ConnectionSet.NONE : clusterRuleConnections(r, dst),
    };
  }));
  return { policies: selecting.map(describeClusterPolicy), rules };
}

function explainSide(reach: Reachability, direction: 'egress' | 'ingress', self: Side, other: Side): SideExplanation {
  const endpoint = 'w' in self ? workloadEndpoint(self.w) : 'range' in self ? externalEndpoint(self.range) : domainEndpoint(self.domain);
  if (!('w' in self)) {
    return {
      direction, endpoint, governed: false, adminPolicies: [], admin: [], adminAllowed: ConnectionSet.NONE, toNetworkPolicy: ConnectionSet.ALL,
      policies: [], rules: [], npAllowed: ConnectionSet.NONE, baselinePolicies: [], toBaseline: ConnectionSet.ALL, baseline: [],
      baselineAllowed: ConnectionSet.NONE, toDefault: ConnectionSet.ALL, allowed: ConnectionSet.ALL,
    };
  }
  const model = reach.model;
  const dst = direction === 'ingress' ? self.w : workloadOf(other);
  const admin = clusterRules(model, 'Admin', direction, self.w, other, dst);
  const baseline = clusterRules(model, 'Baseline', direction, self.w, other, dst);
  const isolating = model.policies.filter((p: Policy) => policySelects(p, self.w) && (direction === 'ingress' ? p.isolatesIngress : p.isolatesEgress));
  const field = direction === 'ingress' ? 'from' : 'to';
  const np = isolating.flatMap((p) => (direction === 'ingress' ? p.ingress : p.egress).map((r: Rule, i): ExplainRule => {
    const { match, reason } = matchRule(r.peers, (x) => npPeerLevel(model, p, x, other), false, field, other);
    return {
      tier: 'NetworkPolicy', action: 'Allow', writtenAction: 'Allow', policy: p.id, ruleName: `${direction}[${i}]`, match, reason,
      conns: match === 'no' ? ConnectionSet.NONE : ruleConnections(r, dst),
    };
  }));
  const side: TierSide<ExplainRule> = { admin: admin.rules, npIsolated: isolating.length > 0, np, baseline: baseline.rules };
  let trace!: SideTrace<ExplainRule>;
  decideSide(side, (r) => r.match, (r) => r.conns, { trace: (t) => { trace = t; } });
  const verdicts = (outcomes: SideTrace<ExplainRule>['admin']): RuleVerdict[] => outcomes.map((o) => ({
    rule: `${o.rule.policy} ${o.rule.ruleName}`, policy: o.rule.policy, ruleName: o.rule.ruleName, tier: o.rule.tier, action: o.rule.writtenAction, match: o.match, peerMatches: o.match !== 'no',
    reason: o.rule.reason, connections: o.connections, applied: o.applied,
  }));
  return {
    direction, endpoint, governed: true,
    adminPolicies: admin.policies, admin: verdicts(trace.admin), adminAllowed: trace.adminAllowed, toNetworkPolicy: trace.toNetworkPolicy,
    policies: isolating.map((p) => p.id), rules: verdicts(trace.np), npAllowed: trace.npAllowed,
    baselinePolicies: baseline.policies, toBaseline: trace.toBaseline, baseline: verdicts(trace.baseline), baselineAllowed: trace.baselineAllowed,
    toDefault: trace.toDefault, allowed: trace.allowed,
  };
}

function resolveSide(reach: Reachability, ref: string): Side {
  const k = reach.domainIndex(ref);
  if (k !== undefined) return { domain: reach.raw.domains[k] };
  const ip = parseIpv4(ref.replace(/\[External\]$/, ''));
  if (ip !== undefined) return { range: { start: ip, end: ip } };
  const w = reach.findWorkload(ref);
  if (!w) throw new Error(`no workload "${ref}" in the input`);
  return { w };
}

/**
 * Explains the connections from `from` to `to` (workload references `ns/name[Kind]` or `ns/name`, IPv4 addresses,
 * or, as destination, a domain of the input `*.example.com[Domain]`), optionally about one port. Throws for an
 * unknown workload or domain.
 */
export function explain(reach: Reachability, from: string, to: string, port?: { protocol: Protocol; port: number }): Explanation {
  const src = resolveSide(reach, from);
  if ('domain' in src) throw new Error(`a domain is a destination only: to explain traffic from its addresses, give one (--from 203.0.113.7)`);
  const dst = resolveSide(reach, to);
  const egress = explainSide(reach, 'egress', src, dst);
  const ingress = explainSide(reach, 'ingress', dst, src);
  let allowed = egress.allowed.intersect(ingress.allowed);
  if ('w' in src && 'w' in dst && src.w.id === dst.w.id) allowed = ConnectionSet.NONE;
  if (!('w' in src) && !('w' in dst)) allowed = ConnectionSet.NONE;
  return { from: egress.endpoint, to: ingress.endpoint, egress, ingress, allowed, port };
}
