/**
 * The tenancy invariants on flows, for one tenant namespace: it is isolated (for ingress, and for egress when
 * the tenant declared egress grants), and no rule lets a region outside the tenant and its grants in (or out).
 */
import { formatRange, Ipv4Range, isIpv6 } from '../ipv4';
import { IpBlockPeer, Policy } from '../model';
import { Candidate, Direction, rulesOf, SymbolicEvaluator } from './evaluator';
import { Grant, ownNamespaces, uncovered, Uncovered } from './grants';
import { formatCidrOrRange, intersectRanges, podsOfNamespace } from './region';
import { SymPorts } from './sym-ports';

/** A tenant namespace and what its tenant declared. */
export interface TenantNamespace {
  /** The namespace. */
  readonly name: string;
  /** Every namespace of its tenant (the namespace included). */
  readonly tenantNamespaces: ReadonlySet<string>;
  /** The declared ingress grants. */
  readonly ingressGrants: readonly Grant[];
  /** The declared egress grants, or undefined when the tenant does not isolate egress. */
  readonly egressGrants?: readonly Grant[];
}

/** A broken flow invariant. */
export interface FlowViolation {
  /** The policy at fault, if any. */
  readonly policy?: Policy;
  /** One line describing it and the fix. */
  readonly message: string;
}

const WORDS: Record<Direction, { peers: string; verb: string; grant: string; hint: string; fix: string }> = {
  ingress: {
    peers: 'from', verb: 'admits', grant: 'a declared grant', hint: '(declare it with tenant.allowFrom(...) or remove the rule)',
    fix: 'grant the tenant or namespace instead (tenant.allowFrom(...))',
  },
  egress: {
    peers: 'to', verb: 'may reach', grant: 'a declared egress grant', hint: '(declare it with tenant.allowTo(...) or remove the rule)',
    fix: 'allow the tenant or namespace instead (tenant.allowTo(...))',
  },
};

/** Checks the flows of one tenant namespace and returns the violations. */
export function checkNamespaceFlows(ev: SymbolicEvaluator, tn: TenantNamespace): FlowViolation[] {
  const out: FlowViolation[] = [];
  const subject = podsOfNamespace(tn.name);
  const directions: Array<[Direction, readonly Grant[]]> = [['ingress', tn.ingressGrants]];
  if (tn.egressGrants) directions.push(['egress', tn.egressGrants]);
  for (const [direction, grants] of directions) {
    if (ev.isolation(direction, subject) !== 'yes') {
      const why = direction === 'egress' ? ' (the tenant declares egress grants, so its namespaces must isolate egress)' : '';
      out.push({ message: `namespace ${tn.name} is not isolated for ${direction}: no policy selects every pod with ${direction === 'ingress' ? 'Ingress' : 'Egress'} in policyTypes${why}` });
    }
    const allowed = [...ownNamespaces(tn.tenantNamespaces), ...grants];
    const byRule = new Map<string, Candidate[]>();
    for (const c of ev.candidates(direction, subject)) {
      if (c.source.kind !== 'rule') continue; // an unisolated subject is reported above
      const k = `${c.source.policy.id}\u0000${c.source.rule}\u0000${c.source.peer ?? ''}`;
      const l = byRule.get(k);
      if (l) l.push(c); else byRule.set(k, [c]);
    }
    for (const list of byRule.values()) checkPeer(ev, direction, tn.name, list, allowed, out);
  }
  return out;
}

/** Checks the regions of one peer (or of a rule without peers). */
function checkPeer(ev: SymbolicEvaluator, direction: Direction, ns: string, list: Candidate[], allowed: readonly Grant[], out: FlowViolation[]): void {
  const src = list[0].source as Extract<Candidate['source'], { kind: 'rule' }>;
  const policy = src.policy;
  const rule = rulesOf(policy, direction)[src.rule];
  const w = WORDS[direction];
  const where = `${policy.id} ${direction}[${src.rule}]${src.peer === undefined ? '' : ` ${w.peers}[${src.peer}]`}`;
  const subject = podsOfNamespace(ns);
  const confirm = (u: Uncovered) => ev.evaluate(direction, subject, u.region).possible.intersect(u.ports);
  const report = (what: string, ports: SymPorts, why?: string) => out.push({
    policy,
    message: why
      ? `${where}: ${w.verb} ${what} on ${ports.describe()}: ${why}`
      : `${where}: ${w.verb} ${what} on ${ports.describe()} without ${w.grant} ${w.hint}`,
  });
  if (src.peer === undefined) {
    let ports = SymPorts.NONE;
    for (const c of list) {
      const rulePorts = SymPorts.of(rule.ports, c.region.kind === 'pods' ? 'unknown' : []);
      for (const u of uncovered(c.region, rulePorts, allowed)) ports = ports.union(confirm(u));
    }
    const every = direction === 'ingress' ? 'every source' : 'every destination';
    if (!ports.isEmpty()) report(`${every} (pods of any namespace and all external addresses)`, ports);
    return;
  }
  const peer = rule.peers![src.peer];
  for (const c of list) {
    const rulePorts = SymPorts.of(rule.ports, c.region.kind === 'pods' ? 'unknown' : []);
    for (const u of uncovered(c.region, rulePorts, allowed)) {
      const ports = confirm(u);
      if (ports.isEmpty()) continue;
      const r = u.region;
      if (r.kind === 'external') {
        report(`external addresses ${r.ranges.map(formatRange).join(',')}`, ports);
      } else if (r.kind === 'external6') {
        report(`external addresses in ${r.cidr}`, ports);
      } else if (peer.type === 'ipBlock') {
        report('pods of every namespace', ports, ipBlockReason(peer, ev.podNetworks, w.fix));
      } else {
        const sel = 'selector' in r.pods ? r.pods.selector : undefined;
        const pods = !sel || sel.isAll() ? 'pods' : `pods matching ${sel.toString()}`;
        const names = u.namespaces;
        report(names ? `${pods} of namespace${names.length > 1 ? 's' : ''} ${names.join(', ')}` : `${pods} of any namespace`, ports);
      }
    }
  }
}

function ipBlockReason(peer: IpBlockPeer, podNetworks: readonly Ipv4Range[], fix: string): string {
  const cant = `no grant can cover pods of every namespace: ${fix}, or narrow the CIDR or add excepts for the pod networks`;
  if (isIpv6(peer.cidr)) {
    return `ipBlock ${peer.cidr} is IPv6, which the analysis does not model, so it may match pod addresses; ${cant}`;
  }
  const nets = podNetworks.filter((n) => intersectRanges(peer.ranges, [n]).length > 0).map(formatCidrOrRange);
  return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(', ')}` : ''} overlaps the pod network${nets.length > 1 ? 's' : ''} ${nets.join(', ')}, and network plugins match pod addresses against ipBlocks; ${cant}`;
}
