/**
 * Objects that carry a tenant's label: the evidence that a namespace belongs to a tenant even when its
 * Namespace object is missing or has lost its label.
 */
import { TENANT_LABEL } from './annotations';
import { asRecord, loc } from './fields';
import { LoadedObject, TenantObject } from './model';

/** API groups whose namespaced objects live in the tenant's own namespaces (not Argo CD's, for instance). */
const TENANT_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling']);

/** Appends `lo` to `out` when it is a namespaced built-in object labelled with a tenant. */
export function noteTenantObject(out: TenantObject[], lo: LoadedObject, kind: string, metadata: Record<string, unknown>): void {
  const tenant = asRecord(metadata.labels)?.[TENANT_LABEL];
  const namespace = metadata.namespace;
  if (typeof tenant !== 'string' || typeof namespace !== 'string' || namespace === '' || kind === 'Namespace') return;
  const apiVersion = String(lo.object.apiVersion ?? '');
  const slash = apiVersion.lastIndexOf('/');
  if (!TENANT_GROUPS.has(apiVersion.slice(0, Math.max(slash, 0)))) return;
  out.push({ kind, namespace, name: String(metadata.name ?? ''), tenant, location: loc(lo) });
}
