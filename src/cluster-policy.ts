/**
 * The shared vocabulary of the ClusterNetworkPolicies the package writes
 * (`policy.networking.k8s.io/v1alpha2`): priorities, namespace selectors pinned by name, and
 * ports as the CRD's `protocols`.
 */
import { NAMESPACE_NAME_LABEL } from './labels';
import { errorAt } from './names';
import { PortSpec } from './port';

/** The API version of ClusterNetworkPolicy (network-policy-api v0.2.0). */
export const CNP_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

/** The lowest (first to decide) and highest ClusterNetworkPolicy priority the API accepts. */
export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 1000;

/**
 * Checks a ClusterNetworkPolicy priority: a whole number from 0 to 1000, lower numbers decide
 * first within a tier.
 */
export function validatePriority(priority: number, what: string, path: string): number {
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw errorAt(path, `${what} ${JSON.stringify(priority)} is out of range: a ClusterNetworkPolicy priority is a whole number from ${MIN_PRIORITY} to ${MAX_PRIORITY} (lower numbers decide first), e.g. 500.`);
  }
  return priority;
}

/** A label selector as the CRD writes it. */
export interface CnpSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * Namespaces by name (`kubernetes.io/metadata.name`, set by the API server, not forgeable):
 * `matchLabels` for one (unless `alwaysIn`), `In` for several, sorted and without duplicates.
 */
export function namespacesNamed(names: string[], alwaysIn = false): CnpSelector {
  const sorted = [...new Set(names)].sort();
  return sorted.length === 1 && !alwaysIn
    ? { matchLabels: { [NAMESPACE_NAME_LABEL]: sorted[0] } }
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: sorted }] };
}

/** A destination port: one number, or a range. */
export interface CnpDestinationPort {
  readonly number?: number;
  readonly range?: { readonly start: number; readonly end: number };
}

/** One entry of a rule's `protocols` (exactly one field set). */
export interface CnpProtocol {
  readonly destinationNamedPort?: string;
  readonly tcp?: { readonly destinationPort?: CnpDestinationPort };
  readonly udp?: { readonly destinationPort?: CnpDestinationPort };
  readonly sctp?: { readonly destinationPort?: CnpDestinationPort };
}

/**
 * Ports as the CRD's `protocols`: a number, a range, or a named port; "every port of a
 * protocol" is the range 1-65535 (the CRD has no protocol-only form). A named port loses its
 * protocol (`destinationNamedPort` has none), which only widens a `Pass`. No ports: `undefined`,
 * every port of every protocol.
 */
export function protocolsOf(ports: ReadonlyArray<PortSpec>): CnpProtocol[] | undefined {
  if (ports.length === 0) return undefined;
  const out: CnpProtocol[] = [];
  const seen = new Set<string>();
  for (const p of ports) {
    const key = p.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
    let entry: CnpProtocol;
    if (typeof p.port === 'string') {
      entry = { destinationNamedPort: p.port };
    } else if (p.port === undefined) {
      entry = { [key]: { destinationPort: { range: { start: 1, end: 65535 } } } };
    } else if (p.endPort !== undefined && p.endPort !== p.port) {
      entry = { [key]: { destinationPort: { range: { start: p.port, end: p.endPort } } } };
    } else {
      entry = { [key]: { destinationPort: { number: p.port } } };
    }
    const json = JSON.stringify(entry);
    if (!seen.has(json)) {
      seen.add(json);
      out.push(entry);
    }
  }
  return out;
}

/** A short, stable name for a set of ports, for rule names: `tcp-8080`, `tcp-8000-8080-udp-53`, `all-ports`. */
export function portsName(ports: ReadonlyArray<PortSpec>): string {
  if (ports.length === 0) return 'all-ports';
  return ports.map((p) => {
    const proto = p.protocol.toLowerCase();
    if (p.port === undefined) return `${proto}-all`;
    return p.endPort !== undefined ? `${proto}-${p.port}-${p.endPort}` : `${proto}-${p.port}`;
  }).join('-');
}
