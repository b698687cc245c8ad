/**
 * checkTenancy, the classes of issue 8 it closes: ipBlocks that can match pods (§2), the egress intent (§5).
 */
import { buildModel, checkTenancy, EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, TENANT_LABEL } from '../../src/analysis';
import { netpol, ns } from './helpers';

const HINT = '(declare it with tenant.allowFrom(...) or remove the rule)';
const EHINT = '(declare it with tenant.allowTo(...) or remove the rule)';
const ISOLATE = { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] };
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];
const CANT = 'and network plugins match pod addresses against ipBlocks; no grant can cover pods of every namespace: grant the tenant or namespace instead (tenant.allowFrom(...)), or narrow the CIDR or add excepts for the pod networks';

function tenant(name: string, grants: unknown[] = [], egress?: unknown[] | string): object[] {
  const annotations: Record<string, string> = { [GRANTS_ANNOTATION]: JSON.stringify(grants) };
  if (egress !== undefined) annotations[EGRESS_GRANTS_ANNOTATION] = typeof egress === 'string' ? egress : JSON.stringify(egress);
  return [ns(name, { [TENANT_LABEL]: name }, annotations), netpol(name, 'deny-from-other-namespaces', ISOLATE)];
}

function ingress(namespace: string, name: string, rule: object): object {
  return netpol(namespace, name, { podSelector: {}, policyTypes: ['Ingress'], ingress: [rule] });
}

function egress(namespace: string, name: string, ...rules: object[]): object {
  return netpol(namespace, name, { podSelector: {}, policyTypes: ['Egress'], egress: rules });
}

const messages = (objs: object[], podCidrs?: string[]) => checkTenancy(objs, { podCidrs }).map((v) => v.message);

describe('ipBlocks can match pods', () => {
  test('an ingress ipBlock that overlaps a default pod network fails, even when a cidr grant covers it', () => {
    // GIVEN allowExternal-style grant of the whole address space, and a policy admitting it minus 10/8
    const objs = [...tenant('customer1', [{ from: { cidr: '0.0.0.0/0' } }]), ingress('customer1', 'lb', { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 80 }] })];
    // THEN
    expect(checkTenancy(objs)).toEqual([{
      namespace: 'customer1',
      policy: 'customer1/lb',
      location: { file: '<objects>', docIndex: 2 },
      message: `customer1/lb ingress[0] from[0]: admits pods of every namespace on TCP 80: ipBlock 0.0.0.0/0 except 10.0.0.0/8 overlaps the pod networks 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16, ${CANT}`,
    }]);
  });

  test('every default pod network counts, whatever its place in the list (carrier-grade NAT is last)', () => {
    const objs = [...tenant('customer1', [{ from: { cidr: '100.64.0.0/10' } }]), ingress('customer1', 'cgnat', { from: [{ ipBlock: { cidr: '100.64.1.0/24' } }] })];
    expect(messages(objs)).toEqual([`customer1/cgnat ingress[0] from[0]: admits pods of every namespace on all ports: ipBlock 100.64.1.0/24 overlaps the pod network 100.64.0.0/10, ${CANT}`]);
    expect(messages(objs, ['192.168.0.0/16', '100.64.0.0/24', '10.0.0.0/8'])).toEqual([]);
  });

  test('excepting every pod network leaves external addresses only', () => {
    const objs = [...tenant('customer1', [{ from: { cidr: '0.0.0.0/0' } }]), ingress('customer1', 'lb', { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE } }] })];
    expect(messages(objs)).toEqual([]);
  });

  test('a block wholly inside a pod network names only that network; a cidr grant covers its external part', () => {
    const objs = [...tenant('customer1', [{ from: { cidr: '10.0.0.0/8' } }]), ingress('customer1', 'corp', { from: [{ ipBlock: { cidr: '10.1.0.0/16' } }] })];
    expect(messages(objs)).toEqual([`customer1/corp ingress[0] from[0]: admits pods of every namespace on all ports: ipBlock 10.1.0.0/16 overlaps the pod network 10.0.0.0/8, ${CANT}`]);
  });

  test('podCidrs replace the defaults, for objects and for a built model', () => {
    const objs = [...tenant('customer1', [{ from: { cidr: '10.0.0.0/8' } }]), ingress('customer1', 'corp', { from: [{ ipBlock: { cidr: '10.1.0.0/16' } }] })];
    expect(messages(objs, ['10.200.0.0/16', '192.168.0.0/16'])).toEqual([]);
    expect(messages(objs, ['10.1.128.0/17'])).toEqual([`customer1/corp ingress[0] from[0]: admits pods of every namespace on all ports: ipBlock 10.1.0.0/16 overlaps the pod network 10.1.128.0/17, ${CANT}`]);
    expect(checkTenancy(buildModel(objs, { podCidrs: ['172.16.0.0/12'] }))).toEqual([]);
    expect(checkTenancy(buildModel(objs, { podCidrs: ['172.16.0.0/12'] }), { podCidrs: ['10.0.0.0/8'] })).toHaveLength(1);
  });

  test('an IPv6 ipBlock may match pods (IPv6 pod networks are not modelled)', () => {
    const objs = [...tenant('customer1', [{ from: { cidr: '2001:db8::/32' } }]), ingress('customer1', 'v6', { from: [{ ipBlock: { cidr: '2001:db8::/32' } }] })];
    expect(messages(objs)).toEqual([
      'customer1/v6 ingress[0] from[0]: admits pods of every namespace on all ports: ipBlock 2001:db8::/32 is IPv6, which the analysis does not model, so it may match pod addresses; no grant can cover pods of every namespace: grant the tenant or namespace instead (tenant.allowFrom(...)), or narrow the CIDR or add excepts for the pod networks',
    ]);
    const other = [...tenant('customer1', [{ from: { cidr: '2001:db8::/32', except: ['2001:db8::/64'] } }]), ingress('customer1', 'v6', { from: [{ ipBlock: { cidr: '2001:db8::/32' } }] })];
    expect(messages(other)).toContain(`customer1/v6 ingress[0] from[0]: admits external addresses in 2001:db8::/32 on all ports without a declared grant ${HINT}`);
  });

  test('grants with ports: the ports no grant covers are named, range by range', () => {
    const grants = [{ from: { cidr: '203.0.113.0/24' }, ports: [{ protocol: 'TCP', port: 80 }] }, { from: { cidr: '203.0.113.128/25' }, ports: [{ protocol: 'TCP', port: 443 }] }];
    const objs = [...tenant('customer1', grants), ingress('customer1', 'web', { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 80 }, { port: 443 }] })];
    expect(messages(objs)).toEqual([`customer1/web ingress[0] from[0]: admits external addresses 203.0.113.0-203.0.113.127 on TCP 443 without a declared grant ${HINT}`]);
  });
});

