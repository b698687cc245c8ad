/**
 * Grants that name a tenant or a namespace by name (`Peer.tenant`, `Peer.namespace`,
 * `allowIngressController.namespace`), checked at synth so that the order the tenants are created
 * in does not matter: a name must not reach into another tenant, and a near miss of a tenant's
 * name is a typo until declared otherwise.
 */
import { distance } from 'fastest-levenshtein';
import { TenancySettings } from './settings';
import { namespaceOwner, SYSTEM_NAMESPACES, tenantNamed, tenantNames, tenantNamespaces } from './tenant-registry';
import { ITenant } from './tenant-types';

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
function namespaceGrantProblems(tenant: ITenant, namespaces: readonly string[], what: (ns: string) => string): string[] {
  const platform = TenancySettings.of(tenant).platformNamespaces;
  const problems: string[] = [];
  for (const ns of namespaces) {
    if (tenant.namespaces.includes(ns)) continue;
    const owner = namespaceOwner(tenant, ns);
    if (owner) {
      problems.push(`${what(ns)} names namespace "${ns}" of tenant "${owner.name}" (${owner.node.path}): a grant by namespace name would admit whatever that tenant runs there. Grant the tenant itself (pass the IsolatedTenant or one of its workloads); if "${ns}" is the platform's, declare it in platformNamespaces so that no tenant can take it.`);
      continue;
    }
    if (platform.includes(ns) || SYSTEM_NAMESPACES.includes(ns)) continue;
    const near = didYouMean(ns, tenantNamespaces(tenant));
    if (near !== undefined) {
      problems.push(`${what(ns)} names namespace "${ns}", which is no tenant's, but "${near}" of tenant "${namespaceOwner(tenant, near)!.name}" is ${distance(ns, near) === 1 ? 'one edit' : 'two edits'} away. Did you mean "${near}"? Grant the tenant itself (pass the IsolatedTenant); if "${ns}" really is another namespace, declare it in platformNamespaces.`);
    }
  }
  return problems;
}

/**
 * Refuses, at synth, a grant by `tenant` that names `namespaces` by name when one is another
 * tenant's or a near miss of a tenant's namespace; `what(ns)` describes the grant.
 */
export function checkNamespacesByName(tenant: ITenant, namespaces: readonly string[], what: (ns: string) => string): void {
  const names = [...namespaces];
  tenant.node.addValidation({ validate: () => namespaceGrantProblems(tenant, names, what) });
}

/**
 * Refuses, at synth, a grant by `tenant` to a tenant by name (`Peer.tenant`) when the app has no
 * such tenant (suggesting a close name), when it has more namespaces than the name covers, or,
 * for `allowFrom`, when it isolates egress but was defined after the grant (`knownAtGrant` unset),
 * so that its egress side was not written.
 */
export function checkTenantByName(tenant: ITenant, name: string, method: 'allowFrom' | 'allowTo', knownAtGrant?: ITenant): void {
  tenant.node.addValidation({
    validate: () => {
      const named = tenantNamed(tenant, name);
      if (!named) {
        const near = didYouMean(name, tenantNames(tenant));
        return [`Peer.tenant('${name}'): no tenant "${name}" in this app (tenants: ${tenantNames(tenant).join(', ')}).${near ? ` Did you mean "${near}"?` : ''} Fix the name, or use Peer.namespace('${name}') for a namespace that is not a tenant.`];
      }
      if (method === 'allowFrom' && !knownAtGrant && named.isolatesEgress) {
        return [`Peer.tenant('${name}'): tenant "${name}" isolates egress but was defined after this grant, so its egress side was not written. Define it first, or pass the tenant itself.`];
      }
      if (named.namespaces.length > 1) {
        return [`Peer.tenant('${name}') ${method === 'allowFrom' ? 'admits' : 'reaches'} only namespace "${name}", but tenant "${name}" also has ${named.namespaces.slice(1).join(', ')}. Pass the tenant itself: ${method}(${name}Tenant, ...).`];
      }
      return [];
    },
  });
}
