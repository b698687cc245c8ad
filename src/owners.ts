import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { tenantLabels } from './labels';
import { errorAt } from './names';
import { OWNER_ROLE_NAME, ownerRoleOf } from './owner-role';
import type { ITenant } from './tenant-types';

/** The name of the owners' RoleBinding in each tenant namespace. */
export const TENANT_OWNERS_NAME = 'tenant-owners';
/** The name of the viewers' RoleBinding in each tenant namespace. */
export const TENANT_VIEWERS_NAME = 'tenant-viewers';

/** Options of a tenant's owners and viewers (`TenantOwners`). */
export interface TenantOwnersOptions {
  /**
   * Groups (as your authenticator names them, e.g. an OIDC `groups` claim) that own the tenant.
   * @default - no group
   */
  readonly groups?: string[];
  /**
   * Users that own the tenant, e.g. `alice@example.com`.
   * @default - no user
   */
  readonly users?: string[];
  /**
   * The ClusterRole the owners get in each tenant namespace. The built-in `admin` allows
   * everything in the namespace except changing its ResourceQuota, LimitRange and the
   * Namespace itself; note that it does allow editing NetworkPolicies and RoleBindings.
   * `OWNER_ROLE_NAME` (`tenancy-owner`, written by `OwnerRole`) is `admin` without writing
   * NetworkPolicies.
   * @default 'admin'
   */
  readonly clusterRole?: string;
  /**
   * Groups with read-only access (the built-in `view`: no Secrets, no RBAC).
   * @default - no viewer group
   */
  readonly viewerGroups?: string[];
  /**
   * Users with read-only access.
   * @default - no viewer user
   */
  readonly viewerUsers?: string[];
  /**
   * The ClusterRole the viewers get.
   * @default 'view'
   */
  readonly viewerClusterRole?: string;
}

/** Props of a `TenantOwners`. */
export interface TenantOwnersProps extends TenantOwnersOptions {}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Why a subject name means "everyone", or undefined. Refused as owners and viewers: every
 * authenticated user, every anonymous request (group and user), every service account of the
 * cluster or of a namespace (`system:serviceaccounts:<namespace>`, which would hand the tenant
 * to whatever runs there). Refused in both lists, since a user of that name is a mistake too.
 */
function everyone(name: string): string | undefined {
  if (name === 'system:authenticated') return 'every authenticated user and service account of the cluster';
  if (name === 'system:unauthenticated' || name === 'system:anonymous') return 'every anonymous request';
  if (name === 'system:serviceaccounts') return 'every service account of the cluster';
  if (name.startsWith('system:serviceaccounts:')) return `every service account of namespace "${name.slice('system:serviceaccounts:'.length)}"`;
  return undefined;
}

/**
 * RoleBindings that make groups or users the owners of a tenant: `tenant-owners` binds the
 * built-in ClusterRole `admin` (or another one) in every namespace of the tenant, and, when
 * viewers are given, `tenant-viewers` binds `view`. Binding a ClusterRole with a RoleBinding
 * grants it in that namespace only.
 */
export class TenantOwners extends Construct {
  /** The owners' RoleBinding of each namespace, by namespace name. */
  public readonly ownerBindings: Readonly<Record<string, ApiObject>>;
  /** The viewers' RoleBinding of each namespace, by namespace name (empty without viewers). */
  public readonly viewerBindings: Readonly<Record<string, ApiObject>>;

