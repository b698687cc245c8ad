/**
 * The analyzer's model of cluster-wide network policy: AdminNetworkPolicy and BaselineAdminNetworkPolicy
 * (`policy.networking.k8s.io/v1alpha1`, network-policy-api v0.1.x) and ClusterNetworkPolicy
 * (`policy.networking.k8s.io/v1alpha2`, v0.2.0), normalized into one shape.
 *
 * ## Evaluation order, as the CRDs define it
 *
 * The CNP `spec.tier` description: "Policy tiers are evaluated in the following order: Admin tier,
 * NetworkPolicy tier, Baseline tier. [...] If Admin tier has made a final decision (Accept or Deny) on a
 * connection, then no further evaluation is done. [...] v1.NetworkPolicy always makes a final decision for
 * selected pods. Further evaluation only happens for Pods not selected by a v1.NetworkPolicy. [...] If a given
 * connection wasn't allowed or denied by any of the tiers, the default kubernetes policy is applied, which says
 * that all pods can communicate with each other." Each direction is decided on its own side: egress rules of
 * policies whose subject selects the source, ingress rules of policies whose subject selects the destination
 * (CNP Accept: "No further egress ClusterNetworkPolicy or NetworkPolicy rules will be processed but any ingress
 * rules at the destination do apply").
 *
 * 1. **Admin tier**: every AdminNetworkPolicy and every ClusterNetworkPolicy of tier `Admin`, by `priority`
 *    ascending ("Policies with lower priority values have higher precedence"), then rules in the order written
 *    ("a rule that appears at the top [...] would take the highest precedence"). The first rule that matches
 *    decides: `Allow`/`Accept` and `Deny` are final; `Pass` skips the rest of the tier ("skip any remaining ANP
 *    rules"; "Skips all further ClusterNetworkPolicy rules in the current tier").
 * 2. **NetworkPolicy tier**: the namespaced policies, for pods they select (`Model.policies`).
 * 3. **Baseline tier**: every ClusterNetworkPolicy of tier `Baseline` by priority, then the
 *    BaselineAdminNetworkPolicy. A BANP has no priority and is a singleton (named `default`); its rules apply
 *    to traffic "not matched by any AdminNetworkPolicy or NetworkPolicy rules". Its actions are only Allow and
 *    Deny (no Pass).
 * 4. Otherwise the connection is allowed.
 *
 * What the CRDs leave open, and what this model does (each with a warning, see `validate-cluster-policy.ts`):
 * - **Same priority.** "If two (or more) policies [in the same tier] with the same priority could both match a
 *   connection, then the implementation can apply any of the matching policies". `clusterPolicies` takes them
 *   by name (then kind), an arbitrary but stable order, and a warning names every pair whose subjects may
 *   select the same pod. Subjects that provably select disjoint pods (e.g. namespaces pinned by
 *   `kubernetes.io/metadata.name` to disjoint sets, as the package's per-tenant admin CNPs are) cannot both
 *   match one connection's endpoint on the same side, so their relative order never matters: no warning.
 * - **v1alpha1 next to v1alpha2.** No CRD orders an AdminNetworkPolicy against an Admin-tier
 *   ClusterNetworkPolicy, nor the BANP against Baseline-tier CNPs: v0.2.0 replaced the v1alpha1 kinds, and a
 *   network plugin implements one API or the other. This model interleaves ANPs and Admin CNPs on their common
 *   0–1000 priority scale (equal priorities count as "same priority"), and puts the BANP after every Baseline
 *   CNP, as the last, catch-all default; when a v1alpha1 and a v1alpha2 policy of one tier may select the same
 *   pods, a warning says so.
 */
import { SourceLocation } from './errors';
import { Ipv4Range } from './ipv4';
import { Protocol } from './ports';
import { Selector } from './selector';

/** The API group of the three kinds. */
export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';

/** The cluster-wide policy kinds, with the apiVersion the analyzer reads for each. */
export const CLUSTER_POLICY_API_VERSIONS = {
  AdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2',
} as const;

