/**
 * Explanations: which policies select each side of a connection, and which rules allow it or why none does.
 */
import { Ipv4Range, parseIpv4 } from './ipv4';
import { Peer, Policy, Rule, Workload } from './model';
import { peerMatchesRange, peerMatchesWorkload, policySelects, ruleConnections } from './match';
import { ConnectionSet, Protocol } from './ports';
import { Endpoint, externalEndpoint, Reachability, workloadEndpoint } from './reachability';

/** What one rule contributes. */
export interface RuleVerdict {
  /** `ns/name ingress[0]`. */
  readonly rule: string;
  /** Whether some peer of the rule (or the absence of peers) matches the other side. */
  readonly peerMatches: boolean;
  /** Why the peers match or not. */
  readonly reason: string;
  /** What the rule admits towards the destination (empty when its peers do not match). */
  readonly connections: ConnectionSet;
}

/** One side of the connection: egress at the source or ingress at the destination. */
export interface SideExplanation {
  /** `egress` (at the source) or `ingress` (at the destination). */
  readonly direction: 'egress' | 'ingress';
  /** The endpoint whose policies apply. */
  readonly endpoint: Endpoint;
  /** False for an external endpoint: its traffic is not governed by NetworkPolicies. */
  readonly governed: boolean;
  /** The policies that select the endpoint and isolate it in this direction, by id. */
  readonly policies: readonly string[];
  /** Each rule of those policies. */
  readonly rules: readonly RuleVerdict[];
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

type Side = { w: Workload } | { range: Ipv4Range };

function describePeer(p: Peer): string {
  if (p.type === 'ipBlock') return `ipBlock ${p.cidr}${p.except.length ? ` except ${p.except.join(',')}` : ''}`;
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaceSelector ${p.namespaceSelector.toString()}`);
  if (p.podSelector) parts.push(`podSelector ${p.podSelector.toString()}`);
  return parts.join(' + ');
}

function explainSide(reach: Reachability, direction: 'egress' | 'ingress', self: Side, other: Side): SideExplanation {
  const endpoint = 'w' in self ? workloadEndpoint(self.w) : externalEndpoint(self.range);
  if (!('w' in self)) return { direction, endpoint, governed: false, policies: [], rules: [], allowed: ConnectionSet.ALL };
  const model = reach.model;
  const isolating = model.policies.filter((p: Policy) => policySelects(p, self.w) && (direction === 'ingress' ? p.isolatesIngress : p.isolatesEgress));
  if (isolating.length === 0) return { direction, endpoint, governed: true, policies: [], rules: [], allowed: ConnectionSet.ALL };
  const dst = direction === 'ingress' ? self.w : ('w' in other ? other.w : undefined);
  const rules: RuleVerdict[] = [];
  let allowed = ConnectionSet.NONE;
  for (const p of isolating) {
    const list: readonly Rule[] = direction === 'ingress' ? p.ingress : p.egress;
    const field = direction === 'ingress' ? 'from' : 'to';
    list.forEach((r, i) => {
      const name = `${p.id} ${direction}[${i}]`;
      let matches: boolean;
      let reason: string;
      if (!r.peers) {
        matches = true;
        reason = `no ${field}: every ${direction === 'ingress' ? 'source' : 'destination'} matches`;
      } else {
        const hits = r.peers.map((peer, j) => ({ j, peer })).filter(({ peer }) =>
          'w' in other ? peerMatchesWorkload(model, p.namespace, peer, other.w) : peerMatchesRange(peer, other.range));
        matches = hits.length > 0;
        reason = matches
          ? hits.map(({ j, peer }) => `${field}[${j}] ${describePeer(peer)} matches`).join('; ')
          : `no peer matches (${r.peers.map((peer, j) => `${field}[${j}] ${describePeer(peer)}`).join('; ')})`;
      }
      let connections = ConnectionSet.NONE;
      if (matches) {
        connections = ruleConnections(r, dst);
        if (connections.isEmpty()) reason += '; but its ports admit nothing here (a named port the destination does not declare)';
      }
      allowed = allowed.union(connections);
      rules.push({ rule: name, peerMatches: matches, reason, connections });
    });
  }
  return { direction, endpoint, governed: true, policies: isolating.map((p) => p.id), rules, allowed };
}

function resolveSide(reach: Reachability, ref: string): Side {
  const ip = parseIpv4(ref.replace(/\[External\]$/, ''));
  if (ip !== undefined) return { range: { start: ip, end: ip } };
  const w = reach.findWorkload(ref);
  if (!w) throw new Error(`no workload "${ref}" in the input`);
  return { w };
}

/**
 * Explains the connections from `from` to `to` (workload references `ns/name[Kind]` or `ns/name`, or IPv4
 * addresses), optionally about one port. Throws for an unknown workload.
 */
export function explain(reach: Reachability, from: string, to: string, port?: { protocol: Protocol; port: number }): Explanation {
  const src = resolveSide(reach, from);
  const dst = resolveSide(reach, to);
  const egress = explainSide(reach, 'egress', src, dst);
  const ingress = explainSide(reach, 'ingress', dst, src);
  let allowed = egress.allowed.intersect(ingress.allowed);
  if ('w' in src && 'w' in dst && src.w.id === dst.w.id) allowed = ConnectionSet.NONE;
  if (!('w' in src) && !('w' in dst)) allowed = ConnectionSet.NONE;
  return { from: egress.endpoint, to: ingress.endpoint, egress, ingress, allowed, port };
}

function formatSide(s: SideExplanation): string[] {
  const head = `${s.direction} ${s.direction === 'egress' ? 'from' : 'to'} ${s.endpoint.id}`;
  if (!s.governed) return [`${head}: external, not governed by NetworkPolicies: All Connections`];
  if (s.policies.length === 0) {
    return [`${head}: not isolated (no NetworkPolicy with ${s.direction === 'egress' ? 'Egress' : 'Ingress'} in policyTypes selects it): All Connections`];
  }
  const lines = [`${head}: isolated by ${s.policies.join(', ')}`];
  const withRules = new Set(s.rules.map((r) => r.rule.split(' ')[0]));
  for (const p of s.policies) if (!withRules.has(p)) lines.push(`  ${p}: no ${s.direction} rules (admits nothing)`);
  for (const r of s.rules) lines.push(`  ${r.rule}: ${r.reason}${r.peerMatches && !r.connections.isEmpty() ? `; allows ${r.connections.toString()}` : ''}`);
  lines.push(`  allowed: ${s.allowed.toString()}`);
  return lines;
}

/** Renders an explanation as text lines. */
export function formatExplanation(e: Explanation): string {
  const lines = [`from ${e.from.id} to ${e.to.id}`, ...formatSide(e.egress), ...formatSide(e.ingress)];
  if (e.from.id === e.to.id) lines.push('result: No Connections (a workload is never reported to itself)');
  else lines.push(`result: ${e.allowed.toString()}`);
  if (e.port) {
    const p = `${e.port.port}/${e.port.protocol}`;
    if (e.allowed.has(e.port.protocol, e.port.port)) {
      lines.push(`port ${p}: allowed`);
    } else {
      const why = [
        e.egress.allowed.has(e.port.protocol, e.port.port) ? undefined : 'the egress side does not allow it',
        e.ingress.allowed.has(e.port.protocol, e.port.port) ? undefined : 'the ingress side does not admit it',
      ].filter((x) => x !== undefined);
      lines.push(`port ${p}: denied${why.length ? ` (${why.join('; ')})` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
