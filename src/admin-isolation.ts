/**
 * Admin-tier tenant isolation: a `ClusterNetworkPolicy` of tier `Admin` per tenant, which the
 * tenant's owners cannot override from inside their namespaces.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  ClusterNetworkPolicySpecEgress,
  ClusterNetworkPolicySpecEgressAction,
  ClusterNetworkPolicySpecIngress,
  ClusterNetworkPolicySpecIngressAction,
  ClusterNetworkPolicySpecTier,
} from '../imports/policy.networking.k8s.io';
import { CNP_API_VERSION, CnpProtocol, namespacesNamed, portsName, protocolsOf, validatePriority } from './cluster-policy';
import { EgressGrantSpec, GrantEndpoint, GrantSpec } from './grants';
import { tenantLabels } from './labels';
import { PortSpec } from './port';
import { TenancySettings } from './settings';
import type { ITenant } from './tenant-types';

/**
 * The default priority of the tenants' admin-tier policies. Every tenant uses the same one:
 * their subjects (each tenant's namespaces, by `kubernetes.io/metadata.name`) never overlap,
 * so no connection is matched by two of them. Platform admin policies with a lower number
 * (e.g. an `Accept` from monitoring) decide before tenant isolation; those with a higher
 * number only see what it passes.
 */
export const DEFAULT_ADMIN_PRIORITY = 500;

/** The limits the CRD puts on a ClusterNetworkPolicy: rules per direction, peers per rule. */
const MAX_RULES = 25;
const MAX_PEERS = 25;
/** Rule names are at most 100 characters. */
const MAX_RULE_NAME = 100;

/** Options of a tenant's admin-tier isolation (`adminIsolation`). */
export interface AdminIsolationOptions {
  /**
   * The policy's priority in the Admin tier (0-1000, lower decides first).
   * @default DEFAULT_ADMIN_PRIORITY (500)
   */
  readonly priority?: number;
}

/** What admin-tier isolation needs of its tenant: its namespaces and the grants it declared. */
export interface ITenantGrants extends ITenant {
  /** The ingress grants the tenant declared, as its Namespaces' ingress-grants annotation records them. */
  declaredIngress(): GrantSpec[];
  /** The egress grants the tenant declared (DNS, `allowTo`, the egress side of grants, the internet). */
  declaredEgress(): EgressGrantSpec[];
}

/** Each app's tenants with admin-tier isolation. */
const isolated = new WeakMap<IConstruct, ITenant[]>();

/** The tenants of an app that have admin-tier isolation. */
export function adminIsolationsOf(scope: IConstruct): ITenant[] {
  return [...(isolated.get(scope.node.root) ?? [])];
}

/** The name of a tenant's admin-tier ClusterNetworkPolicy. */
export function adminPolicyName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * A tenant's isolation at the Admin tier: the `ClusterNetworkPolicy` `tenant-<name>`
 * (`policy.networking.k8s.io/v1alpha2`, tier `Admin`), whose subject is the tenant's namespaces
 * by `kubernetes.io/metadata.name`.
 *
 * Ingress, in order: `Pass` from the tenant's own namespaces; `Pass` from every declared grant
 * (a namespace, pods of a namespace, another tenant), on the grant's ports; `Deny` from every
 * other namespace. Egress, for a tenant that isolates egress: `Pass` to its own namespaces and
 * to every declared pod and namespace destination (DNS included), on their ports; `Deny` to every
 * other namespace and to the app's pod networks (`podCidrs`). Declared address blocks (the
 * internet, `Peer.ipv4`) need no rule: they except the pod networks, nothing in the policy denies
 * them, and a `Pass` would also skip the platform's own later admin-tier policies.
 *
 * `Pass` hands the connection to the namespaced NetworkPolicies, which decide as they do
 * today (they stay as they are); `Deny` is final and no NetworkPolicy can override it, so
 * whatever the owners add, change or delete in their namespaces, no other namespace reaches in
 * (or, with egress isolation, is reached) beyond the declared grants. A grant's `Pass` covers the
 * whole tenant on the grant's ports: which of its pods admit it is the NetworkPolicies' choice.
 *
 * Address-block grants (`allowExternal`, `Peer.ipv4`) have no ingress rule: the standard
 * channel's ingress peers are namespaces and pods only, and the `Deny` matches pods only, so
 * external clients are decided by the NetworkPolicies.
 */
