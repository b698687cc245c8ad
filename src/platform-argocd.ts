/**
 * The platform's Argo CD project and application: they sync the tenants' Namespaces, every
 * cluster-wide object of the app and the tenants' own projects and applications, in that order,
 * so that no tenant project needs to create anything cluster-scoped.
 */
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApiObject, App, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { outputFileOf, placeInFile } from './app';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import { errorAt, validateRfc1123Label } from './names';
import { DEFAULT_SYNC_PATH, syncPathOf } from './output';
import { plainAppOf, syncedPlatformDirectory } from './plain-app';
import { ClusterScope, namespaceOf } from './placement';
import { namespaceOwner } from './tenant-registry';

/** The name of the platform's AppProject and Application. */
export const PLATFORM_NAME = 'tenancy-platform';

/**
 * The file (under `custom-resources/`) of the platform's AppProject and Application: applied by
 * hand once (`kubectl apply -f dist/custom-resources/+bootstrap.k8s.yaml`), and not synced by the
 * Application itself.
 */
export const BOOTSTRAP_FILE = '+bootstrap';

/** The sync annotation Argo CD orders a sync by (lower waves first, each healthy before the next). */
const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync waves of the platform Application's objects: Namespaces, then cluster-wide objects
 * (RBAC, admission policies, cluster network policies), then the tenants' AppProjects, then
 * their Applications — so a tenant's Application exists only once its Namespaces and the
 * policies that confine it do.
 */
export const PLATFORM_SYNC_WAVES: Readonly<Record<string, number>> = {
  Namespace: -3,
  ClusterRole: -2,
  ClusterRoleBinding: -2,
  ValidatingAdmissionPolicy: -2,
  ValidatingAdmissionPolicyBinding: -2,
  ClusterNetworkPolicy: -2,
  BaselineAdminNetworkPolicy: -2,
  AdminNetworkPolicy: -2,
  AppProject: -1,
  Application: 0,
};

/** The Kubernetes API of the cluster Argo CD runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Where Argo CD finds the synthesized files, and where it deploys them. */
export interface ArgoSourceOptions {
  /** The Git repository that holds the synthesized manifests, e.g. `https://github.com/acme/platform.git`. */
  readonly repoURL: string;
  /**
   * The revision to sync: a branch, tag or commit.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * The folder of the repository that holds the synthesized files.
   * @default - the app's output folder when it is a relative path (`dist`, or `dist/templates`
   * under `cdk8s synth --format helm`), else `'dist'`
   */
  readonly path?: string;
  /**
   * The namespace Argo CD runs in, where the AppProjects and the Applications are created.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /**
   * The cluster to deploy to.
   * @default IN_CLUSTER ('https://kubernetes.default.svc')
   */
  readonly server?: string;
  /**
   * Sync automatically: prune objects removed from Git and revert changes made in the cluster
   * to the objects the Application tracks (`selfHeal`). Objects it does not track — added by
   * hand — are neither reverted nor pruned.
   * @default false
   */
  readonly autoSync?: boolean;
}

/** `ArgoSourceOptions`, checked, with defaults. */
export interface ArgoSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly argoNamespace: string;
  readonly server: string;
  readonly autoSync: boolean;
}

/** Checks Argo CD source options and fills in the defaults (the construct's app gives the default path). */
export function resolveArgoSource(props: ArgoSourceOptions, scope: IConstruct): ArgoSource {
  const path = scope.node.path;
  const root = scope.node.root;
  if (!props || typeof props.repoURL !== 'string' || props.repoURL.trim() === '' || /\s/.test(props.repoURL)) {
    throw errorAt(path, `repoURL ${JSON.stringify(props?.repoURL)} is not a repository URL. Give the Git repository that holds the synthesized files, e.g. "https://github.com/acme/platform.git".`);
  }
  const argoNamespace = props.argoNamespace ?? 'argocd';
  validateRfc1123Label(argoNamespace, 'argoNamespace', path);
  const server = props.server ?? IN_CLUSTER;
  if (!/^https?:\/\/\S+$/.test(server)) {
    throw errorAt(path, `server ${JSON.stringify(server)} is not a Kubernetes API URL such as "${IN_CLUSTER}".`);
  }
  const dir = props.path ?? (root instanceof App ? syncPathOf(root.outdir) : DEFAULT_SYNC_PATH);
  if (dir.startsWith('/') || dir.split('/').includes('..')) {
    throw errorAt(path, `path ${JSON.stringify(dir)} must be a folder relative to the repository root, e.g. "dist".`);
  }
  const targetRevision = props.targetRevision ?? 'HEAD';
  if (targetRevision.trim() === '' || /\s/.test(targetRevision)) {
    throw errorAt(path, `targetRevision ${JSON.stringify(targetRevision)} is not a Git revision such as "HEAD", "main" or "v1.2.0".`);
  }
  return { repoURL: props.repoURL, targetRevision, path: dir, argoNamespace, server, autoSync: props.autoSync ?? false };
}

/** Props of a `PlatformArgoCd`. */
export interface PlatformArgoCdProps extends ArgoSourceOptions {}

/** Each app's PlatformArgoCd. */
const singletons = new WeakMap<IConstruct, PlatformArgoCd>();

/** The app's PlatformArgoCd, if it has one. */
export function platformArgoCdOf(scope: IConstruct): PlatformArgoCd | undefined {
  return singletons.get(scope.node.root);
}