/** One of the cluster-wide policy kinds. */
export type ClusterPolicyKind = keyof typeof CLUSTER_POLICY_API_VERSIONS;

/** Whether `kind` is one of the cluster-wide policy kinds. */
export function isClusterPolicyKind(kind: unknown): kind is ClusterPolicyKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(CLUSTER_POLICY_API_VERSIONS, kind);
}

/** The tier of a cluster-wide policy: ANP is `Admin`, BANP is `Baseline`, a CNP says so in `spec.tier`. */
export type Tier = 'Admin' | 'Baseline';

/** The tiers in evaluation order (the NetworkPolicy tier sits between them). */
export const TIERS: readonly Tier[] = ['Admin', 'Baseline'];

/** A rule's action, normalized: v1alpha2 `Accept` is `Allow`. */
export type ClusterAction = 'Allow' | 'Deny' | 'Pass';

/** A rule's action as written: v1alpha1 says `Allow`, v1alpha2 says `Accept`. */
export type WrittenAction = 'Allow' | 'Accept' | 'Deny' | 'Pass';

/**
 * The pods a policy applies to (`spec.subject`), or the pods a `namespaces`/`pods` peer matches: pods in the
 * namespaces that `namespaceSelector` selects and (when set) that `podSelector` selects. Host-networked pods
 * are never included ("Note that host-networked pods are not included in subject selection").
 */
export interface PodsSelection {
  /** Namespaces selected: `namespaces` itself, or `pods.namespaceSelector` (absent in v1alpha2 = empty = all). */
  readonly namespaceSelector: Selector;
  /** Pods selected within them; undefined for the `namespaces` form (every pod of the namespaces). */
  readonly podSelector?: Selector;
}

/** A subject: `spec.subject.namespaces` (no `podSelector`) or `spec.subject.pods`. */
export type ClusterSubject = PodsSelection;

/** A `namespaces` or `pods` peer: pods in selected namespaces (never host-networked pods). */
export interface ClusterPodsPeer extends PodsSelection {
  /** Discriminator. */
  readonly type: 'pods';
}

/**
 * A `networks` peer: CIDR blocks. "cluster-internal traffic will be checked against the rule as well. So if you
 * Allow or Deny traffic to "0.0.0.0/0", that will allow or deny all IPv4 pod-to-pod traffic as well": such a
 * peer may match pods whose IP lies in `Model.podNetworks`.
 */
export interface ClusterNetworksPeer {
  /** Discriminator. */
  readonly type: 'networks';
  /** The CIDRs as written. */
  readonly cidrs: readonly string[];
  /** The IPv4 addresses matched: the union of the IPv4 CIDRs, as sorted, disjoint, non-adjacent ranges. */
  readonly ranges: readonly Ipv4Range[];
  /** The IPv6 CIDRs as written: kept, not evaluated (the analyzer models IPv4), and warned about. */
  readonly ipv6: readonly string[];
}

/** A `nodes` peer (egress, experimental channel): node IPs, which are not in manifests. */
export interface ClusterNodesPeer {
  /** Discriminator. */
  readonly type: 'nodes';
  /** The nodes selected by their labels ("if present but empty, it selects all Nodes"). */
  readonly nodeSelector: Selector;
}

/** A `domainNames` peer (v1alpha2 egress, experimental channel): DNS names, which cannot be resolved offline. */
export interface ClusterDomainNamesPeer {
  /** Discriminator. */
  readonly type: 'domainNames';
  /** The names as written (`kubernetes.io`, `*.kubernetes.io`). */
  readonly domainNames: readonly string[];
}

/** An entry of a rule's `from`/`to`: exactly one kind of peer. */
export type ClusterPeer = ClusterPodsPeer | ClusterNetworksPeer | ClusterNodesPeer | ClusterDomainNamesPeer;

/**
 * An entry of a rule's `ports` (v1alpha1) or `protocols` (v1alpha2), as a superset of `PortSpec` (every
 * `PortSpec` is a `ClusterPortSpec`): `port` is a number (with `endPort` for a range) or a container port name.
 * A named port carries no protocol of its own in either API (`namedPort`, `destinationNamedPort`): `protocol` is
 * then undefined and the port matches the destination's container ports of that name, whatever their protocol.
 */
