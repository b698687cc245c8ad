/**
 * A tenant namespace's isolation: its Namespace object and the policies that keep everyone
 * else out (ingress, and egress when asked), and the named opt-ins for the traffic isolation
 * cuts (an ingress controller, external clients).
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, tenantLabels } from './labels';
import { cidrWithin, errorAt, validateIpv4Cidr, withPath } from './names';
import { Peer, PeerConfig } from './peer';
import { exceptPodNetworks, withPodNetworksExcepted } from './pod-networks';
import { networkPolicy, PodSelectorInput, PolicyRule } from './policy';
import { Port } from './port';
import { TenancySettings } from './settings';
import { checkNamespacesByName } from './named-grants';
import {
  EgressIsolationOptions, ExternalTrafficOptions, IngressControllerOptions, ITenant, NON_INTERNET_RANGES, TenantIsolation,
} from './tenant-types';

/** What isolating a namespace needs of the tenant: naming and writing its policies. */
export interface ITenantPolicies extends ITenant {
  /** Reserves a NetworkPolicy name in a namespace of the tenant. */
  claimPolicyName(name: string, path: string, namespace?: string): void;
  /** Writes an ingress allow policy and records the grants it needs. */
  addRulePolicy(name: string, id: string, podSelector: PodSelectorInput, from: PeerConfig[], ports: Port[], namespaces?: string[]): ApiObject;
  /** @internal the default-deny ingress policy of a namespace. */
  _denyAllIngress(namespace?: string): ApiObject;
  /** @internal the construct id of `base` in `namespace`. */
  _idFor(base: string, namespace: string): string;
  /** @internal records egress grants (the tenant's `tenancy.cdk8s.io/egress-grants`). */
  _recordEgressGrants(to: PeerConfig[], ports: Port[]): void;
}

/** The tenant's props that shape a namespace's isolation. */
export interface NamespaceIsolationProps {
  /** More labels for the Namespace. */
  readonly namespaceLabels?: Record<string, string>;
  /** Egress isolation, when asked. */
  readonly egress?: EgressIsolationOptions;
}

/** DNS, as `restrict-egress` admits it: kube-system pods `k8s-app: kube-dns`. */
const KUBE_DNS: PeerConfig = { namespaces: ['kube-system'], podLabels: { 'k8s-app': 'kube-dns' }, name: 'kube-dns' };

/**
 * Writes a namespace of the tenant: its Namespace, and its isolation (ingress, and egress
 * when asked). The annotations are the tenant's declared ingress grants and, when it isolates
 * egress, its egress grants (both lazy JSON).
 */
export function isolateNamespace(tenant: ITenantPolicies, ns: string, props: NamespaceIsolationProps, grantsJson: unknown, egressGrantsJson?: unknown): ApiObject {
  const path = tenant.node.path;
  const labels = tenantLabels(tenant.name);
  // One namespace: the policy exactly as the Kubernetes docs write it (same namespace only);
  // several: the tenant's namespaces by kubernetes.io/metadata.name.
  const inside: PeerConfig = tenant.namespaces.length === 1
    ? { name: 'same-namespace' }
    : { namespaces: [...tenant.namespaces], name: tenant.name };
  const namespace = new k8s.KubeNamespace(tenant, tenant._idFor('Namespace', ns), {
    metadata: {
      name: ns,
      labels: { ...(props.namespaceLabels ?? {}), ...labels },
      annotations: {
        [GRANTS_ANNOTATION]: grantsJson as string,
        ...(props.egress ? { [EGRESS_GRANTS_ANNOTATION]: egressGrantsJson as string } : {}),
      },
    },
  });
  if (tenant.isolation === TenantIsolation.NAMESPACE) {
    tenant.claimPolicyName('deny-from-other-namespaces', path, ns);
    networkPolicy(tenant, tenant._idFor('DenyFromOtherNamespaces', ns), 'Ingress', {
      name: 'deny-from-other-namespaces', namespace: ns, labels, podSelector: {}, rules: [{ peers: [inside] }],
    });
  } else {
    tenant._denyAllIngress(ns);
  }
  const e = props.egress;
  if (e) {
    tenant.claimPolicyName('restrict-egress', path, ns);
    const rules: PolicyRule[] = [{ peers: [inside] }];
    if (e.allowDns ?? true) {
      rules.push({ peers: [KUBE_DNS], ports: [Port.DNS_UDP, Port.DNS_TCP] });
      tenant._recordEgressGrants([KUBE_DNS], [Port.DNS_UDP, Port.DNS_TCP]);
    }
    networkPolicy(tenant, tenant._idFor('RestrictEgress', ns), 'Egress', { name: 'restrict-egress', namespace: ns, labels, podSelector: {}, rules });
    if (e.allowInternet) {
      tenant.claimPolicyName('allow-to-internet', path, ns);
      // every address but the private, CGNAT and link-local ranges, and every declared pod network
      const internet: PeerConfig = {
        ipBlock: exceptPodNetworks({ cidr: '0.0.0.0/0', except: [...NON_INTERNET_RANGES] }, TenancySettings.of(tenant).podCidrs, 'allowInternet', path),
        name: 'internet',
      };
      networkPolicy(tenant, tenant._idFor('AllowToInternet', ns), 'Egress', {
        name: 'allow-to-internet', namespace: ns, labels, podSelector: {},
        rules: [{ peers: [internet], ports: e.internetPorts ?? [] }],
      });
      tenant._recordEgressGrants([internet], e.internetPorts ?? []);
    }
  }
  return namespace;
}

/** Policy `allow-from-ingress-controller`. */
export function admitIngressController(tenant: ITenantPolicies, o: IngressControllerOptions): void {
  const peer = withPath(tenant.node.path, () => Peer.namespace(o.namespace, o.podLabels));
  checkNamespacesByName(tenant, [o.namespace], () => 'allowIngressController');
  tenant.addRulePolicy('allow-from-ingress-controller', 'AllowFromIngressController', {}, [peer.toPeerConfig()], o.ports ?? []);
}

/** Policy `allow-from-external`. */
export function admitExternal(tenant: ITenantPolicies, o: ExternalTrafficOptions): void {
  const path = tenant.node.path;
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
    if (!cidrs.some((c) => cidrWithin(e, c))) {
      throw errorAt(path, `allowExternal.except "${e}" is inside none of the admitted blocks (${cidrs.join(', ')}): it would exclude nothing. Fix the address or drop it.`);
    }
  }
  const peers = withPath(path, () => cidrs.map((c) => Peer.ipv4(c, except.filter((e) => cidrWithin(e, c)))));
  const configs = peers.map((p) => withPodNetworksExcepted(p.toPeerConfig(), tenant, 'allowExternal', path));
  tenant.addRulePolicy('allow-from-external', 'AllowFromExternal', {}, configs, o.ports);
}
