/**
 * checkTenancy: tenant namespaces must be isolated for ingress, and every source outside the tenant that a
 * policy admits must be covered by a declared grant (fail closed).
 */
import { checkTenancy, GRANTS_ANNOTATION, TENANT_LABEL } from '../../src/analysis';
import { deploy, netpol, ns } from './helpers';

const HINT = '(declare it with tenant.allowFrom(...) or remove the rule)';
const ISOLATE = { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] };
const monitoringPeer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };

function tenant(name: string, grants?: unknown[], tenantName = name): object[] {
  return [
    ns(name, { [TENANT_LABEL]: tenantName }, grants ? { [GRANTS_ANNOTATION]: JSON.stringify(grants) } : undefined),
    deploy(name, 'nginx', { app: 'nginx' }, [{ containerPort: 80 }, { containerPort: 9090, name: 'metrics' }]),
    netpol(name, 'deny-from-other-namespaces', ISOLATE),
  ];
}

function allow(namespace: string, name: string, rule: object): object {
  return netpol(namespace, name, { podSelector: { matchLabels: { app: 'nginx' } }, policyTypes: ['Ingress'], ingress: [rule] });
}

const messages = (objs: object[]) => checkTenancy(objs).map((v) => v.message);

describe('isolation', () => {
  test('isolated tenants are clean', () => {
    expect(checkTenancy([...tenant('customer1'), ...tenant('customer2'), ns('monitoring')])).toEqual([]);
  });

  test('a tenant namespace without a policy selecting every pod for ingress is a violation', () => {
    const objs = [ns('t1', { [TENANT_LABEL]: 't1' }), allow('t1', 'partial', { from: [{ podSelector: {} }] }), netpol('t1', 'egress-all', { podSelector: {}, policyTypes: ['Egress'] })];
    expect(checkTenancy(objs)).toEqual([{ namespace: 't1', message: 'namespace t1 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes' }]);
  });

  test('namespaces without the tenant label are not checked', () => {
    expect(checkTenancy([ns('plain'), allow('plain', 'open', {})])).toEqual([]);
  });
});

