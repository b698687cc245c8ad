import { Construct, IConstruct } from 'constructs';
import {
  BaselineAdminNetworkPolicy,
  BaselineAdminNetworkPolicySpecIngress,
  BaselineAdminNetworkPolicySpecIngressAction,
} from '../imports/policy.networking.k8s.io';
import { MANAGED_BY, MANAGED_BY_LABEL, TENANT_LABEL } from './labels';
import { errorAt, validateRfc1123Label } from './names';
import { checkPlainAppOnSynth } from './plain-app';
import { enablePlacement } from './placement';

/** The only name a BaselineAdminNetworkPolicy may have: there is one per cluster. */
export const BANP_NAME = 'default';

/** Props of a `ClusterBaseline`. */
export interface ClusterBaselineProps {
  /**
   * Namespaces whose pods may still reach every tenant namespace at the baseline (for
   * example an ingress controller or monitoring). They are not tenant namespaces, so the
   * deny rule does not match them anyway; listing them adds an explicit `Allow` rule
   * before the deny, which documents the intent and survives a tenant label set on them.
   * @default - none
   */
  readonly allowFromNamespaces?: string[];
}

const singletons = new WeakMap<IConstruct, string>();

/**
 * The cluster's `BaselineAdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1, the single
 * object named `default`, cluster-scoped): a safety net below the tenants' NetworkPolicies
 * that denies ingress into tenant namespaces from tenant namespaces.
 *
 * Semantics. A BANP applies only to traffic that no AdminNetworkPolicy and no NetworkPolicy
 * decides: a pod selected by a NetworkPolicy is governed by it (allowed or implicitly denied)
 * and the BANP is never consulted. Every tenant pod is selected by its tenant's
 * `deny-from-other-namespaces` (or `deny-communication`), so in normal operation this object
 * changes nothing; it takes over when a namespace's policies are missing — deleted by a
 * tenant owner (the `admin` role may edit NetworkPolicies), not yet applied, or pruned by
 * mistake.
 *
 * What is expressible. The BANP has one `subject` for the whole object (spec.subject), not
 * one per rule, and the standard channel (v0.1.7) has no "same labels as the subject" peer.
 * A per-tenant rule ("subject tenant=t, deny from tenant NotIn [t]") therefore cannot be
 * written in the singleton: its deny would apply to every subject. The policy uses one
 * generic rule instead, which works for any number of tenants (rules are capped at 100):
 * - subject: namespaces with the label `tenancy.cdk8s.io/tenant` (every tenant namespace);
 * - ingress, in order: optional `Allow` from `allowFromNamespaces`, then `Deny` from every
 *   namespace with the label `tenancy.cdk8s.io/tenant`.
 * It fails closed: in a namespace whose policies are gone, traffic from the tenant's own
 * namespaces is denied too (it was admitted by the missing policies); traffic from
 * non-tenant namespaces (kube-system, ingress controllers) and from outside the cluster
 * stays as the cluster default has it (allowed). Tenants cannot forge the label: it is on
 * Namespaces, which tenant owners cannot edit.
 *
 * Enforcement (hedged, at time of writing — check your plugin's release notes): the
 * AdminNetworkPolicy API is implemented by OVN-Kubernetes, Antrea, kube-network-policies
 * (the SIG Network reference implementation) and Calico in recent versions (v3.29+, partly);
 * Cilium and flannel do not implement it. Where nothing implements it, the object is
 * accepted (once the CRD is installed) and silently ignored.
 *
 * Create it once per app, at the app's or a chart's level (not inside a tenant): a second
 * one is an error.
 */
export class ClusterBaseline extends Construct {
  /** The BaselineAdminNetworkPolicy. */
  public readonly policy: BaselineAdminNetworkPolicy;

  constructor(scope: Construct, id: string, props: ClusterBaselineProps = {}) {
    super(scope, id);
    checkPlainAppOnSynth(this);
    const path = this.node.path;
    const root = this.node.root;
    const other = singletons.get(root);
    if (other !== undefined) {
      throw errorAt(path, `a ClusterBaseline is already defined at ${other}: a cluster has one BaselineAdminNetworkPolicy, named "${BANP_NAME}". Remove this one.`);
    }
    singletons.set(root, path);
    // Cluster-scoped: no metadata.namespace, whatever the chart's namespace.
    enablePlacement(this);

    const allowFrom = props.allowFromNamespaces ?? [];
    const seen = new Set<string>();
    for (const ns of allowFrom) {
      validateRfc1123Label(ns, 'allowFromNamespaces entry', path);
      if (seen.has(ns)) throw errorAt(path, `allowFromNamespaces lists "${ns}" twice. Remove the duplicate.`);
      seen.add(ns);
    }

    const ingress: BaselineAdminNetworkPolicySpecIngress[] = [];
    if (allowFrom.length) {
      ingress.push({
        name: 'allow-from-platform-namespaces',
        action: BaselineAdminNetworkPolicySpecIngressAction.ALLOW,
        from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...allowFrom] }] } }],
      });
    }
    ingress.push({
      name: 'deny-from-tenant-namespaces',
      action: BaselineAdminNetworkPolicySpecIngressAction.DENY,
      from: [{ namespaces: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } }],
    });

    this.policy = new BaselineAdminNetworkPolicy(this, 'Resource', {
      metadata: { name: BANP_NAME, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
      spec: {
        subject: { namespaces: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } },
        ingress,
      },
    });
  }
}