export interface ClusterPortSpec {
  /** TCP, UDP or SCTP; undefined for a named port (and, outside these APIs, for every protocol). */
  readonly protocol?: Protocol;
  /**
   * A port number, or a container port name. Always set by the parser (neither CRD can say "every port of one
   * protocol"); absent, as in a `PortSpec`, it means every port of the protocol.
   */
  readonly port?: number | string;
  /** The last port of a range starting at `port` (always greater than `port`). */
  readonly endPort?: number;
}

/** An ingress or egress rule of a cluster-wide policy. */
export interface ClusterRule {
  /** 0-based position in `spec.ingress`/`spec.egress`: the rule's precedence within its policy. */
  readonly index: number;
  /** `name`, when set. */
  readonly name?: string;
  /** The action, normalized (`Accept` is `Allow`). */
  readonly action: ClusterAction;
  /** The action as written. */
  readonly writtenAction: WrittenAction;
  /** `from` (ingress) or `to` (egress): never empty; the rule applies when any peer matches. */
  readonly peers: readonly ClusterPeer[];
  /** `ports`/`protocols`; undefined when unset: "the rule does not filter traffic via port" (any protocol). */
  readonly ports?: readonly ClusterPortSpec[];
}

/** A cluster-wide policy (AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy). */
export interface ClusterPolicy {
  /** `Kind/name`, unique in the model, e.g. `ClusterNetworkPolicy/tenant-customer1`. */
  readonly id: string;
  /** The kind. */
  readonly kind: ClusterPolicyKind;
  /** `metadata.name`. */
  readonly name: string;
  /** The tier. */
  readonly tier: Tier;
  /** `spec.priority` (0–1000, lower first); undefined for the BaselineAdminNetworkPolicy, which has none. */
  readonly priority?: number;
  /** The pods the policy applies to. */
  readonly subject: ClusterSubject;
  /** Ingress rules, in order. Empty: the policy does not affect ingress. */
  readonly ingress: readonly ClusterRule[];
  /** Egress rules, in order. Empty: the policy does not affect egress. */
  readonly egress: readonly ClusterRule[];
  /** Where the policy was read from. */
  readonly location: SourceLocation;
}

/** `v1alpha1` or `v1alpha2`: the API a kind belongs to. */
export function apiOf(kind: ClusterPolicyKind): 'v1alpha1' | 'v1alpha2' {
  return kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1';
}

/**
 * The evaluation order of `Model.clusterPolicies`: tier (Admin, then Baseline), then priority (the BANP, which
 * has none, after every Baseline CNP), then name, then kind (an arbitrary but stable order among equal
 * priorities, which the API leaves to the implementation).
 */
export function compareClusterPolicies(a: ClusterPolicy, b: ClusterPolicy): number {
  const tier = TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier);
  if (tier !== 0) return tier;
  const pa = a.priority ?? Number.POSITIVE_INFINITY;
  const pb = b.priority ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/** `ClusterNetworkPolicy tenant-a (tier Admin, priority 10)`: how messages name a policy. */
export function describeClusterPolicy(p: Pick<ClusterPolicy, 'kind' | 'name' | 'tier' | 'priority'>): string {
  if (p.kind === 'BaselineAdminNetworkPolicy') return `${p.kind} ${p.name}`;
  if (p.kind === 'AdminNetworkPolicy') return `${p.kind} ${p.name} (priority ${p.priority})`;
  return `${p.kind} ${p.name} (tier ${p.tier}, priority ${p.priority})`;
}

/** `spec.egress[2] ("allow-dns")`: how messages name a rule. */
export function describeClusterRule(direction: 'ingress' | 'egress', rule: Pick<ClusterRule, 'index' | 'name'>): string {
  return `spec.${direction}[${rule.index}]${rule.name !== undefined ? ` (${JSON.stringify(rule.name)})` : ''}`;
}
