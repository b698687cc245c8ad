import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApiObject, App, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { tenantLabels } from './labels';
import { errorAt } from './names';
import { ClusterScope } from './placement';
import { plainAppOf, syncedDirectory } from './plain-app';
import { ArgoSourceOptions, platformArgoCdOf, resolveArgoSource } from './platform-argocd';
import type { ITenant } from './tenant-types';

/** The annotation Argo CD orders a sync by (lower waves first, each wave healthy before the next). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync wave of each kind of a tenant's objects: what confines it (quota, limits, RBAC)
 * first, then its NetworkPolicies, then everything that runs. Kinds not listed get wave 0. (Its
 * Namespaces come earlier still, from the platform's Application: `PLATFORM_SYNC_WAVES`.)
 */
export const SYNC_WAVES: Readonly<Record<string, number>> = {
  ResourceQuota: -2,
  LimitRange: -2,
  ServiceAccount: -2,
  Role: -2,
  RoleBinding: -2,
  NetworkPolicy: -1,
};

/** Options of a tenant's Argo CD project and application (`TenantArgoCd`). */
export interface TenantArgoCdOptions extends ArgoSourceOptions {}

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
 * - no cluster-scoped object at all (`clusterResourceWhitelist: []`, and a blacklist of every
 *   kind): the tenant's Namespaces and every cluster-wide object are synced by the platform's
 *   Application (`PlatformArgoCd`), which this construct needs, before the tenant's;
 * - `orphanedResources.warn`: objects in the tenant's namespaces that no Application tracks —
 *   added by hand — show up as a warning on the tenant's Application (Argo CD neither reverts
 *   nor prunes them);
 * - no roles: the project grants nobody anything in Argo CD.
 *
 * The Application syncs only the tenant's files from `path` (`directory.include`
 * `{customer1.k8s.yaml}`, one entry per namespace, in a `TenancyApp`, which writes the
 * Namespaces to `+cluster.k8s.yaml`; in a plain cdk8s `App`, the files its `yamlOutputType`
 * writes for the tenant's objects, see `plain-app.ts`) into the tenant's namespace. Those files
 * must hold only the tenant's namespaced objects.
 *
 * Sync waves are added at synth to every namespaced object of the tenant — under it in the
 * construct tree, or anywhere in the app with one of its namespaces (a `DbWebappLink`'s
 * policies) — so objects added after this construct get them too: ResourceQuota/LimitRange/
 * ServiceAccount/Role/RoleBinding -2, NetworkPolicy -1, everything else 0. Argo CD applies a
 * wave only when the previous one is healthy, so no pod runs before the policies that protect it.
 */
export class TenantArgoCd extends Construct {
  /** The AppProject. */
  public readonly appProject: ApiObject;
  /** The Application. */
  public readonly application: ApiObject;

  constructor(tenant: ITenant, id: string, props: TenantArgoCdProps) {
    super(tenant, id);
    const path = this.node.path;
    const source = resolveArgoSource(props, this);
    const { argoNamespace, server } = source;
    if (tenant.namespaces.includes(argoNamespace)) {
      throw errorAt(path, `argoNamespace "${argoNamespace}" is a namespace of tenant "${tenant.name}": the tenant would control its own AppProject. Use Argo CD's own namespace, e.g. "argocd".`);
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
        sourceRepos: [source.repoURL],
        destinations: namespaces.map((ns) => ({ server, namespace: ns })),
        clusterResourceWhitelist: [],
        clusterResourceBlacklist: [{ group: '*', kind: '*' }],
        orphanedResources: { warn: true },
      },
    };
    const application: IApplication = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: tenant.name, namespace: argoNamespace, labels },
      spec: {
        project: tenant.name,
        source: {
          repoURL: source.repoURL,
          targetRevision: source.targetRevision,
          path: source.path,
          // TenancyApp writes one file per namespace; a plain App's files depend on its layout (plain-app.ts).
          directory: plainAppOf(this)
            ? Lazy.any({ produce: syncedDirectory(this, tenant.name, () => tenant.namespaces) })
            : { include: `{${namespaces.map((ns) => `${ns}${ext}`).join(',')}}` },
        },
        destination: { server, namespace: tenant.namespace },
        ...(source.autoSync ? { syncPolicy: { automated: { prune: true, selfHeal: true } } } : {}),
      },
    };
    this.appProject = new ApiObject(this, 'AppProject', project);
    this.application = new ApiObject(this, 'Application', application);

    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        const late = tenant.namespaces.filter((ns) => !namespaces.includes(ns));
        if (late.length) {
          errors.push(`namespace${late.length > 1 ? 's' : ''} ${late.map((ns) => `"${ns}"`).join(', ')} of tenant "${tenant.name}" ${late.length > 1 ? 'are' : 'is'} missing from the AppProject's destinations and the Application's files: added after this TenantArgoCd was created. Create the TenantArgoCd after all the tenant's namespaces.`);
        }
        const platform = platformArgoCdOf(this);
        if (!platform) {
          errors.push(`tenant "${tenant.name}"'s Namespaces are synced by the platform's Argo CD Application, and this app has none: the tenant's project may create no cluster-scoped object. Add new PlatformArgoCd(chart, 'argocd', { repoURL: '${source.repoURL}' }) once in the app.`);
        } else if (platform.source.argoNamespace !== argoNamespace || platform.source.server !== server) {
          errors.push(`argoNamespace "${argoNamespace}" and server "${server}" must be those of the PlatformArgoCd at ${platform.node.path} ("${platform.source.argoNamespace}", "${platform.source.server}"), which syncs this tenant's Namespaces, AppProject and Application. Use the same values.`);
        }
        return errors;
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
        const scope = ClusterScope.of(root);
        const byTenant = new Map<IConstruct, ITenant>(entries.map((e) => [e.tenant as IConstruct, e.tenant]));
        const byNamespace = new Map<string, ITenant>();
        for (const e of entries) for (const ns of e.tenant.namespaces) byNamespace.set(ns, e.tenant);
        const argoObjects = new Set<IConstruct>(entries.flatMap((e) => [e.argo.appProject, e.argo.application]));
        const visit = (c: IConstruct, inTenant: boolean): void => {
          const here = inTenant || byTenant.has(c);
          if (ApiObject.isApiObject(c) && !argoObjects.has(c)) {
            const obj = c as ApiObject;
            // cluster-scoped objects (Namespaces included) are the platform Application's
            const belongs = !scope.has(obj) && (here
              || (obj.metadata.namespace !== undefined && byNamespace.has(obj.metadata.namespace)));
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
