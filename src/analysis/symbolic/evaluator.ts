/**
 * The symbolic evaluator: which connections sources in one region may open to destinations in another, over
 * the policies, for pods and namespaces that exist now or later. Shared by `tenancy check` (and the synth
 * guard) and by the exposure analysis.
 *
 * A connection is decided tier by tier, as the network-policy API specifies: the admin tier (first matching
 * rule decides: Allow, Deny, or Pass to the next tiers), then NetworkPolicies (additive allows, for pods some
 * policy isolates), then the baseline tier (first match), then the default: allowed. Rules match a region with
 * `yes`, `no` or `maybe`, and the result over-approximates what is allowed (fail closed): a `maybe` Deny is
 * treated as not matching, a `maybe` Allow as allowing and continuing, a `maybe` Pass as both branches,
 * unioned; for NetworkPolicies, `maybe` counts as a match.
 */
import { Ipv4Range, unionRanges } from '../ipv4';
import { Model, Policy, Rule } from '../model';
import { clusterTiers, rulesFor } from './cluster-tiers';
import { EVERYWHERE, matchPeer, peerRegions, pinnedNamespaces, PodsRegion, Region } from './region';
import { matchSpace, NAMESPACE_KEYS, namespacesNamed } from './selectors';
import { PortContext, SymPorts } from './sym-ports';
import { and3, Tri } from './tri';

/** The direction of a rule: towards its subject (`ingress`) or from it (`egress`). */
export type Direction = 'ingress' | 'egress';

/** A rule of a first-match tier (admin or baseline), in evaluation order. */
export interface SymbolicTierRule {
  /** Names the policy and rule in messages, e.g. `AdminNetworkPolicy a ingress[0]`. */
  readonly id: string;
  /**
   * The namespaces the policy's subject is limited to by name, when it pins them (`kubernetes.io/metadata.name in
   * (…)`): a subject pinned to other names is surely not selected.
   * @default - not pinned: matched against every subject
   */
  readonly subjectNamespaces?: readonly string[];
  /** What a match decides. */
  readonly action: 'Allow' | 'Deny' | 'Pass';
  /** Whether the policy's subject includes every, no or possibly some pod of a region. */
  subject(region: PodsRegion): Tri;
  /** Whether the rule's peers include every, no or possibly some member of a region. */
  peer(region: Region): Tri;
  /** The regions its peers stand for (for rules that allow or pass). */
  regions(): readonly Region[];
  /** The connections it names, with named ports resolved in `ctx`. */
  ports(ctx: PortContext): SymPorts;
}

/** The first-match tiers of one direction. */
export interface Tiers {
  /** Admin tier rules, by priority then rule order. */
  readonly admin: readonly SymbolicTierRule[];
  /** Baseline tier rules, by priority then rule order. */
  readonly baseline: readonly SymbolicTierRule[];
}

/** What the policies allow between a subject and a peer region. */
export interface Verdict {
  /** Connections some member of the peer region may have with some pod of the subject (fail closed). */
  readonly possible: SymPorts;
  /**
   * Connections every member of the peer region has with the subject, counting only rules that surely match
   * and assuming an undecidable Deny does not apply. Exact for a known workload and a rule's own peer region.
   */
  readonly uniform: SymPorts;
}

/** Where a candidate region came from. */
export type CandidateSource =
  | { readonly kind: 'rule'; readonly policy: Policy; readonly rule: number; readonly peer?: number }
  | { readonly kind: 'tier'; readonly rule: SymbolicTierRule }
  | { readonly kind: 'unisolated' };

/** A region some rule may let in (ingress) or out (egress), with the rule. */
export interface Candidate {
  /** The region. */
  readonly region: Region;
  /** The rule whose peer it is, or `unisolated` (the subject may be open). */
  readonly source: CandidateSource;
}

type Mode = 'possible' | 'uniform';

/** The symbolic evaluator over a model's policies: its NetworkPolicies and its cluster-wide policies. */
export class SymbolicEvaluator {
  /** The pod networks, sorted and merged: an ipBlock overlapping one may match pods of every namespace. */
  public readonly podNetworks: readonly Ipv4Range[];
  private readonly byNamespace = new Map<string, Policy[]>();
  private readonly tiers: Readonly<Record<Direction, Tiers>>;
  private readonly selectingCache = new WeakMap<PodsRegion, Partial<Record<Direction, Array<{ policy: Policy; selects: Tri }>>>>();

