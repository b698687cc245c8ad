/**
 * checkTenancy with cluster-wide policies (issue 9 §3): the check judges with every tier. A tenant protected at
 * the admin tier stays protected whatever NetworkPolicies appear in its namespaces; an admin Allow beyond the
 * grants is a violation; a Deny the analysis cannot be sure of protects nothing (fail closed).
 */
import { checkTenancy, EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, TENANT_LABEL } from '../../src/analysis';
import { NAME, V1ALPHA1, V1ALPHA2 } from './cluster-fixtures';
import { netpol, ns } from './helpers';

const HINT = '(declare it with tenant.allowFrom(...) or remove the rule)';
const tenantNs = (name: string, grants: unknown[] = [], egress?: unknown[]) => ns(name, { [TENANT_LABEL]: name }, {
  [GRANTS_ANNOTATION]: JSON.stringify(grants), ...(egress ? { [EGRESS_GRANTS_ANNOTATION]: JSON.stringify(egress) } : {}),
});
const ISOLATE = netpol('t1', 'deny-from-other-namespaces', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
const OPEN = netpol('t1', 'open', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }] });
const outsideOf = (...names: string[]) => ({ namespaces: { matchExpressions: [{ key: NAME, operator: 'NotIn', values: names }] } });

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: object, subject: object = { namespaces: { matchLabels: { [NAME]: 't1' } } }): object {
  return { apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject, ...spec } };
}
const tcp80 = [{ tcp: { destinationPort: { number: 80 } } }];
const messages = (objs: object[]) => checkTenancy(objs).map((v) => v.message);

describe('admin tier', () => {
  test('an admin Deny of every pod outside the tenant protects it whatever its NetworkPolicies admit', () => {
    const guard = cnp('protect-t1', 'Admin', 10, { ingress: [{ action: 'Deny', from: [outsideOf('t1')] }] });
    expect(messages([tenantNs('t1'), ISOLATE, OPEN])).toEqual([`t1/open ingress[0] from[0]: admits pods of any namespace on TCP 80 without a declared grant ${HINT}`]);
    expect(messages([tenantNs('t1'), ISOLATE, OPEN, guard])).toEqual([]);
  });

  test('ingress rules of cluster-wide policies cannot name external addresses: the namespace must still isolate ingress', () => {
    const guard = cnp('protect-t1', 'Admin', 10, { ingress: [{ action: 'Deny', from: [outsideOf('t1')] }] });
    expect(messages([tenantNs('t1'), guard])).toEqual(['namespace t1 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes']);
  });

  test('a Deny on some ports leaves the others reported', () => {
    const deny80 = cnp('deny-80', 'Admin', 10, { ingress: [{ action: 'Deny', from: [{ namespaces: {} }], protocols: tcp80 }] });
    expect(messages([tenantNs('t1'), ISOLATE, OPEN, deny80])).toEqual([]);
    const open = netpol('t1', 'open', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }, { port: 443 }] }] });
    expect(messages([tenantNs('t1'), ISOLATE, open, deny80])).toEqual([`t1/open ingress[0] from[0]: admits pods of any namespace on TCP 443 without a declared grant ${HINT}`]);
  });

  test('a Deny on a label anyone can set protects nothing', () => {
    const forgeable = cnp('deny-tenants', 'Admin', 10, { ingress: [{ action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: TENANT_LABEL, operator: 'DoesNotExist' }] } }] }] });
    expect(messages([tenantNs('t1'), ISOLATE, OPEN, forgeable])).toEqual([`t1/open ingress[0] from[0]: admits pods of any namespace on TCP 80 without a declared grant ${HINT}`]);
  });

  test('an admin Allow beyond the grants is a violation, named by policy and rule', () => {
    const allow = cnp('open-t1', 'Admin', 5, { ingress: [{ name: 'from-monitoring', action: 'Accept', from: [{ namespaces: { matchLabels: { [NAME]: 'monitoring' } } }, { pods: { namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prom' } } } }], protocols: tcp80 }] });
    expect(messages([tenantNs('t1'), ISOLATE, allow])).toEqual([
      `ClusterNetworkPolicy open-t1 (tier Admin, priority 5) spec.ingress[0] ("from-monitoring"): admits pods matching app=prom of any namespace on TCP 80 without a declared grant ${HINT}`,
      `ClusterNetworkPolicy open-t1 (tier Admin, priority 5) spec.ingress[0] ("from-monitoring"): admits pods of namespace monitoring on TCP 80 without a declared grant ${HINT}`,
    ]);
    const covered = cnp('open-t1', 'Admin', 5, { ingress: [{ action: 'Accept', from: [{ namespaces: { matchLabels: { [NAME]: 'monitoring' } } }] }] });
    expect(messages([tenantNs('t1', [{ from: { namespace: 'monitoring' } }]), ISOLATE, covered])).toEqual([]);
  });

  test('an Allow behind a Deny that decides first is no violation', () => {
    const policy = cnp('first-deny', 'Admin', 5, { ingress: [{ action: 'Deny', from: [outsideOf('t1')] }, { action: 'Accept', from: [{ namespaces: {} }] }] });
    expect(messages([tenantNs('t1'), ISOLATE, policy])).toEqual([]);
  });

  test('a Pass leaves the decision to the NetworkPolicies', () => {
    const pass = cnp('pass', 'Admin', 5, { ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }, { action: 'Deny', from: [{ namespaces: {} }] }] });
    expect(messages([tenantNs('t1'), ISOLATE, OPEN, pass])).toEqual([`t1/open ingress[0] from[0]: admits pods of any namespace on TCP 80 without a declared grant ${HINT}`]);
  });
});

describe('baseline tier', () => {
  const banp = (ingress: object[]) => ({ apiVersion: V1ALPHA1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: { matchLabels: { [NAME]: 't1' } } }, ingress } });

  test('a baseline Deny protects a namespace no NetworkPolicy isolates', () => {
    // GIVEN egress isolation declared, and no egress NetworkPolicy: the baseline denies every destination
    const deny = { apiVersion: V1ALPHA1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: { matchLabels: { [NAME]: 't1' } } }, egress: [{ action: 'Deny', to: [outsideOf('t1'), { networks: ['0.0.0.0/0'] }] }] } };
    expect(messages([tenantNs('t1', [], []), ISOLATE, deny])).toEqual([]);
    expect(messages([tenantNs('t1', [], []), ISOLATE])).toEqual(['namespace t1 is not isolated for egress: no policy selects every pod with Egress in policyTypes (the tenant declares egress grants, so its namespaces must isolate egress)']);
  });

  test('a NetworkPolicy that selects the pods decides before the baseline', () => {
    expect(messages([tenantNs('t1'), ISOLATE, OPEN, banp([{ action: 'Deny', from: [{ namespaces: {} }] }])]))
      .toEqual([`t1/open ingress[0] from[0]: admits pods of any namespace on TCP 80 without a declared grant ${HINT}`]);
  });

  test('a baseline Allow reaches the pods no NetworkPolicy selects', () => {
    const partly = netpol('t1', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [] });
    const allow = cnp('base', 'Baseline', 1, { ingress: [{ action: 'Accept', from: [{ namespaces: { matchLabels: { [NAME]: 'x' } } }] }, { action: 'Deny', from: [outsideOf('t1')] }] });
    expect(messages([tenantNs('t1'), partly, allow])).toEqual([
      `ClusterNetworkPolicy base (tier Baseline, priority 1) spec.ingress[0]: admits pods of namespace x on all ports without a declared grant ${HINT}`,
      'namespace t1 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes',
    ]);
  });
});

