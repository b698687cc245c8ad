/**
 * Each app's registry of tenant namespaces: which tenant owns which namespace, so that names
 * are unique in an app and grants to a tenant by name can be resolved.
 */
import { IConstruct } from 'constructs';
import { errorAt } from './names';
import { ITenant } from './tenant-types';

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

/** The tenant of the app `scope` belongs to that has this name, if any. */
export function tenantNamed<T extends ITenant = ITenant>(scope: IConstruct, name: string): T | undefined {
  const t = ownersOf(scope).get(name);
  return t?.name === name ? t as T : undefined;
}

/** The names of the app's tenants, sorted. */
export function tenantNames(scope: IConstruct): string[] {
  return [...new Set([...ownersOf(scope).values()].map((t) => t.name))].sort();
}

/** Claims a namespace for a tenant, throwing when another tenant has it. */
export function claimNamespace(tenant: ITenant, name: string): void {
  const owners = ownersOf(tenant);
  const other = owners.get(name);
  if (other !== undefined) {
    throw errorAt(tenant.node.path, `tenant "${name}" is already defined at ${other.node.path}: tenant and namespace names must be unique in an app. Rename one of them.`);
  }
  owners.set(name, tenant);
}
