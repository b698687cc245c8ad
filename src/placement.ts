/**
 * Where objects go. An object created without a namespace under a construct that sets a
 * default namespace (a tenant: its first namespace) goes into that namespace, whatever made it
 * (cdk8s-plus, a raw `ApiObject`, an imported custom resource). A cluster-scoped object never
 * carries `metadata.namespace`, whatever its chart's namespace.
 *
 * Objects are placed at synth, before anything is validated or rendered: in `TenancyApp` and in
 * a plain cdk8s `App`, through a validation of the app's root, which runs first.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Kinds that have no namespace: Kubernetes' own, and those of the custom resources this
 * package writes or knows (the network-policy-api's cluster-wide policies). Kinds of
 * `CustomResourceDefinition`s in the app with `scope: Cluster` are cluster-scoped too.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus',
  'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'APIService',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'PriorityClass', 'IngressClass', 'RuntimeClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy',
]);

/** The default namespace of each construct that sets one. */
const defaults = new WeakMap<IConstruct, string>();
/** Apps whose root places their objects at synth. */
const enabled = new WeakSet<IConstruct>();
/** The number of placement passes of each app: what the per-synth caches are keyed on. */
const passes = new WeakMap<IConstruct, number>();

/**
 * Objects created under `scope` (at any depth) without a namespace go into `namespace`; the
 * nearest such scope wins.
 */
export function setDefaultNamespace(scope: IConstruct, namespace: string): void {
  defaults.set(scope, namespace);
  enablePlacement(scope);
}

/** Makes the app of `scope` place its objects at every synth (once per app). */
export function enablePlacement(scope: IConstruct): void {
  const root = scope.node.root;
  if (enabled.has(root)) return;
  enabled.add(root);
  root.node.addValidation({ validate: () => { placeObjects(root); return []; } });
}

/** Which kinds of an app are cluster-scoped. */
export class ClusterScope {
  /** The cluster-scoped kinds of the app under `root`: the known ones and its CRDs' with `scope: Cluster`. */
  public static of(root: IConstruct): ClusterScope {
    const custom = new Set<string>();
    for (const c of root.node.findAll()) {
      if (!ApiObject.isApiObject(c) || c.kind !== 'CustomResourceDefinition') continue;
      const spec = c.toJson().spec ?? {};
      if (spec.scope === 'Cluster' && typeof spec.group === 'string' && typeof spec.names?.kind === 'string') {
        custom.add(`${spec.group}/${spec.names.kind}`);
      }
    }
    return new ClusterScope(custom);
  }

  private constructor(private readonly custom: ReadonlySet<string>) {}

  /** Whether an object's kind has no namespace. */
  public has(obj: ApiObject): boolean {
    return CLUSTER_SCOPED_KINDS.has(obj.kind) || this.custom.has(`${obj.apiGroup}/${obj.kind}`);
  }
}

/** The default namespace that applies to a construct: that of its nearest scope that sets one. */
export function scopeNamespace(c: IConstruct): string | undefined {
  for (let s: IConstruct | undefined = c.node.scope; s; s = s.node.scope) {
    const ns = defaults.get(s);
    if (ns !== undefined) return ns;
  }
  return undefined;
}

/**
 * The namespace an object goes into: none for a cluster-scoped kind, else its own, else that of
 * its nearest scope that sets one (undefined when there is none: kubectl would use its
 * context's namespace).
 */
export function namespaceOf(obj: ApiObject, clusterScope?: ClusterScope): string | undefined {
  if (clusterScope ? clusterScope.has(obj) : CLUSTER_SCOPED_KINDS.has(obj.kind)) return undefined;
  const own = obj.metadata.namespace;
  return own !== undefined ? own : scopeNamespace(obj);
}

/**
 * Places every object under `root`: a scope's default namespace on objects without one, and no
 * namespace on cluster-scoped objects. Idempotent; each call starts a new pass.
 */
export function placeObjects(root: IConstruct): void {
  const clusterScope = ClusterScope.of(root);
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const metadata = c.metadata as unknown as { namespace?: string };
    if (clusterScope.has(c)) {
      if (metadata.namespace !== undefined) metadata.namespace = undefined;
    } else if (metadata.namespace === undefined) {
      const ns = scopeNamespace(c);
      if (ns !== undefined) metadata.namespace = ns;
    }
  }
  passes.set(root.node.root, placementPass(root) + 1);
}

/** The number of times the app of `scope` has been placed: caches valid for one synth compare it. */
export function placementPass(scope: IConstruct): number {
  return passes.get(scope.node.root) ?? 0;
}