describe('egress', () => {
  test('an admin Allow to the internet overlapping the pod networks, beyond the egress grants', () => {
    const isolateEgress = netpol('t1', 'restrict-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
    const allow = cnp('internet', 'Admin', 5, { egress: [{ action: 'Accept', to: [{ networks: ['0.0.0.0/0'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }] });
    const grants = [{ to: { cidr: '0.0.0.0/0' }, ports: [{ protocol: 'TCP', port: 443 }] }];
    expect(messages([tenantNs('t1', [], grants), ISOLATE, isolateEgress, allow])).toEqual([
      'ClusterNetworkPolicy internet (tier Admin, priority 5) spec.egress[0]: may reach pods of every namespace on TCP 443: its networks overlap the pod networks 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16, and network plugins match pod addresses against ipBlocks; no grant can cover pods of every namespace: allow the tenant or namespace instead (tenant.allowTo(...)), or narrow the CIDR or add excepts for the pod networks',
    ]);
  });

  test('a rule that lets everything out is no violation when the admin tier denies everything it would reach', () => {
    const open = netpol('t1', 'open', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const deny = cnp('deny-all-egress', 'Admin', 5, { egress: [{ action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0'] }] }] });
    expect(messages([tenantNs('t1', [], []), ISOLATE, open, deny])).toEqual([]);
    expect(messages([tenantNs('t1', [], []), ISOLATE, open])).toEqual(['t1/open egress[0]: may reach every destination (pods of any namespace and all external addresses) on all ports without a declared egress grant (declare it with tenant.allowTo(...) or remove the rule)']);
  });

  test('named ports of a cluster-wide rule stand for every protocol', () => {
    const isolateEgress = netpol('t1', 'restrict-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [] });
    const allow = cnp('db', 'Admin', 5, { egress: [{ action: 'Accept', to: [{ namespaces: { matchLabels: { [NAME]: 'db' } } }], protocols: [{ destinationNamedPort: 'pg' }] }] });
    expect(messages([tenantNs('t1', [], []), ISOLATE, isolateEgress, allow])).toEqual([
      'ClusterNetworkPolicy db (tier Admin, priority 5) spec.egress[0]: may reach pods of namespace db on SCTP port named pg,TCP port named pg,UDP port named pg without a declared egress grant (declare it with tenant.allowTo(...) or remove the rule)',
    ]);
    expect(messages([tenantNs('t1', [], [{ to: { namespace: 'db' }, ports: [{ protocol: 'TCP', port: 'pg' }, { protocol: 'UDP', port: 'pg' }, { protocol: 'SCTP', port: 'pg' }] }]), ISOLATE, isolateEgress, allow])).toEqual([]);
  });
});
