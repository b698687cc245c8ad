/**
 * How one side of a connection is decided across the tiers (see the design note of `cluster-policy.ts`): the
 * egress side at the source, or the ingress side at the destination, each on its own. Shared by the engine, which
 * calls `decideSide` once per class of peers, and by `explain`, which asks for the trace.
 *
 * The decision is per connection (protocol and port): a set of still-undecided connections flows through the
 * rules, and each matching rule decides the part of it that its ports cover.
 * 1. **Admin tier**, in evaluation order: `Allow` allows and `Deny` denies what it covers ("If Admin tier has made
 *    a final decision (Accept or Deny) on a connection, then no further evaluation is done"); `Pass` hands what it
 *    covers on to the NetworkPolicy tier ("Skips all further ClusterNetworkPolicy rules in the current tier").
 * 2. **NetworkPolicy tier**, when a NetworkPolicy isolates the pod in this direction: it decides everything that
 *    reaches it ("v1.NetworkPolicy always makes a final decision for selected pods"): allowed when some rule
 *    allows it, denied otherwise.
 * 3. **Baseline tier**, otherwise: `Allow` and `Deny` decide; a Baseline ClusterNetworkPolicy's `Pass` hands on to
 *    the next tier, which is the default.
 * 4. **Default**: what is still undecided is allowed ("all pods can communicate with each other").
 *
 * A rule whose peers only `maybe` match (addresses the manifests do not give) is taken both ways, and the result is
 * the union of what each way allows: a `maybe` Allow allows, a `maybe` Deny denies nothing (the connection goes on
 * to the next rule), a `maybe` Pass hands its connections on to the next tier *and* keeps them in this one. The
 * answer therefore over-approximates what the cluster allows, never less. In the NetworkPolicy tier, whose rules
 * only add, a `maybe` peer counts as a match.
 */
import type { ClusterAction } from './cluster-policy';
import type { Match } from './cluster-match';
import { ConnectionSet } from './ports';

/** The tiers of a side's decision, in order; `default` is what no tier decides. */
export type DecisionTier = 'Admin' | 'NetworkPolicy' | 'Baseline';

/** A rule as the decision sees it: what a match does (a NetworkPolicy rule, which only allows, has no action). */
export interface TierRule {
  /** `Allow`, `Deny` or `Pass` for a rule of a cluster-wide policy; absent for a NetworkPolicy rule. */
  readonly action?: ClusterAction;
}

/** The rules that apply at one side of a connection (one endpoint, one direction), in evaluation order. */
export interface TierSide<R extends TierRule> {
  /** Rules of the Admin tier whose policy's subject selects the endpoint, in evaluation order. */
  readonly admin: readonly R[];
  /** Whether some NetworkPolicy selects the endpoint and isolates it in this direction. */
  readonly npIsolated: boolean;
  /** The rules of those NetworkPolicies (used only when `npIsolated`). */
  readonly np: readonly R[];
  /** Rules of the Baseline tier whose policy's subject selects the endpoint, in evaluation order. */
  readonly baseline: readonly R[];
}

/** What one rule did in a traced decision. */
export interface RuleOutcome<R extends TierRule> {
  /** The rule. */
  readonly rule: R;
  /** Whether its peers match the other side. */
  readonly match: Match;
  /** The connections its ports cover towards the destination (NONE when it does not match). */
  readonly connections: ConnectionSet;
  /**
   * The part of `connections` still undecided when the rule was reached: what it allowed (Allow), denied (Deny,
   * `yes` only), or handed on (Pass); in the NetworkPolicy tier, what it allowed of what reached the tier.
   */
  readonly applied: ConnectionSet;
}

/** A decision, step by step, for `explain`. */
export interface SideTrace<R extends TierRule> {
  /** Every Admin-tier rule, in order. */
  readonly admin: readonly RuleOutcome<R>[];
  /** What the Admin tier allowed. */
  readonly adminAllowed: ConnectionSet;
  /** What the Admin tier left to the lower tiers (undecided, or passed by a Pass rule). */
  readonly toNetworkPolicy: ConnectionSet;
  /** Whether a NetworkPolicy isolates the endpoint in this direction (then it decides everything it receives). */
  readonly npIsolated: boolean;
  /** Every NetworkPolicy rule (when isolated), in order (deciding nothing when nothing reached the tier). */
  readonly np: readonly RuleOutcome<R>[];
  /** What the NetworkPolicy tier allowed of what it received. */
  readonly npAllowed: ConnectionSet;
  /** What reached the Baseline tier (NONE when a NetworkPolicy isolates the endpoint). */
  readonly toBaseline: ConnectionSet;
  /** Every Baseline-tier rule (when not isolated), in order (deciding nothing when nothing reached the tier). */
  readonly baseline: readonly RuleOutcome<R>[];
  /** What the Baseline tier allowed. */
  readonly baselineAllowed: ConnectionSet;
  /** What no tier decided, or a Baseline Pass handed on: allowed by default. */
  readonly toDefault: ConnectionSet;
  /** Everything this side allows. */
  readonly allowed: ConnectionSet;
}

