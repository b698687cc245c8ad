import { Chart } from 'cdk8s';
import { DbWebappLink, IsolatedTenant, Peer, Port, TenantIsolation, Workload } from '../src';
import { find, newChart, ofKind, synth } from './support/util';

describe('DbWebappLink', () => {
  let chart: Chart;
  let shop: IsolatedTenant;
  let webapp: Workload;
  let database: Workload;
  beforeEach(() => {
    chart = newChart();
    shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    webapp = shop.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
    database = shop.addWorkload('database', { image: 'postgres', port: 5000, selectorLabels: { app: 'database' } });
  });

  test('scenario 2: deny-communication then db-webapp on app=database from app=webapp, TCP 5000 inside the rule', () => {
    new DbWebappLink(shop, 'db-webapp', { webapp, database, port: Port.tcp(5000) });
    const objects = synth(chart);
    expect(ofKind(objects, 'NetworkPolicy')).toMatchSnapshot();

    const deny = find(objects, 'NetworkPolicy', 'deny-communication', 'shop');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });

    const link = find(objects, 'NetworkPolicy', 'db-webapp', 'shop');
    expect(link.spec).toEqual({
      podSelector: { matchLabels: { app: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: { app: 'webapp' } } }],
        ports: [{ protocol: 'TCP', port: 5000 }],
      }],
    });
    expect(link.spec.ports).toBeUndefined(); // the port belongs inside the ingress rule
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual(['db-webapp', 'deny-communication']);
  });

  test('plain label selectors work the same', () => {
    new DbWebappLink(shop, 'link', { webapp: { app: 'webapp' }, database: { app: 'database' }, port: Port.tcp(5000) });
    const link = find(synth(chart), 'NetworkPolicy', 'db-webapp');
    expect(link.spec.podSelector).toEqual({ matchLabels: { app: 'database' } });
    expect(link.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'webapp' } } }]);
  });

  test('Peer.pods as the webapp side', () => {
    new DbWebappLink(shop, 'link', { webapp: Peer.pods({ app: 'webapp' }), database, port: Port.tcp(5000) });
    expect(find(synth(chart), 'NetworkPolicy', 'db-webapp').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'webapp' } } }]);
  });

  test('deny-communication exists once however many links', () => {
    const cache = shop.addWorkload('cache', { image: 'redis', port: 6379, selectorLabels: { app: 'cache' } });
    new DbWebappLink(shop, 'db-webapp', { webapp, database, port: Port.tcp(5000) });
    new DbWebappLink(shop, 'cache-webapp', { webapp, database: cache, port: Port.tcp(6379), name: 'cache-webapp' });
    const names = ofKind(synth(chart), 'NetworkPolicy').map((p) => p.metadata.name).sort();
    expect(names).toEqual(['cache-webapp', 'db-webapp', 'deny-communication']);
  });

  test('UDP and named ports', () => {
    new DbWebappLink(shop, 'link', { webapp, database, port: Port.named('pg') });
    new DbWebappLink(shop, 'link2', { webapp, database, port: Port.udp(5000), name: 'db-webapp-udp' });
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'db-webapp').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 'pg' }]);
    expect(find(objects, 'NetworkPolicy', 'db-webapp-udp').spec.ingress[0].ports).toEqual([{ protocol: 'UDP', port: 5000 }]);
  });

  describe('bad input', () => {
    test('workloads of two namespaces', () => {
      const other = new IsolatedTenant(chart, 'customer1');
      const foreign = other.addWorkload('webapp', { image: 'nginx', port: 80 });
      expect(() => new DbWebappLink(shop, 'link', { webapp: foreign, database, port: Port.tcp(5000) })).toThrow(
        '[test/shop/link] webapp "webapp" is in namespace customer1 but the link is in "shop": a DbWebappLink joins workloads of one namespace. To admit traffic from another namespace, use <database workload>.allowFrom(webapp, port).');
    });

    test('a database of another namespace', () => {
      const other = new IsolatedTenant(chart, 'customer1', { isolation: TenantIsolation.POD });
      expect(() => new DbWebappLink(other, 'link', { webapp: { app: 'webapp' }, database, port: Port.tcp(5000) })).toThrow(
        '[test/customer1/link] database "database" is in namespace shop, which is not a namespace of tenant "customer1": a DbWebappLink joins workloads of one namespace. Create the link in the database\'s tenant and admit the webapp with allowFrom.');
    });

    test('a tenant as the webapp side', () => {
      const other = new IsolatedTenant(chart, 'customer1');
      expect(() => new DbWebappLink(shop, 'link', { webapp: other, database, port: Port.tcp(5000) })).toThrow(
        '[test/shop/link] webapp "customer1" is in namespace customer1 but the link is in "shop"');
    });

    test('a CIDR as the webapp side', () => {
      expect(() => new DbWebappLink(shop, 'link', { webapp: Peer.ipv4('10.0.0.0/8'), database, port: Port.tcp(5000) })).toThrow(
        '[test/shop/link] webapp is a CIDR block; a DbWebappLink joins pods of one namespace. Use tenant.allowFrom(Peer.ipv4(...), port) for external clients.');
    });

    test('an empty selector', () => {
      expect(() => new DbWebappLink(shop, 'link', { webapp: {}, database, port: Port.tcp(5000) })).toThrow(
        "[test/shop/link] webapp is an empty label selector, which would select every pod of the namespace. Give at least one label, e.g. { app: 'webapp' }.");
      expect(() => new DbWebappLink(shop, 'link2', { webapp, database: {}, port: Port.tcp(5000) })).toThrow(
        "[test/shop/link2] database is an empty label selector, which would select every pod of the namespace. Give at least one label, e.g. { app: 'webapp' }.");
    });

    test('the tenant itself (every pod) as the webapp side', () => {
      expect(() => new DbWebappLink(shop, 'link', { webapp: shop, database, port: Port.tcp(5000) })).toThrow(
        '[test/shop/link] webapp selects every pod of namespace "shop"; give the webapp\'s labels, e.g. { app: \'webapp\' }.');
    });

    test('labels that match no workload fail synth', () => {
      new DbWebappLink(shop, 'link', { webapp: { app: 'webap' }, database, port: Port.tcp(5000) });
      expect(() => synth(chart)).toThrow(
        '[test/shop/link] webapp selector {"app":"webap"} matches no workload of tenant "shop" in namespace "shop" (workloads: webapp {"app":"webapp"}, database {"app":"database"}). Fix the labels or add the workload.');
    });

    test('in a namespace-isolated tenant it would restrict nothing', () => {
      const t = new IsolatedTenant(chart, 'customer1');
      expect(() => new DbWebappLink(t, 'link', { webapp: { app: 'a' }, database: { app: 'b' }, port: Port.tcp(5000) })).toThrow(
        '[test/customer1/link] DbWebappLink restricts nothing in tenant "customer1": its policy deny-from-other-namespaces admits every pod of the namespace. Create the tenant with isolation: TenantIsolation.POD.');
    });

    test('outside a tenant', () => {
      expect(() => new DbWebappLink(chart, 'link', { webapp: { app: 'a' }, database: { app: 'b' }, port: Port.tcp(5000) })).toThrow(
        '[test/link] a DbWebappLink must be created inside an IsolatedTenant (its namespace): new DbWebappLink(tenant, id, { ... }).');
    });

    test('every port', () => {
      expect(() => new DbWebappLink(shop, 'link', { webapp, database, port: Port.allTcp() })).toThrow(
        '[test/shop/link] port TCP (all) admits every port; name the database port, e.g. Port.tcp(5000).');
    });

    test('two links with the default name', () => {
      new DbWebappLink(shop, 'a', { webapp, database, port: Port.tcp(5000) });
      expect(() => new DbWebappLink(shop, 'b', { webapp, database, port: Port.tcp(5001) })).toThrow(
        'NetworkPolicy "db-webapp" already exists in namespace "shop" (defined at test/shop/aPolicy). Give this one another name.');
    });
  });
});
