/**
 * Protected managed objects: a ValidatingAdmissionPolicy (built into Kubernetes 1.30+, CEL, no
 * operator) that keeps tenant owners from undoing what the platform wrote in their namespaces.
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL, TENANT_LABEL } from './labels';
import { errorAt } from './names';
import { enablePlacement } from './placement';
import { TenantOwners } from './owners';
import { platformArgoCdOf } from './platform-argocd';

/** The name of the policy (and binding) that protects the managed objects. */
export const MANAGED_OBJECTS_POLICY_NAME = 'tenancy-protect-managed-objects';
/** The name of the policy (and binding) that keeps owners' NetworkPolicies inside their namespace. */
export const NETWORK_POLICIES_POLICY_NAME = 'tenancy-restrict-network-policies';

/** The API of ValidatingAdmissionPolicy, GA in Kubernetes 1.30. */
export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

/** The Argo CD application controller's service account (Argo CD in namespace `argocd`), as the API server names it. */
export const ARGOCD_APPLICATION_CONTROLLER = 'system:serviceaccount:argocd:argocd-application-controller';

/** Props of a `TenantProtection`. */
export interface TenantProtectionProps {
  /**
   * The identities that deploy the platform's objects, as the API server names them
   * (`request.userInfo.username`): users (`ci-deployer`) and service accounts
   * (`system:serviceaccount:<namespace>:<name>`). Only they may change or delete managed
   * objects and write NetworkPolicies that reach outside their namespace. With Argo CD sync
   * impersonation, list the impersonated service accounts.
   * @default [ARGOCD_APPLICATION_CONTROLLER]
   */
  readonly deployers?: string[];
}

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SA_PREFIX = 'system:serviceaccount:';
const GROUPS = ['system:masters', 'system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:nodes'];

