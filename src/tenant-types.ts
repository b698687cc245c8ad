/**
 * The vocabulary of a tenant that its features share: isolation modes, the options of the
 * traffic a tenant admits, and `ITenant`, the small interface through which features (quota,
 * owners, Pod Security, Argo CD, links) see the tenant they belong to — without importing the
 * tenant class.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PeerLike } from './peer';
import { Port } from './port';

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
   * The app's pod networks inside a block are excepted from it; a block wholly inside one is refused.
   * @default ['0.0.0.0/0']
   */
  readonly cidrs?: string[];
  /** @default - none */
  readonly except?: string[];
  /** The pod ports external clients may reach (required: there is no "every port" default). */
  readonly ports: Port[];
}

/** Egress isolation of a tenant. */
export interface EgressIsolationOptions {
  /**
   * Keep DNS working: egress to kube-system pods `k8s-app: kube-dns` on UDP and TCP 53.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Allow egress to the internet: every IPv4 address except the private ranges
   * (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10) and link-local
   * (169.254/16, where cloud metadata services answer) and the app's pod networks; policy
   * `allow-to-internet`.
   * @default false
   */
  readonly allowInternet?: boolean;
  /**
   * The ports allowed to the internet.
   * @default - every port
   */
  readonly internetPorts?: Port[];
}

/** The address ranges `allowInternet` leaves out. */
export const NON_INTERNET_RANGES = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

/** What a tenant's features need to know about it. */
export interface ITenant extends IConstruct {
  /** The tenant's name. */
  readonly name: string;
  /** The tenant's first namespace (its name). */
  readonly namespace: string;
  /** Every namespace of the tenant, the first named after it. */
  readonly namespaces: string[];
  /** The Namespace objects of the tenant, one per namespace. */
  readonly namespaceObjects: ApiObject[];
  /** The isolation mode. */
  readonly isolation: TenantIsolation;
  /** Whether egress is isolated. */
  readonly isolatesEgress: boolean;
}

/** The pods a grant admits into: all of a tenant's, or one workload's. */
export interface AdmissionTarget {
  /** The namespaces of the pods. */
  readonly namespaces: string[];
  /** The pods' labels; empty for every pod. */
  readonly podSelector: Record<string, string>;
  /** A short name of the target, for egress policy names on the peer's side. */
  readonly name: string;
  /** The policy name's prefix (`allow`, `allow-web`). */
  readonly prefix: string;
  /** The construct id's prefix. */
  readonly idPrefix: string;
}

/** @internal What a workload needs of its tenant: to admit a peer into its pods. */
export interface ITenantAdmission extends ITenant {
  /** @internal */
  _admit(target: AdmissionTarget, peer: PeerLike, ports: Port[]): ApiObject;
}
