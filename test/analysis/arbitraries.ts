/**
 * Random inputs for the property tests: namespaces, labels, workloads, NetworkPolicies, and the cluster-wide
 * policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy of both tiers), valid for their
 * CRDs; and the ports and addresses at which to compare the engine with the reference evaluator.
 */
import * as fc from 'fast-check';
import { parseCidr } from '../../src/analysis';
import { deploy, netpol, ns, pod } from './helpers';

/**
 * `n` random cases, scaled by `TENANCY_FC_SCALE` (the mutation run sets it lower: each surviving mutant runs the
 * property tests in full).
 */
export function runs(n: number): number {
  const scale = Number(process.env.TENANCY_FC_SCALE ?? '1');
  return Math.max(10, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

const NAMESPACES = ['n1', 'n2', 'n3'];
const KEYS = ['app', 'tier'];
const VALUES = ['a', 'b'];
/** CIDRs of ipBlocks and `networks`: inside, across and outside the default pod networks. */
export const CIDRS = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '172.16.0.0/12', '192.168.0.0/24', '255.255.255.255/32', '0.0.0.0/32', '203.0.113.0/24', '100.64.0.0/10'];
const CIDRS_V6 = ['fd00::/8', '::/0'];
/** Domain names of `domainNames` peers. */
export const DOMAINS = ['example.com', '*.example.com', 'api.example.com', 'other.org'];
const CONTAINER_PORTS = [
  { containerPort: 80, name: 'http' },
  { containerPort: 8080, name: 'http' },
  { containerPort: 53, name: 'dns', protocol: 'UDP' },
  { containerPort: 9090, name: 'metrics' },
  { containerPort: 7000, protocol: 'SCTP', name: 'sig' },
];
const PORT_NAMES = ['http', 'dns', 'metrics', 'sig', 'nope'];
const PROTOS = ['TCP', 'UDP', 'SCTP'] as const;

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const expression = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector = fc.record({ matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 2 }) }, { requiredKeys: [] });
const nsSelector = fc.oneof(
  selector,
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES) }) }),
  fc.record({ matchExpressions: fc.constant([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['n1', 'n3'] }]) }),
);

// --- NetworkPolicy ---------------------------------------------------------------------------------------------

const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: nsSelector }),
  fc.record({ podSelector: selector, namespaceSelector: nsSelector }),
  fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom(...CIDRS), except: fc.uniqueArray(fc.constantFrom(...CIDRS), { maxLength: 2 }) }, { requiredKeys: ['cidr'] }) }),
);
const port = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOS) }),
  fc.record({ protocol: fc.constantFrom(...PROTOS), port: fc.constantFrom(53, 80, 443, 8080, 7000) }, { requiredKeys: ['port'] }),
  fc.record({ port: fc.constantFrom(53, 80, 8000, 65530), endPort: fc.constantFrom(0, 1, 100, 5) }).map((p) => ({ port: p.port, endPort: Math.min(65535, p.port + p.endPort) })),
  fc.record({ protocol: fc.constantFrom(...PROTOS), port: fc.constantFrom(...PORT_NAMES) }, { requiredKeys: ['port'] }),
);
const rule = (field: 'from' | 'to') => fc.record({ [field]: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) }, { requiredKeys: [] });
const policy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  spec: fc.record({
    podSelector: selector,
    policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(rule('from'), { maxLength: 2 }),
    egress: fc.array(rule('to'), { maxLength: 2 }),
  }, { requiredKeys: ['podSelector'] }),
});
const workload = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  kind: fc.constantFrom('Pod', 'Deployment'),
  labels,
  ports: fc.subarray(CONTAINER_PORTS, { maxLength: 3 }),
});

// --- Cluster-wide policies -------------------------------------------------------------------------------------

type Api = 'v1alpha1' | 'v1alpha2';

