import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { enableIsolationGuard } from './guard';
import { checkPlainAppOnSynth } from './plain-app';
import { tenantLabels } from './labels';
import { errorAt, validateDnsSubdomain, validateLabels, validateRfc1123Label } from './names';
import { enableAddressCheck, workloadPeer, workloadPeerTenant } from './kplus';
import { IPeer, Peer, PeerConfig, PeerLike, resolvePeer } from './peer';
import { setDefaultNamespace } from './placement';
import { withPodNetworksExcepted } from './pod-networks';
import { networkPolicy, PodSelectorInput } from './policy';
import { Port } from './port';
import { AdminIsolation, AdminIsolationOptions, ITenantGrants } from './admin-isolation';
import { TenantArgoCd, TenantArgoCdOptions } from './argocd';
import { TenantOwners, TenantOwnersOptions } from './owners';
import { PodSecurity, PodSecurityLevel, PodSecurityOptions } from './pod-security';
import { TenantQuota, TenantQuotaOptions } from './quota';
import { Workload, WorkloadOptions } from './workload';
import { EgressGrantSpec, egressGrantsFor, GrantSpec, grantsFor, stableJson } from './grants';
import { admitExternal, admitIngressController, isolateNamespace, ITenantPolicies } from './isolation';
import { claimNamespace, tenantNamed } from './tenant-registry';
import { checkNamespacesByName, checkTenantByName } from './named-grants';
import {
  AdmissionTarget, EgressIsolationOptions, ExternalTrafficOptions, IngressControllerOptions, TenantIsolation,
} from './tenant-types';

/** Props of an `IsolatedTenant`. */
export interface IsolatedTenantProps {
  /**
   * The tenant's name, which is also its (first) namespace's name (an RFC 1123 label).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * More namespaces of the tenant. Traffic is free among all of the tenant's namespaces
   * and closed to everyone else; each carries the label `tenancy.cdk8s.io/tenant`, and
   * policies name them by `kubernetes.io/metadata.name`, which no one can forge.
   * @default - the tenant has one namespace, named after it
   */
  readonly extraNamespaces?: string[];
  /** @default TenantIsolation.NAMESPACE */
  readonly isolation?: TenantIsolation;
  /**
   * Isolate egress too (policy `restrict-egress`): pods may reach the tenant's own
   * namespaces, DNS, and only the destinations allowed with `allowTo` or `allowInternet`.
   * @default - egress is not isolated
   */
  readonly egress?: EgressIsolationOptions;
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
   * More labels for the Namespaces.
   * @default - none
   */
  readonly namespaceLabels?: Record<string, string>;
  /**
   * A ResourceQuota (`tenant-quota`) and a LimitRange (`tenant-limits`) in each namespace.
   * @default - no quota and no limit range
   */
  readonly quota?: TenantQuotaOptions;
  /**
   * RoleBindings (`tenant-owners`, `tenant-viewers`) granting groups or users the built-in
   * `admin` (or `view`) ClusterRole in each namespace.
   * @default - no bindings
   */
  readonly owners?: TenantOwnersOptions;
  /**
   * Pod Security Admission labels on each namespace. Always written: the enforced level is,
   * unless given, the strictest one every workload of the tenant's namespaces passes, whatever
   * construct made it (`restricted` if they
   * all can, else `baseline`); audit and warn default to `restricted`.
   * @default - see `PodSecurityOptions`
   */
  readonly podSecurity?: PodSecurityOptions;
  /**
   * An Argo CD AppProject confining the tenant to its namespaces and an Application syncing
   * its files from `dist/`, with sync waves so Namespace, then quotas and RBAC, then policies,
   * then workloads are applied in that order.
   * @default - no Argo CD objects
   */
  readonly argoCd?: TenantArgoCdOptions;
  /**
   * Isolation at the Admin tier, which the tenant's owners cannot override: a
   * ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`, tier `Admin`) named
   * `tenant-<name>` that passes the tenant's own namespaces and its declared grants on to the
   * NetworkPolicies and denies every other namespace (and, with `egress`, the same outward).
   * Needs a network plugin that implements ClusterNetworkPolicy (see the README).
   * @default - isolation by NetworkPolicies only
   */
  readonly adminIsolation?: AdminIsolationOptions;
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
export class IsolatedTenant extends Construct implements IPeer, ITenantPolicies, ITenantGrants {
  /** Returns whether a value is an `IsolatedTenant`. */
  public static isIsolatedTenant(x: unknown): x is IsolatedTenant {
    return x instanceof IsolatedTenant;
  }

