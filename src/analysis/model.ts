/**
 * The analyzer's model of a cluster: namespaces, workloads (pod templates) and NetworkPolicies, read from
 * Kubernetes objects.
 */
import { AnalysisInputError, SourceLocation } from './errors';
import { Ipv4Range, isIpv6, parseCidr, subtractRanges } from './ipv4';
import { MAX_PORT, MIN_PORT, Protocol, PROTOCOLS } from './ports';
import { Labels, parseLabels, parseSelector, Selector } from './selector';

/** The label every namespace carries, set by Kubernetes to the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A Kubernetes object read from a file, with where it came from. */
export interface LoadedObject {
  /** The object as parsed. */
  readonly object: Record<string, unknown>;
  /** The file it was read from. */
  readonly file: string;
  /** 0-based index of the YAML document within the file. */
  readonly docIndex: number;
  /** 0-based index within a `List` document, when it came from one. */
  readonly itemIndex?: number;
}

/** A port declared by a container of a workload. */
export interface ContainerPort {
  /** The port's name, if any. */
  readonly name?: string;
  /** The port number. */
  readonly port: number;
  /** The protocol, TCP by default. */
  readonly protocol: Protocol;
}

/** A namespace with its labels (always including `kubernetes.io/metadata.name`). */
export interface NamespaceInfo {
  /** Namespace name. */
  readonly name: string;
  /** Labels, including `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  /** Annotations of the Namespace object. */
  readonly annotations: Labels;
  /** Whether a Namespace object was found in the input. */
  readonly declared: boolean;
}

/** A workload: the pods of a controller (or one Pod), with the labels and ports of its pod template. */
export interface Workload {
  /** `ns/name[Kind]`. */
  readonly id: string;
  /** Kind of the controller, or `Pod`. */
  readonly kind: string;
  /** Namespace. */
  readonly namespace: string;
  /** Name of the controller or Pod. */
  readonly name: string;
  /** Pod labels. */
  readonly labels: Labels;
  /** Container ports. */
  readonly ports: readonly ContainerPort[];
}

/** One entry of a rule's `ports`. `port` absent means every port of the protocol. */
export interface PortSpec {
  /** Protocol, TCP by default. */
  readonly protocol: Protocol;
  /** A number, a container port name, or absent for all ports. */
  readonly port?: number | string;
  /** The last port of a range starting at `port`. */
  readonly endPort?: number;
}

/** A peer that selects pods: `podSelector` alone means the policy's own namespace. */
export interface PodPeer {
  /** Discriminator. */
  readonly type: 'pods';
  /** Pod selector, absent = every pod of the selected namespaces. */
  readonly podSelector?: Selector;
  /** Namespace selector, absent = the policy's namespace. */
  readonly namespaceSelector?: Selector;
}

/** A peer that selects external IPv4 addresses. */
export interface IpBlockPeer {
  /** Discriminator. */
  readonly type: 'ipBlock';
  /** The CIDR as written. */
  readonly cidr: string;
  /** The `except` CIDRs as written. */
  readonly except: readonly string[];
  /** The IPv4 ranges matched (cidr minus except), sorted; empty for an IPv6 block. */
  readonly ranges: readonly Ipv4Range[];
  /** Every boundary of the block: cidr and excepts, as ranges. */
  readonly boundaries: readonly Ipv4Range[];
}

/** A `from`/`to` entry. */
export type Peer = PodPeer | IpBlockPeer;

/** An ingress or egress rule. */
export interface Rule {
  /** The peers; undefined when `from`/`to` is absent or empty (everything). */
  readonly peers?: readonly Peer[];
  /** The ports; undefined when `ports` is absent or empty (every port). */
  readonly ports?: readonly PortSpec[];
}

/** A NetworkPolicy (networking.k8s.io/v1). */
export interface Policy {
  /** `ns/name`. */
  readonly id: string;
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** The pods of `namespace` it selects. */
  readonly podSelector: Selector;
  /** Whether it isolates the selected pods for ingress. */
  readonly isolatesIngress: boolean;
  /** Whether it isolates the selected pods for egress. */
  readonly isolatesEgress: boolean;
  /** Ingress rules (used only when `isolatesIngress`). */
  readonly ingress: readonly Rule[];
  /** Egress rules (used only when `isolatesEgress`). */
  readonly egress: readonly Rule[];
  /** Where the policy was read from. */
  readonly location: SourceLocation;
}

/** Everything the analyzer reads from the input. */
export interface Model {
  /** Namespaces by name: declared ones and those objects refer to. */
  readonly namespaces: Map<string, NamespaceInfo>;
  /** Workloads, sorted by id. */
  readonly workloads: readonly Workload[];
  /** NetworkPolicies, sorted by id. */
  readonly policies: readonly Policy[];
  /** Notes about input that was ignored (unknown kinds). */
  readonly notes: readonly string[];
}

