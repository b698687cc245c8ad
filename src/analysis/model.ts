/**
 * The analyzer's model of a cluster: namespaces, workloads (pod templates) and NetworkPolicies, read from
 * Kubernetes objects.
 */
import { ClusterPolicy } from './cluster-policy';
import { SourceLocation } from './errors';
import { Ipv4Range } from './ipv4';
import { Protocol } from './ports';
import { Labels, Selector } from './selector';

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
  /**
   * Cluster-wide policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) in evaluation
   * order: Admin tier by priority, then Baseline tier by priority, the BaselineAdminNetworkPolicy last (see
   * `cluster-policy.ts`).
   */
  readonly clusterPolicies: readonly ClusterPolicy[];
  /** Notes about input that was ignored (unknown kinds). */
  readonly notes: readonly string[];
  /** Survivable defects in the input, each naming the file and document; the bad part was ignored. */
  readonly warnings: readonly Diagnostic[];
  /** Objects whose identity (group, kind, namespace, name) occurs more than once; the last occurrence wins. */
  readonly duplicates: readonly Duplicate[];
  /** The cluster's pod networks: an ipBlock that overlaps one may match pods of every namespace. */
  readonly podNetworks: readonly Ipv4Range[];
  /** Namespaced objects of built-in API groups labelled `tenancy.cdk8s.io/tenant`, in input order. */
  readonly tenantObjects: readonly TenantObject[];
}

/** An object labelled with a tenant (`tenancy.cdk8s.io/tenant`), in a namespace. */
export interface TenantObject {
  /** Kind. */
  readonly kind: string;
  /** Its `metadata.namespace`. */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
  /** The tenant its label names. */
  readonly tenant: string;
  /** Where it was read from. */
  readonly location: SourceLocation;
}

/** Which object a diagnostic is about. */
export interface ObjectRef {
  /** API group (`''` for the core group). */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /** Namespace; absent for cluster-scoped kinds. */
  readonly namespace?: string;
  /** Name. */
  readonly name: string;
}

/** A survivable defect in the input: the bad part was ignored, and the message says what and why. */
export interface Diagnostic {
  /** One line: what was wrong, what was done about it, and (where known) the fix. */
  readonly message: string;
  /** Where the defect is. */
  readonly location?: SourceLocation;
  /** The object concerned (kind, namespace, name), when it has an identity. */
  readonly object?: ObjectRef;
  /** The field at fault, as a path from the object's root (`spec.ingress[0].ports`), when there is one. */
  readonly field?: string;
}

/** An object identity that occurs more than once in the input: the last occurrence is what the cluster keeps. */
export interface Duplicate {
  /** `group/kind namespace/name` (`/Namespace customer1` for a core cluster-scoped kind). */
  readonly identity: string;
  /** The identity, as parts. */
  readonly object: ObjectRef;
  /** The occurrence that wins (the last). */
  readonly kept: SourceLocation;
  /** An earlier occurrence, overridden. */
  readonly overridden: SourceLocation;
  /** The winning object. */
  readonly keptObject: Readonly<Record<string, unknown>>;
  /** The overridden object. */
  readonly overriddenObject: Readonly<Record<string, unknown>>;
}

/** Options of `buildModel` (and of `analyze`). */
export interface ModelOptions {
  /**
   * The cluster's pod networks (IPv4 CIDRs). An ipBlock that overlaps one may match the pods of every
   * namespace, since network plugins match pod IPs against ipBlocks.
   * @default DEFAULT_POD_CIDRS
   */
  readonly podCidrs?: readonly string[];
}

/**
 * The pod networks assumed when none are declared: every private IPv4 range (RFC 1918) and carrier-grade NAT
 * (RFC 6598), where network plugins allocate pod addresses.
 */
export const DEFAULT_POD_CIDRS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/**
 * Kinds that have no namespace: their identity is group, kind and name. Every other kind is namespaced
 * (`default` when `metadata.namespace` is absent).
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding', 'ComponentStatus', 'APIService',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'GatewayClass', 'ClusterIssuer',
  'GlobalNetworkPolicy', 'GlobalNetworkSet', 'CiliumClusterwideNetworkPolicy', 'PodSecurityPolicy',
]);

/** Kinds that run pods (a pod template, or the Pod itself). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/** Kinds the analyzer knows and deliberately ignores (no note is printed for them). */
export const IGNORED_KINDS: ReadonlySet<string> = new Set([
  'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding',
  'ClusterRoleBinding', 'ResourceQuota', 'LimitRange', 'Ingress', 'IngressClass', 'CustomResourceDefinition',
  'AppProject', 'Application', 'ApplicationSet',
  'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'PodDisruptionBudget', 'HorizontalPodAutoscaler',
  'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService',
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
