import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { enableIsolationGuard } from './guard';
import { tenantLabels } from './labels';
import { errorAt, validateDnsSubdomain, validateLabels, validateRfc1123Label } from './names';
import { IPeer, LabelSelector, PeerConfig, resolvePeer } from './peer';
import { networkPolicy } from './policy';
import { Port } from './port';
import { TenantArgoCd, TenantArgoCdOptions } from './argocd';
import { TenantOwners, TenantOwnersOptions } from './owners';
import { PodSecurity, PodSecurityLevel, PodSecurityOptions } from './pod-security';
import { TenantQuota, TenantQuotaOptions } from './quota';
import { Workload, WorkloadOptions } from './workload';
import { GrantSpec, grantsFor, stableJson } from './grants';
import { admitExternal, admitIngressController, isolateNamespace, ITenantPolicies } from './isolation';
import { claimNamespace, tenantNamed, tenantNames } from './tenant-registry';
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
   * unless given, the strictest one every workload of the tenant passes (`restricted` if they
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
export class IsolatedTenant extends Construct implements IPeer, ITenantPolicies {
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

  private readonly _namespaces: string[];
  private readonly _namespaceObjects: ApiObject[] = [];
  private readonly grants: GrantSpec[] = [];
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
    enableIsolationGuard(this);
    this.isolation = props.isolation ?? TenantIsolation.NAMESPACE;
    if (!Object.values(TenantIsolation).includes(this.isolation)) {
      throw errorAt(path, `isolation ${JSON.stringify(props.isolation)} is not one of TenantIsolation.NAMESPACE, TenantIsolation.POD.`);
    }
    if (props.namespaceLabels) validateLabels(props.namespaceLabels, path);
    this.isolatesEgress = props.egress !== undefined;

    const grantsJson = Lazy.any({ produce: () => stableJson(this.grants) });
    for (const ns of this._namespaces) this._namespaceObjects.push(isolateNamespace(this, ns, props, grantsJson));
    this.namespaceObject = this._namespaceObjects[0];
    if (props.allowIngressController) admitIngressController(this, props.allowIngressController);
    if (props.allowExternal) admitExternal(this, props.allowExternal);

    this.podSecurity = new PodSecurity(this, 'PodSecurity', props.podSecurity ?? {});
    this.quota = props.quota ? new TenantQuota(this, 'Quota', props.quota) : undefined;
    this.owners = props.owners ? new TenantOwners(this, 'Owners', props.owners) : undefined;
    this.argoCd = props.argoCd ? new TenantArgoCd(this, 'ArgoCd', props.argoCd) : undefined;
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
   * Admits traffic from a peer (another tenant, a workload, a namespace, a CIDR block, or
   * plain labels for pods of this tenant) to every pod of this tenant, on the given ports
   * (every port when none is given).
   *
   * Writes policy `allow-from-<peer>` in each namespace of this tenant and records the grant
   * for the isolation guard; when the peer is a tenant (or a tenant's workload) that isolates
   * egress, also writes the matching `allow-to-<this tenant>` egress policy on its side.
   */
  public allowFrom(peer: IPeer | LabelSelector, ...ports: Port[]): ApiObject {
    return this._admit({ namespaces: this._namespaces, podSelector: {}, name: this.name, prefix: 'allow', idPrefix: 'AllowFrom' }, peer, ports);
  }

  /**
   * Allows egress from every pod of this tenant to a peer on the given ports (policy
   * `allow-to-<peer>`). Only meaningful with `egress` isolation.
   */
  public allowTo(peer: IPeer | LabelSelector, ...ports: Port[]): ApiObject[] {
    const path = this.node.path;
    if (!this.isolatesEgress) {
      throw errorAt(path, `allowTo(...) does nothing: tenant "${this.name}" does not isolate egress. Set egress: {} to isolate it.`);
    }
    const config = resolvePeer(peer, path);
    return this._allowEgressTo(config, {}, ports, this._namespaces, `allow-to-${config.name}`);
  }

  /**
   * @internal admits `peer` into the pods selected by `target` (all of this tenant's, or one
   * workload's), writes the egress side where the peer's tenant isolates egress, and records
   * the grant.
   */
  public _admit(target: AdmissionTarget, peer: IPeer | LabelSelector, ports: Port[]): ApiObject {
    const path = this.node.path;
    const config = resolvePeer(peer, path);
    if (config.podLabels === undefined && config.namespaces === undefined && !config.ipBlock) {
      throw errorAt(path, `allowFrom(${config.name}) would admit every pod of the namespace; it is already admitted under TenantIsolation.NAMESPACE, and under TenantIsolation.POD name the pods, e.g. Peer.pods({ app: 'webapp' }).`);
    }
    // A workload of another namespace is named with its tenant: `allow-web-from-customer1-nginx`.
    const peerName = Workload.isWorkload(peer) && !target.namespaces.includes(peer.namespace) ? `${peer.tenant}-${peer.name}` : config.name;
    const policy = this.addRulePolicy(`${target.prefix}-from-${peerName}`, `${target.idPrefix}-${peerName}`, target.podSelector, [config], ports, target.namespaces);
    const known = config.tenant !== undefined ? tenantNamed<IsolatedTenant>(this, config.tenant) : undefined;
    const source = tenantOf(peer) ?? known;
    if (config.tenant !== undefined) {
      const name = config.tenant;
      this.node.addValidation({
        validate: () => {
          const named = tenantNamed<IsolatedTenant>(this, name);
          if (!named) {
            return [`Peer.tenant('${name}'): no tenant "${name}" in this app (tenants: ${tenantNames(this).join(', ')}). Fix the name, or use Peer.namespace('${name}') for a namespace that is not a tenant.`];
          }
          if (!known && named.isolatesEgress) {
            return [`Peer.tenant('${name}'): tenant "${name}" isolates egress but was defined after this grant, so its egress side was not written. Define it first, or pass the tenant itself.`];
          }
          if (named.namespaces.length > 1) {
            return [`Peer.tenant('${name}') admits only namespace "${name}", but tenant "${name}" also has ${named.namespaces.slice(1).join(', ')}. Pass the tenant itself: allowFrom(${name}Tenant, ...).`];
          }
          return [];
        },
      });
    }
    if (source && source.node.root !== this.node.root) {
      throw errorAt(path, `allowFrom(${config.name}): tenant "${source.name}" belongs to another app (${source.node.path}), so its side of the grant would never be synthesized. Create both tenants in the same app, or admit its namespace with Peer.namespace('${source.namespace}').`);
    }
    if (source && source !== this && source.isolatesEgress) {
      const destination: PeerConfig = {
        namespaces: [...target.namespaces],
        ...(Object.keys(target.podSelector).length ? { podLabels: { ...target.podSelector } } : {}),
        name: target.name,
      };
      const fromWorkload = Workload.isWorkload(peer) ? peer : undefined;
      source._allowEgressTo(destination, config.podLabels ?? {}, ports,
        fromWorkload ? [fromWorkload.namespace] : source.namespaces,
        fromWorkload ? `allow-${fromWorkload.name}-to-${target.name}` : `allow-to-${target.name}`);
    }
    return policy;
  }

  /** The tenant's pods, as a peer: every pod of its namespaces. */
  public toPeerConfig(): PeerConfig {
    return { namespaces: [...this._namespaces], name: this.name };
  }

  /** @internal writes egress policies `name` from the pods selected by `podSelector` to `peer`. */
  public _allowEgressTo(peer: PeerConfig, podSelector: Record<string, string>, ports: Port[], namespaces: string[], name: string): ApiObject[] {
    return namespaces.map((ns) => {
      this.claimPolicyName(name, `${this.node.path}/${this._idFor(name, ns)}`, ns);
      return networkPolicy(this, this._idFor(name, ns), 'Egress', {
        name, namespace: ns, labels: tenantLabels(this.name), podSelector, rules: [{ peers: [peer], ports }],
      });
    });
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
  public addRulePolicy(name: string, id: string, podSelector: Record<string, string>, from: PeerConfig[], ports: Port[], namespaces: string[] = this._namespaces): ApiObject {
    const policies = namespaces.map((ns) => {
      this.claimPolicyName(name, `${this.node.path}/${this._idFor(id, ns)}`, ns);
      for (const peer of from) {
        for (const grant of grantsFor(peer, this._namespaces, ports)) this.grants.push(grant);
      }
      return networkPolicy(this, this._idFor(id, ns), 'Ingress', { name, namespace: ns, labels: tenantLabels(this.name), podSelector, rules: [{ peers: from, ports }] });
    });
    return policies[0];
  }
}

/** The tenant a peer belongs to, when it is a tenant or a tenant's workload. */
function tenantOf(peer: IPeer | LabelSelector): IsolatedTenant | undefined {
  for (let c: IConstruct | undefined = peer as unknown as IConstruct; c && (c as IConstruct).node; c = c.node.scope) {
    if (IsolatedTenant.isIsolatedTenant(c)) return c;
  }
  return undefined;
}