/** Kinds that run pods (a pod template, or the Pod itself). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/** Kinds the analyzer knows and deliberately ignores (no note is printed for them). */
export const IGNORED_KINDS: ReadonlySet<string> = new Set([
  'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding',
  'ClusterRoleBinding', 'ResourceQuota', 'LimitRange', 'Ingress', 'IngressClass', 'CustomResourceDefinition',
  'AppProject', 'Application', 'ApplicationSet', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy',
  'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'PodDisruptionBudget', 'HorizontalPodAutoscaler',
  'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService',
  'PodSecurityPolicy', 'Lease', 'Event', 'PodTemplate', 'CSIDriver', 'RuntimeClass', 'VolumeAttachment',
  'Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'ReferenceGrant',
  'VerticalPodAutoscaler', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Certificate', 'Issuer', 'ClusterIssuer',
]);

/** Whether `x` is a LoadedObject rather than a plain Kubernetes object. */
export function isLoadedObject(x: unknown): x is LoadedObject {
  return typeof x === 'object' && x !== null && 'object' in x && 'file' in x && 'docIndex' in x;
}

/** Wraps plain objects as LoadedObjects located at `<objects>` with their array index. */
export function toLoaded(objects: ReadonlyArray<object | LoadedObject>): LoadedObject[] {
  return objects.map((o, i) => isLoadedObject(o) ? o : { object: o as Record<string, unknown>, file: '<objects>', docIndex: i });
}

function loc(o: LoadedObject): SourceLocation {
  return { file: o.file, docIndex: o.docIndex };
}

function meta(obj: Record<string, unknown>): Record<string, unknown> {
  const m = obj.metadata;
  return typeof m === 'object' && m !== null ? m as Record<string, unknown> : {};
}

function asRecord(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? x as Record<string, unknown> : undefined;
}

/** The pod spec of a manifest of one of `WORKLOAD_KINDS` (a CronJob's through its job template). */
export function podSpecOf(manifest: any): any | undefined {
  if (!manifest || typeof manifest !== 'object' || !WORKLOAD_KINDS.has(manifest.kind)) return undefined;
  return asRecord(podTemplate(manifest.kind, manifest)?.spec);
}

function podTemplate(kind: string, obj: Record<string, unknown>): Record<string, unknown> | undefined {
  if (kind === 'Pod') return obj;
  const spec = asRecord(obj.spec);
  if (!spec) return undefined;
  if (kind === 'CronJob') return asRecord(asRecord(asRecord(spec.jobTemplate)?.spec)?.template);
  return asRecord(spec.template);
}

function parsePortNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_PORT || v > MAX_PORT) {
    throw new Error(`${what} ${JSON.stringify(v)} is out of range: ports are integers from ${MIN_PORT} to ${MAX_PORT}`);
  }
  return v;
}

function parseProtocol(v: unknown, what: string): Protocol {
  if (v === undefined || v === null) return 'TCP';
  if (typeof v !== 'string' || !(PROTOCOLS as readonly string[]).includes(v)) {
    throw new Error(`${what} ${JSON.stringify(v)} is not a protocol: use TCP, UDP or SCTP`);
  }
  return v as Protocol;
}

function containerPorts(spec: Record<string, unknown> | undefined, what: string): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers']) {
    const list = spec?.[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, ci) => {
      const ports = asRecord(c)?.ports;
      if (!Array.isArray(ports)) return;
      ports.forEach((p, pi) => {
        const r = asRecord(p);
        if (!r) return;
        const w = `${what}.${field}[${ci}].ports[${pi}]`;
        const port = parsePortNumber(r.containerPort, `${w}.containerPort`);
        const name = typeof r.name === 'string' && r.name !== '' ? r.name : undefined;
        out.push({ name, port, protocol: parseProtocol(r.protocol, `${w}.protocol`) });
      });
    });
  }
  return out;
}

/** Parses a rule's `ports` list; undefined means every port. */
export function parsePorts(raw: unknown, what: string): PortSpec[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  if (raw.length === 0) return undefined;
  return raw.map((p, i) => {
    const w = `${what}[${i}]`;
    const r = asRecord(p);
    if (!r) throw new Error(`${w} must be a map`);
    const protocol = parseProtocol(r.protocol, `${w}.protocol`);
    let port: number | string | undefined;
    if (r.port !== undefined && r.port !== null) {
      if (typeof r.port === 'string') {
        if (r.port === '' || /^\d+$/.test(r.port)) throw new Error(`${w}.port ${JSON.stringify(r.port)} is neither a port number nor a port name`);
        port = r.port;
      } else {
        port = parsePortNumber(r.port, `${w}.port`);
      }
    }
    let endPort: number | undefined;
    if (r.endPort !== undefined && r.endPort !== null) {
      endPort = parsePortNumber(r.endPort, `${w}.endPort`);
      if (typeof port !== 'number') throw new Error(`${w}.endPort needs a numeric port`);
      if (endPort < port) throw new Error(`${w}.endPort ${endPort} is less than port ${port}`);
    }
    return { protocol, port, endPort };
  });
}

