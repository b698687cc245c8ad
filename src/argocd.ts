import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { tenantLabels } from './labels';
import { errorAt, validateRfc1123Label } from './names';
import type { ITenant } from './tenant-types';

/** The annotation Argo CD orders a sync by (lower waves first, each wave healthy before the next). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync wave of each kind of a tenant's objects: the Namespace first, then what confines
 * it (quota, limits, RBAC), then its NetworkPolicies, then everything that runs. Kinds not
 * listed get wave 0.
 */
export const SYNC_WAVES: Readonly<Record<string, number>> = {
  Namespace: -3,
  ResourceQuota: -2,
  LimitRange: -2,
  ServiceAccount: -2,
  Role: -2,
  RoleBinding: -2,
  NetworkPolicy: -1,
};

/** The Kubernetes API of the cluster Argo CD runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Options of a tenant's Argo CD project and application (`TenantArgoCd`). */
export interface TenantArgoCdOptions {
  /** The Git repository that holds the synthesized manifests, e.g. `https://github.com/acme/platform.git`. */
  readonly repoURL: string;
  /**
   * The revision to sync: a branch, tag or commit.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * The folder of the repository that holds the synthesized files.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * The namespace Argo CD runs in, where the AppProject and the Application are created.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /**
   * The cluster the tenant is deployed to (the Application's and the project's destination).
   * @default IN_CLUSTER ('https://kubernetes.default.svc')
   */
  readonly server?: string;
  /**
   * Sync automatically, pruning objects removed from Git and reverting changes made in the
   * cluster (`selfHeal`), e.g. a tenant owner deleting a NetworkPolicy.
   * @default false
   */
  readonly autoSync?: boolean;
}

/** Props of a `TenantArgoCd`. */
export interface TenantArgoCdProps extends TenantArgoCdOptions {}

/**
 * An Argo CD `AppProject` and `Application` for a tenant, both named after it, in the
 * `argocd` namespace, and sync waves on the tenant's objects.
 *
 * The project confines what it deploys to the tenant's namespaces on one cluster, from one
 * repository:
 * - `destinations`: each namespace of the tenant on `server`;
 * - `sourceRepos`: `[repoURL]`;
 * - `clusterResourceWhitelist`: only `Namespace`. The tenant owns no cluster-scoped object,
 *   but its Namespace is written into the tenant's own file by `TenancyApp` (the file
 *   `<namespace>.k8s.yaml` starts with it), and Argo CD refuses to sync an application with
 *   a cluster-scoped object its project does not whitelist. Argo CD's whitelist names kinds,
 *   not objects: the project could create any Namespace, which is why the Application and
 *   its source are the platform's (this construct), and the project grants no roles. Other
 *   cluster-scoped objects (such as the `BaselineAdminNetworkPolicy` in `_cluster.k8s.yaml`)
 *   belong to the platform's own application.
 * - no `namespaceResourceBlacklist`: the tenant's ResourceQuota, LimitRange, RoleBindings and
 *   NetworkPolicies are written by the platform into the tenant's file, so this Application
 *   must sync them. What keeps tenant owners from editing them is RBAC (`admin` cannot change
 *   quotas or limits, but can change NetworkPolicies), `autoSync` (self-heal reverts such
 *   edits) and the cluster baseline (`ClusterBaseline`), which still denies cross-tenant
 *   traffic when a namespace's policies are gone.
 *
 * The Application syncs only the tenant's files from `path` (`directory.include`
 * `{customer1.k8s.yaml}`, one entry per namespace) into the tenant's namespace.
 *
 * Sync waves are added at synth to every object of the tenant — under it in the construct
 * tree, or anywhere in the app with one of its namespaces (a `DbWebappLink`'s policies) — so
 * objects added after this construct get them too: Namespace -3, ResourceQuota/LimitRange/ServiceAccount/Role/RoleBinding -2,
 * NetworkPolicy -1, everything else 0. Argo CD applies a wave only when the previous one is
 * healthy, so no pod runs before the policies that protect it.
 */
export class TenantArgoCd extends Construct {
  /** The AppProject. */
  public readonly appProject: ApiObject;
  /** The Application. */
  public readonly application: ApiObject;

