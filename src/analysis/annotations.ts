/**
 * The labels and annotations through which the constructs declare their intent to the analyzer.
 */

/** The label naming the tenant a Namespace (and every object of the tenant) belongs to. */
export const TENANT_LABEL = 'tenancy.cdk8s.io/tenant';
/** The Namespace annotation holding the tenant's declared ingress grants (a JSON array). */
export const GRANTS_ANNOTATION = 'tenancy.cdk8s.io/ingress-grants';
/**
 * The Namespace annotation of a tenant that isolates egress: its declared egress grants (a JSON array, as the
 * ingress grants with `to` for `from`). The tenant's own namespaces are implicit; DNS is an explicit entry.
 */
export const EGRESS_GRANTS_ANNOTATION = 'tenancy.cdk8s.io/egress-grants';
/** The standard label naming the tool that manages an object. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The value of `app.kubernetes.io/managed-by` on every object this package writes. */
export const MANAGED_BY_TENANCY = 'cdk8s-tenancy';