  /** The tenant's name. */
  public readonly name: string;
  /** The tenant's first namespace (its name). */
  public readonly namespace: string;
  /** The isolation mode. */
  public readonly isolation: TenantIsolation;
  /** Whether egress is isolated. */
  public readonly isolatesEgress: boolean;
  /** The first Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The Pod Security Admission labels (`podSecurity.level` is the enforced level, decided at synth). */
  public readonly podSecurity: PodSecurity;
  /** The quota, when `quota` is set. */
  public readonly quota?: TenantQuota;
  /** The owners' RoleBindings, when `owners` is set. */
  public readonly owners?: TenantOwners;
  /** The Argo CD objects, when `argoCd` is set. */
  public readonly argoCd?: TenantArgoCd;
  /** The admin-tier ClusterNetworkPolicy, when `adminIsolation` is set. */
  public readonly adminIsolation?: AdminIsolation;

  private readonly _namespaces: string[];
  private readonly _namespaceObjects: ApiObject[] = [];
  /** The grants, computed at synth (peers may read their selectors then). */
  private readonly grants: Array<() => GrantSpec[]> = [];
  private readonly egressGrants: Array<() => EgressGrantSpec[]> = [];
  private readonly policyNames = new Map<string, string>();
  private readonly _workloads: Workload[] = [];
  private readonly denyAll = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: IsolatedTenantProps = {}) {
    super(scope, id);
    const path = this.node.path;
    this.name = props.name ?? id;
    validateRfc1123Label(this.name, 'tenant name', path);
    this.namespace = this.name;
    const extra = props.extraNamespaces ?? [];
    for (const ns of extra) validateRfc1123Label(ns, 'namespace name', path);
    this._namespaces = [this.name, ...extra];
    for (const ns of this._namespaces) claimNamespace(this, ns);
    // Objects created under the tenant without a namespace go into its first namespace.
    setDefaultNamespace(this, this.namespace);
    enableIsolationGuard(this);
    checkPlainAppOnSynth(this);
    enableAddressCheck(this);
    this.isolation = props.isolation ?? TenantIsolation.NAMESPACE;
    if (!Object.values(TenantIsolation).includes(this.isolation)) {
      throw errorAt(path, `isolation ${JSON.stringify(props.isolation)} is not one of TenantIsolation.NAMESPACE, TenantIsolation.POD.`);
    }
    if (props.namespaceLabels) validateLabels(props.namespaceLabels, path);
    this.isolatesEgress = props.egress !== undefined;

    const grantsJson = Lazy.any({ produce: () => stableJson(this.grants.flatMap((g) => g())) });
    const egressGrantsJson = Lazy.any({ produce: () => stableJson(this.egressGrants.flatMap((g) => g())) });
    for (const ns of this._namespaces) this._namespaceObjects.push(isolateNamespace(this, ns, props, grantsJson, egressGrantsJson));
    this.namespaceObject = this._namespaceObjects[0];
    if (props.allowIngressController) admitIngressController(this, props.allowIngressController);
    if (props.allowExternal) admitExternal(this, props.allowExternal);

    this.podSecurity = new PodSecurity(this, 'PodSecurity', props.podSecurity ?? {});
    this.quota = props.quota ? new TenantQuota(this, 'Quota', props.quota) : undefined;
    this.owners = props.owners ? new TenantOwners(this, 'Owners', props.owners) : undefined;
    this.argoCd = props.argoCd ? new TenantArgoCd(this, 'ArgoCd', props.argoCd) : undefined;
    this.adminIsolation = props.adminIsolation ? new AdminIsolation(this, 'AdminIsolation', props.adminIsolation) : undefined;
  }

