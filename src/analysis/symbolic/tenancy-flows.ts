/**
 * The tenancy invariants on flows, for one tenant namespace: no region outside the tenant and its grants may
 * get in (or, when the tenant declared egress grants, be reached), whichever tier lets it: a NetworkPolicy rule,
 * a cluster-wide Allow rule, or the default for pods no policy isolates.
 */
import { formatRange, Ipv4Range, isIpv6 } from '../ipv4';
import { Policy } from '../model';
import { Candidate, Direction, rulesOf, SymbolicEvaluator } from './evaluator';
import { Grant, ownNamespaces, uncovered, Uncovered } from './grants';
import { formatCidrOrRange, intersectRanges, PodsRegion, podsOfNamespace, Region } from './region';
import { PortContext, SymPorts } from './sym-ports';

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
  /** The NetworkPolicy at fault, if any. */
  readonly policy?: Policy;
  /** One line describing it and the fix. */
  readonly message: string;
}

const WORDS: Record<Direction, { peers: string; verb: string; grant: string; hint: string; fix: string; every: string }> = {
  ingress: {
    peers: 'from', verb: 'admits', grant: 'a declared grant', hint: '(declare it with tenant.allowFrom(...) or remove the rule)',
    fix: 'grant the tenant or namespace instead (tenant.allowFrom(...))', every: 'every source',
  },
  egress: {
    peers: 'to', verb: 'may reach', grant: 'a declared egress grant', hint: '(declare it with tenant.allowTo(...) or remove the rule)',
    fix: 'allow the tenant or namespace instead (tenant.allowTo(...))', every: 'every destination',
  },
};

/** An address block of a rule, as messages name it: `ipBlock 10.0.0.0/8 except …` or `its networks`. */
interface Block {
  readonly text: string;
  /** `overlaps` or `overlap`. */
  readonly verb: string;
  readonly ipv6: boolean;
}

/** A rule that may let regions through, and how messages name it. */
interface Source {
  readonly key: string;
  readonly where: string;
  readonly policy?: Policy;
  readonly ports: (ctx: PortContext) => SymPorts;
  /** The rule has no peers: one message for everything it lets through. */
  readonly everything: boolean;
  /** How to name an address block of the rule that overlaps the pod networks. */
  readonly block?: Block;
}

