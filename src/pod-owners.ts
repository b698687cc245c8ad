/**
 * The objects that run pods in each namespace of an app (Deployments, StatefulSets, DaemonSets,
 * Jobs, CronJobs, Pods, …), whatever construct made them: this package's `Workload`,
 * cdk8s-plus, a raw `ApiObject`, inside or outside a tenant's construct scope. Features that
 * judge a namespace's pods (Pod Security, `DbWebappLink`) read them here.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podSpecOf, podTemplate, WORKLOAD_KINDS } from './guard';
import { ClusterScope, namespaceOf, placementPass } from './placement';

/** An object that runs pods, in its namespace. */
export class PodOwner {
  private rendered?: any;

  /** @internal */
  constructor(
    /** The object. */
    public readonly object: ApiObject,
    /** The namespace its pods run in. */
    public readonly namespace: string,
  ) {}

  /** The object's construct path. */
  public get path(): string {
    return this.object.node.path;
  }

  /** The object as JSON (rendered once). */
  public get manifest(): any {
    if (this.rendered === undefined) this.rendered = this.object.toJson();
    return this.rendered;
  }

  /** `Deployment "web" (<construct path>)`, for messages. */
  public get description(): string {
    return `${this.object.kind} "${this.object.name}" (${this.path})`;
  }

  /** The pod spec. */
  public get podSpec(): any {
    return podSpecOf(this.manifest);
  }

  /** The labels of its pods. */
  public get podLabels(): Record<string, string> {
    return { ...(podTemplate(this.object.kind, this.manifest)?.metadata as any)?.labels ?? {} };
  }

  /** The labels that select its pods: the controller's `matchLabels`, or a Pod's own labels. */
  public get selectorLabels(): Record<string, string> {
    return this.object.kind === 'Pod' ? this.podLabels : { ...this.manifest.spec?.selector?.matchLabels ?? {} };
  }
}

const cache = new WeakMap<IConstruct, { pass: number; byNamespace: Map<string, PodOwner[]> }>();

/**
 * The objects that run pods under `root`, by namespace, in construct order. Built once per
 * synth (a placement pass, which runs first); an object without a namespace is left out.
 */
export function podOwners(root: IConstruct): ReadonlyMap<string, readonly PodOwner[]> {
  const pass = placementPass(root);
  const hit = cache.get(root);
  if (hit && hit.pass === pass) return hit.byNamespace;
  const byNamespace = new Map<string, PodOwner[]>();
  const clusterScope = ClusterScope.of(root);
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || !WORKLOAD_KINDS.has(c.kind)) continue;
    const ns = namespaceOf(c, clusterScope);
    if (ns === undefined) continue;
    const list = byNamespace.get(ns);
    if (list) list.push(new PodOwner(c, ns)); else byNamespace.set(ns, [new PodOwner(c, ns)]);
  }
  cache.set(root, { pass, byNamespace });
  return byNamespace;
}

/** The objects that run pods in the given namespaces, in namespace then construct order. */
export function podOwnersIn(scope: IConstruct, namespaces: readonly string[]): PodOwner[] {
  const all = podOwners(scope.node.root);
  return namespaces.flatMap((ns) => all.get(ns) ?? []);
}
