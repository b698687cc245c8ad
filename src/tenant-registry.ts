/**
 * Each app's registry of tenant namespaces: which tenant owns which namespace, so that names
 * are unique in an app, that no tenant takes a namespace of Kubernetes or of the platform, and
 * that grants to a tenant or a namespace by name can be resolved and checked.
 */
import { distance } from 'fastest-levenshtein';
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

/** The closest of `candidates` one or two edits away from `name` (ties: the first in order), if any. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of [...candidates].sort()) {
    const d = distance(name, c);
    if (d > 0 && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The problems, at synth, of a grant by `tenant` that names namespaces by name (`what`, e.g.
 * `Peer.namespace('ingress-nginx')`): a namespace of another tenant (a grant by name would admit
 * whatever that tenant runs there), or a name one or two edits away from a tenant namespace that
 * is not declared the platform's (a typo).
 */
export function namespaceGrantProblems(tenant: ITenant, namespaces: readonly string[], what: (ns: string) => string): string[] {
  const owners = ownersOf(tenant);
  const platform = TenancySettings.of(tenant).platformNamespaces;
  const problems: string[] = [];
  for (const ns of namespaces) {
    if (tenant.namespaces.includes(ns)) continue;
    const owner = owners.get(ns);
    if (owner) {
      problems.push(`${what(ns)} names namespace "${ns}" of tenant "${owner.name}" (${owner.node.path}): a grant by namespace name would admit whatever that tenant runs there. Grant the tenant itself (pass the IsolatedTenant or one of its workloads); if "${ns}" is the platform's, declare it in platformNamespaces so that no tenant can take it.`);
      continue;
    }
    if (platform.includes(ns) || SYSTEM_NAMESPACES.includes(ns)) continue;
    const near = didYouMean(ns, [...owners.keys()]);
    if (near !== undefined) {
      problems.push(`${what(ns)} names namespace "${ns}", which is no tenant's, but "${near}" of tenant "${owners.get(near)!.name}" is ${distance(ns, near) === 1 ? 'one edit' : 'two edits'} away. Did you mean "${near}"? Grant the tenant itself (pass the IsolatedTenant); if "${ns}" really is another namespace, declare it in platformNamespaces.`);
    }
  }
  return problems;
}
