/**
 * What each rule's peers match, computed once per rule for the engine: workloads (through the label indexes of
 * `Selection`), external address segments and domains, each with a `Match` level (see `cluster-match.ts` and
 * `match.ts` for the pair-level semantics these agree with).
 *
 * Workload targets are a level for "every other workload" plus a list of exceptions. A list longer than half the
 * workloads is stored inverted (every workload `yes`, except a short list), so a rule such as "deny from every
 * tenant namespace" costs its few exceptions per destination, not one entry per workload.
 */
import {
  clusterPeerMatchesDomain, clusterRuleConnections, clusterRuleHasNamedPort, Match, rangesMatchAnyAddress,
} from './cluster-match';
import { ClusterPeer, ClusterRule } from './cluster-policy';
import { Ipv4Range, isIpv6, MAX_IPV4 } from './ipv4';
import { podNetworkMatch, ruleConnections, ruleHasNamedPort } from './match';
import { Model, Peer, Policy, Rule, Workload } from './model';
import { ConnectionSet } from './ports';
import { Selection } from './selection';
import { Selector } from './selector';
import { TierRule } from './tiers';

/** What a rule's peers match. */
export interface Targets {
  /** The level of every workload that is not in `pods`. */
  readonly podBase: Match;
  /** The workloads whose level is `podListLevel` instead, sorted, unique. */
  readonly pods: readonly number[];
  /** Membership of `pods`. */
  readonly podSet: ReadonlySet<number>;
  /** The level of the workloads in `pods`. */
  readonly podListLevel: Match;
  /** The level of every external segment that is not in `segments`. */
  readonly segBase: Match;
  /** The segments matched `yes`, sorted, unique (segments are cut at every CIDR boundary: no partial overlap). */
  readonly segments: readonly number[];
  /** Membership of `segments`. */
  readonly segSet: ReadonlySet<number>;
  /** The level towards the addresses of a domain (a `Domain` endpoint). */
  readonly domain: (name: string) => Match;
}

/** A rule as the engine evaluates it. */
export interface EngineRule extends TierRule {
  /** What its peers match. */
  readonly targets: Targets;
  /** Its connections when they do not depend on the destination (no named port). */
  readonly fixed?: ConnectionSet;
  /** Its connections towards `dst` (a workload, or undefined for an address that is not a known pod). */
  readonly connections: (dst: Workload | undefined) => ConnectionSet;
}

/** The level of workload `i` for a rule. */
export function podLevel(t: Targets, i: number): Match {
  return t.podSet.has(i) ? t.podListLevel : t.podBase;
}

/** The level of external segment `g` for a rule. */
export function segLevel(t: Targets, g: number): Match {
  return t.segSet.has(g) ? 'yes' : t.segBase;
}

const RANK: Record<Match, number> = { no: 0, maybe: 1, yes: 2 };

/** The stronger of two levels (a rule matches when any of its peers does). */
export function maxMatch(a: Match, b: Match): Match {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Segment indexes covered by ranges (each range starts and ends on segment boundaries), unique. */
export function segmentsOf(segments: readonly Ipv4Range[], ranges: readonly Ipv4Range[]): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid].start <= r.start) lo = mid; else hi = mid - 1;
    }
    for (let i = lo; i < segments.length && segments[i].start <= r.end; i++) out.push(i);
  }
  return [...new Set(out)];
}

interface Draft {
  podBase: Match;
  readonly lists: number[][];
  segBase: Match;
  readonly ranges: Ipv4Range[];
  readonly domainLevels: Array<(name: string) => Match>;
}

/** Builds the targets of rules, sharing the work between rules that use the same selectors. */
export class TargetBuilder {
  private readonly n: number;

  constructor(private readonly model: Model, private readonly sel: Selection, private readonly segments: readonly Ipv4Range[]) {
    this.n = model.workloads.length;
  }

  /** A NetworkPolicy rule of `policy` (it only allows: no action). */
  public npRule(policy: Policy, rule: Rule): EngineRule {
    const d = this.draft();
    if (rule.peers) {
      for (const p of rule.peers) this.addNpPeer(d, policy, p);
    } else {
      // No `from`/`to`: every source or destination, pods and addresses alike.
      d.podBase = 'yes';
      d.segBase = 'yes';
      d.domainLevels.push(() => 'yes');
    }
    return {
      targets: this.finish(d),
      fixed: ruleHasNamedPort(rule) ? undefined : ruleConnections(rule, undefined),
      connections: (dst) => ruleConnections(rule, dst),
    };
  }

