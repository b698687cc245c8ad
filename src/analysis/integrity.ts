/**
 * The integrity of a tenant's declarations in the input: its Namespace is declared once, carries its label, and
 * no object the package wrote is overridden by (or overrides) another object of the same identity.
 */
import { MANAGED_BY_LABEL, MANAGED_BY_TENANCY, TENANT_LABEL } from './annotations';
import { describeLocation, SourceLocation } from './errors';
import { asRecord } from './fields';
import { Model, TenantObject } from './model';

/** A broken integrity rule. */
export interface IntegrityViolation {
  /** The namespace concerned (the Namespace's own name for a Namespace). */
  readonly namespace: string;
  /** Where the violation is. */
  readonly location?: SourceLocation;
  /** One line describing it and the fix. */
  readonly message: string;
}

function labelsOf(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return asRecord(asRecord(o.metadata)?.labels) ?? {};
}

function metaString(o: Readonly<Record<string, unknown>>, field: string): string {
  return String(asRecord(o.metadata)?.[field] ?? '');
}

/**
 * Duplicates that matter: either occurrence was written by cdk8s-tenancy, or a tenant's Namespace is declared
 * twice. The last occurrence wins on the cluster, so the isolation the package wrote may not be what applies.
 */
export function duplicateViolations(model: Model): IntegrityViolation[] {
  const out: IntegrityViolation[] = [];
  for (const d of model.duplicates) {
    const both = [d.keptObject, d.overriddenObject];
    const isNamespace = d.keptObject.kind === 'Namespace';
    const written = both.some((o) => labelsOf(o)[MANAGED_BY_LABEL] === MANAGED_BY_TENANCY);
    const tenantNamespace = isNamespace && both.some((o) => typeof labelsOf(o)[TENANT_LABEL] === 'string');
    if (!written && !tenantNamespace) continue;
    const where = `${describeLocation(d.overridden)} and ${describeLocation(d.kept)}`;
    if (isNamespace) {
      const name = metaString(d.keptObject, 'name');
      out.push({
        namespace: name,
        location: d.kept,
        message: `Namespace ${name} of a tenant is declared twice (${where}); the last one wins, as with kubectl apply, so its tenant label and grants are whatever that one says: declare each tenant Namespace once, through its tenant`,
      });
    } else {
      const ns = metaString(d.keptObject, 'namespace');
      out.push({
        namespace: ns,
        location: d.kept,
        message: `${d.identity} is declared twice (${where}); the last one wins, as with kubectl apply, and one of them was written by cdk8s-tenancy, so the isolation it wrote may not be what the cluster applies: rename or remove the other object`,
      });
    }
  }
  return out;
}

/** What the tenant-labelled objects say about namespaces, and what the Namespaces say. */
export interface ClaimedNamespaces {
  /** Tenant → namespaces, from Namespace labels and, where a Namespace is missing or unlabelled, from its objects. */
  readonly tenants: Map<string, Set<string>>;
  /** Violations: a tenant's objects in a namespace whose Namespace is missing or does not carry the tenant. */
  readonly violations: IntegrityViolation[];
}

/**
 * The tenants' namespaces. A namespace whose objects carry tenant T but whose Namespace is missing, or does not
 * carry `tenancy.cdk8s.io/tenant: T`, is a violation; when its Namespace names no tenant, it is still checked
 * as T's (fail closed).
 */
export function claimedNamespaces(model: Model): ClaimedNamespaces {
  const tenants = new Map<string, Set<string>>();
  const claim = (t: string, ns: string) => {
    let s = tenants.get(t);
    if (!s) tenants.set(t, s = new Set());
    s.add(ns);
  };
  for (const ns of model.namespaces.values()) {
    const t = ns.declared ? ns.labels[TENANT_LABEL] : undefined;
    if (t !== undefined) claim(t, ns.name);
  }
  const evidence = new Map<string, TenantObject>();
  for (const o of model.tenantObjects) {
    const k = `${o.namespace}\u0000${o.tenant}`;
    if (!evidence.has(k)) evidence.set(k, o);
  }
  const violations: IntegrityViolation[] = [];
  for (const o of evidence.values()) {
    const info = model.namespaces.get(o.namespace);
    const label = info?.declared ? info.labels[TENANT_LABEL] : undefined;
    if (label === o.tenant) continue;
    const example = `${o.kind} ${o.name} (${describeLocation(o.location)})`;
    let message: string;
    if (!info?.declared) {
      message = `namespace ${o.namespace} has objects of tenant ${o.tenant}, e.g. ${example}, but no Namespace object, so nothing declares its isolation: restore the Namespace with label ${TENANT_LABEL}: ${o.tenant}, or remove the tenant's objects`;
    } else {
      const carries = label === undefined ? `does not carry ${TENANT_LABEL}` : `carries ${TENANT_LABEL}: ${label}`;
      message = `namespace ${o.namespace} has objects of tenant ${o.tenant}, e.g. ${example}, but its Namespace ${carries}: restore the label ${TENANT_LABEL}: ${o.tenant}, or move the objects`;
    }
    violations.push({ namespace: o.namespace, location: o.location, message });
    if (label === undefined) claim(o.tenant, o.namespace);
  }
  return { tenants, violations };
}
