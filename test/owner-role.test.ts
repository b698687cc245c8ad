import { Testing } from 'cdk8s';
import { IsolatedTenant } from '../src';
import { OWNER_ROLE_NAME, OwnerRole } from '../src/tenant-extras';
import { validateObjects } from './support/schema';
import { find, newChart, synth } from './support/util';

/** Whether RBAC rules allow a verb on a resource of an API group. */
function allows(rules: any[], group: string, resource: string, verb: string): boolean {
  return rules.some((r) => (r.apiGroups.includes(group) || r.apiGroups.includes('*'))
    && (r.resources.includes(resource) || r.resources.includes('*'))
    && (r.verbs.includes(verb) || r.verbs.includes('*')));
}

describe('OwnerRole', () => {
  test('the ClusterRole tenancy-owner: admin without writing NetworkPolicies; owners bound to it', () => {
    // GIVEN
    const chart = newChart();
    new OwnerRole(chart, 'OwnerRole');
    // WHEN
    new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'], owners: { groups: ['acme-admins'], clusterRole: OWNER_ROLE_NAME } });
    const objects = synth(chart);

    // THEN
    const role = find(objects, 'ClusterRole', OWNER_ROLE_NAME);
    expect(role).toMatchSnapshot();
    expect(role.metadata.namespace).toBeUndefined();
    expect(role.aggregationRule).toBeUndefined();
    for (const ns of ['acme', 'acme-data']) {
      expect(find(objects, 'RoleBinding', 'tenant-owners', ns).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OWNER_ROLE_NAME });
    }
    // NetworkPolicies: read, never write
    for (const verb of ['get', 'list', 'watch']) expect(allows(role.rules, 'networking.k8s.io', 'networkpolicies', verb)).toBe(true);
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) {
      expect(allows(role.rules, 'networking.k8s.io', 'networkpolicies', verb)).toBe(false);
      expect(allows(role.rules, 'extensions', 'networkpolicies', verb)).toBe(false);
    }
    // no wildcard, no impersonation, no escalate/bind, nothing on quotas, limits or Namespaces but reading
    expect(role.rules.flatMap((r: any) => [...r.apiGroups, ...r.resources, ...r.verbs])).not.toContain('*');
    for (const verb of ['impersonate', 'escalate', 'bind']) expect(role.rules.some((r: any) => r.verbs.includes(verb))).toBe(false);
    for (const resource of ['resourcequotas', 'limitranges', 'namespaces']) {
      expect(allows(role.rules, '', resource, 'get')).toBe(true);
      for (const verb of ['create', 'update', 'patch', 'delete']) expect(allows(role.rules, '', resource, verb)).toBe(false);
    }
    // what owners do every day still works
    for (const [group, resource, verb] of [
      ['apps', 'deployments', 'update'], ['apps', 'statefulsets', 'create'], ['', 'pods', 'delete'], ['', 'pods/exec', 'create'],
      ['', 'pods/log', 'get'], ['', 'secrets', 'create'], ['', 'configmaps', 'patch'], ['', 'services', 'create'],
      ['batch', 'jobs', 'create'], ['networking.k8s.io', 'ingresses', 'create'], ['rbac.authorization.k8s.io', 'rolebindings', 'create'],
      ['autoscaling', 'horizontalpodautoscalers', 'update'], ['policy', 'poddisruptionbudgets', 'create'], ['coordination.k8s.io', 'leases', 'update'],
    ]) {
      expect([group, resource, verb, allows(role.rules, group, resource, verb)]).toEqual([group, resource, verb, true]);
    }
    expect(validateObjects([role])).toEqual([]);
  });

  describe('bad input', () => {
    test('owners bound to tenancy-owner in an app without OwnerRole', () => {
      const chart = Testing.chart();
      new IsolatedTenant(chart, 'acme', { owners: { groups: ['acme-admins'], clusterRole: OWNER_ROLE_NAME } });
      expect(() => Testing.synth(chart)).toThrow('[test/acme/Owners] clusterRole "tenancy-owner" is written by OwnerRole, and this app has none: the owners\' RoleBindings would grant nothing. Add new OwnerRole(chart, \'owner-role\') once in the app.');
    });

    test('a second OwnerRole', () => {
      const chart = Testing.chart();
      new OwnerRole(chart, 'OwnerRole');
      expect(() => new OwnerRole(chart, 'Again')).toThrow('[test/Again] an OwnerRole is already defined at test/OwnerRole: the ClusterRole "tenancy-owner" serves every tenant. Remove this one.');
    });
  });
});
