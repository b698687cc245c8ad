import { Chart } from 'cdk8s';
import { IsolatedTenant } from '../src';
import { TenantOwners } from '../src/tenant-extras';
import { validateObjects } from './support/schema';
import { find, newChart, ofKind, synth } from './support/util';

describe('TenantOwners', () => {
  let chart: Chart;
  let tenant: IsolatedTenant;
  beforeEach(() => {
    chart = newChart();
    tenant = new IsolatedTenant(chart, 'customer1');
  });

  test('a group and a user own the tenant with the built-in admin role; viewers get view', () => {
    // WHEN
    new TenantOwners(tenant, 'Owners', {
      groups: ['customer1-admins'],
      users: ['alice@example.com'],
      viewerGroups: ['auditors'],
      viewerUsers: ['bob@example.com'],
    });
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    const owners = find(objects, 'RoleBinding', 'tenant-owners', 'customer1');
    expect(owners.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(owners.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(owners.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'customer1-admins' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' },
    ]);
    expect(owners.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    const viewers = find(objects, 'RoleBinding', 'tenant-viewers', 'customer1');
    expect(viewers.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(viewers.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'auditors' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob@example.com' },
    ]);
    expect(viewers.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    // only RoleBindings, never a cluster-wide ClusterRoleBinding
    expect(ofKind(objects, 'ClusterRoleBinding')).toEqual([]);
    expect(ofKind(objects, 'RoleBinding')).toHaveLength(2);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('a given ClusterRole; no viewers means no viewer binding', () => {
    new TenantOwners(tenant, 'Owners', { groups: ['devs'], clusterRole: 'edit' });
    const objects = synth(chart);
    const owners = find(objects, 'RoleBinding', 'tenant-owners', 'customer1');
    expect(owners.roleRef.name).toBe('edit');
    expect(owners.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' }]);
    expect(ofKind(objects, 'RoleBinding').map((o) => o.metadata.name)).toEqual(['tenant-owners']);
  });

  test('a custom viewer role', () => {
    new TenantOwners(tenant, 'Owners', { users: ['alice'], viewerGroups: ['sre'], viewerClusterRole: 'tenant:read-only' });
    const viewers = find(synth(chart), 'RoleBinding', 'tenant-viewers', 'customer1');
    expect(viewers.roleRef.name).toBe('tenant:read-only');
  });

  test('a binding per namespace of the tenant', () => {
    chart = newChart();
    tenant = new IsolatedTenant(chart, 'customer1', { extraNamespaces: ['customer1-data'] });
    const o = new TenantOwners(tenant, 'Owners', { groups: ['devs'], viewerGroups: ['sre'] });
    const objects = synth(chart);
    expect(ofKind(objects, 'RoleBinding').map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort()).toEqual([
      'customer1-data/tenant-owners', 'customer1-data/tenant-viewers', 'customer1/tenant-owners', 'customer1/tenant-viewers',
    ]);
    expect(Object.keys(o.ownerBindings).sort()).toEqual(['customer1', 'customer1-data']);
    expect(Object.keys(o.viewerBindings).sort()).toEqual(['customer1', 'customer1-data']);
  });

  test('a namespace added afterwards is a synth error', () => {
    new TenantOwners(tenant, 'Owners', { groups: ['devs'] });
    Object.defineProperty(tenant, 'namespaces', { get: () => ['customer1', 'late'] });
    expect(() => synth(chart)).toThrow('[test/customer1/Owners] namespace "late" of tenant "customer1" has no owners\' RoleBinding: it was added after this TenantOwners was created. Create the TenantOwners after all the tenant\'s namespaces.');
  });

  describe('bad input', () => {
    test.each([
      [{}, '[test/customer1/Owners] TenantOwners of tenant "customer1" has no subjects. Give groups (e.g. groups: [\'customer1-admins\']) or users (e.g. users: [\'alice@example.com\']).'],
      [{ groups: [], users: [] }, '[test/customer1/Owners] TenantOwners of tenant "customer1" has no subjects. Give groups (e.g. groups: [\'customer1-admins\']) or users (e.g. users: [\'alice@example.com\']).'],
      [{ viewerGroups: ['sre'] }, '[test/customer1/Owners] TenantOwners of tenant "customer1" has no subjects. Give groups (e.g. groups: [\'customer1-admins\']) or users (e.g. users: [\'alice@example.com\']).'],
      [{ groups: [''] }, '[test/customer1/Owners] groups contains "", which is not a group name. Remove it or fix the spelling (no surrounding spaces).'],
      [{ users: [' alice'] }, '[test/customer1/Owners] users contains " alice", which is not a user name. Remove it or fix the spelling (no surrounding spaces).'],
      [{ groups: ['devs', 'devs'] }, '[test/customer1/Owners] groups lists "devs" twice. Remove the duplicate.'],
      [{ groups: ['devs'], clusterRole: '' }, '[test/customer1/Owners] clusterRole "" is not a ClusterRole name: it must be non-empty, at most 253 characters, without \'/\', \'%\' or spaces, e.g. "admin".'],
      [{ groups: ['devs'], viewerClusterRole: 'a/b' }, '[test/customer1/Owners] viewerClusterRole "a/b" is not a ClusterRole name: it must be non-empty, at most 253 characters, without \'/\', \'%\' or spaces, e.g. "admin".'],
      [{ groups: ['devs'], clusterRole: 'cluster-admin' }, '[test/customer1/Owners] clusterRole "cluster-admin" would let the owners edit the tenant\'s ResourceQuota, LimitRange and Namespace labels (Pod Security levels included), defeating the isolation. Use "admin" (the default) or a narrower ClusterRole.'],
    ])('%j', (props, message) => {
      expect(() => new TenantOwners(tenant, 'Owners', props)).toThrow(message);
    });
  });
});

describe('owners and viewers that mean everyone are refused', () => {
  let tenant: IsolatedTenant;
  beforeEach(() => { tenant = new IsolatedTenant(newChart(), 'customer1'); });
  const fix = (kind: string) => `Name the tenant's own ${kind}, or one service account as the user "system:serviceaccount:<namespace>:<name>".`;

  test.each([
    [{ groups: ['system:authenticated'] }, `[test/customer1/Owners] groups lists "system:authenticated", which is every authenticated user and service account of the cluster: they would all get the tenant's admin rights. ${fix('group')}`],
    [{ groups: ['devs', 'system:unauthenticated'] }, `[test/customer1/Owners] groups lists "system:unauthenticated", which is every anonymous request: they would all get the tenant's admin rights. ${fix('group')}`],
    [{ groups: ['system:serviceaccounts'] }, `[test/customer1/Owners] groups lists "system:serviceaccounts", which is every service account of the cluster: they would all get the tenant's admin rights. ${fix('group')}`],
    [{ groups: ['system:serviceaccounts:customer2'] }, `[test/customer1/Owners] groups lists "system:serviceaccounts:customer2", which is every service account of namespace "customer2": they would all get the tenant's admin rights. ${fix('group')}`],
    [{ users: ['system:anonymous'] }, `[test/customer1/Owners] users lists "system:anonymous", which is every anonymous request: they would all get the tenant's admin rights. ${fix('users')}`],
    [{ groups: ['devs'], viewerGroups: ['system:authenticated'] }, `[test/customer1/Owners] viewerGroups lists "system:authenticated", which is every authenticated user and service account of the cluster: they would all get the tenant's read access. ${fix('group')}`],
    [{ groups: ['devs'], viewerUsers: ['system:anonymous'] }, `[test/customer1/Owners] viewerUsers lists "system:anonymous", which is every anonymous request: they would all get the tenant's read access. ${fix('users')}`],
  ])('%j', (props, message) => {
    // WHEN / THEN
    expect(() => new TenantOwners(tenant, 'Owners', props)).toThrow(message);
  });

  test('also through the tenant\'s owners prop', () => {
    expect(() => new IsolatedTenant(newChart(), 'acme', { owners: { groups: ['system:authenticated'] } })).toThrow(
      '[test/acme/Owners] groups lists "system:authenticated"');
  });

  test('one service account, named as a user, and ordinary system: groups are accepted', () => {
    // GIVEN / WHEN
    const owners = new TenantOwners(tenant, 'Owners', { users: ['system:serviceaccount:ci:deployer'], viewerGroups: ['system:monitoring'] });
    // THEN
    expect((owners.ownerBindings.customer1.toJson() as any).subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:serviceaccount:ci:deployer' },
    ]);
  });
});