  /**
   * @param model the policies
   * @param podNetworks the pod networks (default: the model's)
   * @param tiers the first-match tiers (default: the model's cluster-wide policies)
   */
  constructor(private readonly model: Model, podNetworks: readonly Ipv4Range[] = model.podNetworks, tiers?: Readonly<Record<Direction, Tiers>>) {
    this.podNetworks = unionRanges(podNetworks);
    this.tiers = tiers ?? clusterTiers(model, this.podNetworks);
    for (const p of model.policies) {
      const l = this.byNamespace.get(p.namespace);
      if (l) l.push(p); else this.byNamespace.set(p.namespace, [p]);
    }
  }

  /** The NetworkPolicies isolating `direction` that select every, or possibly some, pod of `subject`. */
  public selecting(direction: Direction, subject: PodsRegion): Array<{ policy: Policy; selects: Tri }> {
    let cached = this.selectingCache.get(subject);
    if (!cached) this.selectingCache.set(subject, cached = {});
    return cached[direction] ??= this.select(direction, subject);
  }

  private select(direction: Direction, subject: PodsRegion): Array<{ policy: Policy; selects: Tri }> {
    const names = pinnedNamespaces(subject);
    const policies = names ? names.flatMap((n) => this.byNamespace.get(n) ?? []) : this.model.policies;
    const out: Array<{ policy: Policy; selects: Tri }> = [];
    for (const policy of policies) {
      if (!(direction === 'ingress' ? policy.isolatesIngress : policy.isolatesEgress)) continue;
      const ns = matchSpace(namespacesNamed([policy.namespace]), subject.namespaces, NAMESPACE_KEYS);
      const selects = and3(ns, matchSpace(policy.podSelector, subject.pods));
      if (selects !== 'no') out.push({ policy, selects });
    }
    return out;
  }

  /** Whether NetworkPolicies isolate every (`yes`), no or possibly some pod of `subject` for `direction`. */
  public isolation(direction: Direction, subject: PodsRegion): Tri {
    const sel = this.selecting(direction, subject);
    if (sel.some((s) => s.selects === 'yes')) return 'yes';
    return sel.length > 0 ? 'maybe' : 'no';
  }

  /** Whether some cluster-wide rule of `direction` may apply to pods of `subject`. */
  public tiersMayApply(direction: Direction, subject: PodsRegion): boolean {
    const tiers = this.tiers[direction];
    return [...rulesFor(tiers.admin, subject), ...rulesFor(tiers.baseline, subject)].some((r) => r.subject(subject) !== 'no');
  }

  /**
   * The connections between `subject` (the pods the policies protect: the destination for ingress, the source
   * for egress) and the members of `peer`: both `possible` and `uniform`.
   */
  public evaluate(direction: Direction, subject: PodsRegion, peer: Region): Verdict {
    return { possible: this.run(direction, subject, peer, 'possible'), uniform: this.run(direction, subject, peer, 'uniform') };
  }

  /** `evaluate(...).possible`: what some member of `peer` may have with some pod of `subject` (fail closed). */
  public possible(direction: Direction, subject: PodsRegion, peer: Region): SymPorts {
    return this.run(direction, subject, peer, 'possible');
  }

  /** `evaluate(...).uniform`: what every member of `peer` has with `subject`. */
  public uniform(direction: Direction, subject: PodsRegion, peer: Region): SymPorts {
    return this.run(direction, subject, peer, 'uniform');
  }

