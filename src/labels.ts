/**
 * Well-known label and annotation keys written by this package.
 */

/** The name of this package, as `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = 'cdk8s-tenancy';

import { TENANT_LABEL } from './guard';

/**
 * `TENANT_LABEL`: label on every object and pod of a tenant, the tenant's name.
 * `GRANTS_ANNOTATION`: annotation on a tenant's Namespace, the ingress grants the tenant
 * declared (JSON); `tenancy check` and the synth-time guard compare every policy against it.
 * Both are defined by the analyzer, which reads them.
 */
export { TENANT_LABEL, GRANTS_ANNOTATION } from './guard';

/** The label every namespace carries, set by the API server and not forgeable by tenants. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Standard recommended labels. */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** Labels every object of a tenant carries. */
export function tenantLabels(tenant: string): Record<string, string> {
  return {
    [PART_OF_LABEL]: tenant,
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [TENANT_LABEL]: tenant,
  };
}

/**
 * `EGRESS_GRANTS_ANNOTATION`: annotation on the Namespaces of a tenant that isolates egress: the
 * egress grants the tenant declared (JSON: DNS, `allowTo`, `allowInternet`, the egress side of
 * cross-tenant grants; its own namespaces are implicit), which the guard and `tenancy check`
 * verify egress policies against. Defined by the analyzer, which reads it.
 */
export { EGRESS_GRANTS_ANNOTATION } from './guard';
