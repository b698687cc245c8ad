import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  BaselineAdminNetworkPolicy,
  BaselineAdminNetworkPolicySpecIngress,
  BaselineAdminNetworkPolicySpecIngressAction,
  ClusterNetworkPolicy,
  ClusterNetworkPolicySpecIngress,
  ClusterNetworkPolicySpecIngressAction,
  ClusterNetworkPolicySpecTier,
} from '../imports/policy.networking.k8s.io';
import { adminIsolationsOf } from './admin-isolation';
import { namespacesNamed, validatePriority } from './cluster-policy';
import { MANAGED_BY, MANAGED_BY_LABEL, TENANT_LABEL } from './labels';
import { errorAt, validateRfc1123Label } from './names';
import { checkPlainAppOnSynth } from './plain-app';
import { enablePlacement } from './placement';

/** The only name a BaselineAdminNetworkPolicy may have: there is one per cluster. */
export const BANP_NAME = 'default';
/** The name of the baseline ClusterNetworkPolicy. */
export const BASELINE_CNP_NAME = 'tenancy-baseline';
/**
 * The baseline ClusterNetworkPolicy's default priority: the last word in the Baseline tier, so
 * the platform's own baseline policies (lower numbers) decide first.
 */
export const DEFAULT_BASELINE_PRIORITY = 1000;

/** Which API the cluster baseline is written with. */
export enum BaselineApi {
  /**
   * A `ClusterNetworkPolicy` of tier `Baseline` (`policy.networking.k8s.io/v1alpha2`,
   * network-policy-api v0.2.0): Calico 3.32, Antrea 2.7, kube-network-policies, the AWS network
   * policy agent.
   */
  CLUSTER_NETWORK_POLICY = 'ClusterNetworkPolicy',
  /**
   * Legacy: the `BaselineAdminNetworkPolicy` named `default` (`policy.networking.k8s.io/v1alpha1`,
   * network-policy-api v0.1.x), for plugins that only implement v1alpha1 (OVN-Kubernetes). The
   * v1alpha1 CRDs are gone from network-policy-api's release channels since v0.2.0.
   */
  LEGACY_BASELINE_ADMIN_NETWORK_POLICY = 'BaselineAdminNetworkPolicy',
}

/** Props of a `ClusterBaseline`. */
export interface ClusterBaselineProps {
  /**
   * Namespaces whose pods may still reach every tenant namespace at the baseline (for
   * example an ingress controller or monitoring). They are not tenant namespaces, so the
   * deny rule does not match them anyway; listing them adds an explicit accept rule
   * before the deny, which documents the intent and survives a tenant label set on them.
   * @default - none
   */
  readonly allowFromNamespaces?: string[];
  /**
   * The API to write the baseline with.
   * @default BaselineApi.CLUSTER_NETWORK_POLICY
   */
  readonly api?: BaselineApi;
  /**
   * The priority of the baseline ClusterNetworkPolicy in the Baseline tier (0-1000, lower
   * decides first). Not with the legacy API, whose single object has none.
   * @default DEFAULT_BASELINE_PRIORITY (1000)
   */
  readonly priority?: number;
}

/** Each app's ClusterBaseline. */
const singletons = new WeakMap<IConstruct, ClusterBaseline>();

/** The app's ClusterBaseline, if it has one. */
export function clusterBaselineOf(scope: IConstruct): ClusterBaseline | undefined {
  return singletons.get(scope.node.root);
}

/**
 * The cluster baseline: a safety net *below* the tenants' NetworkPolicies that denies ingress
 * into tenant namespaces from tenant namespaces. By default a `ClusterNetworkPolicy` of tier
 * `Baseline` named `tenancy-baseline` (`policy.networking.k8s.io/v1alpha2`); with
 * `api: BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY`, the v1alpha1
 * `BaselineAdminNetworkPolicy` named `default`. Cluster-scoped either way.
 *
 * Semantics. The Baseline tier decides only traffic that no admin-tier policy and no
 * NetworkPolicy decides: a pod selected by a NetworkPolicy is governed by it (allowed or
 * implicitly denied) and the baseline is never consulted. Every tenant pod is selected by its
 * tenant's `deny-from-other-namespaces` (or `deny-communication`), so in normal operation this
 * object changes nothing. It takes over where a namespace has no policy at all: not yet
 * applied, or pruned by mistake. It does *not* protect a tenant from its owners: an owner who
 * deletes `deny-from-other-namespaces` and adds any policy selecting the pods (or who adds
 * `ingress: [{}]`) overrides it, since NetworkPolicies come before the Baseline tier. For
 * isolation owners cannot undo, use the admin tier (`adminIsolation`) and `TenantProtection`.
 *
 * What is expressible. The subject is one per object, not one per rule, so a per-tenant rule
 * ("subject tenant=t, deny from tenant NotIn [t]") cannot be written in one object. The policy
 * uses one generic rule instead, which works for any number of tenants:
 * - subject: namespaces with the label `tenancy.cdk8s.io/tenant` (every tenant namespace);
 * - ingress, in order: optional accept from `allowFromNamespaces`, then `Deny` from every
 *   namespace with the label `tenancy.cdk8s.io/tenant`.
 * It fails closed: in a namespace without policies, traffic from the tenant's own namespaces is
 * denied too; traffic from non-tenant namespaces (kube-system, ingress controllers) and from
 * outside the cluster stays as the cluster default has it (allowed). Tenants cannot forge the
 * label: it is on Namespaces, which tenant owners cannot edit.
 *
 * Where no network plugin implements the API, the object is accepted (once the CRD is
 * installed) and silently ignored; see the README's table of plugins.
 *
 * Create it once per app, at the app's or a chart's level (not inside a tenant): a second one
 * is an error.
 */