  private run(direction: Direction, subject: PodsRegion, peer: Region, mode: Mode): SymPorts {
    const ctx: PortContext = direction === 'ingress' ? subject.ports ?? 'unknown' : peer.kind === 'pods' ? peer.ports ?? 'unknown' : [];
    const selecting = this.selecting(direction, subject);
    const tiers = this.tiers[direction];
    const admin = firstMatch(rulesFor(tiers.admin, subject), subject, peer, ctx, SymPorts.ALL, mode);
    let allowed = admin.allowed;
    let pending = admin.next;
    if (selecting.length > 0) {
      let np = SymPorts.NONE;
      for (const { policy, selects } of selecting) {
        for (const rule of rulesOf(policy, direction)) {
          const m = ruleMatch(rule, policy.namespace, peer, this.podNetworks);
          if (m === 'no' || (mode === 'uniform' && (m !== 'yes' || selects !== 'yes'))) continue;
          np = np.union(SymPorts.of(rule.ports, ctx));
        }
      }
      allowed = allowed.union(pending.intersect(np));
      // Isolated pods are decided here; with only `maybe` selections, some pods may be left to the next tiers.
      if (mode === 'uniform' || selecting.some((s) => s.selects === 'yes')) pending = SymPorts.NONE;
    }
    const baseline = firstMatch(rulesFor(tiers.baseline, subject), subject, peer, ctx, pending, mode);
    return allowed.union(baseline.allowed).union(baseline.next);
  }

  /**
   * The regions that may be let in (ingress) or out (egress) of `subject`: the peers of every rule that may
   * apply and allows or passes, and everything when the subject may be unprotected.
   */
  public candidates(direction: Direction, subject: PodsRegion): Candidate[] {
    const out: Candidate[] = [];
    const tiers = this.tiers[direction];
    const fromTier = (rules: readonly SymbolicTierRule[]) => {
      for (const rule of rules) {
        if (rule.action === 'Deny' || rule.subject(subject) === 'no') continue;
        for (const region of rule.regions()) out.push({ region, source: { kind: 'tier', rule } });
      }
    };
    fromTier(rulesFor(tiers.admin, subject));
    const selecting = this.selecting(direction, subject);
    for (const { policy } of selecting) {
      rulesOf(policy, direction).forEach((rule, i) => {
        if (!rule.peers) {
          for (const region of EVERYWHERE) out.push({ region, source: { kind: 'rule', policy, rule: i } });
          return;
        }
        rule.peers.forEach((p, j) => {
          for (const region of peerRegions(p, policy.namespace, this.podNetworks)) out.push({ region, source: { kind: 'rule', policy, rule: i, peer: j } });
        });
      });
    }
    fromTier(rulesFor(tiers.baseline, subject));
    if (!selecting.some((s) => s.selects === 'yes')) for (const region of EVERYWHERE) out.push({ region, source: { kind: 'unisolated' } });
    return out;
  }
}

/** The rules of a policy in one direction. */
export function rulesOf(policy: Policy, direction: Direction): readonly Rule[] {
  return direction === 'ingress' ? policy.ingress : policy.egress;
}

/** Whether a NetworkPolicy rule's peers match every, no or possibly some member of `region`. */
export function ruleMatch(rule: Rule, policyNamespace: string, region: Region, podNetworks: readonly Ipv4Range[]): Tri {
  if (!rule.peers) return 'yes';
  let out: Tri = 'no';
  for (const p of rule.peers) {
    const m = matchPeer(p, policyNamespace, region, podNetworks);
    if (m === 'yes') return 'yes';
    if (m === 'maybe') out = 'maybe';
  }
  return out;
}

/**
 * One first-match tier: the connections it allows, and those it leaves to the next tiers (not matched, or
 * passed). In `possible` mode a `maybe` Allow allows and continues; in `uniform` mode it only continues.
 * A `maybe` Deny never denies; a `maybe` Pass both passes and continues.
 */
export function firstMatch(rules: readonly SymbolicTierRule[], subject: PodsRegion, peer: Region, ctx: PortContext, pendingIn: SymPorts, mode: Mode): { allowed: SymPorts; next: SymPorts } {
  let pending = pendingIn;
  let allowed = SymPorts.NONE;
  let passed = SymPorts.NONE;
  for (const rule of rules) {
    if (pending.isEmpty()) break;
    const m = and3(rule.subject(subject), rule.peer(peer));
    if (m === 'no') continue;
    const p = rule.ports(ctx).intersect(pending);
    const sure = m === 'yes';
    if (rule.action === 'Allow' && (sure || mode === 'possible')) allowed = allowed.union(p);
    if (rule.action === 'Pass') passed = passed.union(p);
    if (sure) pending = pending.subtract(p);
  }
  return { allowed, next: pending.union(passed) };
}