/** `spec.subject` (or a namespaces/pods peer): v1alpha1 `pods` requires both selectors. */
const podsSelection = (api: Api) => fc.oneof(
  fc.record({ namespaces: nsSelector }),
  api === 'v1alpha1'
    ? fc.record({ pods: fc.record({ namespaceSelector: nsSelector, podSelector: selector }) })
    : fc.record({ pods: fc.record({ namespaceSelector: nsSelector, podSelector: selector }, { requiredKeys: ['podSelector'] }) }),
);
const networks = fc.uniqueArray(fc.constantFrom(...CIDRS, ...CIDRS, ...CIDRS_V6), { minLength: 1, maxLength: 3 }).map((n) => ({ networks: n }));
const egressPeer = (api: Api) => fc.oneof(
  { arbitrary: podsSelection(api), weight: 4 },
  { arbitrary: networks, weight: 3 },
  { arbitrary: fc.record({ nodes: selector }), weight: 1 },
  { arbitrary: api === 'v1alpha2' ? fc.uniqueArray(fc.constantFrom(...DOMAINS), { minLength: 1, maxLength: 2 }).map((d) => ({ domainNames: d })) : podsSelection(api), weight: 2 },
);
const range = fc.record({ start: fc.constantFrom(1, 53, 79, 8000), len: fc.constantFrom(1, 2, 100) }).map((r) => ({ start: r.start, end: r.start + r.len }));
/* eslint-disable @typescript-eslint/no-explicit-any */
const v1alpha1Port: fc.Arbitrary<any> = fc.oneof(
  fc.record({ portNumber: fc.record({ port: fc.constantFrom(53, 80, 443, 8080, 7000), protocol: fc.constantFrom(...PROTOS) }, { requiredKeys: ['port'] }) }),
  fc.record({ portRange: fc.tuple(range, fc.option(fc.constantFrom(...PROTOS), { nil: undefined })).map(([r, p]) => (p ? { ...r, protocol: p } : r)) }),
  fc.record({ namedPort: fc.constantFrom(...PORT_NAMES) }),
);
const v1alpha2Protocol: fc.Arbitrary<any> = fc.oneof(
  fc.tuple(fc.constantFrom('tcp', 'udp', 'sctp'), fc.oneof(fc.record({ number: fc.constantFrom(53, 80, 443, 8080, 7000) }), fc.record({ range })))
    .map(([p, dp]) => ({ [p]: { destinationPort: dp } })),
  fc.record({ destinationNamedPort: fc.constantFrom(...PORT_NAMES) }),
);

const ACTIONS = {
  AdminNetworkPolicy: ['Allow', 'Deny', 'Pass'],
  BaselineAdminNetworkPolicy: ['Allow', 'Deny'],
  ClusterNetworkPolicy: ['Accept', 'Deny', 'Pass'],
} as const;
type ClusterKind = keyof typeof ACTIONS;