function parsePeers(raw: unknown, what: string): Peer[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  if (raw.length === 0) return undefined;
  return raw.map((p, i): Peer => {
    const w = `${what}[${i}]`;
    const r = asRecord(p);
    if (!r) throw new Error(`${w} must be a map`);
    const hasPod = r.podSelector !== undefined && r.podSelector !== null;
    const hasNs = r.namespaceSelector !== undefined && r.namespaceSelector !== null;
    if (r.ipBlock !== undefined && r.ipBlock !== null) {
      if (hasPod || hasNs) throw new Error(`${w}: ipBlock cannot be combined with podSelector or namespaceSelector`);
      const b = asRecord(r.ipBlock);
      if (!b) throw new Error(`${w}.ipBlock must be a map with a cidr`);
      const cidr = b.cidr;
      const exceptRaw = b.except ?? [];
      if (!Array.isArray(exceptRaw)) throw new Error(`${w}.ipBlock.except must be a list`);
      const except = exceptRaw.map((e) => String(e));
      if (typeof cidr === 'string' && isIpv6(cidr)) return { type: 'ipBlock', cidr, except, ranges: [], boundaries: [] };
      let range: Ipv4Range;
      try { range = parseCidr(cidr); } catch (e) { throw new Error(`${w}.ipBlock.cidr: ${(e as Error).message}`); }
      const ex: Ipv4Range[] = [];
      exceptRaw.forEach((e, j) => {
        if (typeof e === 'string' && isIpv6(e)) return;
        try { ex.push(parseCidr(e)); } catch (err) { throw new Error(`${w}.ipBlock.except[${j}]: ${(err as Error).message}`); }
      });
      return { type: 'ipBlock', cidr: cidr as string, except, ranges: subtractRanges(range, ex), boundaries: [range, ...ex] };
    }
    if (!hasPod && !hasNs) throw new Error(`${w} must set podSelector, namespaceSelector or ipBlock`);
    return {
      type: 'pods',
      podSelector: hasPod ? parseSelector(r.podSelector, `${w}.podSelector`) : undefined,
      namespaceSelector: hasNs ? parseSelector(r.namespaceSelector, `${w}.namespaceSelector`) : undefined,
    };
  });
}

function parseRules(raw: unknown, peerField: 'from' | 'to', what: string): Rule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  return raw.map((r, i) => {
    const w = `${what}[${i}]`;
    if (r === null || r === undefined) return {};
    const rule = asRecord(r);
    if (!rule) throw new Error(`${w} must be a map`);
    return { peers: parsePeers(rule[peerField], `${w}.${peerField}`), ports: parsePorts(rule.ports, `${w}.ports`) };
  });
}

/** Parses the spec of a NetworkPolicy. Throws an Error naming the field at fault. */
export function parsePolicy(namespace: string, name: string, obj: Record<string, unknown>, location: SourceLocation): Policy {
  const spec = asRecord(obj.spec) ?? {};
  const podSelector = parseSelector(spec.podSelector, 'spec.podSelector');
  const ingress = parseRules(spec.ingress, 'from', 'spec.ingress');
  const egress = parseRules(spec.egress, 'to', 'spec.egress');
  let isolatesIngress: boolean;
  let isolatesEgress: boolean;
  const types = spec.policyTypes;
  if (Array.isArray(types) && types.length > 0) {
    types.forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') throw new Error(`spec.policyTypes[${i}] ${JSON.stringify(t)} must be Ingress or Egress`);
    });
    isolatesIngress = types.includes('Ingress');
    isolatesEgress = types.includes('Egress');
  } else if (types !== undefined && types !== null && !Array.isArray(types)) {
    throw new Error('spec.policyTypes must be a list');
  } else {
    isolatesIngress = true;
    isolatesEgress = egress.length > 0;
  }
  return { id: `${namespace}/${name}`, namespace, name, podSelector, isolatesIngress, isolatesEgress, ingress, egress, location };
}

interface PendingWorkload {
  self: string;
  owner?: string;
  kind: string;
  namespace: string;
  name: string;
  labels: Labels;
  ports: ContainerPort[];
}