/** The rule a candidate comes from; undefined for an unisolated subject, and for a Pass (decided below it). */
function sourceOf(c: Candidate, direction: Direction): Source | undefined {
  const s = c.source;
  if (s.kind === 'unisolated' || (s.kind === 'tier' && s.rule.action !== 'Allow')) return undefined;
  if (s.kind === 'tier') {
    return { key: s.rule.id, where: s.rule.id, ports: (ctx) => s.rule.ports(ctx), everything: false, block: { text: 'its networks', verb: 'overlap', ipv6: false } };
  }
  const rule = rulesOf(s.policy, direction)[s.rule];
  const peer = s.peer === undefined ? undefined : rule.peers![s.peer];
  return {
    key: `${s.policy.id}\u0000${s.rule}\u0000${s.peer ?? ''}`,
    where: `${s.policy.id} ${direction}[${s.rule}]${s.peer === undefined ? '' : ` ${WORDS[direction].peers}[${s.peer}]`}`,
    policy: s.policy,
    ports: (ctx) => SymPorts.of(rule.ports, ctx),
    everything: s.peer === undefined,
    block: peer?.type === 'ipBlock'
      ? { text: `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(', ')}` : ''}`, verb: 'overlaps', ipv6: isIpv6(peer.cidr) }
      : undefined,
  };
}

/** Checks the flows of one tenant namespace and returns the violations. */
export function checkNamespaceFlows(ev: SymbolicEvaluator, tn: TenantNamespace): FlowViolation[] {
  const out: FlowViolation[] = [];
  const subject = podsOfNamespace(tn.name);
  const directions: Array<[Direction, readonly Grant[]]> = [['ingress', tn.ingressGrants]];
  if (tn.egressGrants) directions.push(['egress', tn.egressGrants]);
  for (const [direction, grants] of directions) {
    const allowed = [...ownNamespaces(tn.tenantNamespaces), ...grants];
    const bySource = new Map<string, { source: Source; regions: Region[] }>();
    const open: Region[] = [];
    for (const c of ev.candidates(direction, subject)) {
      if (c.source.kind === 'unisolated') open.push(c.region);
      const source = sourceOf(c, direction);
      if (!source) continue;
      const e = bySource.get(source.key);
      if (e) e.regions.push(c.region); else bySource.set(source.key, { source, regions: [c.region] });
    }
    // Pods no NetworkPolicy isolates: a violation when what reaches them (through the other tiers) is not granted.
    if (confirmed(ev, direction, subject, open, () => SymPorts.ALL, allowed).length > 0) {
      const why = direction === 'egress' ? ' (the tenant declares egress grants, so its namespaces must isolate egress)' : '';
      out.push({ message: `namespace ${tn.name} is not isolated for ${direction}: no policy selects every pod with ${direction === 'ingress' ? 'Ingress' : 'Egress'} in policyTypes${why}` });
    }
    for (const { source, regions } of bySource.values()) {
      out.push(...check(ev, direction, subject, source, regions, allowed).map((message) => ({ policy: source.policy, message })));
    }
  }
  return out;
}

/**
 * The parts of `regions` no grant covers on the ports a rule names, with the connections the evaluator confirms
 * (after every tier; it also resolves the named ports it can, e.g. to nothing towards external addresses).
 */
function confirmed(ev: SymbolicEvaluator, direction: Direction, subject: PodsRegion, regions: readonly Region[], ports: (ctx: PortContext) => SymPorts, allowed: readonly Grant[]): Array<{ u: Uncovered; ports: SymPorts }> {
  const parts: Array<{ u: Uncovered; ports: SymPorts }> = [];
  for (const region of regions) {
    for (const u of uncovered(region, ports('unknown'), allowed)) {
      const p = ev.possible(direction, subject, u.region).intersect(u.ports);
      if (!p.isEmpty()) parts.push({ u, ports: p });
    }
  }
  return parts;
}

/** The messages for what one rule lets through beyond the grants. */
function check(ev: SymbolicEvaluator, direction: Direction, subject: PodsRegion, source: Source, regions: Region[], allowed: readonly Grant[]): string[] {
  const w = WORDS[direction];
  const parts = confirmed(ev, direction, subject, regions, source.ports, allowed);
  const line = (what: string, ports: SymPorts, why?: string) => (why
    ? `${source.where}: ${w.verb} ${what} on ${ports.describe()}: ${why}`
    : `${source.where}: ${w.verb} ${what} on ${ports.describe()} without ${w.grant} ${w.hint}`);
  if (source.everything) {
    if (parts.length === 0) return [];
    const ports = parts.reduce((p, x) => p.union(x.ports), SymPorts.NONE);
    return [line(`${w.every} (pods of any namespace and all external addresses)`, ports)];
  }
  return parts.map(({ u, ports }) => {
    const r = u.region;
    if (r.kind === 'external') return line(`external addresses ${r.ranges.map(formatRange).join(',')}`, ports);
    if (r.kind === 'external6') return line(`external addresses in ${r.cidr}`, ports);
    if (source.block && (r.addresses || source.block.ipv6)) return line('pods of every namespace', ports, blockReason(source.block, r.addresses, ev.podNetworks, w.fix));
    const sel = 'selector' in r.pods ? r.pods.selector : undefined;
    const pods = !sel || sel.isAll() ? 'pods' : `pods matching ${sel.toString()}`;
    const names = u.namespaces;
    return line(names ? `${pods} of namespace${names.length > 1 ? 's' : ''} ${names.join(', ')}` : `${pods} of any namespace`, ports);
  });
}

/** Why a block that may match pods cannot be granted; `addresses` undefined: an IPv6 block (any pod). */
function blockReason(block: Block, addresses: readonly Ipv4Range[] | undefined, podNetworks: readonly Ipv4Range[], fix: string): string {
  const cant = `no grant can cover pods of every namespace: ${fix}, or narrow the CIDR or add excepts for the pod networks`;
  if (!addresses) return `${block.text} is IPv6, which the analysis does not model, so it may match pod addresses; ${cant}`;
  const nets = podNetworks.filter((n) => intersectRanges(addresses, [n]).length > 0).map(formatCidrOrRange);
  return `${block.text} ${block.verb} the pod network${nets.length > 1 ? 's' : ''} ${nets.join(', ')}, and network plugins match pod addresses against ipBlocks; ${cant}`;
}
