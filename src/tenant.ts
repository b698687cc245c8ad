import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { enableIsolationGuard } from './guard';
import { GRANTS_ANNOTATION, tenantLabels } from './labels';
import { cidrRange, errorAt, validateIpv4Cidr, validateLabels, validateRfc1123Label, withPath } from './names';
import { IPeer, Peer, PeerConfig, resolvePeer } from './peer';
import { ingressPolicy } from './policy';
import { Port, PortSpec } from './port';
import { Workload, WorkloadOptions } from './workload';

/** How strictly a tenant's pods are isolated. */
export enum TenantIsolation {
  /**
   * Pods of the tenant reach each other freely; nothing outside reaches in
   * (policy `deny-from-other-namespaces`).
   */
  NAMESPACE = 'namespace',
  /**
   * Nothing reaches a pod, not even from its own namespace, unless a link or an
   * allowance admits it (policy `deny-communication`). Use with `DbWebappLink`.
   */
  POD = 'pod',
}

/** Ingress from an ingress controller that runs in another namespace. */
export interface IngressControllerOptions {
  /** The controller's namespace, e.g. `ingress-nginx`. */
  readonly namespace: string;
  /**
   * Only the controller's pods, by label (recommended).
   * @default - every pod of that namespace
   */
  readonly podLabels?: Record<string, string>;
  /**
   * The pod ports the controller may reach.
   * @default - every port
   */
  readonly ports?: Port[];
}

/** Ingress from clients outside the cluster (through a NodePort or LoadBalancer Service). */
export interface ExternalTrafficOptions {
  /**
   * The source address blocks. With `externalTrafficPolicy: Cluster` (the default) the
   * source is often a node's address after SNAT, so narrow CIDRs must include the nodes.
   * @default ['0.0.0.0/0']
   */
  readonly cidrs?: string[];
  /** @default - none */
  readonly except?: string[];
  /** The pod ports external clients may reach (required: there is no "every port" default). */
  readonly ports: Port[];
}

/** Props of an `IsolatedTenant`. */
export interface IsolatedTenantProps {
  /**
   * The tenant's name, which is also its namespace's name (an RFC 1123 label).
   * @default the construct id
   */
  readonly name?: string;
  /** @default TenantIsolation.NAMESPACE */
  readonly isolation?: TenantIsolation;
  /**
   * Admit an ingress controller of another namespace (policy `allow-from-ingress-controller`).
   * @default - not admitted
   */
  readonly allowIngressController?: IngressControllerOptions;
  /**
   * Admit external clients on given ports (policy `allow-from-external`), for NodePort and
   * LoadBalancer Services, whose traffic `deny-from-other-namespaces` drops.
   * @default - not admitted
   */
  readonly allowExternal?: ExternalTrafficOptions;
  /**
   * More labels for the Namespace.
   * @default - none
   */
  readonly namespaceLabels?: Record<string, string>;
}

/** A declared ingress grant, as written to the Namespace annotation `tenancy.cdk8s.io/ingress-grants`. */
export interface GrantSpec {
  readonly from: { readonly namespace?: string; readonly podLabels?: Record<string, string>; readonly cidr?: string; readonly except?: string[] };
  readonly ports?: PortSpec[];
}

const registries = new WeakMap<IConstruct, Map<string, string>>();

/** Claims a namespace name in the app, throwing when another construct has it. */
function claimNamespace(scope: IConstruct, name: string, path: string): void {
  const root = scope.node.root;
  let names = registries.get(root);
  if (!names) {
    names = new Map();
    registries.set(root, names);
  }
  const other = names.get(name);
  if (other !== undefined) {
    throw errorAt(path, `tenant "${name}" is already defined at ${other}: tenant and namespace names must be unique in an app. Rename one of them.`);
  }
  names.set(name, path);
}

/**
 * A tenant: its Namespace, its workloads, and the NetworkPolicies that keep every other
 * namespace out.
 *
 * With the default `TenantIsolation.NAMESPACE` it writes `deny-from-other-namespaces`:
 * every pod may be reached from pods of the same namespace and from nothing else — which
 * also drops external traffic (LoadBalancer, NodePort) and ingress controllers running in
 * another namespace. Admit those explicitly with `allowExternal` and `allowIngressController`.
 *
 * A tenant is a peer: pass it wherever a source is accepted (`other.allowFrom(tenant, ...)`).
 */