/**
 * Builds the model from loaded objects. Throws AnalysisInputError (with file and document index) on bad input.
 */
export function buildModel(input: ReadonlyArray<object | LoadedObject>): Model {
  const objects = toLoaded(input);
  const namespaces = new Map<string, NamespaceInfo>();
  const pending: PendingWorkload[] = [];
  const policies = new Map<string, Policy>();
  const notes = new Map<string, string>();
  const ensureNs = (name: string) => {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, annotations: {}, declared: false });
  };
  for (const lo of objects) {
    const obj = lo.object;
    const kind = obj.kind;
    try {
      if (typeof kind !== 'string' || kind === '') throw new Error('the document has no kind');
      const m = meta(obj);
      const name = typeof m.name === 'string' ? m.name : '';
      const namespace = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
      if (kind === 'Namespace') {
        if (!name) throw new Error('Namespace without metadata.name');
        const prev = namespaces.get(name);
        if (prev?.declared) continue;
        const labels = { ...parseLabels(m.labels, 'metadata.labels'), [NAMESPACE_NAME_LABEL]: name };
        namespaces.set(name, { name, labels, annotations: parseLabels(m.annotations, 'metadata.annotations'), declared: true });
      } else if (kind === 'NetworkPolicy' && obj.apiVersion === 'networking.k8s.io/v1') {
        if (!name) throw new Error('NetworkPolicy without metadata.name');
        ensureNs(namespace);
        const p = parsePolicy(namespace, name, obj, loc(lo));
        if (!policies.has(p.id)) policies.set(p.id, p);
      } else if (WORKLOAD_KINDS.has(kind)) {
        if (!name) throw new Error(`${kind} without metadata.name`);
        ensureNs(namespace);
        const tpl = podTemplate(kind, obj);
        if (!tpl) continue;
        const tm = meta(tpl);
        const labels = parseLabels(tm.labels, kind === 'Pod' ? 'metadata.labels' : 'pod template metadata.labels');
        const ports = containerPorts(asRecord(tpl.spec), kind === 'Pod' ? 'spec' : 'pod template spec');
        const refs = Array.isArray(m.ownerReferences) ? m.ownerReferences : [];
        const ctl = refs.map(asRecord).find((r) => r && r.controller === true && typeof r.kind === 'string' && typeof r.name === 'string');
        pending.push({
          self: `${namespace}/${name}[${kind}]`,
          owner: ctl ? `${namespace}/${ctl.name as string}[${ctl.kind as string}]` : undefined,
          kind, namespace, name, labels, ports,
        });
      } else if (kind === 'NetworkPolicy') {
        const key = `${String(obj.apiVersion)} ${kind}`;
        if (!notes.has(key)) notes.set(key, `note: ignoring ${kind} of apiVersion ${String(obj.apiVersion)} (only networking.k8s.io/v1 is analyzed)`);
      } else if (!IGNORED_KINDS.has(kind)) {
        if (!notes.has(kind)) notes.set(kind, `note: ignoring kind ${kind} (not known to the analyzer)`);
      }
    } catch (e) {
      if (e instanceof AnalysisInputError) throw e;
      const what = typeof kind === 'string' ? `${kind} ${String(meta(obj).name ?? '')}`.trim() + ': ' : '';
      throw new AnalysisInputError(`${what}${(e as Error).message}`, loc(lo));
    }
  }
  // Resolve controller chains: a Pod owned by a ReplicaSet owned by a Deployment is the Deployment.
  const ownerOf = new Map<string, string | undefined>();
  for (const p of pending) if (!ownerOf.has(p.self)) ownerOf.set(p.self, p.owner);
  const resolve = (id: string): string => {
    let cur = id;
    for (let i = 0; i < 10; i++) {
      const next = ownerOf.get(cur);
      if (next === undefined) return cur;
      cur = next;
    }
    return cur;
  };
  const workloads = new Map<string, { w: Workload; fromOwnedPod: boolean }>();
  for (const p of pending) {
    const id = resolve(p.self);
    const m = /^([^/]*)\/(.*)\[([^\]]*)\]$/.exec(id)!;
    const w: Workload = { id, kind: m[3], namespace: m[1], name: m[2], labels: p.labels, ports: p.ports };
    const prev = workloads.get(id);
    const fromOwnedPod = id !== p.self;
    if (!prev || (prev.fromOwnedPod && !fromOwnedPod)) workloads.set(id, { w, fromOwnedPod });
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    namespaces,
    workloads: [...workloads.values()].map((x) => x.w).sort(byId),
    policies: [...policies.values()].sort(byId),
    notes: [...notes.values()],
  };
}