  /** A rule of a cluster-wide policy. */
  public clusterRule(rule: ClusterRule): EngineRule {
    const d = this.draft();
    for (const p of rule.peers) this.addClusterPeer(d, p);
    return {
      action: rule.action, targets: this.finish(d),
      fixed: clusterRuleHasNamedPort(rule) ? undefined : clusterRuleConnections(rule, undefined),
      connections: (dst) => clusterRuleConnections(rule, dst),
    };
  }

  /** The workloads a subject (or any pods selection) selects, sorted; `undefined` namespace selector: `policyNs`. */
  public selected(policyNs: string | undefined, podSelector: Selector | undefined, namespaceSelector: Selector | undefined): readonly number[] {
    return this.sel.pods(policyNs, podSelector, namespaceSelector);
  }

  private draft(): Draft {
    return { podBase: 'no', lists: [], segBase: 'no', ranges: [], domainLevels: [] };
  }

  private addPods(d: Draft, policyNs: string | undefined, podSelector: Selector | undefined, namespaceSelector: Selector | undefined): void {
    if (namespaceSelector?.isAll() && (!podSelector || podSelector.isAll())) d.podBase = 'yes';
    else d.lists.push(this.sel.pods(policyNs, podSelector, namespaceSelector));
  }

  private addNpPeer(d: Draft, policy: Policy, p: Peer): void {
    if (p.type === 'pods') {
      this.addPods(d, policy.namespace, p.podSelector, p.namespaceSelector);
      return;
    }
    const ipv6 = isIpv6(p.cidr);
    d.podBase = maxMatch(d.podBase, podNetworkMatch(this.model.podNetworks, p.ranges, ipv6));
    d.ranges.push(...p.ranges);
    const level = rangesMatchAnyAddress(p.ranges, ipv6);
    d.domainLevels.push(() => level);
  }

  private addClusterPeer(d: Draft, p: ClusterPeer): void {
    switch (p.type) {
      case 'pods':
        this.addPods(d, undefined, p.podSelector, p.namespaceSelector);
        return;
      case 'networks':
        d.podBase = maxMatch(d.podBase, podNetworkMatch(this.model.podNetworks, p.ranges, p.ipv6.length > 0));
        d.ranges.push(...p.ranges);
        break;
      case 'nodes':
        // Node addresses are not in the manifests: they may be any address, and a host-networked pod has one.
        d.podBase = maxMatch(d.podBase, 'maybe');
        d.segBase = maxMatch(d.segBase, 'maybe');
        break;
      default:
        // A name may resolve to a pod's address. External addresses of the name are its Domain endpoint, so an
        // external segment stands for addresses outside the domain (see `engine.ts`).
        d.podBase = maxMatch(d.podBase, 'maybe');
        break;
    }
    d.domainLevels.push((name) => clusterPeerMatchesDomain(p, name));
  }

  private finish(d: Draft): Targets {
    let pods: readonly number[] = [];
    let podBase = d.podBase;
    let podListLevel: Match = 'yes';
    if (podBase !== 'yes') {
      pods = union(d.lists);
      if (pods.length > this.n / 2) {
        podListLevel = podBase;
        podBase = 'yes';
        pods = this.complement(pods);
      }
    }
    const segments = segmentsOf(this.segments, d.ranges);
    const levels = d.domainLevels;
    return {
      podBase, pods, podSet: new Set(pods), podListLevel,
      segBase: d.segBase, segments, segSet: new Set(segments),
      domain: (name) => levels.reduce<Match>((m, f) => maxMatch(m, f(name)), 'no'),
    };
  }

  /** The workloads not in `list`. */
  private complement(list: readonly number[]): number[] {
    const inList = new Set(list);
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (!inList.has(i)) out.push(i);
    return out;
  }
}

function union(lists: readonly (readonly number[])[]): number[] {
  const s = new Set<number>();
  for (const l of lists) for (const i of l) s.add(i);
  return [...s].sort((a, b) => a - b);
}

/** The start addresses of the segments: 0, every ipBlock and `networks` boundary, and `extra`. */
export function segmentBoundaries(model: Model, extra: readonly number[] = []): number[] {
  const starts = new Set<number>([0, ...extra]);
  const add = (b: Ipv4Range) => {
    starts.add(b.start);
    if (b.end < MAX_IPV4) starts.add(b.end + 1);
  };
  for (const pol of model.policies) {
    for (const r of [...pol.ingress, ...pol.egress]) {
      for (const p of r.peers ?? []) if (p.type === 'ipBlock') p.boundaries.forEach(add);
    }
  }
  for (const pol of model.clusterPolicies) {
    for (const r of [...pol.ingress, ...pol.egress]) {
      for (const p of r.peers) if (p.type === 'networks') p.ranges.forEach(add);
    }
  }
  return [...starts].sort((a, b) => a - b);
}
