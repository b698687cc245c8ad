/**
 * checkTenancy on a committed tree (issue 8 §6): duplicates that override isolation, a tenant Namespace
 * redeclared or missing while its objects remain, a tenant label removed while a permissive policy is added.
 */
import { buildModel, checkTenancy, Duplicate, GRANTS_ANNOTATION, Model, TENANT_LABEL } from '../../src/analysis';
import { ns } from './helpers';

const HINT = '(declare it with tenant.allowFrom(...) or remove the rule)';
const MANAGED = { 'app.kubernetes.io/managed-by': 'cdk8s-tenancy' };

function policy(namespace: string, name: string, spec: object, labels: Record<string, string> = {}): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels }, spec };
}
const ISOLATE = { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] };
const OPEN = { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] };
const ofTenant = (t: string) => ({ [TENANT_LABEL]: t, ...MANAGED });

describe('a tenant\'s objects in a namespace that does not carry the tenant', () => {
  test('the label removed while a permissive policy is added', () => {
    // GIVEN customer1's Namespace lost its tenant label, and a policy opening it was added
    const objs = [
      ns('customer1', {}, { [GRANTS_ANNOTATION]: '[]' }),
      policy('customer1', 'deny-from-other-namespaces', ISOLATE, ofTenant('customer1')),
      policy('customer1', 'open', OPEN),
    ];
    // THEN both are reported: customer1 is still checked as a tenant namespace
    expect(checkTenancy(objs)).toEqual([
      {
        namespace: 'customer1',
        location: { file: '<objects>', docIndex: 1 },
        message: 'namespace customer1 has objects of tenant customer1, e.g. NetworkPolicy deny-from-other-namespaces (<objects> (document 1, 0-based)), but its Namespace does not carry tenancy.cdk8s.io/tenant: restore the label tenancy.cdk8s.io/tenant: customer1, or move the objects',
      },
      {
        namespace: 'customer1',
        policy: 'customer1/open',
        location: { file: '<objects>', docIndex: 2 },
        message: `customer1/open ingress[0] from[0]: admits pods of any namespace on all ports without a declared grant ${HINT}`,
      },
    ]);
  });

  test('the label changed to another tenant', () => {
    const objs = [
      ns('customer1', { [TENANT_LABEL]: 'evil' }),
      policy('customer1', 'deny-from-other-namespaces', ISOLATE, ofTenant('customer1')),
    ];
    expect(checkTenancy(objs).map((v) => v.message)).toEqual([
      'namespace customer1 has objects of tenant customer1, e.g. NetworkPolicy deny-from-other-namespaces (<objects> (document 1, 0-based)), but its Namespace carries tenancy.cdk8s.io/tenant: evil: restore the label tenancy.cdk8s.io/tenant: customer1, or move the objects',
    ]);
  });

  test('the Namespace missing while the tenant\'s policies remain', () => {
    const objs = [
      policy('customer1', 'deny-from-other-namespaces', ISOLATE, ofTenant('customer1')),
      policy('customer1', 'allow-x', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }, ofTenant('customer1')),
    ];
    expect(checkTenancy(objs).map((v) => v.message)).toEqual([
      'namespace customer1 has objects of tenant customer1, e.g. NetworkPolicy deny-from-other-namespaces (<objects> (document 0, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: customer1, or remove the tenant\'s objects',
      `customer1/allow-x ingress[0]: admits every source (pods of any namespace and all external addresses) on all ports without a declared grant ${HINT}`,
    ]);
  });

  test('one violation per namespace and tenant; other namespaces of the tenant are inside it', () => {
    const objs = [
      ns('shop', { [TENANT_LABEL]: 'shop' }), policy('shop', 'deny-from-other-namespaces', ISOLATE, ofTenant('shop')),
      policy('shop-data', 'deny-from-other-namespaces', { ...ISOLATE, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }] }, ofTenant('shop')),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop-data', labels: ofTenant('shop') } },
    ];
    expect(checkTenancy(objs).map((v) => [v.namespace, v.message])).toEqual([
      ['shop-data', 'namespace shop-data has objects of tenant shop, e.g. NetworkPolicy deny-from-other-namespaces (<objects> (document 2, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: shop, or remove the tenant\'s objects'],
    ]);
  });

  test('objects of other API groups, cluster-scoped or without a namespace are no evidence', () => {
    const objs = [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'acme', namespace: 'argocd', labels: ofTenant('acme') } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'acme', labels: ofTenant('acme') } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: ofTenant('acme') } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'z', labels: { [TENANT_LABEL]: 7 } } },
      ns('acme', { [TENANT_LABEL]: 'acme' }), policy('acme', 'deny-from-other-namespaces', ISOLATE, ofTenant('acme')),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'acme', labels: ofTenant('acme') } },
    ];
    expect(checkTenancy(objs)).toEqual([]);
  });
});

