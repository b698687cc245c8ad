import * as path from 'path';
import { Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { IsolatedTenant, Peer, Port, TenancyApp, TenantIsolation } from '../src';
import { analysis } from '../src';
import { DEFAULT_ADMIN_PRIORITY } from '../src/tenant-extras';
import { loadCrd, validateAgainstCrd } from './support/crd-schema';
import { find, newChart, readDir, synth, synthApp, tmpdir } from './support/util';

const CNP_CRD = loadCrd(path.join(__dirname, 'fixtures', 'crds', 'policy.networking.k8s.io_clusternetworkpolicies.standard.yaml'));
const named = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
const namedIn = (...ns: string[]) => ({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ns }] });
const tcp = (port: number) => ({ tcp: { destinationPort: { number: port } } });

describe('adminIsolation', () => {
  let chart: Chart;
  beforeEach(() => { chart = newChart(); });

  test('a ClusterNetworkPolicy of tier Admin: Pass from the tenant, Deny from every other namespace', () => {
    // GIVEN
    const tenant = new IsolatedTenant(chart, 'customer1', { adminIsolation: {} });
    // WHEN
    const objects = synth(chart);

    // THEN
    const cnp = find(objects, 'ClusterNetworkPolicy', 'tenant-customer1');
    expect(cnp).toMatchSnapshot();
    expect(tenant.adminIsolation!.policy.name).toBe('tenant-customer1');
    expect(cnp.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(cnp.metadata.namespace).toBeUndefined();
    expect(cnp.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    expect(cnp.spec).toEqual({
      tier: 'Admin',
      priority: DEFAULT_ADMIN_PRIORITY,
      subject: { namespaces: named('customer1') },
      ingress: [
        { name: 'pass-from-own-namespaces', action: 'Pass', from: [{ namespaces: named('customer1') }] },
        { name: 'deny-from-other-namespaces', action: 'Deny', from: [{ namespaces: {} }] },
      ],
    });
    // without egress isolation, no egress rules: the policy leaves egress alone
    expect(cnp.spec.egress).toBeUndefined();
    // the namespaced policies stay as they are
    expect(find(objects, 'NetworkPolicy', 'deny-from-other-namespaces', 'customer1').spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
  });

  test('the subject names the tenant\'s namespaces by kubernetes.io/metadata.name, so tenants never overlap and one priority serves all', () => {
    new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'], adminIsolation: {} });
    new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD, adminIsolation: {} });
    const objects = synth(chart);
    const acme = find(objects, 'ClusterNetworkPolicy', 'tenant-acme');
    const shop = find(objects, 'ClusterNetworkPolicy', 'tenant-shop');
    expect(acme.spec.subject).toEqual({ namespaces: namedIn('acme', 'acme-data') });
    expect(shop.spec.subject).toEqual({ namespaces: named('shop') });
    expect(acme.spec.priority).toBe(shop.spec.priority);
    expect(acme.spec.ingress[0]).toEqual({ name: 'pass-from-own-namespaces', action: 'Pass', from: [{ namespaces: namedIn('acme', 'acme-data') }] });
  });

  test('every declared ingress grant is passed on, on its ports; grants of the same ports share a rule', () => {
    // GIVEN grants from a workload of another tenant, an ingress controller, a namespace and a tenant
    const customer1 = new IsolatedTenant(chart, 'customer1');
    const nginx = customer1.addWorkload('nginx', { image: 'nginx', port: 80 });
    const customer2 = new IsolatedTenant(chart, 'customer2');
    const acme = new IsolatedTenant(chart, 'acme', {
      adminIsolation: {},
      allowIngressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [Port.tcp(8080)] },
      allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(8080)] },
    });
    const web = acme.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
    // WHEN
    web.allowFrom(nginx, Port.tcp(8080));
    acme.allowFrom(Peer.namespace('monitoring'), Port.tcp(9090), Port.named('metrics'));
    acme.allowFrom(customer2);
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme');

    // THEN
    expect(cnp.spec.ingress).toEqual([
      { name: 'pass-from-own-namespaces', action: 'Pass', from: [{ namespaces: named('acme') }] },
      { name: 'pass-from-grants-all-ports', action: 'Pass', from: [{ namespaces: named('customer2') }] },
      {
        name: 'pass-from-grants-tcp-8080',
        action: 'Pass',
        from: [
          { pods: { namespaceSelector: named('customer1'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nginx' } } } },
          { pods: { namespaceSelector: named('ingress-nginx'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } } },
        ],
        protocols: [tcp(8080)],
      },
      { name: 'pass-from-grants-tcp-9090-tcp-metrics', action: 'Pass', from: [{ namespaces: named('monitoring') }], protocols: [tcp(9090), { destinationNamedPort: 'metrics' }] },
      { name: 'deny-from-other-namespaces', action: 'Deny', from: [{ namespaces: {} }] },
    ]);
    // the external grant has no admin-tier rule: CNP ingress peers are pods and namespaces, and the Deny matches pods only
    expect(JSON.stringify(cnp.spec.ingress)).not.toContain('203.0.113');
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
  });

  test('a grant declared after the tenant still gets its Pass (the rules render at synth)', () => {
    const acme = new IsolatedTenant(chart, 'acme', { adminIsolation: {} });
    const before = JSON.stringify(find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme').spec.ingress);
    acme.allowFrom(Peer.namespace('monitoring'), Port.tcp(9090));
    const after = find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme').spec.ingress;
    expect(before).not.toContain('monitoring');
    expect(after[1]).toEqual({ name: 'pass-from-grants-tcp-9090', action: 'Pass', from: [{ namespaces: named('monitoring') }], protocols: [tcp(9090)] });
  });

  test('ports: ranges, every port of a protocol (the CRD has no protocol-only form), UDP and SCTP', () => {
    const acme = new IsolatedTenant(chart, 'acme', { adminIsolation: {} });
    acme.allowFrom(Peer.namespace('a'), Port.tcpRange(8000, 8080), Port.allUdp(), Port.sctp(9))
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme');
    expect(cnp.spec.ingress[1].protocols).toEqual([
      { tcp: { destinationPort: { range: { start: 8000, end: 8080 } } } },
      { udp: { destinationPort: { range: { start: 1, end: 65535 } } } },
      { sctp: { destinationPort: { number: 9 } } },
    ]);
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
  });

  test('egress: Pass own namespaces, DNS and declared destinations; Deny other namespaces and the pod networks', () => {
    // GIVEN a tenant isolating egress, with destinations of every kind
    const customer1 = new IsolatedTenant(chart, 'customer1');
    const acme = new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'], egress: { allowInternet: true, internetPorts: [Port.HTTPS] }, adminIsolation: {} });
    acme.allowTo(Peer.namespace('monitoring'), Port.tcp(9090));
    acme.allowTo(Peer.ipv4('203.0.113.0/24'), Port.tcp(5432));
    // a grant into another tenant writes the egress side too
    customer1.allowFrom(acme, Port.tcp(80));
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme');

    // THEN
    expect(cnp.spec.egress).toEqual([
      { name: 'pass-to-own-namespaces', action: 'Pass', to: [{ namespaces: namedIn('acme', 'acme-data') }] },
      { name: 'pass-to-grants-tcp-80', action: 'Pass', to: [{ namespaces: named('customer1') }], protocols: [tcp(80)] },
      { name: 'pass-to-grants-tcp-9090', action: 'Pass', to: [{ namespaces: named('monitoring') }], protocols: [tcp(9090)] },
      {
        name: 'pass-to-dns',
        action: 'Pass',
        to: [{ pods: { namespaceSelector: named('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, tcp(53)],
      },
      { name: 'deny-to-other-namespaces', action: 'Deny', to: [{ namespaces: {} }] },
      { name: 'deny-to-pod-networks', action: 'Deny', to: [{ networks: [...analysis.DEFAULT_POD_CIDRS] }] },
    ]);
    // address blocks (the internet, 203.0.113.0/24) get no rule: they except the pod networks, nothing
    // here denies them, and a Pass would skip the platform's later admin policies too
    expect(JSON.stringify(cnp.spec.egress)).not.toContain('0.0.0.0/0');
    expect(JSON.stringify(cnp.spec.egress)).not.toContain('203.0.113');
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
  });

  test('the pod networks are the app\'s (podCidrs)', () => {
    const app = new TenancyApp({ outdir: tmpdir(), podCidrs: ['10.244.0.0/16'] });
    new IsolatedTenant(new Chart(app, 'c'), 'acme', { egress: {}, adminIsolation: {} });
    const cnp = (yaml.loadAll(app.synthFiles().get('custom-resources/+cluster.k8s.yaml')!) as any[])[0];
    expect(cnp.spec.egress[cnp.spec.egress.length - 1]).toEqual({ name: 'deny-to-pod-networks', action: 'Deny', to: [{ networks: ['10.244.0.0/16'] }] });
  });

  test('egress without DNS: no DNS rule', () => {
    new IsolatedTenant(chart, 'acme', { egress: { allowDns: false }, adminIsolation: {} });
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme');
    expect(cnp.spec.egress.map((r: any) => r.name)).toEqual(['pass-to-own-namespaces', 'deny-to-other-namespaces', 'deny-to-pod-networks']);
  });

  test('many grants: 25 peers at most per rule, rules split and numbered', () => {
    const acme = new IsolatedTenant(chart, 'acme', { adminIsolation: {} });
    for (let i = 0; i < 30; i++) acme.allowFrom(Peer.namespace(`ns${i}`, { app: 'x' }), Port.tcp(80));
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenant-acme');
    expect(cnp.spec.ingress.map((r: any) => [r.name, r.from.length])).toEqual([
      ['pass-from-own-namespaces', 1], ['pass-from-grants-tcp-80-1', 25], ['pass-from-grants-tcp-80-2', 5], ['deny-from-other-namespaces', 1],
    ]);
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
  });

  test('with TenancyApp it goes to custom-resources/+cluster.k8s.yaml', () => {
    const outdir = synthApp((app) => new IsolatedTenant(new Chart(app, 'c'), 'acme', { adminIsolation: { priority: 100 } }));
    const cr = readDir(outdir).get('custom-resources/+cluster.k8s.yaml')!;
    expect(cr.map((o) => [o.kind, o.metadata.name, o.spec.priority])).toEqual([['ClusterNetworkPolicy', 'tenant-acme', 100]]);
  });

  describe('bad input', () => {
    test.each([1001, -1, 2.5, '10' as any])('priority %p', (priority) => {
      expect(() => new IsolatedTenant(chart, 'acme', { adminIsolation: { priority } })).toThrow(
        `[test/acme/AdminIsolation] adminIsolation.priority ${JSON.stringify(priority)} is out of range: a ClusterNetworkPolicy priority is a whole number from 0 to 1000 (lower numbers decide first), e.g. 500.`);
    });

    test('more distinct port sets than the 25 rules a policy may have', () => {
      // (TenancyApp validates the constructs before the guard reads the objects)
      const app = new TenancyApp({ outdir: tmpdir(), platformNamespaces: Array.from({ length: 24 }, (_, i) => `ns${i}`) });
      const acme = new IsolatedTenant(new Chart(app, 'test'), 'acme', { adminIsolation: {} });
      for (let i = 0; i < 24; i++) acme.allowFrom(Peer.namespace(`ns${i}`), Port.tcp(9000 + i));
      expect(() => app.synthFiles()).toThrow('[test/acme/AdminIsolation] tenant "acme" needs 26 ingress rules in its admin-tier ClusterNetworkPolicy tenant-acme, and the API accepts 25: it has one rule per distinct set of ports among its grants. Use fewer distinct port sets (e.g. the same ports for every grant).');
    });
  });
});