  /** The ingress grants the tenant declared (what its Namespaces' ingress-grants annotation records). */
  public declaredIngress(): GrantSpec[] {
    return this.grants.flatMap((g) => g());
  }

  /** The egress grants the tenant declared (what its Namespaces' egress-grants annotation records). */
  public declaredEgress(): EgressGrantSpec[] {
    return this.egressGrants.flatMap((g) => g());
  }

  /** Every namespace of the tenant, the first named after it. */
  public get namespaces(): string[] {
    return [...this._namespaces];
  }

  /** The Namespace objects of the tenant, one per namespace. */
  public get namespaceObjects(): ApiObject[] {
    return [...this._namespaceObjects];
  }

  /** The workloads added to this tenant. */
  public get workloads(): Workload[] {
    return [...this._workloads];
  }

  /**
   * Adds a web workload: a Deployment and a Service named `name`, reachable as
   * `http://<name>.<namespace>` from inside the tenant.
   * @param namespace one of the tenant's namespaces (default: the first)
   */
  public addWorkload(name: string, options: WorkloadOptions, namespace: string = this.namespace): Workload {
    // Under an explicit `restricted` Pod Security level, workloads default to running as non-root.
    if (options.runAsNonRoot === undefined && this.podSecurity.explicit === PodSecurityLevel.RESTRICTED) {
      options = { ...options, runAsNonRoot: true };
    }
    if (!this._namespaces.includes(namespace)) {
      throw errorAt(`${this.node.path}/${name}`, `namespace "${namespace}" is not a namespace of tenant "${this.name}" (${this._namespaces.join(', ')}). Add it to extraNamespaces or pick one of those.`);
    }
    const id = namespace === this.namespace ? name : `${namespace}-${name}`;
    const w = new Workload(this, id, { ...options, name, namespace, tenant: this.name });
    this._workloads.push(w);
    return w;
  }

  /**
   * Admits traffic from a peer (another tenant, a workload — this package's, or a cdk8s-plus
   * Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod, by its selector and namespace —, a
   * namespace, a CIDR block, or plain labels for pods of this tenant) to every pod of this
   * tenant, on the given ports (every port when none is given).
   *
   * Writes policy `allow-from-<peer>` in each namespace of this tenant and records the grant
   * for the isolation guard; when the peer is a tenant (or a tenant's workload) that isolates
   * egress, also writes the matching `allow-to-<this tenant>` egress policy on its side.
   */
  public allowFrom(peer: PeerLike, ...ports: Port[]): ApiObject {
    return this._admit({ namespaces: this._namespaces, podSelector: {}, name: this.name, prefix: 'allow', idPrefix: 'AllowFrom' }, peer, ports);
  }

  /**
   * Allows egress from every pod of this tenant to a peer (as for `allowFrom`) on the given
   * ports (policy `allow-to-<peer>`). Only meaningful with `egress` isolation.
   */
  public allowTo(peer: PeerLike, ...ports: Port[]): ApiObject[] {
    const path = this.node.path;
    if (!this.isolatesEgress) {
      throw errorAt(path, `allowTo(...) does nothing: tenant "${this.name}" does not isolate egress. Set egress: {} to isolate it.`);
    }
    const resolved = resolvePeer(peer, path);
    const config = withPodNetworksExcepted(resolved, this, `allowTo(${describePeer(peer, resolved)})`, path);
    this.checkNamesIn(peer, config, 'allowTo');
    return this._allowEgressTo(config, {}, ports, this._namespaces, `allow-to-${config.name}`);
  }

