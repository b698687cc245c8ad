import { Chart } from 'cdk8s';
import { EGRESS_GRANTS_ANNOTATION, IsolatedTenant, Peer, Port } from '../src';
import { find, newChart, synth } from './support/util';

const DNS = '{"ports":[{"port":53,"protocol":"UDP"},{"port":53,"protocol":"TCP"}],"to":{"namespace":"kube-system","podLabels":{"k8s-app":"kube-dns"}}}';

const egressGrants = (objects: any[], ns: string): string | undefined => find(objects, 'Namespace', ns).metadata.annotations?.[EGRESS_GRANTS_ANNOTATION];

describe('the egress intent (tenancy.cdk8s.io/egress-grants)', () => {
  let chart: Chart;
  beforeEach(() => { chart = newChart(); });

  test('the key', () => {
    expect(EGRESS_GRANTS_ANNOTATION).toBe('tenancy.cdk8s.io/egress-grants');
  });

  test('a tenant that does not isolate egress writes none', () => {
    new IsolatedTenant(chart, 'customer1');
    expect(egressGrants(synth(chart), 'customer1')).toBeUndefined();
  });

  test('egress: {} declares DNS only (its own namespaces are implicit)', () => {
    new IsolatedTenant(chart, 'customer1', { egress: {} });
    expect(egressGrants(synth(chart), 'customer1')).toBe(`[${DNS}]`);
  });

  test('allowDns: false declares nothing', () => {
    new IsolatedTenant(chart, 'customer1', { egress: { allowDns: false } });
    expect(egressGrants(synth(chart), 'customer1')).toBe('[]');
  });

  test('allowInternet is declared as its block and excepts, on its ports; the same on every namespace of the tenant', () => {
    // GIVEN / WHEN
    new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'], egress: { allowInternet: true, internetPorts: [Port.HTTPS] } });
    const objects = synth(chart);
    // THEN
    const internet = '{"ports":[{"port":443,"protocol":"TCP"}],"to":{"cidr":"0.0.0.0/0","except":["10.0.0.0/8","100.64.0.0/10","169.254.0.0/16","172.16.0.0/12","192.168.0.0/16"]}}';
    expect(egressGrants(objects, 'acme')).toBe(`[${internet},${DNS}]`);
    expect(egressGrants(objects, 'acme-data')).toBe(`[${internet},${DNS}]`);
  });

  test('allowTo destinations: another tenant\'s workload, a namespace, a CIDR block (with the pod networks excepted); labels of the own namespace are implicit', () => {
    // GIVEN
    const a = new IsolatedTenant(chart, 'customer1', { egress: { allowDns: false } });
    const b = new IsolatedTenant(chart, 'customer2');
    const api = b.addWorkload('api', { image: 'nginx', port: 8080 });
    // WHEN
    a.allowTo(api, Port.tcp(8080));
    a.allowTo(Peer.namespace('monitoring', { app: 'prometheus' }), Port.tcp(9090));
    a.allowTo(Peer.ipv4('0.0.0.0/0'), Port.tcpRange(8000, 8010));
    a.allowTo({ app: 'db' }, Port.tcp(5432));
    // THEN
    expect(JSON.parse(egressGrants(synth(chart), 'customer1')!)).toEqual([
      { ports: [{ endPort: 8010, port: 8000, protocol: 'TCP' }], to: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'] } },
      { ports: [{ port: 8080, protocol: 'TCP' }], to: { namespace: 'customer2', podLabels: { 'app.kubernetes.io/name': 'api' } } },
      { ports: [{ port: 9090, protocol: 'TCP' }], to: { namespace: 'monitoring', podLabels: { app: 'prometheus' } } },
    ]);
  });

  test('the egress side of another tenant\'s grant is declared too, also when added after the tenant', () => {
    // GIVEN a tenant that isolates egress
    const client = new IsolatedTenant(chart, 'client', { egress: { allowDns: false } });
    const nginx = client.addWorkload('nginx', { image: 'nginx', port: 80 });
    // WHEN two tenants admit it (allow-to-shop, allow-nginx-to-acme-web)
    new IsolatedTenant(chart, 'shop').allowFrom(client, Port.HTTP);
    new IsolatedTenant(chart, 'acme').addWorkload('web', { image: 'nginx', port: 8080 }).allowFrom(nginx, Port.tcp(8080));
    const objects = synth(chart);
    // THEN
    expect(find(objects, 'NetworkPolicy', 'allow-to-shop', 'client').spec.policyTypes).toEqual(['Egress']);
    expect(find(objects, 'NetworkPolicy', 'allow-nginx-to-acme-web', 'client').spec.policyTypes).toEqual(['Egress']);
    expect(egressGrants(objects, 'client')).toBe(
      '[{"ports":[{"port":80,"protocol":"TCP"}],"to":{"namespace":"shop"}},{"ports":[{"port":8080,"protocol":"TCP"}],"to":{"namespace":"acme","podLabels":{"app.kubernetes.io/name":"web"}}}]');
  });

  test('byte-stable: the same grants declared in another order give the same annotation', () => {
    const build = (order: number[]) => {
      const c = newChart();
      const t = new IsolatedTenant(c, 'customer1', { egress: {} });
      const grants = [
        () => t.allowTo(Peer.namespace('monitoring'), Port.tcp(9090)),
        () => t.allowTo(Peer.ipv4('203.0.113.0/24'), Port.HTTPS),
        () => t.allowTo(Peer.namespace('logging'), Port.tcp(24224)),
      ];
      for (const i of order) grants[i]();
      return egressGrants(synth(c), 'customer1');
    };
    expect(build([2, 1, 0])).toBe(build([0, 1, 2]));
  });
});