export class AdminIsolation extends Construct {
  /** The ClusterNetworkPolicy. */
  public readonly policy: ApiObject;
  /** Its priority in the Admin tier. */
  public readonly priority: number;

  constructor(tenant: ITenantGrants, id: string, props: AdminIsolationOptions = {}) {
    super(tenant, id);
    const path = this.node.path;
    this.priority = validatePriority(props.priority ?? DEFAULT_ADMIN_PRIORITY, 'adminIsolation.priority', path);
    const root = this.node.root;
    isolated.set(root, [...(isolated.get(root) ?? []), tenant]);
    const podCidrs = TenancySettings.of(this).podCidrs;

    this.policy = new ApiObject(this, 'Resource', {
      apiVersion: CNP_API_VERSION,
      kind: 'ClusterNetworkPolicy',
      metadata: { name: adminPolicyName(tenant.name), labels: tenantLabels(tenant.name) },
      spec: {
        tier: ClusterNetworkPolicySpecTier.ADMIN,
        priority: this.priority,
        subject: { namespaces: namespacesNamed(tenant.namespaces) },
        ingress: Lazy.any({ produce: () => ingressRules(tenant) }),
        // without egress isolation, no egress rules: the policy does not affect egress
        ...(tenant.isolatesEgress ? { egress: Lazy.any({ produce: () => egressRules(tenant, podCidrs) }) } : {}),
      },
    });

    this.node.addValidation({
      validate: () => {
        const errors = limits('ingress', ingressRules(tenant), tenant.name);
        if (tenant.isolatesEgress) errors.push(...limits('egress', egressRules(tenant, podCidrs), tenant.name));
        return errors;
      },
    });
  }
}

/** DNS as a peer of the policy: kube-system pods `k8s-app: kube-dns`. */
const KUBE_DNS_PEER = { pods: { namespaceSelector: namespacesNamed(['kube-system']), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } };

/** The ingress rules: Pass own namespaces, Pass declared grants, Deny other namespaces. */
export function ingressRules(tenant: ITenantGrants): ClusterNetworkPolicySpecIngress[] {
  const rules: ClusterNetworkPolicySpecIngress[] = [
    { name: 'pass-from-own-namespaces', action: ClusterNetworkPolicySpecIngressAction.PASS, from: [{ namespaces: namespacesNamed(tenant.namespaces) }] },
  ];
  for (const group of byPorts(tenant.declaredIngress().map((g) => ({ endpoint: g.from, ports: g.ports ?? [] })), tenant.namespaces)) {
    rules.push({ name: group.name('pass-from-grants'), action: ClusterNetworkPolicySpecIngressAction.PASS, from: group.peers, ...group.protocols });
  }
  rules.push({ name: 'deny-from-other-namespaces', action: ClusterNetworkPolicySpecIngressAction.DENY, from: [{ namespaces: {} }] });
  return rules;
}

/** The egress rules: Pass own namespaces and declared pod/namespace destinations; Deny other namespaces and the pod networks. */
export function egressRules(tenant: ITenantGrants, podCidrs: ReadonlyArray<string>): ClusterNetworkPolicySpecEgress[] {
  const rules: ClusterNetworkPolicySpecEgress[] = [
    { name: 'pass-to-own-namespaces', action: ClusterNetworkPolicySpecEgressAction.PASS, to: [{ namespaces: namespacesNamed(tenant.namespaces) }] },
  ];
  for (const group of byPorts(tenant.declaredEgress().map((g) => ({ endpoint: g.to, ports: g.ports ?? [] })), tenant.namespaces)) {
    // `restrict-egress`'s DNS grant, alone on its ports: named for what it is
    const name = JSON.stringify(group.peers) === JSON.stringify([KUBE_DNS_PEER]) ? 'pass-to-dns' : group.name('pass-to-grants');
    rules.push({ name, action: ClusterNetworkPolicySpecEgressAction.PASS, to: group.peers, ...group.protocols });
  }
  rules.push({ name: 'deny-to-other-namespaces', action: ClusterNetworkPolicySpecEgressAction.DENY, to: [{ namespaces: {} }] });
  rules.push({ name: 'deny-to-pod-networks', action: ClusterNetworkPolicySpecEgressAction.DENY, to: [{ networks: [...podCidrs] }] });
  return rules;
}