/** A duplicate as the reader records it; the identity's parts from its `group/kind ns/name` text. */
function dup(d: Omit<Duplicate, 'object'>): Duplicate {
  const [gk, path] = d.identity.split(' ');
  const [group, kind] = [gk.slice(0, gk.lastIndexOf('/')), gk.slice(gk.lastIndexOf('/') + 1)];
  const [namespace, name] = path.includes('/') ? path.split('/') : [undefined, path];
  return { ...d, object: { group, kind, ...(namespace ? { namespace } : {}), name } };
}

describe('duplicates', () => {
  const loc = (file: string, docIndex: number) => ({ file, docIndex });
  function withDuplicates(objs: object[], duplicates: Duplicate[]): Model {
    return { ...buildModel(objs), duplicates };
  }
  const objs = [ns('customer1', { [TENANT_LABEL]: 'customer1', ...MANAGED }), policy('customer1', 'deny-from-other-namespaces', ISOLATE, ofTenant('customer1'))];
  const pkgPolicy = objs[1] as Record<string, unknown>;
  const userPolicy = policy('customer1', 'deny-from-other-namespaces', OPEN) as Record<string, unknown>;

  test('an object of the package overridden by a later one of the same identity', () => {
    const d: Duplicate = dup({
      identity: 'networking.k8s.io/NetworkPolicy customer1/deny-from-other-namespaces',
      kept: loc('dist/zz.yaml', 0), overridden: loc('dist/customer1.k8s.yaml', 1), keptObject: userPolicy, overriddenObject: pkgPolicy,
    });
    expect(checkTenancy(withDuplicates(objs, [d]))).toEqual([{
      namespace: 'customer1',
      location: loc('dist/zz.yaml', 0),
      message: 'networking.k8s.io/NetworkPolicy customer1/deny-from-other-namespaces is declared twice (dist/customer1.k8s.yaml (document 1, 0-based) and dist/zz.yaml (document 0, 0-based)); the last one wins, as with kubectl apply, and one of them was written by cdk8s-tenancy, so the isolation it wrote may not be what the cluster applies: rename or remove the other object',
    }]);
    // the other way round too
    expect(checkTenancy(withDuplicates(objs, [{ ...d, keptObject: pkgPolicy, overriddenObject: userPolicy }]))).toHaveLength(1);
  });

  test('a tenant Namespace declared twice, even by objects the package did not write', () => {
    const plain = ns('customer1') as Record<string, unknown>;
    const labelled = ns('customer1', { [TENANT_LABEL]: 'customer1' }) as Record<string, unknown>;
    const d: Duplicate = dup({ identity: '/Namespace customer1', kept: loc('b.yaml', 0), overridden: loc('a.yaml', 3), keptObject: plain, overriddenObject: labelled });
    expect(checkTenancy(withDuplicates(objs, [d]))).toEqual([{
      namespace: 'customer1',
      location: loc('b.yaml', 0),
      message: 'Namespace customer1 of a tenant is declared twice (a.yaml (document 3, 0-based) and b.yaml (document 0, 0-based)); the last one wins, as with kubectl apply, so its tenant label and grants are whatever that one says: declare each tenant Namespace once, through its tenant',
    }]);
    expect(checkTenancy(withDuplicates(objs, [{ ...d, keptObject: labelled, overriddenObject: plain }]))).toHaveLength(1);
  });

  test('duplicates of objects the package did not write, and of plain Namespaces, are left to the reader\'s warnings', () => {
    const other = policy('customer1', 'mine', OPEN) as Record<string, unknown>;
    const plain = ns('team-a') as Record<string, unknown>;
    expect(checkTenancy(withDuplicates(objs, [
      dup({ identity: 'networking.k8s.io/NetworkPolicy customer1/mine', kept: loc('b', 0), overridden: loc('a', 0), keptObject: other, overriddenObject: other }),
      dup({ identity: '/Namespace team-a', kept: loc('b', 1), overridden: loc('a', 1), keptObject: plain, overriddenObject: plain }),
      dup({ identity: '/ConfigMap x', kept: loc('b', 2), overridden: loc('a', 2), keptObject: { kind: 'ConfigMap', metadata: 7 }, overriddenObject: { kind: 'ConfigMap', metadata: { labels: 'x' } } }),
    ]))).toEqual([]);
  });
});