describe('egress intent', () => {
  const DNS = { to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
  const toDns = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };
  const toOwn = { to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['acme', 'acme-data'] }] } }] };
  const acme = (grants: unknown[] | string, ...more: object[]) => [
    ...tenant('acme', [], grants), ns('acme-data', { [TENANT_LABEL]: 'acme' }, { [EGRESS_GRANTS_ANNOTATION]: '[]' }),
    netpol('acme-data', 'deny-from-other-namespaces', ISOLATE), egress('acme-data', 'restrict-egress', toOwn),
    egress('acme', 'restrict-egress', toOwn, toDns), ...more,
  ];

  test('the constructs\' restrict-egress (own namespaces and DNS) matches a DNS grant', () => {
    expect(messages(acme([DNS]))).toEqual([]);
  });

  test('without a declared DNS grant, reaching kube-dns is a violation', () => {
    expect(messages(acme([]))).toEqual([`acme/restrict-egress egress[1] to[0]: may reach pods matching k8s-app=kube-dns of namespace kube-system on TCP 53,UDP 53 without a declared egress grant ${EHINT}`]);
  });

  test('a namespace that declares egress grants must isolate egress for every pod', () => {
    const objs = [...tenant('t1', [], []), netpol('t1', 'some', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Egress'], egress: [] })];
    expect(messages(objs)).toEqual(['namespace t1 is not isolated for egress: no policy selects every pod with Egress in policyTypes (the tenant declares egress grants, so its namespaces must isolate egress)']);
  });

  test('egress beyond the grants: every destination, any namespace, a pinned namespace, external ranges', () => {
    const objs = acme([DNS],
      egress('acme', 'open', {}),
      egress('acme', 'any-ns', { to: [{ namespaceSelector: {} }], ports: [{ port: 443 }] }),
      egress('acme', 'to-db', { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } } }], ports: [{ port: 'postgres' }] }),
      egress('acme', 'internet', { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE } }], ports: [{ port: 443 }] }));
    expect(messages(objs)).toEqual([
      `acme/any-ns egress[0] to[0]: may reach pods of any namespace on TCP 443 without a declared egress grant ${EHINT}`,
      `acme/internet egress[0] to[0]: may reach external addresses 0.0.0.0-9.255.255.255,11.0.0.0-100.63.255.255,100.128.0.0-172.15.255.255,172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.255 on TCP 443 without a declared egress grant ${EHINT}`,
      `acme/open egress[0]: may reach every destination (pods of any namespace and all external addresses) on all ports without a declared egress grant ${EHINT}`,
      `acme/to-db egress[0] to[0]: may reach pods of namespace db on TCP port named postgres without a declared egress grant ${EHINT}`,
    ]);
  });

  test('declared egress grants cover namespaces (named ports by name), external ranges and their ports', () => {
    const grants = [DNS,
      { to: { namespace: 'db' }, ports: [{ protocol: 'TCP', port: 'postgres' }] },
      { to: { cidr: '0.0.0.0/0', except: PRIVATE }, ports: [{ protocol: 'TCP', port: 443 }] }];
    const objs = acme(grants,
      egress('acme', 'to-db', { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } } }], ports: [{ port: 'postgres' }] }),
      egress('acme', 'internet', { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE } }], ports: [{ port: 443 }, { port: 80 }] }));
    expect(messages(objs)).toEqual([
      `acme/internet egress[0] to[0]: may reach external addresses 0.0.0.0-9.255.255.255,11.0.0.0-100.63.255.255,100.128.0.0-172.15.255.255,172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.255 on TCP 80 without a declared egress grant ${EHINT}`,
    ]);
  });

  test('an egress ipBlock that overlaps a pod network may reach pods of every namespace', () => {
    const grants = [DNS, { to: { cidr: '0.0.0.0/0', except: PRIVATE }, ports: [{ protocol: 'TCP', port: 443 }] }];
    const objs = acme(grants, egress('acme', 'internet', { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE } }], ports: [{ port: 443 }] }));
    expect(messages(objs)).toEqual([]);
    expect(messages(objs, ['198.51.100.0/24'])).toEqual([
      'acme/internet egress[0] to[0]: may reach pods of every namespace on TCP 443: ipBlock 0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 overlaps the pod network 198.51.100.0/24, and network plugins match pod addresses against ipBlocks; no grant can cover pods of every namespace: allow the tenant or namespace instead (tenant.allowTo(...)), or narrow the CIDR or add excepts for the pod networks',
    ]);
  });

  test('without the egress annotation, egress is not checked', () => {
    expect(messages([...tenant('t1'), egress('t1', 'open', {})])).toEqual([]);
  });

  test('a malformed egress annotation honours no grant', () => {
    const out = messages(acme('{"to":'));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^namespace acme has a malformed tenancy\.cdk8s\.io\/egress-grants annotation \(.+\); no grant is honoured$/);
    expect(out[1]).toMatch(/^acme\/restrict-egress egress\[1\] to\[0\]: may reach pods matching k8s-app=kube-dns/);
    expect(messages(acme([{ from: { namespace: 'kube-system' } }]))[0]).toBe(`namespace acme ${EGRESS_GRANTS_ANNOTATION}[0] is ignored: unknown field from`);
    expect(messages(acme([{ to: { namespace: '' } }]))[0]).toBe(`namespace acme ${EGRESS_GRANTS_ANNOTATION}[0] is ignored: to.namespace must be a namespace name`);
  });
});

describe('messages', () => {
  test('several namespaces in one message; each peer named by its own index', () => {
    const objs = [...tenant('t1'), ingress('t1', 'm', {
      from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 't1' } } }, { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['b', 'a'] }] } }],
    })];
    expect(messages(objs)).toEqual([`t1/m ingress[0] from[2]: admits pods of namespaces a, b on all ports without a declared grant ${HINT}`]);
  });

  test('named ports: symbolic from an ipBlock into the tenant, nothing towards external addresses', () => {
    const objs = [...tenant('t1', [], []), ingress('t1', 'in', { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'http' }] }),
      egress('t1', 'out', { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'http' }] }, { to: [{ podSelector: {} }] })];
    expect(messages(objs)).toEqual([`t1/in ingress[0] from[0]: admits external addresses 203.0.113.0-203.0.113.255 on TCP port named http without a declared grant ${HINT}`]);
  });
});
