/**
 * Objects that carry a tenant's label: the evidence that a namespace belongs to a tenant even when its
 * Namespace object is missing or has lost its label.
 */
import { TENANT_LABEL } from './annotations';
import { loc } from './fields';
import { LoadedObject, TenantObject } from './model';

/** API groups whose namespaced objects live in the tenant's own namespaces (not Argo CD's, for instance). */
const TENANT_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling']);

/** Appends `lo` to `out` when it is a namespaced built-in object labelled with a tenant. */
export function noteTenantObject(out: TenantObject[], lo: LoadedObject, kind: string, metadata: Record<string, unknown>): void {
  const labels = metadata.labels as Record<string, unknown> | undefined;
  const tenant = labels && typeof labels === 'object' ? labels[TENANT_LABEL] : undefined;
  const namespace = metadata.namespace;
  if (typeof tenant !== 'string' || typeof namespace !== 'string' || namespace === '' || kind === 'Namespace') return;
  const apiVersion = typeof lo.object.apiVersion === 'string' ? lo.object.apiVersion : '';
  if (!TENANT_GROUPS.has(apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '')) return;
  out.push({ kind, namespace, name: typeof metadata.name === 'string' ? metadata.name : '', tenant, location: loc(lo) });
}
