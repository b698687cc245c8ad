/**
 * The tenancy invariants: every tenant namespace is isolated for ingress (and for egress when its tenant
 * declared egress grants); every source outside a tenant that its policies admit, and every destination they
 * let its pods reach, is covered by a grant the tenant declared; and the declarations themselves are intact
 * (no Namespace missing, unlabelled or redeclared, no object of the package overridden).
 *
 * The check is symbolic over the policies (`symbolic/`), so it holds for pods that exist now or later. Anyone
 * who can create pods or label namespaces can forge labels, so only `kubernetes.io/metadata.name` pins a
 * namespace; an ipBlock that overlaps a pod network may match pods of every namespace.
 */
import { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION } from './annotations';
import { buildModel } from './build';
import { SourceLocation } from './errors';
import { claimedNamespaces, duplicateViolations } from './integrity';
import { parseCidr } from './ipv4';
import { LoadedObject, Model } from './model';
import { compareStrings } from './reachability';
import { SymbolicEvaluator } from './symbolic/evaluator';
import { parseGrants } from './symbolic/grants';
import { checkNamespaceFlows } from './symbolic/tenancy-flows';

export { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, TENANT_LABEL } from './annotations';

/** Who a grant admits (ingress) or lets the tenant reach (egress, as `to`). */
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

/** A declared egress grant, as written in the `tenancy.cdk8s.io/egress-grants` annotation. */
export interface EgressGrant {
  /** The destinations the tenant may reach. */
  readonly to: GrantFrom;
  /**
   * The ports.
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
  /** Where the object at fault was read from, when one is. */
  readonly location?: SourceLocation;
  /** One line describing the violation and the fix. */
  readonly message: string;
}

/** Options of `checkTenancy`. */
export interface CheckOptions {
  /**
   * The cluster's pod networks (IPv4 CIDRs); they replace the model's.
   * @default - the model's, else DEFAULT_POD_CIDRS
   */
  readonly podCidrs?: readonly string[];
  /**
   * Whether to report duplicates that override an object of the package or a tenant's Namespace (the guard
   * reports them itself, naming the constructs).
   * @default true
   */
  readonly duplicates?: boolean;
}

/**
 * Checks the tenancy invariants declared in the manifests (tenant labels and grant annotations on Namespaces)
 * and returns the violations, sorted by namespace, policy and message. Throws AnalysisInputError on bad input.
 */
export function checkTenancy(objects: ReadonlyArray<object | LoadedObject> | Model, options: CheckOptions = {}): Violation[] {
  const model: Model = Array.isArray(objects) ? buildModel(objects) : objects as Model;
  const podNetworks = options.podCidrs ? options.podCidrs.map((c) => parseCidr(c)) : model.podNetworks;
  const out: Violation[] = options.duplicates === false ? [] : [...duplicateViolations(model)];
  const claimed = claimedNamespaces(model);
  out.push(...claimed.violations);
  const ev = new SymbolicEvaluator(model, podNetworks);
  for (const names of claimed.tenants.values()) {
    for (const name of names) {
      const ns = model.namespaces.get(name);
      const annotations = ns?.declared ? ns.annotations : {};
      const problem = (message: string) => out.push({ namespace: name, message: `namespace ${name} ${message}` });
      const ingressGrants = parseGrants(annotations[GRANTS_ANNOTATION], GRANTS_ANNOTATION, 'from', problem);
      const egressText = annotations[EGRESS_GRANTS_ANNOTATION];
      const egressGrants = egressText === undefined ? undefined : parseGrants(egressText, EGRESS_GRANTS_ANNOTATION, 'to', problem);
      for (const v of checkNamespaceFlows(ev, { name, tenantNamespaces: names, ingressGrants, egressGrants })) {
        out.push({ namespace: name, ...(v.policy ? { policy: v.policy.id, location: v.policy.location } : {}), message: v.message });
      }
    }
  }
  // A namespace claimed by two tenants is checked twice: the same message once. (A message names its policy.)
  const seen = new Set<string>();
  return out
    .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.policy ?? '', b.policy ?? '') || compareStrings(a.message, b.message))
    .filter((v) => !seen.has(`${v.namespace}\u0000${v.message}`) && !!seen.add(`${v.namespace}\u0000${v.message}`));
}
