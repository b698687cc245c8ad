/**
 * The owners' ClusterRole the package writes: Kubernetes' `admin` without write access to
 * NetworkPolicies (and without impersonating service accounts).
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import { errorAt } from './names';
import { enablePlacement } from './placement';

/** The name of the owners' ClusterRole: pass it as `owners.clusterRole`. */
export const OWNER_ROLE_NAME = 'tenancy-owner';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_WRITE = [...READ, ...WRITE];

/**
 * The rules of the owners' ClusterRole: those Kubernetes 1.30 aggregates into `admin`
 * (`system:aggregate-to-admin`, `-to-edit`, `-to-view` of the bootstrap policy), less:
 * - create/update/patch/delete/deletecollection of `networkpolicies` (read stays);
 * - `impersonate` on `serviceaccounts` (an owner could act as a service account that holds more,
 *   such as an Argo CD sync account);
 * - the `extensions` group, no longer served (Kubernetes 1.22+).
 * Rules that CRDs aggregate into `admin` (label `rbac.authorization.k8s.io/aggregate-to-admin`)
 * are not included: add a ClusterRole of your own for those and bind it too.
 */
export const OWNER_ROLE_RULES: ReadonlyArray<k8s.PolicyRule> = [
  // admin: grant permissions inside the namespace (RBAC escalation checks still apply)
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: READ_WRITE },
  // edit: run and change workloads
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  {
    apiGroups: [''],
    resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'],
    verbs: WRITE,
  },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
    verbs: WRITE,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: READ_WRITE },
  // view: read the namespace
  {
    apiGroups: [''],
    resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'],
    verbs: READ,
  },
  {
    apiGroups: [''],
    resources: ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'],
    verbs: READ,
  },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  {
    apiGroups: ['apps'],
    resources: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'],
    verbs: READ,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: READ },
];

/** Each app's OwnerRole. */
const singletons = new WeakMap<IConstruct, OwnerRole>();

/** The app's OwnerRole, if it has one. */
export function ownerRoleOf(scope: IConstruct): OwnerRole | undefined {
  return singletons.get(scope.node.root);
}

/**
 * The ClusterRole `tenancy-owner`: what the built-in `admin` lets a namespace's owners do, less
 * writing NetworkPolicies and impersonating service accounts (see `OWNER_ROLE_RULES`). Bind
 * owners to it with `owners: { clusterRole: OWNER_ROLE_NAME, ... }`; a RoleBinding grants it in
 * that namespace only. Owners then read their policies but cannot add, change or delete any, and
 * RBAC's escalation check keeps them from binding anyone (themselves included) to `admin` or
 * `edit`, which hold more. Create it once per app.
 */
export class OwnerRole extends Construct {
  /** The ClusterRole. */
  public readonly role: ApiObject;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const other = singletons.get(this.node.root);
    if (other) {
      throw errorAt(this.node.path, `an OwnerRole is already defined at ${other.node.path}: the ClusterRole "${OWNER_ROLE_NAME}" serves every tenant. Remove this one.`);
    }
    singletons.set(this.node.root, this);
    // Cluster-scoped: no metadata.namespace, whatever the chart's namespace.
    enablePlacement(this);
    this.role = new k8s.KubeClusterRole(this, 'Resource', {
      metadata: { name: OWNER_ROLE_NAME, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
      rules: OWNER_ROLE_RULES.map((r) => ({ ...r, apiGroups: [...r.apiGroups!], resources: [...r.resources!], verbs: [...r.verbs] })),
    });
  }
}
