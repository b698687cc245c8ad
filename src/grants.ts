/**
 * Declared grants: what a tenant admits, recorded on its Namespaces as a JSON annotation that
 * the isolation guard and `tenancy check` compare every policy against.
 */
import { PeerConfig } from './peer';
import { Port, PortSpec } from './port';

/** A declared ingress grant, as written to the Namespace annotation `tenancy.cdk8s.io/ingress-grants`. */
export interface GrantSpec {
  readonly from: { readonly namespace?: string; readonly podLabels?: Record<string, string>; readonly cidr?: string; readonly except?: string[] };
  readonly ports?: PortSpec[];
}

/** The grants a peer needs when it is admitted into `namespace`. */
export function grantsFor(peer: PeerConfig, tenantNamespaces: string[], ports: Port[]): GrantSpec[] {
  const portSpecs = ports.length ? { ports: ports.map((p) => p._toSpec()) } : {};
  if (peer.ipBlock) {
    return [{ from: { cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except?.length ? { except: [...peer.ipBlock.except] } : {}) }, ...portSpecs }];
  }
  if (!peer.namespaces) return [];
  return peer.namespaces
    .filter((ns) => !tenantNamespaces.includes(ns))
    .map((ns) => ({ from: { namespace: ns, ...(peer.podLabels ? { podLabels: { ...peer.podLabels } } : {}) }, ...portSpecs }));
}


/** JSON with sorted keys and sorted entries, so the annotation is byte-stable. */
export function stableJson(grants: GrantSpec[]): string {
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
