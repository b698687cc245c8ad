/**
 * Declared grants: what a tenant admits (ingress) and, when it isolates egress, what it may
 * reach (egress), recorded on its Namespaces as JSON annotations that the isolation guard and
 * `tenancy check` compare every policy against.
 */
import { PeerConfig } from './peer';
import { Port, PortSpec } from './port';

/** One side of a declared grant: pods of a namespace (by name), or a CIDR block less its excepts. */
export interface GrantEndpoint {
  readonly namespace?: string;
  readonly podLabels?: Record<string, string>;
  readonly cidr?: string;
  readonly except?: string[];
}

/** A declared ingress grant, as written to the Namespace annotation `tenancy.cdk8s.io/ingress-grants`. */
export interface GrantSpec {
  readonly from: GrantEndpoint;
  readonly ports?: PortSpec[];
}

/** A declared egress grant, as written to the Namespace annotation `tenancy.cdk8s.io/egress-grants`. */
export interface EgressGrantSpec {
  readonly to: GrantEndpoint;
  readonly ports?: PortSpec[];
}

/** The endpoints a peer stands for, leaving out the tenant's own namespaces (always implicit). */
function endpointsOf(peer: PeerConfig, tenantNamespaces: string[]): GrantEndpoint[] {
  if (peer.ipBlock) {
    return [{ cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except?.length ? { except: [...peer.ipBlock.except] } : {}) }];
  }
  if (!peer.namespaces) return [];
  return peer.namespaces
    .filter((ns) => !tenantNamespaces.includes(ns))
    .map((ns) => ({ namespace: ns, ...(peer.podLabels ? { podLabels: { ...peer.podLabels } } : {}) }));
}

function portSpecs(ports: Port[]): { ports?: PortSpec[] } {
  return ports.length ? { ports: ports.map((p) => p._toSpec()) } : {};
}

/** The grants a peer needs when it is admitted into the tenant's namespaces. */
export function grantsFor(peer: PeerConfig, tenantNamespaces: string[], ports: Port[]): GrantSpec[] {
  return endpointsOf(peer, tenantNamespaces).map((from) => ({ from, ...portSpecs(ports) }));
}

/** The egress grants a tenant needs to reach a peer. */
export function egressGrantsFor(peer: PeerConfig, tenantNamespaces: string[], ports: Port[]): EgressGrantSpec[] {
  return endpointsOf(peer, tenantNamespaces).map((to) => ({ to, ...portSpecs(ports) }));
}

/** JSON with sorted keys and sorted entries, so the annotation is byte-stable. */
export function stableJson(grants: ReadonlyArray<GrantSpec | EgressGrantSpec>): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  const items = [...new Set(grants.map((g) => JSON.stringify(sortKeys(g))))].sort();
  return `[${items.join(',')}]`;
}