/**
 * The platform's Argo CD `AppProject` and `Application`, both named `tenancy-platform`, in
 * `dist/custom-resources/+bootstrap.k8s.yaml` (apply it once; it is not in the files it syncs).
 *
 * The Application syncs, from `path`, the files of the app's cluster-scoped objects — the
 * tenants' Namespaces and the cluster-wide policies (`+cluster.k8s.yaml`,
 * `custom-resources/+cluster.k8s.yaml`) — and the tenants' AppProjects and Applications
 * (`custom-resources/<argoNamespace>.k8s.yaml`), with sync waves (`PLATFORM_SYNC_WAVES`): the
 * Namespaces first, then the cluster-wide objects, then the tenants' projects, then their
 * Applications. The tenants' Applications sync only their namespaces' files, which hold no
 * cluster-scoped object, so their projects may create none.
 *
 * The project admits exactly the cluster-scoped kinds the app writes and, in Argo CD's
 * namespace, AppProjects and Applications: it is the platform's (whoever can change its source
 * can create projects), and tenants get their own, confined projects from it.
 *
 * Create it once per app. Every `TenantArgoCd` of the app needs it (their Namespaces come from
 * here) and must use the same `argoNamespace` and `server`.
 */
export class PlatformArgoCd extends Construct {
  /** The AppProject. */
  public readonly appProject: ApiObject;
  /** The Application. */
  public readonly application: ApiObject;
  /** The checked source options. */
  public readonly source: ArgoSource;

  constructor(scope: Construct, id: string, props: PlatformArgoCdProps) {
    super(scope, id);
    const path = this.node.path;
    const root = this.node.root;
    const other = singletons.get(root);
    if (other) {
      throw errorAt(path, `a PlatformArgoCd is already defined at ${other.node.path}: one Application syncs the platform's objects. Remove this one.`);
    }
    const source = resolveArgoSource(props, this);
    this.source = source;
    singletons.set(root, this);
    const ext = root instanceof App ? root.outputFileExtension : '.k8s.yaml';
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };

    /** The AppProject and Application of the platform, which it does not sync (filled below). */
    const own = new Set<ApiObject>();
    /** Whether the Application syncs an object: a cluster-scoped one, or one in Argo CD's namespace. */
    const syncs = (o: ApiObject, scope: ClusterScope) => !own.has(o) && (scope.has(o) || namespaceOf(o, scope) === source.argoNamespace);
    /** The app's objects this Application syncs. */
    const synced = (): { objects: ApiObject[]; scope: ClusterScope } => {
      const scope = ClusterScope.of(root);
      const objects = root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && syncs(c, scope));
      return { objects, scope };
    };
    const kinds = (clusterScoped: boolean) => {
      const { objects, scope } = synced();
      return kindsOf(objects.filter((o) => scope.has(o) === clusterScoped));
    };

    const project: IAppProject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: PLATFORM_NAME, namespace: source.argoNamespace, labels },
      spec: {
        description: 'The platform: tenant Namespaces, cluster-wide policies, and the tenants\' Argo CD projects and applications.',
        sourceRepos: [source.repoURL],
        destinations: [{ server: source.server, namespace: source.argoNamespace }],
        clusterResourceWhitelist: Lazy.any({ produce: () => kinds(true) }) as any,
        namespaceResourceWhitelist: Lazy.any({ produce: () => kinds(false) }) as any,
      },
    };
    const application: IApplication = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: PLATFORM_NAME, namespace: source.argoNamespace, labels },
      spec: {
        project: PLATFORM_NAME,
        source: {
          repoURL: source.repoURL,
          targetRevision: source.targetRevision,
          path: source.path,
          // TenancyApp's files are known from the objects; a plain App's depend on its layout (plain-app.ts).
          directory: plainAppOf(this) ? Lazy.any({ produce: syncedPlatformDirectory(this, own, syncs) }) : {
            include: Lazy.any({
              produce: () => {
                const { objects, scope } = synced();
                return `{${[...new Set(objects.map((o) => outputFileOf(o, ext, scope)))].sort().join(',')}}`;
              },
            }) as any,
            recurse: true,
          },
        },
        destination: { server: source.server, namespace: source.argoNamespace },
        ...(source.autoSync ? { syncPolicy: { automated: { prune: true, selfHeal: true } } } : {}),
      },
    };
    this.appProject = new ApiObject(this, 'AppProject', project);
    this.application = new ApiObject(this, 'Application', application);
    own.add(this.appProject).add(this.application);
    placeInFile(this.appProject, BOOTSTRAP_FILE);
    placeInFile(this.application, BOOTSTRAP_FILE);

    // Sync waves on what the Application syncs, at synth (objects added after this construct too).
    this.node.addValidation({
      validate: () => {
        const owner = namespaceOwner(this, source.argoNamespace);
        if (owner) {
          return [`argoNamespace "${source.argoNamespace}" is a namespace of tenant "${owner.name}" (${owner.node.path}): its owners would control every AppProject and Application of the platform. Use Argo CD's own namespace, and declare it the platform's (platformNamespaces).`];
        }
        for (const o of synced().objects) o.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(PLATFORM_SYNC_WAVES[o.kind] ?? 0));
        return [];
      },
    });
  }
}

/** The distinct API groups and kinds of objects, sorted, as Argo CD's whitelists write them. */
function kindsOf(objects: ApiObject[]): Array<{ group: string; kind: string }> {
  const seen = new Map<string, { group: string; kind: string }>();
  for (const o of objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
    seen.set(`${group}/${o.kind}`, { group, kind: o.kind });
  }
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}