/** Rules of one port set, split in chunks the CRD accepts. */
interface PortGroup {
  readonly peers: any[];
  readonly protocols: { protocols?: CnpProtocol[] };
  name(prefix: string): string;
}

/**
 * Groups the pod and namespace endpoints of grants by their exact port set, in a stable order:
 * one rule per port set, so no source gets a port another grant declared. Namespaces without pod
 * labels share one `namespaces` peer; address blocks and the tenant's own namespaces are left out
 * (the first rule covers the latter).
 */
function byPorts(items: Array<{ endpoint: GrantEndpoint; ports: PortSpec[] }>, own: string[]): PortGroup[] {
  const groups = new Map<string, { ports: PortSpec[]; namespaces: Set<string>; pods: Map<string, { namespace: string; labels: Record<string, string> }> }>();
  for (const { endpoint, ports } of items) {
    const ns = endpoint.namespace;
    if (ns === undefined || own.includes(ns)) continue;
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, namespaces: new Set<string>(), pods: new Map() };
    groups.set(key, g);
    if (endpoint.podLabels && Object.keys(endpoint.podLabels).length) {
      const labels = sortKeys(endpoint.podLabels);
      g.pods.set(JSON.stringify([ns, labels]), { namespace: ns, labels });
    } else {
      g.namespaces.add(ns);
    }
  }
  return chunked([...groups.values()].map((g) => {
    const peers: any[] = [];
    if (g.namespaces.size) peers.push({ namespaces: namespacesNamed([...g.namespaces]) });
    for (const key of [...g.pods.keys()].sort()) {
      const p = g.pods.get(key)!;
      peers.push({ pods: { namespaceSelector: namespacesNamed([p.namespace]), podSelector: { matchLabels: p.labels } } });
    }
    return { ports: g.ports, peers };
  }));
}

/** Sorts groups by their ports' name and splits each into rules of at most 25 peers. */
function chunked(groups: Array<{ ports: PortSpec[]; peers: any[] }>): PortGroup[] {
  const out: PortGroup[] = [];
  const sorted = groups.sort((a, b) => cmp(portsName(a.ports), portsName(b.ports)) || cmp(JSON.stringify(a.ports), JSON.stringify(b.ports)));
  sorted.forEach((g, gi) => {
    const chunks = Math.ceil(g.peers.length / MAX_PEERS);
    for (let c = 0; c < chunks; c++) {
      const protocols = protocolsOf(g.ports);
      out.push({
        peers: g.peers.slice(c * MAX_PEERS, (c + 1) * MAX_PEERS),
        protocols: protocols ? { protocols } : {},
        name: (prefix) => {
          const suffix = chunks > 1 ? `-${c + 1}` : '';
          const full = `${prefix}-${portsName(g.ports)}${suffix}`;
          return full.length <= MAX_RULE_NAME ? full : `${prefix}-${gi + 1}${suffix}`;
        },
      });
    }
  });
  return out;
}

/** The CRD's limits on one direction, as synth errors naming the fix. */
function limits(direction: 'ingress' | 'egress', rules: Array<{ protocols?: unknown[] }>, tenant: string): string[] {
  const errors: string[] = [];
  if (rules.length > MAX_RULES) {
    errors.push(`tenant "${tenant}" needs ${rules.length} ${direction} rules in its admin-tier ClusterNetworkPolicy ${adminPolicyName(tenant)}, and the API accepts ${MAX_RULES}: it has one rule per distinct set of ports among its ${direction === 'ingress' ? 'grants' : 'declared destinations'}. Use fewer distinct port sets (e.g. the same ports for every grant).`);
  }
  for (const r of rules) {
    if ((r.protocols?.length ?? 0) > MAX_RULES) {
      errors.push(`tenant "${tenant}" declares ${r.protocols!.length} ports in one ${direction} grant, and a ClusterNetworkPolicy rule accepts ${MAX_RULES}. Use port ranges (Port.tcpRange) instead of single ports.`);
    }
  }
  return errors;
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