describe('which objects are evidence of a tenant', () => {
  const evidence = (objs: object[]) => checkTenancy(objs).filter((v) => v.message.includes('has objects of tenant')).map((v) => v.namespace);

  test('namespaced objects of the built-in groups, core included, even alone in their namespace', () => {
    const obj = (apiVersion: string, kind: string, namespace: string) => ({ apiVersion, kind, metadata: { name: 'x', namespace, labels: ofTenant('t') } });
    expect(evidence([
      obj('v1', 'Service', 'core'), obj('apps/v1', 'Deployment', 'apps'), obj('batch/v1', 'Job', 'batch'),
      obj('networking.k8s.io/v1', 'Ingress', 'net'), obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rbac'),
      obj('policy/v1', 'PodDisruptionBudget', 'pdb'), obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'hpa'),
      obj('example.com/v1', 'Widget', 'custom'), obj('x.k8s.io/v1', 'Thing', 'custom2'),
    ]).sort()).toEqual(['apps', 'batch', 'core', 'hpa', 'net', 'pdb', 'rbac']);
  });

  test('an object without apiVersion or name is still evidence; one with an empty namespace, or a Namespace, is not', () => {
    const out = checkTenancy([
      { kind: 'Service', metadata: { namespace: 'n1', labels: ofTenant('t') } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: '', labels: ofTenant('t') } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't', namespace: 'default', labels: ofTenant('t') } },
      policy('t', 'deny-from-other-namespaces', ISOLATE, ofTenant('t')),
    ]);
    expect(out.map((v) => v.message)).toEqual([
      'namespace n1 has objects of tenant t, e.g. Service  (<objects> (document 0, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: t, or remove the tenant\'s objects',
      'namespace n1 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes',
    ]);
  });

  test('a namespace another tenant labels is checked as that tenant\'s only', () => {
    const objs = [
      ns('customer1', { [TENANT_LABEL]: 'evil' }), ns('evil', { [TENANT_LABEL]: 'evil' }),
      policy('customer1', 'deny-from-other-namespaces', ISOLATE, ofTenant('customer1')),
      policy('customer1', 'from-evil', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'evil' } } }] }] }),
      policy('evil', 'deny-from-other-namespaces', ISOLATE),
    ];
    expect(checkTenancy(objs).map((v) => v.message)).toEqual([
      'namespace customer1 has objects of tenant customer1, e.g. NetworkPolicy deny-from-other-namespaces (<objects> (document 2, 0-based)), but its Namespace carries tenancy.cdk8s.io/tenant: evil: restore the label tenancy.cdk8s.io/tenant: customer1, or move the objects',
    ]);
  });

  test('a namespace claimed by two tenants\' objects is checked for each, each message once', () => {
    const objs = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'shared', labels: ofTenant('t1') } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: 'shared', labels: ofTenant('t2') } },
    ];
    expect(checkTenancy(objs).map((v) => v.message)).toEqual([
      'namespace shared has objects of tenant t1, e.g. Service a (<objects> (document 0, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: t1, or remove the tenant\'s objects',
      'namespace shared has objects of tenant t2, e.g. Service b (<objects> (document 1, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: t2, or remove the tenant\'s objects',
      'namespace shared is not isolated for ingress: no policy selects every pod with Ingress in policyTypes',
    ]);
  });

  test('a package object without a namespace is reported under the empty namespace', () => {
    const pkg = { kind: 'ConfigMap', metadata: { labels: MANAGED } };
    const out = checkTenancy({ ...buildModel([]), duplicates: [dup({ identity: '/ConfigMap x', kept: { file: 'b', docIndex: 0 }, overridden: { file: 'a', docIndex: 0 }, keptObject: pkg, overriddenObject: pkg })] });
    expect(out.map((v) => v.namespace)).toEqual(['']);
  });

  test('a duplicate of an object without metadata is no package object', () => {
    const bare = { kind: 'ConfigMap' };
    expect(checkTenancy({ ...buildModel([]), duplicates: [dup({ identity: '/ConfigMap x', kept: { file: 'b', docIndex: 0 }, overridden: { file: 'a', docIndex: 0 }, keptObject: bare, overriddenObject: bare })] })).toEqual([]);
  });
});

test('violations of one namespace: those without a policy first, then by policy, then by message', () => {
  const objs = [
    ns('a', { [TENANT_LABEL]: 'a' }),
    policy('a', 'a-open', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] }),
  ];
  expect(checkTenancy(objs).map((v) => v.message)).toEqual([
    'namespace a is not isolated for ingress: no policy selects every pod with Ingress in policyTypes',
    `a/a-open ingress[0] from[0]: admits pods of any namespace on all ports without a declared grant ${HINT}`,
  ]);
});
