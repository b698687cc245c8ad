/**
 * The tenancy invariants: every tenant namespace is isolated for ingress, and every source outside a tenant
 * that its policies admit is covered by a grant the tenant declared.
 *
 * The check is symbolic, over the policies, so it holds for pods that exist now or later. Anyone who can
 * create pods or label namespaces can forge labels, so only `kubernetes.io/metadata.name` pins a namespace.
 */
import { formatRange, Ipv4Range, isIpv6, parseCidr, subtractRanges } from './ipv4';
import { buildModel } from './build';
import { LoadedObject, Model, NAMESPACE_NAME_LABEL, Peer, Policy, PortSpec } from './model';
import { parsePorts } from './netpol';
import { ConnectionSet } from './ports';
import { compareStrings } from './reachability';
import { parseLabels, Selector } from './selector';

/** The Namespace label naming the tenant a namespace belongs to. */
export const TENANT_LABEL = 'tenancy.cdk8s.io/tenant';
/** The Namespace annotation holding the tenant's declared ingress grants (a JSON array). */
export const GRANTS_ANNOTATION = 'tenancy.cdk8s.io/ingress-grants';

/** Who a grant admits. */
export type GrantFrom =
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly cidr: string; readonly except?: readonly string[] };

/** A port of a grant, as in a NetworkPolicy. */
export interface GrantPort {
  /** Protocol. */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** A number or a container port name. */
  readonly port: number | string;
  /** Last port of a range. */
  readonly endPort?: number;
}

/** A declared ingress grant, as written in the `tenancy.cdk8s.io/ingress-grants` annotation. */
export interface IngressGrant {
  /** The admitted sources. */
  readonly from: GrantFrom;
  /**
   * The admitted ports.
   * @default - all ports
   */
  readonly ports?: readonly GrantPort[];
}

/** A broken tenancy invariant. */
export interface Violation {
  /** The tenant namespace concerned. */
  readonly namespace: string;
  /** The policy at fault, `ns/name`, if any. */
  readonly policy?: string;
  /** One line describing the violation and the fix. */
  readonly message: string;
}

/** Symbolic ports: numeric connections plus named ports. */
interface SymPorts {
  readonly numeric: ConnectionSet;
  readonly named: ReadonlyArray<{ protocol: string; name: string }>;
  readonly all: boolean;
}

function symPorts(ports: readonly PortSpec[] | undefined): SymPorts {
  if (!ports) return { numeric: ConnectionSet.ALL, named: [], all: true };
  let numeric = ConnectionSet.NONE;
  const named: Array<{ protocol: string; name: string }> = [];
  for (const p of ports) {
    if (typeof p.port === 'string') named.push({ protocol: p.protocol, name: p.port });
    else numeric = numeric.union(p.port === undefined ? ConnectionSet.allOf(p.protocol) : ConnectionSet.of(p.protocol, p.port, p.endPort ?? p.port));
  }
  return { numeric, named, all: false };
}

function portsCovered(rule: SymPorts, grant: SymPorts): boolean {
  if (grant.all) return true;
  if (!rule.numeric.isSubsetOf(grant.numeric)) return false;
  return rule.named.every((n) => grant.named.some((g) => g.name === n.name && g.protocol === n.protocol));
}

function describePorts(p: SymPorts): string {
  if (p.all) return 'all ports';
  const parts: string[] = [];
  if (!p.numeric.isEmpty()) parts.push(p.numeric.toString());
  for (const n of p.named) parts.push(`${n.protocol} port named ${n.name}`);
  return parts.join(',');
}

interface ParsedGrant {
  readonly namespace?: string;
  readonly podLabels?: Record<string, string>;
  readonly cidr?: string;
  readonly ranges?: Ipv4Range[];
  readonly ports: SymPorts;
}

function parseGrants(ns: string, text: string | undefined, problems: Violation[]): ParsedGrant[] {
  if (text === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    problems.push({ namespace: ns, message: `namespace ${ns} has a malformed ${GRANTS_ANNOTATION} annotation (${(e as Error).message}); no grant is honoured` });
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.push({ namespace: ns, message: `namespace ${ns} has a malformed ${GRANTS_ANNOTATION} annotation (not a JSON array); no grant is honoured` });
    return [];
  }
  const out: ParsedGrant[] = [];
  raw.forEach((g, i) => {
    const bad = (why: string) => problems.push({ namespace: ns, message: `namespace ${ns} ${GRANTS_ANNOTATION}[${i}] is ignored: ${why}` });
    try {
      if (typeof g !== 'object' || g === null || Array.isArray(g)) return bad('not an object');
      const { from, ports, ...rest } = g as Record<string, unknown>;
      if (Object.keys(rest).length > 0) return bad(`unknown field ${Object.keys(rest).sort().join(', ')}`);
      const sym = symPorts(parsePorts(ports, 'ports'));
      if (typeof from !== 'object' || from === null || Array.isArray(from)) return bad('from must be an object');
      const f = from as Record<string, unknown>;
      const keys = Object.keys(f).sort().join(',');
      if (keys === 'namespace' || keys === 'namespace,podLabels') {
        if (typeof f.namespace !== 'string' || f.namespace === '') return bad('from.namespace must be a namespace name');
        const podLabels = f.podLabels === undefined ? undefined : parseLabels(f.podLabels, 'from.podLabels');
        out.push({ namespace: f.namespace, podLabels, ports: sym });
      } else if (keys === 'cidr' || keys === 'cidr,except') {
        if (typeof f.cidr !== 'string') return bad('from.cidr must be a CIDR');
        const except = f.except === undefined ? [] : f.except;
        if (!Array.isArray(except)) return bad('from.except must be a list of CIDRs');
        if (isIpv6(f.cidr)) {
          out.push({ cidr: except.length === 0 ? f.cidr : undefined, ports: sym });
        } else {
          out.push({ cidr: f.cidr, ranges: subtractRanges(parseCidr(f.cidr), except.filter((e) => !isIpv6(String(e))).map(parseCidr)), ports: sym });
        }
      } else {
        return bad(`from must be {"namespace"[,"podLabels"]} or {"cidr"[,"except"]}, got keys ${keys || '(none)'}`);
      }
    } catch (e) {
      return bad((e as Error).message);
    }
    return undefined;
  });
  return out;
}

