/**
 * The product's two scenarios, built by hand as manifests.
 */
import { checkTenancy, formatTxt } from '../../src/analysis';
import { deploy, netpol, ns, reach } from './helpers';

const ALL = 'All Connections';
const NONE = 'No Connections';

describe('scenario 1: customers isolated from each other', () => {
  const tenant = (name: string) => [
    ns(name, { 'tenancy.cdk8s.io/tenant': name }),
    deploy(name, 'nginx', { 'app.kubernetes.io/name': 'nginx' }, [{ containerPort: 80 }]),
    deploy(name, 'worker', { 'app.kubernetes.io/name': 'worker' }),
    netpol(name, 'deny-from-other-namespaces', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }),
  ];
  const objects = [...tenant('customer1'), ...tenant('customer2')];

  test('customer1 ↛ customer2 and customer2 ↛ customer1', () => {
    const { c } = reach(objects);
    for (const [a, b] of [['customer1', 'customer2'], ['customer2', 'customer1']]) {
      for (const src of ['nginx', 'worker']) {
        for (const dst of ['nginx', 'worker']) expect(c(`${a}/${src}[Deployment]`, `${b}/${dst}[Deployment]`)).toBe(NONE);
      }
    }
  });

  test('each tenant is reachable inside itself', () => {
    const { c } = reach(objects);
    for (const t of ['customer1', 'customer2']) {
      expect(c(`${t}/worker[Deployment]`, `${t}/nginx[Deployment]`)).toBe(ALL);
      expect(c(`${t}/nginx[Deployment]`, `${t}/worker[Deployment]`)).toBe(ALL);
    }
  });

  test('the full txt output: only in-tenant flows and egress to the outside', () => {
    const { r } = reach(objects);
    expect(formatTxt(r.connections)).toBe([
      'customer1/nginx[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'customer1/nginx[Deployment] => customer1/worker[Deployment] : All Connections',
      'customer1/worker[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'customer1/worker[Deployment] => customer1/nginx[Deployment] : All Connections',
      'customer2/nginx[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'customer2/nginx[Deployment] => customer2/worker[Deployment] : All Connections',
      'customer2/worker[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'customer2/worker[Deployment] => customer2/nginx[Deployment] : All Connections',
      '',
    ].join('\n'));
  });

  test('the tenancy check passes', () => {
    expect(checkTenancy(objects)).toEqual([]);
  });
});

describe('scenario 2: db-webapp link inside the shop namespace', () => {
  const objects = [
    ns('shop', { 'tenancy.cdk8s.io/tenant': 'shop' }),
    deploy('shop', 'webapp', { app: 'webapp' }, [{ containerPort: 8080 }]),
    deploy('shop', 'database', { app: 'database' }, [{ containerPort: 5000 }, { containerPort: 5001 }]),
    deploy('shop', 'other', { app: 'other' }),
    deploy('elsewhere', 'client', { app: 'webapp' }),
    netpol('shop', 'deny-communication', { podSelector: {}, policyTypes: ['Ingress'] }),
    netpol('shop', 'db-webapp', {
      podSelector: { matchLabels: { app: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'webapp' } } }], ports: [{ protocol: 'TCP', port: 5000 }] }],
    }),
  ];

  test('webapp → database only on TCP 5000', () => {
    const { c } = reach(objects);
    expect(c('shop/webapp[Deployment]', 'shop/database[Deployment]')).toBe('TCP 5000');
  });

  test('nothing else → database', () => {
    const { r } = reach(objects);
    const into = r.connections.filter((x) => x.dst.id === 'shop/database[Deployment]').map((x) => `${x.src.id} : ${x.conns}`);
    expect(into).toEqual(['shop/webapp[Deployment] : TCP 5000']);
  });

  test('deny-communication isolates every pod of shop', () => {
    const { c } = reach(objects);
    expect(c('shop/database[Deployment]', 'shop/webapp[Deployment]')).toBe(NONE);
    expect(c('shop/webapp[Deployment]', 'shop/other[Deployment]')).toBe(NONE);
    expect(c('1.2.3.4', 'shop/webapp[Deployment]')).toBe(NONE);
    expect(c('shop/webapp[Deployment]', 'elsewhere/client[Deployment]')).toBe(ALL);
  });
});