  /**
   * @internal admits `peer` into the pods selected by `target` (all of this tenant's, or one
   * workload's), writes the egress side where the peer's tenant isolates egress, and records
   * the grant.
   */
  public _admit(target: AdmissionTarget, peer: PeerLike, ports: Port[]): ApiObject {
    const path = this.node.path;
    const resolved = resolvePeer(peer, path);
    const config = withPodNetworksExcepted(resolved, this, `allowFrom(${describePeer(peer, resolved)})`, path);
    if (config.namespaces === undefined && !config.ipBlock && config.podLabels === undefined) {
      throw errorAt(path, `allowFrom(${config.name}) would admit every pod of the namespace; it is already admitted under TenantIsolation.NAMESPACE, and under TenantIsolation.POD name the pods, e.g. Peer.pods({ app: 'webapp' }).`);
    }
    // A workload of another namespace is named with its tenant: `allow-web-from-customer1-nginx`.
    const fromWorkload = workloadPeer(peer);
    const peerName = fromWorkload && !target.namespaces.includes(fromWorkload.namespace) ? fromWorkload.qualifiedName : config.name;
    const policy = this.addRulePolicy(`${target.prefix}-from-${peerName}`, `${target.idPrefix}-${peerName}`, target.podSelector, [config], ports, target.namespaces);
    const known = config.tenant !== undefined ? tenantNamed<IsolatedTenant>(this, config.tenant) : undefined;
    const source = (fromWorkload ? workloadPeerTenant<IsolatedTenant>(this, peer, fromWorkload, config.name) : undefined) ?? tenantOf(peer) ?? known;
    this.checkNamesIn(peer, config, 'allowFrom', known);
    if (source && source.node.root !== this.node.root) {
      throw errorAt(path, `allowFrom(${config.name}): tenant "${source.name}" belongs to another app (${source.node.path}), so its side of the grant would never be synthesized. Create both tenants in the same app, or admit its namespace with Peer.namespace('${source.namespace}').`);
    }
    if (source && source !== this && source.isolatesEgress) {
      const destination: PeerConfig = {
        namespaces: [...target.namespaces],
        ...(Object.keys(target.podSelector).length ? { podLabels: { ...target.podSelector } } : {}),
        name: target.name,
      };
      source._allowEgressTo(destination, () => config.podLabels ?? {}, ports,
        fromWorkload ? [fromWorkload.namespace] : source.namespaces,
        fromWorkload ? `allow-${fromWorkload.name}-to-${target.name}` : `allow-to-${target.name}`);
    }
    return policy;
  }

  /** The tenant's pods, as a peer: every pod of its namespaces. */
  public toPeerConfig(): PeerConfig {
    return { namespaces: [...this._namespaces], name: this.name };
  }

  /**
   * @internal writes egress policies `name` from the pods selected by `podSelector` to `peer`,
   * and records the egress grant.
   */
  public _allowEgressTo(to: PeerConfig, podSelector: PodSelectorInput, ports: Port[], namespaces: string[], name: string): ApiObject[] {
    // (a no-op for the grants above, which except the pod networks already; a safety net for other callers)
    const peer = withPodNetworksExcepted(to, this, `policy ${name}`, this.node.path);
    this._recordEgressGrants([peer], ports);
    return namespaces.map((ns) => {
      this.claimPolicyName(name, `${this.node.path}/${this._idFor(name, ns)}`, ns);
      return networkPolicy(this, this._idFor(name, ns), 'Egress', {
        name, namespace: ns, labels: tenantLabels(this.name), podSelector, rules: [{ peers: [peer], ports }],
      });
    });
  }

  /** @internal records egress grants (written on the Namespaces when the tenant isolates egress). */
  public _recordEgressGrants(to: PeerConfig[], ports: Port[]): void {
    for (const peer of to) this.egressGrants.push(() => egressGrantsFor(peer, this._namespaces, ports));
  }

