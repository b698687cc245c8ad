/**
 * Each app's registry of tenant namespaces: which tenant owns which namespace, so that names
 * are unique in an app, that no tenant takes a namespace of Kubernetes or of the platform, and
 * that grants to a tenant or a namespace by name can be resolved.
 */
import { IConstruct } from 'constructs';
import { errorAt } from './names';
import { TenancySettings } from './settings';
import { ITenant } from './tenant-types';

/** Namespaces of Kubernetes itself, which can never be tenant namespaces. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Each app's namespaces, with the tenant that owns each (a tenant's name is its first namespace). */
const namespaceOwners = new WeakMap<IConstruct, Map<string, ITenant>>();

function ownersOf(scope: IConstruct): Map<string, ITenant> {
  const root = scope.node.root;
  let owners = namespaceOwners.get(root);
  if (!owners) {
    owners = new Map();
    namespaceOwners.set(root, owners);
  }
  return owners;
}

/** The tenant of the app `scope` belongs to that owns a namespace, if any. */
export function namespaceOwner<T extends ITenant = ITenant>(scope: IConstruct, namespace: string): T | undefined {
  return ownersOf(scope).get(namespace) as T | undefined;
}

/** Every tenant namespace of the app `scope` belongs to. */
export function tenantNamespaces(scope: IConstruct): string[] {
  return [...ownersOf(scope).keys()];
}

/** The tenant of the app `scope` belongs to that has this name, if any. */
export function tenantNamed<T extends ITenant = ITenant>(scope: IConstruct, name: string): T | undefined {
  const t = ownersOf(scope).get(name);
  return t?.name === name ? t as T : undefined;
}

/** The names of the app's tenants, sorted. */
export function tenantNames(scope: IConstruct): string[] {
  return [...new Set([...ownersOf(scope).values()].map((t) => t.name))].sort();
}

/** Claims a namespace for a tenant, throwing when it is Kubernetes', the platform's or another tenant's. */
export function claimNamespace(tenant: ITenant, name: string): void {
  const path = tenant.node.path;
  if (SYSTEM_NAMESPACES.includes(name)) {
    throw errorAt(path, `namespace "${name}" belongs to Kubernetes: ${SYSTEM_NAMESPACES.join(', ')} can never be tenant namespaces. Pick another name.`);
  }
  if (TenancySettings.of(tenant).platformNamespaces.includes(name)) {
    throw errorAt(path, `namespace "${name}" is declared a platform namespace (platformNamespaces), so no tenant may take it: grants to the platform name it, and would admit the tenant's pods. Pick another name.`);
  }
  const owners = ownersOf(tenant);
  const other = owners.get(name);
  if (other !== undefined) {
    throw errorAt(path, `tenant "${name}" is already defined at ${other.node.path}: tenant and namespace names must be unique in an app. Rename one of them.`);
  }
  owners.set(name, tenant);
}