describe('admissions from outside the tenant', () => {
  test('namespaceSelector {} admits pods of any namespace', () => {
    expect(checkTenancy([...tenant('customer1'), allow('customer1', 'allow-x', { from: [{ podSelector: {} }, { namespaceSelector: {} }], ports: [{ port: 80 }] })])).toEqual([{
      namespace: 'customer1',
      policy: 'customer1/allow-x',
      location: { file: '<objects>', docIndex: 3 },
      message: `customer1/allow-x ingress[0] from[1]: admits pods of any namespace on TCP 80 without a declared grant ${HINT}`,
    }]);
  });

  test('a namespace label other than kubernetes.io/metadata.name can be forged: any namespace', () => {
    expect(messages([...tenant('customer1'), allow('customer1', 'by-team', { from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prom' } } }] })]))
      .toEqual([`customer1/by-team ingress[0] from[0]: admits pods matching app=prom of any namespace on all ports without a declared grant ${HINT}`]);
  });

  test('a rule without from admits every source', () => {
    expect(messages([...tenant('customer1'), allow('customer1', 'open', { ports: [{ port: 80 }] })]))
      .toEqual([`customer1/open ingress[0]: admits every source (pods of any namespace and all external addresses) on TCP 80 without a declared grant ${HINT}`]);
  });

  test('a pinned namespace outside the tenant needs a grant', () => {
    expect(messages([...tenant('customer1'), ns('monitoring'), allow('customer1', 'from-monitoring', { from: [monitoringPeer], ports: [{ port: 'metrics' }] })]))
      .toEqual([`customer1/from-monitoring ingress[0] from[0]: admits pods of namespace monitoring on TCP port named metrics without a declared grant ${HINT}`]);
  });

  test('ipBlocks need a cidr grant; the uncovered ranges are named', () => {
    const objs = [...tenant('customer1', [{ from: { cidr: '203.0.0.0/8' } }]), allow('customer1', 'lb', { from: [{ ipBlock: { cidr: '192.0.0.0/4', except: ['198.51.100.0/24'] } }] })];
    expect(checkTenancy(objs, { podCidrs: ['10.0.0.0/8'] }).map((v) => v.message))
      .toEqual([`customer1/lb ingress[0] from[0]: admits external addresses 192.0.0.0-198.51.99.255,198.51.101.0-202.255.255.255,204.0.0.0-207.255.255.255 on all ports without a declared grant ${HINT}`]);
  });

  test('policies that do not isolate ingress are ignored', () => {
    expect(messages([...tenant('customer1'), netpol('customer1', 'egress', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })])).toEqual([]);
  });

  test('a tenant spanning several namespaces may admit its own namespaces', () => {
    const peer = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop-a', 'shop-b'] }] } };
    expect(messages([...tenant('shop-a', undefined, 'shop'), ...tenant('shop-b', undefined, 'shop'), allow('shop-a', 'siblings', { from: [peer] })])).toEqual([]);
    const leaky = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop-b', 'other', 'another'] }] } };
    expect(messages([...tenant('shop-a', [{ from: { namespace: 'other' } }], 'shop'), ...tenant('shop-b', undefined, 'shop'), allow('shop-a', 'leaky', { from: [leaky] })]))
      .toEqual([`shop-a/leaky ingress[0] from[0]: admits pods of namespace another on all ports without a declared grant ${HINT}`]);
  });
});

describe('grants', () => {
  const rule = { from: [monitoringPeer], ports: [{ port: 9090 }] };

  test('a namespace grant covers the pinned namespace', () => {
    expect(messages([...tenant('customer1', [{ from: { namespace: 'monitoring' } }]), allow('customer1', 'm', rule)])).toEqual([]);
  });

  test('a grant with ports covers only rules within those ports', () => {
    const grants = [{ from: { namespace: 'monitoring' }, ports: [{ protocol: 'TCP', port: 9090 }] }];
    expect(messages([...tenant('customer1', grants), allow('customer1', 'm', rule)])).toEqual([]);
    expect(messages([...tenant('customer1', grants), allow('customer1', 'm', { from: [monitoringPeer], ports: [{ port: 9090, endPort: 9100 }] })]))
      .toEqual([`customer1/m ingress[0] from[0]: admits pods of namespace monitoring on TCP 9091-9100 without a declared grant ${HINT}`]);
    expect(messages([...tenant('customer1', grants), allow('customer1', 'm', { from: [monitoringPeer] })])).toHaveLength(1);
  });

  test('named ports are covered only by the same name or by a grant without ports', () => {
    const named = { from: [monitoringPeer], ports: [{ port: 'metrics' }] };
    expect(messages([...tenant('customer1', [{ from: { namespace: 'monitoring' }, ports: [{ protocol: 'TCP', port: 'metrics' }] }]), allow('customer1', 'm', named)])).toEqual([]);
    expect(messages([...tenant('customer1', [{ from: { namespace: 'monitoring' } }]), allow('customer1', 'm', named)])).toEqual([]);
    expect(messages([...tenant('customer1', [{ from: { namespace: 'monitoring' }, ports: [{ protocol: 'TCP', port: 9090 }] }]), allow('customer1', 'm', named)])).toHaveLength(1);
  });

  test('podLabels grants cover peers whose podSelector requires those labels', () => {
    const grants = [{ from: { namespace: 'monitoring', podLabels: { app: 'prometheus' } } }];
    const withPods = { from: [{ ...monitoringPeer, podSelector: { matchLabels: { app: 'prometheus', tier: 'x' } } }] };
    expect(messages([...tenant('customer1', grants), allow('customer1', 'm', withPods)])).toEqual([]);
    expect(messages([...tenant('customer1', grants), allow('customer1', 'm', { from: [monitoringPeer] })]))
      .toEqual([`customer1/m ingress[0] from[0]: admits pods of namespace monitoring on all ports without a declared grant ${HINT}`]);
  });

  test('cidr grants with except', () => {
    const grants = [{ from: { cidr: '203.0.0.0/8', except: ['203.9.0.0/16'] } }];
    expect(messages([...tenant('customer1', grants), allow('customer1', 'a', { from: [{ ipBlock: { cidr: '203.1.0.0/16' } }] })])).toEqual([]);
    expect(messages([...tenant('customer1', grants), allow('customer1', 'a', { from: [{ ipBlock: { cidr: '203.9.1.0/24' } }] })]))
      .toEqual([`customer1/a ingress[0] from[0]: admits external addresses 203.9.1.0-203.9.1.255 on all ports without a declared grant ${HINT}`]);
  });

  test('a typo in a grant does not cover (fail closed)', () => {
    expect(messages([...tenant('customer1', [{ from: { namespace: 'monitorng' } }]), allow('customer1', 'm', rule)]))
      .toEqual([`customer1/m ingress[0] from[0]: admits pods of namespace monitoring on TCP 9090 without a declared grant ${HINT}`]);
    expect(messages([...tenant('customer1', [{ from: { namspace: 'monitoring' } }]), allow('customer1', 'm', rule)])).toEqual([
      `namespace customer1 ${GRANTS_ANNOTATION}[0] is ignored: from must be {"namespace"[,"podLabels"]} or {"cidr"[,"except"]}, got keys namspace`,
      `customer1/m ingress[0] from[0]: admits pods of namespace monitoring on TCP 9090 without a declared grant ${HINT}`,
    ]);
  });

  test('a malformed annotation honours no grant', () => {
    const objs = [
      ns('customer1', { [TENANT_LABEL]: 'customer1' }, { [GRANTS_ANNOTATION]: '[{"from": ' }),
      netpol('customer1', 'iso', ISOLATE), allow('customer1', 'm', rule),
    ];
    const out = messages(objs);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^namespace customer1 has a malformed tenancy\.cdk8s\.io\/ingress-grants annotation \(.*\); no grant is honoured$/);
  });

  test('violations are sorted by namespace, policy and message', () => {
    const objs = [
      ...tenant('b'), ...tenant('a'), ns('c', { [TENANT_LABEL]: 'c' }),
      allow('b', 'z', {}), allow('b', 'y', { from: [{ namespaceSelector: {} }] }), allow('a', 'x', {}),
    ];
    expect(checkTenancy(objs).map((v) => [v.namespace, v.policy])).toEqual([['a', 'a/x'], ['b', 'b/y'], ['b', 'b/z'], ['c', undefined]]);
  });
});