interface TierState<R extends TierRule> {
  undecided: ConnectionSet;
  passed: ConnectionSet;
  allowed: ConnectionSet;
  readonly outcomes: Array<RuleOutcome<R>>;
}

/** What `decideSide` reports besides its answer. */
export interface DecideOptions<R extends TierRule> {
  /**
   * Told every rule reached while something is still undecided in its tier (or, in the NetworkPolicy tier, while
   * something reaches the tier): the engine learns from it which rules' peers can change the answer.
   */
  readonly reached?: (r: R) => void;
  /** Given the decision step by step; every rule is then matched, even after everything is decided. */
  readonly trace?: (t: SideTrace<R>) => void;
}

/** Runs the rules of one cluster tier over `st`; without `all`, stops when nothing is left undecided. */
function runTier<R extends TierRule>(
  rules: readonly R[], st: TierState<R>, match: (r: R) => Match, conns: (r: R) => ConnectionSet, all: boolean, reached?: (r: R) => void,
): void {
  for (const r of rules) {
    const open = !st.undecided.isEmpty();
    if (!open && !all) return;
    if (open) reached?.(r);
    const m = match(r);
    const c = m === 'no' ? ConnectionSet.NONE : conns(r);
    const applied = c.intersect(st.undecided);
    st.outcomes.push({ rule: r, match: m, connections: c, applied });
    // A rule that only may match also leaves what it covers undecided (the other way).
    const sure = m !== 'maybe';
    if (r.action === 'Allow') {
      st.allowed = st.allowed.union(applied);
      st.undecided = st.undecided.subtract(applied);
    } else if (r.action === 'Pass') {
      st.passed = st.passed.union(applied);
      if (sure) st.undecided = st.undecided.subtract(applied);
    } else if (sure) {
      st.undecided = st.undecided.subtract(applied);
    }
  }
}

/**
 * Decides one side: what the side allows, given whether each rule's peers match the other side (`match`) and what
 * each rule's ports cover towards the destination (`conns`).
 */
export function decideSide<R extends TierRule>(
  side: TierSide<R>, match: (r: R) => Match, conns: (r: R) => ConnectionSet, options: DecideOptions<R> = {},
): ConnectionSet {
  const all = options.trace !== undefined;
  const admin: TierState<R> = { undecided: ConnectionSet.ALL, passed: ConnectionSet.NONE, allowed: ConnectionSet.NONE, outcomes: [] };
  runTier(side.admin, admin, match, conns, all, options.reached);
  const toNetworkPolicy = admin.undecided.union(admin.passed);
  if (side.npIsolated) {
    // NetworkPolicy rules only add: each allows what it covers of all the tier receives.
    const np: Array<RuleOutcome<R>> = [];
    let npAllowed = ConnectionSet.NONE;
    const open = !toNetworkPolicy.isEmpty();
    if (open || all) {
      for (const r of side.np) {
        if (open) options.reached?.(r);
        const m = match(r);
        const c = m === 'no' ? ConnectionSet.NONE : conns(r);
        const applied = c.intersect(toNetworkPolicy);
        npAllowed = npAllowed.union(applied);
        np.push({ rule: r, match: m, connections: c, applied });
      }
    }
    const allowed = admin.allowed.union(npAllowed);
    options.trace?.({
      admin: admin.outcomes, adminAllowed: admin.allowed, toNetworkPolicy, npIsolated: true, np, npAllowed,
      toBaseline: ConnectionSet.NONE, baseline: [], baselineAllowed: ConnectionSet.NONE, toDefault: ConnectionSet.NONE, allowed,
    });
    return allowed;
  }
  const base: TierState<R> = { undecided: toNetworkPolicy, passed: ConnectionSet.NONE, allowed: ConnectionSet.NONE, outcomes: [] };
  runTier(side.baseline, base, match, conns, all, options.reached);
  const toDefault = base.undecided.union(base.passed);
  const allowed = admin.allowed.union(base.allowed).union(toDefault);
  options.trace?.({
    admin: admin.outcomes, adminAllowed: admin.allowed, toNetworkPolicy, npIsolated: false, np: [], npAllowed: ConnectionSet.NONE,
    toBaseline: toNetworkPolicy, baseline: base.outcomes, baselineAllowed: base.allowed, toDefault, allowed,
  });
  return allowed;
}

/** Whether a side has no rule at all: it allows everything, whatever the other side. */
export function isOpenSide(side: TierSide<TierRule>): boolean {
  return side.admin.length === 0 && !side.npIsolated && side.baseline.length === 0;
}