/** Checks a deployer identity; returns it. */
export function validateDeployer(name: string, path: string): string {
  const shown = JSON.stringify(name);
  if (typeof name !== 'string' || name.length === 0) {
    throw errorAt(path, `deployers contains ${shown}, which is not a user or service-account name. Give the name the API server sees, e.g. "${ARGOCD_APPLICATION_CONTROLLER}".`);
  }
  if (GROUPS.includes(name) || name.startsWith('system:serviceaccounts:')) {
    throw errorAt(path, `deployers entry ${shown} is a group, and deployers are users or service accounts. Name the deploying identity itself, e.g. "${ARGOCD_APPLICATION_CONTROLLER}".`);
  }
  if (name.startsWith(SA_PREFIX) || name.startsWith('system:serviceaccount')) {
    const parts = name.slice(SA_PREFIX.length).split(':');
    const ok = name.startsWith(SA_PREFIX) && parts.length === 2 && RFC1123_LABEL.test(parts[0]) && parts[0].length <= 63
      && DNS_SUBDOMAIN.test(parts[1]) && parts[1].length <= 253;
    if (!ok) {
      throw errorAt(path, `deployers entry ${shown} is not a service-account name: write it as "system:serviceaccount:<namespace>:<name>", e.g. "${ARGOCD_APPLICATION_CONTROLLER}".`);
    }
    return name;
  }
  if (name.length > 253 || !/^[\x21-\x7e]+$/.test(name) || /["'\\]/.test(name)) {
    throw errorAt(path, `deployers entry ${shown} is not a user name this policy accepts: printable ASCII without spaces, quotes or backslashes, at most 253 characters, e.g. "ci-deployer" or "${ARGOCD_APPLICATION_CONTROLLER}".`);
  }
  return name;
}

/** The deployers' match condition: the policies apply to everyone else. */
function notADeployer(deployers: string[]) {
  return { name: 'not-a-deployer', expression: `!(request.userInfo.username in [${deployers.map((d) => JSON.stringify(d)).join(', ')}])` };
}

/**
 * The CEL of the managed-objects policy: UPDATE and DELETE of an object labelled
 * `app.kubernetes.io/managed-by: cdk8s-tenancy` are denied, unless the namespace is being
 * deleted. It reads only `metadata`, which every matched kind has.
 */
export function managedObjectsCel(deployers: string[]) {
  const key = JSON.stringify(MANAGED_BY_LABEL);
  return {
    matchConditions: [notADeployer(deployers)],
    variables: [
      { name: 'managed', expression: `oldObject != null && has(oldObject.metadata.labels) && ${key} in oldObject.metadata.labels && oldObject.metadata.labels[${key}] == ${JSON.stringify(MANAGED_BY)}` },
      { name: 'namespaceTerminating', expression: 'namespaceObject != null && has(namespaceObject.metadata.deletionTimestamp)' },
    ],
    validations: [
      {
        expression: '!variables.managed || variables.namespaceTerminating',
        message: `This object is managed by ${MANAGED_BY} (label ${MANAGED_BY_LABEL}=${MANAGED_BY}): only the platform's deployer may change or delete it. Change it in the platform's repository.`,
        reason: 'Forbidden',
      },
    ],
  };
}

/**
 * The CEL of the NetworkPolicy policy: a rule without peers, or with a `namespaceSelector` or an
 * `ipBlock` peer, admits or reaches outside the namespace.
 */
export function networkPoliciesCel(deployers: string[]) {
  const opens = (rules: string, peers: string) =>
    `(has(object.spec.${rules}) && object.spec.${rules}.exists(r, !has(r.${peers}) || size(r.${peers}) == 0 || r.${peers}.exists(p, has(p.namespaceSelector) || has(p.ipBlock))))`;
  return {
    matchConditions: [notADeployer(deployers)],
    variables: [
      { name: 'opensIngress', expression: opens('ingress', 'from') },
      { name: 'opensEgress', expression: opens('egress', 'to') },
    ],
    validations: [
      {
        expression: '!variables.opensIngress && !variables.opensEgress',
        message: 'In a tenant namespace, a NetworkPolicy may only admit or reach pods of its own namespace: no namespaceSelector, no ipBlock, no rule without from/to. Ask the platform team for a grant (allowFrom/allowTo) instead.',
        reason: 'Forbidden',
      },
    ],
  };
}

/** A ValidatingAdmissionPolicy and its binding. */
export interface AdmissionPolicyPair {
  /** The ValidatingAdmissionPolicy. */
  readonly policy: ApiObject;
  /** Its ValidatingAdmissionPolicyBinding (same name). */
  readonly binding: ApiObject;
}

/** Each app's TenantProtection. */
const singletons = new WeakMap<IConstruct, string>();

/**
 * Protected managed objects: two `ValidatingAdmissionPolicy` objects and their bindings
 * (`admissionregistration.k8s.io/v1`, Kubernetes 1.30+), cluster-scoped. In every namespace
 * labelled `tenancy.cdk8s.io/tenant` (a label tenant owners cannot change, since they cannot
 * edit Namespaces), for everyone but the `deployers`:
 * - `tenancy-protect-managed-objects`: UPDATE and DELETE of the objects the package manages —
 *   NetworkPolicies, ResourceQuotas, LimitRanges and RoleBindings labelled
 *   `app.kubernetes.io/managed-by: cdk8s-tenancy` — are denied (except while the namespace
 *   itself is being deleted, when the namespace controller removes them);
 * - `tenancy-restrict-network-policies`: CREATE and UPDATE of a NetworkPolicy with a
 *   `namespaceSelector`, an `ipBlock`, or a rule without `from`/`to` (which admits or reaches
 *   everything) are denied.
 * Owners keep full control inside their namespace: policies between their own pods, and every
 * other object their role allows. Two policies rather than one, so that each expression is
 * type-checked against the kinds it reads.
 *
 * Create it once per app, next to tenants that have owners (it protects nothing otherwise).
 */
export class TenantProtection extends Construct {
  /** `tenancy-protect-managed-objects`. */
  public readonly managedObjects: AdmissionPolicyPair;
  /** `tenancy-restrict-network-policies`. */
  public readonly networkPolicies: AdmissionPolicyPair;
  /** The deployer identities. */
  public readonly deployers: string[];

  constructor(scope: Construct, id: string, props: TenantProtectionProps = {}) {
    super(scope, id);
    const path = this.node.path;
    const root = this.node.root;
    const other = singletons.get(root);
    if (other !== undefined) {
      throw errorAt(path, `a TenantProtection is already defined at ${other}: one set of admission policies protects every tenant namespace. Remove this one.`);
    }
    const deployers = props.deployers ?? [ARGOCD_APPLICATION_CONTROLLER];
    if (!Array.isArray(deployers) || deployers.length === 0) {
      throw errorAt(path, `deployers is empty: nothing could then change the managed objects, the platform included. Give the identity that applies them, e.g. deployers: ["${ARGOCD_APPLICATION_CONTROLLER}"].`);
    }
    const seen = new Set<string>();
    for (const d of deployers) {
      validateDeployer(d, path);
      if (seen.has(d)) throw errorAt(path, `deployers lists "${d}" twice. Remove the duplicate.`);
      seen.add(d);
    }
    this.deployers = [...deployers];
    singletons.set(root, path);
    // Cluster-scoped: no metadata.namespace, whatever the chart's namespace.
    enablePlacement(this);

    this.managedObjects = this.pair('ManagedObjects', MANAGED_OBJECTS_POLICY_NAME, [
      { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['UPDATE', 'DELETE'], resources: ['networkpolicies'] },
      { apiGroups: [''], apiVersions: ['*'], operations: ['UPDATE', 'DELETE'], resources: ['limitranges', 'resourcequotas'] },
      { apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['UPDATE', 'DELETE'], resources: ['rolebindings'] },
    ], managedObjectsCel(this.deployers));
    this.networkPolicies = this.pair('NetworkPolicies', NETWORK_POLICIES_POLICY_NAME, [
      { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['networkpolicies'] },
    ], networkPoliciesCel(this.deployers));

    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!root.node.findAll().some((c) => c instanceof TenantOwners)) {
          errors.push('TenantProtection protects tenants from their owners, but no tenant of this app has owners: it would protect nothing. Give a tenant owners (owners: { groups: [...] }), or remove the TenantProtection.');
        }
        const argoNamespace = platformArgoCdOf(this)?.source.argoNamespace;
        if (props.deployers === undefined && argoNamespace !== undefined && argoNamespace !== 'argocd') {
          errors.push(`deployers defaults to Argo CD's application controller in namespace "argocd", but this app's PlatformArgoCd runs Argo CD in "${argoNamespace}": its syncs would be refused. Give deployers: ["system:serviceaccount:${argoNamespace}:argocd-application-controller"].`);
        }
        return errors;
      },
    });
  }

  private pair(id: string, name: string, resourceRules: object[], cel: object): AdmissionPolicyPair {
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    // admissionregistration.k8s.io/v1 (Kubernetes 1.30): cdk8s-plus-27's types stop at v1alpha1
    const policy = new ApiObject(this, `${id}Policy`, {
      apiVersion: ADMISSION_API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels },
      spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules }, ...cel },
    });
    const binding = new ApiObject(this, `${id}Binding`, {
      apiVersion: ADMISSION_API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } },
      },
    });
    return { policy, binding };
  }
}