function clusterRule(kind: ClusterKind, direction: 'ingress' | 'egress') {
  const api: Api = kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1';
  const field = direction === 'ingress' ? 'from' : 'to';
  const portsField = api === 'v1alpha1' ? 'ports' : 'protocols';
  return fc.record({
    action: fc.constantFrom(...ACTIONS[kind]),
    peers: fc.array(direction === 'ingress' ? podsSelection(api) : egressPeer(api), { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(api === 'v1alpha1' ? v1alpha1Port : v1alpha2Protocol, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    name: fc.option(fc.constantFrom('r', 'allow-x', 'deny-rest'), { nil: undefined }),
  }).map((r) => {
    // The CRDs refuse named ports in a rule with networks/nodes/domainNames peers.
    const onlyPods = r.peers.every((p: any) => p.namespaces || p.pods);
    const ports = r.ports?.filter((p: any) => onlyPods || (p.namedPort === undefined && p.destinationNamedPort === undefined));
    return { action: r.action, [field]: r.peers, ...(ports && ports.length > 0 ? { [portsField]: ports } : {}), ...(r.name ? { name: r.name } : {}) };
  });
}

const clusterPolicy: fc.Arbitrary<any> = fc.constantFrom<ClusterKind>('AdminNetworkPolicy', 'ClusterNetworkPolicy', 'ClusterNetworkPolicy').chain((kind) => fc.record({
  kind: fc.constant(kind),
  tier: fc.constantFrom('Admin', 'Baseline'),
  priority: fc.constantFrom(0, 10, 10, 500, 1000),
  subject: podsSelection(kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1'),
  ingress: fc.array(clusterRule(kind, 'ingress'), { maxLength: 3 }),
  egress: fc.array(clusterRule(kind, 'egress'), { maxLength: 3 }),
}));
const banp: fc.Arbitrary<any> = fc.record({
  subject: podsSelection('v1alpha1'),
  ingress: fc.array(clusterRule('BaselineAdminNetworkPolicy', 'ingress'), { maxLength: 3 }),
  egress: fc.array(clusterRule('BaselineAdminNetworkPolicy', 'egress'), { maxLength: 3 }),
});

/** A random cluster: namespaces, workloads, NetworkPolicies (and, with `tiers`, cluster-wide policies). */
export const cluster = (tiers: boolean) => fc.record({
  namespaces: fc.array(fc.record({ name: fc.constantFrom(...NAMESPACES), labels }), { maxLength: 3 }),
  workloads: fc.array(workload, { minLength: 1, maxLength: 6 }),
  policies: fc.array(policy, { maxLength: tiers ? 3 : 4 }),
  clusterPolicies: tiers ? fc.array(clusterPolicy, { maxLength: 4 }) : fc.constant<any[]>([]),
  banp: tiers ? fc.option(banp, { nil: undefined }) : fc.constant(undefined),
});

export type Cluster = typeof cluster extends (t: boolean) => fc.Arbitrary<infer T> ? T : never;

/** The Kubernetes objects of a random cluster. */
export function objectsOf(c: Cluster): object[] {
  const seen = new Set<string>();
  const out: object[] = [];
  for (const n of c.namespaces) if (!seen.has(n.name)) { seen.add(n.name); out.push(ns(n.name, n.labels)); }
  c.workloads.forEach((w, i) => out.push((w.kind === 'Pod' ? pod : deploy)(w.namespace, `w${i}`, w.labels, w.ports)));
  c.policies.forEach((p, i) => out.push(netpol(p.namespace, `p${i}`, p.spec)));
  c.clusterPolicies.forEach((p: any, i: number) => {
    const v1alpha2 = p.kind === 'ClusterNetworkPolicy';
    out.push({
      apiVersion: `policy.networking.k8s.io/${v1alpha2 ? 'v1alpha2' : 'v1alpha1'}`, kind: p.kind, metadata: { name: `c${i}` },
      spec: { ...(v1alpha2 ? { tier: p.tier } : {}), priority: p.priority, subject: p.subject, ingress: p.ingress, egress: p.egress },
    });
  });
  if (c.banp) {
    out.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: c.banp });
  }
  return out;
}

/** Every port named in the objects, ±1, and 1 and 65535. */
export function samplePorts(objects: object[]): number[] {
  const s = new Set<number>([1, 65535]);
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) { x.forEach(visit); return; }
    if (typeof x !== 'object' || x === null) return;
    for (const [k, v] of Object.entries(x)) {
      if (['port', 'endPort', 'containerPort', 'start', 'end', 'number'].includes(k) && typeof v === 'number') {
        for (const d of [-1, 0, 1]) if (v + d >= 1 && v + d <= 65535) s.add(v + d);
      } else {
        visit(v);
      }
    }
  };
  visit(objects);
  return [...s].sort((a, b) => a - b);
}

/** Every CIDR boundary of `CIDRS` ±1, and the first and last address. */
export function sampleIps(): number[] {
  const s = new Set<number>([0, 0xffffffff]);
  for (const c of CIDRS) {
    const r = parseCidr(c);
    for (const ip of [r.start - 1, r.start, r.end, r.end + 1]) if (ip >= 0 && ip <= 0xffffffff) s.add(ip);
  }
  return [...s];
}