export class IsolatedTenant extends Construct implements IPeer {
  /** Returns whether a value is an `IsolatedTenant`. */
  public static isIsolatedTenant(x: unknown): x is IsolatedTenant {
    return x instanceof IsolatedTenant;
  }

  /** The tenant's name. */
  public readonly name: string;
  /** The namespace's name (the tenant's name). */
  public readonly namespace: string;
  /** The isolation mode. */
  public readonly isolation: TenantIsolation;
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;

  private readonly grants: GrantSpec[] = [];
  private readonly policyNames = new Map<string, string>();
  private readonly _workloads: Workload[] = [];
  private denyAll?: ApiObject;

  constructor(scope: Construct, id: string, props: IsolatedTenantProps = {}) {
    super(scope, id);
    const path = this.node.path;
    this.name = props.name ?? id;
    validateRfc1123Label(this.name, 'tenant name', path);
    claimNamespace(this, this.name, path);
    enableIsolationGuard(this);
    this.namespace = this.name;
    this.isolation = props.isolation ?? TenantIsolation.NAMESPACE;
    if (!Object.values(TenantIsolation).includes(this.isolation)) {
      throw errorAt(path, `isolation ${JSON.stringify(props.isolation)} is not one of TenantIsolation.NAMESPACE, TenantIsolation.POD.`);
    }
    if (props.namespaceLabels) validateLabels(props.namespaceLabels, path);

    const grants = this.grants;
    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: { ...(props.namespaceLabels ?? {}), ...tenantLabels(this.name) },
        annotations: { [GRANTS_ANNOTATION]: Lazy.any({ produce: () => stableJson(grants) }) },
      },
    });

    if (this.isolation === TenantIsolation.NAMESPACE) {
      this.claimPolicyName('deny-from-other-namespaces', path);
      ingressPolicy(this, 'DenyFromOtherNamespaces', {
        name: 'deny-from-other-namespaces',
        namespace: this.namespace,
        labels: tenantLabels(this.name),
        podSelector: {},
        ingress: [{ from: [{ name: 'same-namespace' }] }],
      });
    } else {
      this._denyAllIngress();
    }

    if (props.allowIngressController) {
      const o = props.allowIngressController;
      const peer = withPath(path, () => Peer.namespace(o.namespace, o.podLabels));
      this.addAllowPolicy('allow-from-ingress-controller', 'AllowFromIngressController', {}, peer, o.ports ?? []);
    }
    if (props.allowExternal) {
      const o = props.allowExternal;
      if (!o.ports || o.ports.length === 0) {
        throw errorAt(path, 'allowExternal needs the pod ports external clients may reach, e.g. { ports: [Port.tcp(80)] }.');
      }
      const cidrs = o.cidrs ?? ['0.0.0.0/0'];
      if (cidrs.length === 0) {
        throw errorAt(path, 'allowExternal.cidrs is empty; leave it out for every address, or list the blocks to admit.');
      }
      for (const c of cidrs) validateIpv4Cidr(c, 'allowExternal CIDR', path);
      const except = o.except ?? [];
      for (const e of except) {
        validateIpv4Cidr(e, 'allowExternal.except CIDR', path);
        if (!cidrs.some((c) => within(e, c))) {
          throw errorAt(path, `allowExternal.except "${e}" is inside none of the admitted blocks (${cidrs.join(', ')}): it would exclude nothing. Fix the address or drop it.`);
        }
      }
      const peers = withPath(path, () => cidrs.map((c) => Peer.ipv4(c, except.filter((e) => within(e, c)))));
      this.addRulePolicy('allow-from-external', 'AllowFromExternal', {}, peers.map((p) => p.toPeerConfig()), o.ports);
    }
  }

  /** Every namespace of the tenant (today one: the tenant's name). */
  public get namespaces(): string[] {
    return [this.namespace];
  }

  /** The Namespace objects of the tenant, one per namespace. */
  public get namespaceObjects(): ApiObject[] {
    return [this.namespaceObject];
  }

  /** The workloads added to this tenant. */
  public get workloads(): Workload[] {
    return [...this._workloads];
  }

  /**
   * Adds a web workload: a Deployment and a Service named `name`, reachable as
   * `http://<name>.<tenant>` from inside the tenant.
   */
  public addWorkload(name: string, options: WorkloadOptions): Workload {
    const w = new Workload(this, name, { ...options, name, namespace: this.namespace, tenant: this.name });
    this._workloads.push(w);
    return w;
  }

  /**
   * Admits traffic from a peer (another tenant, a workload, a namespace, a CIDR block) to
   * every pod of this tenant, on the given ports (every port when none is given).
   * Writes policy `allow-from-<peer>` and records the grant for the isolation guard.
   */
  public allowFrom(peer: IPeer, ...ports: Port[]): ApiObject {
    const config = resolvePeer(peer, this.node.path);
    if (config.podLabels === undefined && config.namespaces === undefined && !config.ipBlock) {
      throw errorAt(this.node.path, `allowFrom(${config.name}) would admit every pod of the namespace; it is already admitted under TenantIsolation.NAMESPACE, and under TenantIsolation.POD name the pods, e.g. Peer.pods({ app: 'webapp' }).`);
    }
    return this.addAllowPolicy(`allow-from-${config.name}`, `AllowFrom-${config.name}`, {}, peer, ports);
  }

  /** The tenant's pods, as a peer: every pod of its namespace. */
  public toPeerConfig(): PeerConfig {
    return { namespaces: [this.namespace], name: this.name };
  }

  /** @internal the default-deny ingress policy `deny-communication`, created once. */
  public _denyAllIngress(): ApiObject {
    if (!this.denyAll) {
      this.claimPolicyName('deny-communication', this.node.path);
      this.denyAll = ingressPolicy(this, 'DenyCommunication', {
        name: 'deny-communication',
        namespace: this.namespace,
        labels: tenantLabels(this.name),
        podSelector: {},
        ingress: [],
      });
    }
    return this.denyAll;
  }

  /** @internal reserves a NetworkPolicy name in this namespace. */
  public claimPolicyName(name: string, path: string): void {
    validateRfc1123Label(name, 'NetworkPolicy name', path);
    const other = this.policyNames.get(name);
    if (other !== undefined) {
      throw errorAt(path, `NetworkPolicy "${name}" already exists in namespace "${this.namespace}" (defined at ${other}). Give this one another name.`);
    }
    this.policyNames.set(name, path);
  }

  private addAllowPolicy(name: string, id: string, podSelector: Record<string, string>, peer: IPeer, ports: Port[]): ApiObject {
    const config = resolvePeer(peer, this.node.path);
    return this.addRulePolicy(name, id, podSelector, [config], ports);
  }

  /** @internal writes an allow policy and records the grants it needs. */
  public addRulePolicy(name: string, id: string, podSelector: Record<string, string>, from: PeerConfig[], ports: Port[]): ApiObject {
    this.claimPolicyName(name, `${this.node.path}/${id}`);
    for (const peer of from) {
      for (const grant of grantsFor(peer, this.namespace, ports)) this.grants.push(grant);
    }
    return ingressPolicy(this, id, {
      name,
      namespace: this.namespace,
      labels: tenantLabels(this.name),
      podSelector,
      ingress: [{ from, ports }],
    });
  }
}

/** The grants a peer needs when it is admitted into `namespace`. */
function grantsFor(peer: PeerConfig, namespace: string, ports: Port[]): GrantSpec[] {
  const portSpecs = ports.length ? { ports: ports.map((p) => p._toSpec()) } : {};
  if (peer.ipBlock) {
    return [{ from: { cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except?.length ? { except: [...peer.ipBlock.except] } : {}) }, ...portSpecs }];
  }
  if (!peer.namespaces) return [];
  return peer.namespaces
    .filter((ns) => ns !== namespace)
    .map((ns) => ({ from: { namespace: ns, ...(peer.podLabels ? { podLabels: { ...peer.podLabels } } : {}) }, ...portSpecs }));
}

function within(inner: string, outer: string): boolean {
  const [ilo, ihi] = cidrRange(inner);
  const [olo, ohi] = cidrRange(outer);
  return ilo >= olo && ihi <= ohi;
}

/** JSON with sorted keys and sorted entries, so the annotation is byte-stable. */
export function stableJson(grants: GrantSpec[]): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  const items = [...new Set(grants.map((g) => JSON.stringify(sortKeys(g))))].sort();
  return `[${items.join(',')}]`;
}