const HINT = '(declare it with tenant.allowFrom(...) or remove the rule)';

function checkPolicy(policy: Policy, tenantNs: ReadonlySet<string>, grants: readonly ParsedGrant[], out: Violation[]): void {
  const report = (where: string, what: string, ports: SymPorts) => out.push({
    namespace: policy.namespace,
    policy: policy.id,
    message: `${policy.id} ${where}: admits ${what} on ${describePorts(ports)} without a declared grant ${HINT}`,
  });
  policy.ingress.forEach((rule, i) => {
    const ports = symPorts(rule.ports);
    const nsGrants = grants.filter((g) => g.namespace !== undefined && portsCovered(ports, g.ports));
    const cidrGrants = grants.filter((g) => g.cidr !== undefined && portsCovered(ports, g.ports));
    if (!rule.peers) {
      report(`ingress[${i}]`, 'every source (pods of any namespace and all external addresses)', ports);
      return;
    }
    rule.peers.forEach((peer: Peer, j) => {
      const where = `ingress[${i}] from[${j}]`;
      if (peer.type === 'ipBlock') {
        if (isIpv6(peer.cidr)) {
          if (!cidrGrants.some((g) => g.cidr === peer.cidr && !g.ranges)) report(where, `external addresses in ${peer.cidr}`, ports);
          return;
        }
        let rest: Ipv4Range[] = [...peer.ranges];
        for (const g of cidrGrants) {
          if (!g.ranges) continue;
          rest = rest.flatMap((r) => subtractRanges(r, g.ranges!));
        }
        if (rest.length > 0) report(where, `external addresses ${rest.map(formatRange).join(',')}`, ports);
        return;
      }
      if (!peer.namespaceSelector) return; // the policy's own namespace: inside the tenant
      const pinned = peer.namespaceSelector.pinnedValues(NAMESPACE_NAME_LABEL);
      const podSel = peer.podSelector ?? Selector.ALL;
      const pods = podSel.isAll() ? 'pods' : `pods matching ${podSel.toString()}`;
      const exact = podSel.exactLabels();
      const covers = (g: ParsedGrant, name: string) => g.namespace === name
        && (!g.podLabels || Object.entries(g.podLabels).every(([k, v]) => exact[k] === v));
      if (pinned === undefined) {
        report(where, `${pods} of any namespace`, ports);
        return;
      }
      const outside = pinned.filter((n) => !tenantNs.has(n)).sort();
      const uncovered = outside.filter((n) => !nsGrants.some((g) => covers(g, n)));
      if (uncovered.length > 0) report(where, `${pods} of namespace${uncovered.length > 1 ? 's' : ''} ${uncovered.join(', ')}`, ports);
    });
  });
}

/**
 * Checks the tenancy invariants declared in the manifests (tenant labels and grant annotations on Namespaces)
 * and returns the violations, sorted by namespace, policy and message. Throws AnalysisInputError on bad input.
 */
export function checkTenancy(objects: ReadonlyArray<object | LoadedObject> | Model): Violation[] {
  const model: Model = Array.isArray(objects) ? buildModel(objects) : objects as Model;
  const tenants = new Map<string, Set<string>>();
  for (const ns of model.namespaces.values()) {
    const t = ns.declared ? ns.labels[TENANT_LABEL] : undefined;
    if (t === undefined) continue;
    let s = tenants.get(t);
    if (!s) tenants.set(t, s = new Set());
    s.add(ns.name);
  }
  const byNs = new Map<string, Policy[]>();
  for (const p of model.policies) {
    const l = byNs.get(p.namespace);
    if (l) l.push(p); else byNs.set(p.namespace, [p]);
  }
  const out: Violation[] = [];
  for (const nsNames of tenants.values()) {
    for (const name of nsNames) {
      const ns = model.namespaces.get(name)!;
      const grants = parseGrants(name, ns.annotations[GRANTS_ANNOTATION], out);
      const policies = byNs.get(name) ?? [];
      if (!policies.some((p) => p.isolatesIngress && p.podSelector.isAll())) {
        out.push({ namespace: name, message: `namespace ${name} is not isolated for ingress: no policy selects every pod with Ingress in policyTypes` });
      }
      for (const p of policies) if (p.isolatesIngress) checkPolicy(p, nsNames, grants, out);
    }
  }
  return out.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.policy ?? '', b.policy ?? '') || compareStrings(a.message, b.message));
}