  constructor(tenant: ITenant, id: string, props: TenantArgoCdProps) {
    super(tenant, id);
    const path = this.node.path;
    if (!props || typeof props.repoURL !== 'string' || props.repoURL.trim() === '' || /\s/.test(props.repoURL)) {
      throw errorAt(path, `repoURL ${JSON.stringify(props?.repoURL)} is not a repository URL. Give the Git repository that holds the synthesized files, e.g. "https://github.com/acme/platform.git".`);
    }
    const argoNamespace = props.argoNamespace ?? 'argocd';
    validateRfc1123Label(argoNamespace, 'argoNamespace', path);
    if (tenant.namespaces.includes(argoNamespace)) {
      throw errorAt(path, `argoNamespace "${argoNamespace}" is a namespace of tenant "${tenant.name}": the tenant would control its own AppProject. Use Argo CD's own namespace, e.g. "argocd".`);
    }
    const server = props.server ?? IN_CLUSTER;
    if (!/^https?:\/\/\S+$/.test(server)) {
      throw errorAt(path, `server ${JSON.stringify(server)} is not a Kubernetes API URL such as "${IN_CLUSTER}".`);
    }
    const dir = props.path ?? 'dist';
    if (dir.startsWith('/') || dir.split('/').includes('..')) {
      throw errorAt(path, `path ${JSON.stringify(dir)} must be a folder relative to the repository root, e.g. "dist".`);
    }
    const revision = props.targetRevision ?? 'HEAD';
    if (revision.trim() === '' || /\s/.test(revision)) {
      throw errorAt(path, `targetRevision ${JSON.stringify(revision)} is not a Git revision such as "HEAD", "main" or "v1.2.0".`);
    }
    const root = this.node.root;
    const ext = root instanceof App ? root.outputFileExtension : '.k8s.yaml';
    const namespaces = tenant.namespaces;
    const labels = tenantLabels(tenant.name);

    const project: IAppProject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: tenant.name, namespace: argoNamespace, labels },
      spec: {
        description: `Tenant ${tenant.name}: its namespaces only (${namespaces.join(', ')}).`,
        sourceRepos: [props.repoURL],
        destinations: namespaces.map((ns) => ({ server, namespace: ns })),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    };
    const application: IApplication = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: tenant.name, namespace: argoNamespace, labels },
      spec: {
        project: tenant.name,
        source: {
          repoURL: props.repoURL,
          targetRevision: revision,
          path: dir,
          directory: { include: `{${namespaces.map((ns) => `${ns}${ext}`).join(',')}}` },
        },
        destination: { server, namespace: tenant.namespace },
        ...(props.autoSync ? { syncPolicy: { automated: { prune: true, selfHeal: true } } } : {}),
      },
    };
    this.appProject = new ApiObject(this, 'AppProject', project);
    this.application = new ApiObject(this, 'Application', application);

    this.node.addValidation({
      validate: () => {
        const late = tenant.namespaces.filter((ns) => !namespaces.includes(ns));
        if (late.length) {
          return [`namespace${late.length > 1 ? 's' : ''} ${late.map((ns) => `"${ns}"`).join(', ')} of tenant "${tenant.name}" ${late.length > 1 ? 'are' : 'is'} missing from the AppProject's destinations and the Application's files: added after this TenantArgoCd was created. Create the TenantArgoCd after all the tenant's namespaces.`];
        }
        return [];
      },
    });
    registerSyncWaves(this, tenant);
  }
}

/** The TenantArgoCd constructs of each app, with their tenants. */
const argoTenants = new WeakMap<IConstruct, Array<{ argo: TenantArgoCd; tenant: ITenant }>>();

/**
 * Sync waves are written by one validation of the app's root, which walks the app once for all
 * its tenants (a walk per tenant would make synth quadratic in tenants). It annotates every
 * object of a tenant that has Argo CD — inside the tenant's construct, or elsewhere in the app
 * but in one of its namespaces — except the Argo CD objects themselves. Adding an annotation is
 * idempotent, so objects added after the construct get theirs too.
 */
function registerSyncWaves(argo: TenantArgoCd, tenant: ITenant): void {
  const root = argo.node.root;
  let list = argoTenants.get(root);
  if (!list) {
    const entries: Array<{ argo: TenantArgoCd; tenant: ITenant }> = [];
    list = entries;
    argoTenants.set(root, entries);
    root.node.addValidation({
      validate: () => {
        const byTenant = new Map<IConstruct, ITenant>(entries.map((e) => [e.tenant as IConstruct, e.tenant]));
        const byNamespace = new Map<string, ITenant>();
        for (const e of entries) for (const ns of e.tenant.namespaces) byNamespace.set(ns, e.tenant);
        const argoObjects = new Set<IConstruct>(entries.flatMap((e) => [e.argo.appProject, e.argo.application]));
        const visit = (c: IConstruct, inTenant: boolean): void => {
          const here = inTenant || byTenant.has(c);
          if (ApiObject.isApiObject(c) && !argoObjects.has(c)) {
            const obj = c as ApiObject;
            const belongs = here
              || (obj.metadata.namespace !== undefined && byNamespace.has(obj.metadata.namespace))
              || (obj.kind === 'Namespace' && byNamespace.has(obj.name));
            if (belongs) obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(SYNC_WAVES[obj.kind] ?? 0));
          }
          for (const child of c.node.children) visit(child, here);
        };
        visit(root, false);
        return [];
      },
    });
  }
  list.push({ argo, tenant });
}