  /**
   * Checks at synth the names a grant relies on: the tenant of `Peer.tenant`, or namespaces
   * named by name (not through a tenant or its workload).
   */
  private checkNamesIn(peer: PeerLike, config: PeerConfig, method: 'allowFrom' | 'allowTo', known?: IsolatedTenant): void {
    if (config.tenant !== undefined) {
      checkTenantByName(this, config.tenant, method, known);
    } else if (config.namespaces && !tenantOf(peer) && !workloadPeer(peer)) {
      // (a workload's pods, named by their selector in its namespace, are not a grant by namespace name)
      checkNamespacesByName(this, config.namespaces, (ns) => `${method}(${peer instanceof Peer ? `Peer.namespace('${ns}')` : `peer "${config.name}"`})`);
    }
  }

  /** @internal the default-deny ingress policy `deny-communication`, created once per namespace. */
  public _denyAllIngress(namespace: string = this.namespace): ApiObject {
    let policy = this.denyAll.get(namespace);
    if (!policy) {
      this.claimPolicyName('deny-communication', this.node.path, namespace);
      policy = networkPolicy(this, this._idFor('DenyCommunication', namespace), 'Ingress', {
        name: 'deny-communication',
        namespace,
        labels: tenantLabels(this.name),
        podSelector: {},
        rules: [],
      });
      this.denyAll.set(namespace, policy);
    }
    return policy;
  }

  /** @internal reserves a NetworkPolicy name in a namespace of this tenant. */
  public claimPolicyName(name: string, path: string, namespace: string = this.namespace): void {
    validateDnsSubdomain(name, 'NetworkPolicy name', path);
    const key = `${namespace}/${name}`;
    const other = this.policyNames.get(key);
    if (other !== undefined) {
      throw errorAt(path, `NetworkPolicy "${name}" already exists in namespace "${namespace}" (defined at ${other}). Give this one another name.`);
    }
    this.policyNames.set(key, path);
  }

  /** @internal the construct id of `base` in `namespace` (bare in the first namespace). */
  public _idFor(base: string, namespace: string): string {
    return namespace === this.namespace ? base : `${base}-${namespace}`;
  }

  /**
   * @internal writes an ingress allow policy in the given namespaces (default: all of the
   * tenant's) and records the grants it needs. Returns the policy of the first namespace.
   */
  public addRulePolicy(name: string, id: string, podSelector: PodSelectorInput, sources: PeerConfig[], ports: Port[], namespaces: string[] = this._namespaces): ApiObject {
    // (a no-op for the grants above, which except the pod networks already; a safety net for other callers)
    const from = sources.map((p) => withPodNetworksExcepted(p, this, `policy ${name}`, this.node.path));
    const policies = namespaces.map((ns) => {
      this.claimPolicyName(name, `${this.node.path}/${this._idFor(id, ns)}`, ns);
      for (const peer of from) this.grants.push(() => grantsFor(peer, this._namespaces, ports));
      return networkPolicy(this, this._idFor(id, ns), 'Ingress', { name, namespace: ns, labels: tenantLabels(this.name), podSelector, rules: [{ peers: from, ports }] });
    });
    return policies[0];
  }
}

/** A peer as the user wrote it, for messages: `Peer.ipv4('10.0.0.0/8')`, or its name. */
function describePeer(peer: PeerLike, config: PeerConfig): string {
  if (peer instanceof Peer && config.ipBlock) return `Peer.ipv4('${config.ipBlock.cidr}')`;
  return config.name;
}

/** The tenant a peer belongs to, when it is a tenant or a tenant's workload. */
function tenantOf(peer: PeerLike): IsolatedTenant | undefined {
  for (let c: IConstruct | undefined = peer as unknown as IConstruct; c && (c as IConstruct).node; c = c.node.scope) {
    if (IsolatedTenant.isIsolatedTenant(c)) return c;
  }
  return undefined;
}
