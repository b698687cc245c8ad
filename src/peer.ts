import type { AbstractPod } from 'cdk8s-plus-27';
import type { IConstruct } from 'constructs';
import { isKplusPods, isOtherKplusPeer, kplusPeerConfig } from './kplus';
import { cidrWithin, errorAt, validateIpv4Cidr, validateLabels, validateRfc1123Label, validateSelector, withPath } from './names';

/**
 * What a peer contributes to a NetworkPolicy rule.
 *
 * Exactly one of `ipBlock` or the pod/namespace fields is set.
 */
export interface PeerConfig {
  /**
   * Namespaces the peer's pods live in, selected by the `kubernetes.io/metadata.name`
   * label, which the API server sets and tenants cannot forge.
   * @default - the namespace of the policy
   */
  readonly namespaces?: string[];
  /**
   * Labels the peer's pods carry.
   * @default - every pod of those namespaces
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Addresses (IPv4). Network plugins may match pod addresses against an ipBlock too, so a
   * tenant excepts the app's pod networks (`TenancySettings.podCidrs`) from every block it writes.
   */
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
  /** A short name for the peer, used in policy names and messages (`ingress-nginx`, `webapp`). */
  readonly name: string;
  /**
   * The tenant the peer names (`Peer.tenant()`): synth fails when the app has no such tenant.
   * @default - the peer names no tenant by name
   */
  readonly tenant?: string;
}

/**
 * Anything that can be the other side of a connection: a tenant, a workload, a label
 * selector, a namespace or a CIDR block (compare cdk8s-plus `INetworkPolicyPeer`).
 */
export interface IPeer {
  /** Renders the peer for a NetworkPolicy rule. */
  toPeerConfig(): PeerConfig;
}

/** Factories for peers that are not constructs of this package. */
export class Peer implements IPeer {
  /**
   * Pods with the given labels in the namespace of the policy.
   * An empty selector is refused: it would select every pod.
   */
  public static pods(labels: Record<string, string>): Peer {
    validateSelector(labels, 'Peer.pods()');
    return new Peer({ podLabels: { ...labels }, name: Object.values(labels).join('-') });
  }

  /**
   * Every pod of a tenant of this app, by the tenant's name: for a grant to a tenant defined
   * elsewhere in the app. Synth fails when no tenant has that name — a typo never admits a
   * namespace that does not exist (and might be created later by someone else). Passing the
   * `IsolatedTenant` itself is better still.
   */
  public static tenant(name: string, podLabels?: Record<string, string>): Peer {
    validateRfc1123Label(name, 'tenant name');
    if (podLabels !== undefined) {
      validateSelector(podLabels, `Peer.tenant('${name}') pod labels`);
    }
    return new Peer({ namespaces: [name], ...(podLabels ? { podLabels: { ...podLabels } } : {}), name, tenant: name });
  }

  /** Every pod of a namespace (by name), optionally only those with given labels. */
  public static namespace(name: string, podLabels?: Record<string, string>): Peer {
    validateRfc1123Label(name, 'namespace name');
    if (podLabels !== undefined) {
      validateSelector(podLabels, `Peer.namespace('${name}') pod labels`);
    }
    return new Peer({ namespaces: [name], ...(podLabels ? { podLabels: { ...podLabels } } : {}), name });
  }

  /**
   * External IPv4 addresses in a CIDR block, less the `except` blocks inside it.
   * Network plugins may match pod addresses against an ipBlock, so a tenant grant excepts the
   * app's pod networks from the block, and refuses a block wholly inside one: use a tenant, a
   * workload or a namespace peer for pods.
   */
  public static ipv4(cidr: string, except: string[] = []): Peer {
    validateIpv4Cidr(cidr, 'CIDR');
    for (const e of except) {
      validateIpv4Cidr(e, 'except CIDR');
      if (!cidrWithin(e, cidr)) {
        throw new Error(`except CIDR "${e}" lies outside "${cidr}": an except must be inside the block it narrows.`);
      }
    }
    const name = cidr === '0.0.0.0/0' ? 'anywhere' : cidr.replace(/[./]/g, '-');
    return new Peer({ ipBlock: { cidr, ...(except.length ? { except: [...except] } : {}) }, name });
  }

  /** Every external IPv4 address. */
  public static anyIpv4(): Peer {
    return Peer.ipv4('0.0.0.0/0');
  }

  private constructor(private readonly config: PeerConfig) {
    if (config.podLabels) validateLabels(config.podLabels);
  }

  public toPeerConfig(): PeerConfig {
    return this.config;
  }
}

/** A label selector given as a plain map, e.g. `{ app: 'webapp' }`: pods of the policy's namespace. */
export type LabelSelector = Record<string, string>;

/**
 * What is accepted wherever a peer is: an `IPeer` (a tenant, a workload, `Peer.*`), plain
 * labels (read as `Peer.pods(labels)`), or a cdk8s-plus workload or pod (`kplus.Deployment`,
 * `StatefulSet`, `DaemonSet`, `Job`, `CronJob`, `Pod`), by its pod selector and namespace.
 */
export type PeerLike = IPeer | LabelSelector | IKplusPods;

/**
 * A cdk8s-plus workload or pod, of any cdk8s-plus major version (27, and the newer ones `cdk8s
 * init` scaffolds): described by shape, not by cdk8s-plus-27's class, whose private members
 * would make other versions' workloads fail to type-check.
 */
export interface IKplusPods extends IConstruct {
  /** The pods' metadata (their labels). */
  readonly podMetadata: { getLabel(key: string): string | undefined };
  /** The pods, as cdk8s-plus selects them. */
  toPodSelectorConfig(): unknown;
  /** The pods, as a cdk8s-plus network policy peer. */
  toNetworkPolicyPeerConfig(): unknown;
  /** cdk8s-plus's network connections of the pods. */
  readonly connections: unknown;
}

/**
 * Resolves a peer (plain labels are read as `Peer.pods(labels)`, a cdk8s-plus workload by its
 * selector and namespace), with a message naming the construct path when it is invalid.
 */
export function resolvePeer(peer: PeerLike, path: string): PeerConfig {
  if (peer && typeof (peer as IPeer).toPeerConfig === 'function') {
    return (peer as IPeer).toPeerConfig();
  }
  if (isKplusPods(peer)) {
    return kplusPeerConfig(peer as unknown as AbstractPod, path);
  }
  if (isOtherKplusPeer(peer)) {
    throw errorAt(path, `${describe(peer)} is a cdk8s-plus peer but not a workload or a pod: of cdk8s-plus, workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob) and Pods are accepted. For pods by label use Peer.pods({...}) or Peer.namespace('ns', {...}), for addresses Peer.ipv4('...').`);
  }
  if (!peer || typeof peer !== 'object' || Array.isArray(peer) || Object.values(peer).some((v) => typeof v !== 'string')) {
    throw errorAt(path, `expected a peer (a tenant, a workload, labels such as { app: 'webapp' }, Peer.namespace() or Peer.ipv4()), got ${describe(peer)}.`);
  }
  return withPath(path, () => Peer.pods(peer as LabelSelector).toPeerConfig());
}

/** A value for a message; a construct by its path (constructs do not serialize). */
function describe(value: unknown): string {
  const node = (value as IConstruct | undefined)?.node;
  if (node && typeof node.path === 'string') return `construct ${node.path}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