export class ClusterBaseline extends Construct {
  /** The ClusterNetworkPolicy, or the legacy BaselineAdminNetworkPolicy. */
  public readonly policy: ApiObject;
  /** The API the baseline is written with. */
  public readonly api: BaselineApi;

  constructor(scope: Construct, id: string, props: ClusterBaselineProps = {}) {
    super(scope, id);
    checkPlainAppOnSynth(this);
    const path = this.node.path;
    const other = singletons.get(this.node.root);
    if (other !== undefined) {
      throw errorAt(path, `a ClusterBaseline is already defined at ${other.node.path}: a cluster has one baseline. Remove this one.`);
    }
    this.api = props.api ?? BaselineApi.CLUSTER_NETWORK_POLICY;
    if (!Object.values(BaselineApi).includes(this.api)) {
      throw errorAt(path, `api ${JSON.stringify(props.api)} is not one of BaselineApi.CLUSTER_NETWORK_POLICY, BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY.`);
    }
    const legacy = this.api === BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY;
    if (legacy && props.priority !== undefined) {
      throw errorAt(path, 'priority applies to the ClusterNetworkPolicy baseline only: the legacy BaselineAdminNetworkPolicy has no priority. Remove priority, or drop api to use the ClusterNetworkPolicy.');
    }
    const priority = validatePriority(props.priority ?? DEFAULT_BASELINE_PRIORITY, 'priority', path);
    singletons.set(this.node.root, this);
    // Cluster-scoped: no metadata.namespace, whatever the chart's namespace.
    enablePlacement(this);

    const allowFrom = props.allowFromNamespaces ?? [];
    const seen = new Set<string>();
    for (const ns of allowFrom) {
      validateRfc1123Label(ns, 'allowFromNamespaces entry', path);
      if (seen.has(ns)) throw errorAt(path, `allowFromNamespaces lists "${ns}" twice. Remove the duplicate.`);
      seen.add(ns);
    }
    const tenantNamespaces = { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] };
    const metadata = { labels: { [MANAGED_BY_LABEL]: MANAGED_BY } };

    if (legacy) {
      const ingress: BaselineAdminNetworkPolicySpecIngress[] = [];
      if (allowFrom.length) {
        ingress.push({
          name: 'allow-from-platform-namespaces',
          action: BaselineAdminNetworkPolicySpecIngressAction.ALLOW,
          from: [{ namespaces: namespacesNamed(allowFrom, true) }],
        });
      }
      ingress.push({ name: 'deny-from-tenant-namespaces', action: BaselineAdminNetworkPolicySpecIngressAction.DENY, from: [{ namespaces: tenantNamespaces }] });
      this.policy = new BaselineAdminNetworkPolicy(this, 'Resource', {
        metadata: { name: BANP_NAME, ...metadata },
        spec: { subject: { namespaces: tenantNamespaces }, ingress },
      });
      this.node.addValidation({ validate: () => this.legacyConflicts() });
    } else {
      const ingress: ClusterNetworkPolicySpecIngress[] = [];
      if (allowFrom.length) {
        ingress.push({
          name: 'accept-from-platform-namespaces',
          action: ClusterNetworkPolicySpecIngressAction.ACCEPT,
          from: [{ namespaces: namespacesNamed(allowFrom, true) }],
        });
      }
      ingress.push({ name: 'deny-from-tenant-namespaces', action: ClusterNetworkPolicySpecIngressAction.DENY, from: [{ namespaces: tenantNamespaces }] });
      this.policy = new ClusterNetworkPolicy(this, 'Resource', {
        metadata: { name: BASELINE_CNP_NAME, ...metadata },
        spec: { tier: ClusterNetworkPolicySpecTier.BASELINE, priority, subject: { namespaces: tenantNamespaces }, ingress },
      });
    }
  }

  /** The legacy BANP next to admin-tier isolation: one of the two APIs would be ignored. */
  private legacyConflicts(): string[] {
    const isolated = adminIsolationsOf(this);
    if (isolated.length === 0) return [];
    const tenants = isolated.map((t) => `"${t.name}"`).join(', ');
    return [`the legacy BaselineAdminNetworkPolicy (v1alpha1) cannot be combined with admin-tier isolation (tenant${isolated.length > 1 ? 's' : ''} ${tenants}), which is a ClusterNetworkPolicy (v1alpha2): a network plugin implements one of the two APIs, so the other would be silently ignored. Drop api to write the baseline as a ClusterNetworkPolicy, or turn adminIsolation off.`];
  }
}