  constructor(tenant: ITenant, id: string, props: TenantOwnersProps) {
    super(tenant, id);
    const path = this.node.path;
    const owners = subjects(props.groups, props.users, 'groups', 'users', path);
    if (owners.length === 0) {
      throw errorAt(path, `TenantOwners of tenant "${tenant.name}" has no subjects. Give groups (e.g. groups: ['${tenant.name}-admins']) or users (e.g. users: ['alice@example.com']).`);
    }
    const viewers = subjects(props.viewerGroups, props.viewerUsers, 'viewerGroups', 'viewerUsers', path);
    const role = props.clusterRole ?? 'admin';
    const viewerRole = props.viewerClusterRole ?? 'view';
    validateRoleName(role, 'clusterRole', path);
    validateRoleName(viewerRole, 'viewerClusterRole', path);
    if (role === 'cluster-admin') {
      throw errorAt(path, 'clusterRole "cluster-admin" would let the owners edit the tenant\'s ResourceQuota, LimitRange and Namespace labels (Pod Security levels included), defeating the isolation. Use "admin" (the default) or a narrower ClusterRole.');
    }

    if (role === OWNER_ROLE_NAME) {
      this.node.addValidation({
        validate: () => ownerRoleOf(this) ? [] : [`clusterRole "${OWNER_ROLE_NAME}" is written by OwnerRole, and this app has none: the owners' RoleBindings would grant nothing. Add new OwnerRole(chart, 'owner-role') once in the app.`],
      });
    }

    const ownerBindings: Record<string, ApiObject> = {};
    const viewerBindings: Record<string, ApiObject> = {};
    for (const ns of tenant.namespaces) {
      ownerBindings[ns] = new k8s.KubeRoleBinding(this, `Owners-${ns}`, {
        metadata: { name: TENANT_OWNERS_NAME, namespace: ns, labels: tenantLabels(tenant.name) },
        roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
        subjects: owners,
      });
      if (viewers.length) {
        viewerBindings[ns] = new k8s.KubeRoleBinding(this, `Viewers-${ns}`, {
          metadata: { name: TENANT_VIEWERS_NAME, namespace: ns, labels: tenantLabels(tenant.name) },
          roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: viewerRole },
          subjects: viewers,
        });
      }
    }
    this.ownerBindings = ownerBindings;
    this.viewerBindings = viewerBindings;

    this.node.addValidation({
      validate: () => tenant.namespaces
        .filter((ns) => !(ns in ownerBindings))
        .map((ns) => `namespace "${ns}" of tenant "${tenant.name}" has no owners' RoleBinding: it was added after this TenantOwners was created. Create the TenantOwners after all the tenant's namespaces.`),
    });
  }
}

function subjects(groups: string[] | undefined, users: string[] | undefined, gWhat: string, uWhat: string, path: string): k8s.Subject[] {
  const out: k8s.Subject[] = [];
  const seen = new Set<string>();
  for (const [list, kind, what] of [[groups, 'Group', gWhat], [users, 'User', uWhat]] as const) {
    for (const name of list ?? []) {
      if (typeof name !== 'string' || name.trim().length === 0 || name !== name.trim()) {
        throw errorAt(path, `${what} contains ${JSON.stringify(name)}, which is not a ${kind.toLowerCase()} name. Remove it or fix the spelling (no surrounding spaces).`);
      }
      const who = everyone(name);
      if (who !== undefined) {
        throw errorAt(path, `${what} lists "${name}", which is ${who}: they would all get the tenant's ${what.startsWith('viewer') ? 'read access' : 'admin rights'}. Name the tenant's own ${kind === 'Group' ? 'group' : 'users'}, or one service account as the user "system:serviceaccount:<namespace>:<name>".`);
      }
      if (seen.has(`${kind}/${name}`)) {
        throw errorAt(path, `${what} lists "${name}" twice. Remove the duplicate.`);
      }
      seen.add(`${kind}/${name}`);
      out.push({ apiGroup: RBAC_GROUP, kind, name });
    }
  }
  return out;
}

function validateRoleName(name: string, what: string, path: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 253 || /[/%\s]/.test(name) || name === '.' || name === '..') {
    throw errorAt(path, `${what} ${JSON.stringify(name)} is not a ClusterRole name: it must be non-empty, at most 253 characters, without '/', '%' or spaces, e.g. "admin".`);
  }
}
