/**
 * App-wide settings: facts about the cluster (its pod networks) and the platform's choices (the
 * namespaces that are the platform's) that every construct of an app reads. Set them with
 * `TenancyApp` props, or, in a plain cdk8s `App`, with a `TenancySettings` construct created
 * before the first tenant.
 */
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_POD_CIDRS } from './guard';
import { errorAt, validateIpv4Cidr, validateRfc1123Label } from './names';

/** Props of `TenancySettings`, also accepted by `TenancyApp`. */
export interface TenancySettingsProps {
  /**
   * The cluster's pod networks (IPv4 CIDRs, e.g. the controller manager's `--cluster-cidr`).
   * Network plugins match pod addresses against ipBlocks, so every ipBlock a tenant writes
   * (`allowExternal`, `Peer.ipv4` grants, `allowInternet`) excepts them, and a grant whose block
   * lies wholly inside one is refused.
   * @default DEFAULT_POD_CIDRS (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10)
   */
  readonly podCidrs?: string[];
  /**
   * Namespaces that belong to the platform (ingress controller, Argo CD, monitoring): no tenant
   * may take one, and grants may name them by name (`Peer.namespace`, `allowIngressController`).
   * @default - none
   */
  readonly platformNamespaces?: string[];
}

/** The settings in force in an app. */
export interface ITenancySettings {
  /** The pod networks, as declared or `DEFAULT_POD_CIDRS`. */
  readonly podCidrs: readonly string[];
  /** The platform's namespaces. */
  readonly platformNamespaces: readonly string[];
}

interface AppSettings {
  readonly settings: ITenancySettings;
  /** The construct path of the `TenancySettings` that declared them, if any. */
  readonly declaredAt?: string;
  /** The first construct that read them (after which they can no longer be declared). */
  readBy?: string;
}

/** Each app's settings, by its root. */
const byRoot = new WeakMap<IConstruct, AppSettings>();

/** The settings of an app that declares none (built on use: this module is part of an import cycle). */
function defaults(): ITenancySettings {
  return Object.freeze({ podCidrs: Object.freeze([...DEFAULT_POD_CIDRS]), platformNamespaces: Object.freeze([]) });
}

/**
 * The settings of an app: the cluster's pod networks and the platform's namespaces.
 *
 * `TenancyApp` creates one from its props. In a plain cdk8s `App`, create one before the first
 * tenant, anywhere in the app: `new TenancySettings(app, 'TenancySettings', { podCidrs: [...] })`.
 * Constructs read the settings when they are created, so declaring them after a construct has
 * read the defaults is an error.
 */
export class TenancySettings extends Construct implements ITenancySettings {
  /**
   * The settings in force in the app `scope` belongs to: the declared ones, or the defaults.
   * Reading them fixes them for the app.
   */
  public static of(scope: IConstruct): ITenancySettings {
    const root = scope.node.root;
    let entry = byRoot.get(root);
    if (!entry) {
      entry = { settings: defaults() };
      byRoot.set(root, entry);
    }
    entry.readBy ??= scope.node.path;
    return entry.settings;
  }

  public readonly podCidrs: readonly string[];
  public readonly platformNamespaces: readonly string[];

  constructor(scope: Construct, id: string, props: TenancySettingsProps = {}) {
    super(scope, id);
    const path = this.node.path;
    const root = this.node.root;
    const existing = byRoot.get(root);
    if (existing?.declaredAt !== undefined) {
      throw errorAt(path, `the app's settings are already declared at ${existing.declaredAt || '(the app)'}: an app has one TenancySettings. Merge them into that one.`);
    }
    if (existing?.readBy !== undefined) {
      throw errorAt(path, `the app's settings were already read by ${existing.readBy || '(the app)'} with their defaults: create TenancySettings before any tenant (or pass podCidrs and platformNamespaces to TenancyApp).`);
    }
    const podCidrs = props.podCidrs ?? [...DEFAULT_POD_CIDRS];
    if (podCidrs.length === 0) {
      throw errorAt(path, `podCidrs is empty: leave it out to assume ${DEFAULT_POD_CIDRS.join(', ')}, or list the cluster's pod networks, e.g. ['10.244.0.0/16'].`);
    }
    for (const c of podCidrs) validateIpv4Cidr(c, 'podCidrs CIDR', path);
    refuseDuplicates(podCidrs, 'podCidrs', path);
    const platformNamespaces = props.platformNamespaces ?? [];
    for (const ns of platformNamespaces) validateRfc1123Label(ns, 'platformNamespaces name', path);
    refuseDuplicates(platformNamespaces, 'platformNamespaces', path);
    this.podCidrs = Object.freeze([...podCidrs]);
    this.platformNamespaces = Object.freeze([...platformNamespaces]);
    byRoot.set(root, { settings: this, declaredAt: path });
  }
}

function refuseDuplicates(list: readonly string[], what: string, path: string): void {
  const seen = new Set<string>();
  for (const x of list) {
    if (seen.has(x)) throw errorAt(path, `${what} lists "${x}" twice. Remove the duplicate.`);
    seen.add(x);
  }
}
