import { Chart } from 'cdk8s';
import { analyze } from '../src/analysis';
import { DbWebappLink, IsolatedTenant, Peer, PodSecurityLevel, Port, TenantIsolation, NON_INTERNET_RANGES } from '../src';
import { find, newChart, ofKind, synth } from './support/util';

const DNS_RULE = {
  to: [{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

/** A kube-dns stand-in so the analyzer has a destination in kube-system. */
function kubeDns(chart: Chart): void {
  new (require('cdk8s').ApiObject)(chart, 'kube-dns', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'coredns', image: 'coredns', ports: [{ containerPort: 53, protocol: 'UDP' }] }] } } },
  });
}

describe('egress isolation', () => {
  let chart: Chart;
  beforeEach(() => { chart = newChart(); });

  test('restrict-egress: own namespace and DNS only, Egress listed explicitly', () => {
    const t = new IsolatedTenant(chart, 'customer1', { egress: {} });
    t.addWorkload('nginx', { image: 'nginx', port: 80 });
    const objects = synth(chart);
    expect(ofKind(objects, 'NetworkPolicy')).toMatchSnapshot();
    const np = find(objects, 'NetworkPolicy', 'restrict-egress', 'customer1');
    expect(np.spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }, DNS_RULE] });
  });

  test('allowDns: false leaves DNS out', () => {
    new IsolatedTenant(chart, 'customer1', { egress: { allowDns: false } });
    expect(find(synth(chart), 'NetworkPolicy', 'restrict-egress').spec.egress).toEqual([{ to: [{ podSelector: {} }] }]);
  });

  test('allowInternet: every address but private, CGNAT and link-local ranges', () => {
    new IsolatedTenant(chart, 'customer1', { egress: { allowInternet: true, internetPorts: [Port.HTTPS] } });
    const np = find(synth(chart), 'NetworkPolicy', 'allow-to-internet');
    expect(np.spec).toEqual({
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NON_INTERNET_RANGES } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
    expect(NON_INTERNET_RANGES).toEqual(['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']);
  });

  test('reachability: DNS works, other tenants and the internet do not', () => {
    kubeDns(chart);
    const a = new IsolatedTenant(chart, 'customer1', { egress: {} });
    a.addWorkload('nginx', { image: 'nginx', port: 80 });
    const b = new IsolatedTenant(chart, 'customer2');
    b.addWorkload('nginx', { image: 'nginx', port: 80 });
    const r = analyze(synth(chart));
    expect(r.between('customer1/nginx', 'kube-system/coredns').toString()).toBe('TCP 53,UDP 53');
    expect(r.between('customer1/nginx', 'customer2/nginx').isEmpty()).toBe(true);
    expect(r.between('customer1/nginx', '8.8.8.8').isEmpty()).toBe(true);
    expect(r.between('customer2/nginx', '8.8.8.8').isAll()).toBe(true);
  });

  test('allowTo an external block and another tenant\'s workload', () => {
    const a = new IsolatedTenant(chart, 'customer1', { egress: {} });
    a.addWorkload('app', { image: 'nginx', port: 80 });
    const b = new IsolatedTenant(chart, 'customer2');
    const api = b.addWorkload('api', { image: 'nginx', port: 8080 });
    a.allowTo(Peer.ipv4('203.0.113.0/24', ['203.0.113.128/25']), Port.tcp(443));
    a.allowTo(api, Port.tcp(8080));
    b.allowFrom(a, Port.tcp(8080));
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-to-203-0-113-0-24', 'customer1').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    const r = analyze(objects);
    expect(r.between('customer1/app', '203.0.113.1').toString()).toBe('TCP 443');
    expect(r.between('customer1/app', '203.0.113.200').isEmpty()).toBe(true);
    expect(r.between('customer1/app', 'customer2/api').toString()).toBe('TCP 8080');
  });

  test('allowTo without egress isolation is refused', () => {
    const a = new IsolatedTenant(chart, 'customer1');
    expect(() => a.allowTo(Peer.anyIpv4())).toThrow('[test/customer1] allowTo(...) does nothing: tenant "customer1" does not isolate egress. Set egress: {} to isolate it.');
  });
});

describe('cross-tenant grants', () => {
  test('allowFrom writes the ingress rule on A and, where B isolates egress, the egress rule on B', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    const web = a.addWorkload('web', { image: 'nginx', port: 80 });
    const b = new IsolatedTenant(chart, 'customer2', { egress: {} });
    const client = b.addWorkload('client', { image: 'nginx', port: 80 });
    const c = new IsolatedTenant(chart, 'customer3');
    c.addWorkload('other', { image: 'nginx', port: 80 });
    a.allowFrom(client, Port.tcp(80));
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-from-customer2-client', 'customer1').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer2' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'client' } } }],
      ports: [{ protocol: 'TCP', port: 80 }],
    }]);
    expect(find(objects, 'NetworkPolicy', 'allow-client-to-customer1', 'customer2').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'client' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } } }], ports: [{ protocol: 'TCP', port: 80 }] }],
    });
    const r = analyze(objects);
    expect(r.between('customer2/client', 'customer1/web').toString()).toBe('TCP 80');
    expect(r.between('customer3/other', 'customer1/web').isEmpty()).toBe(true);
    expect(r.between('customer1/web', 'customer2/client').isEmpty()).toBe(true);
    expect(web.name).toBe('web');
  });
});

test('a grant from a tenant of another app is refused', () => {
  const a = new IsolatedTenant(newChart(), 'customer1');
  const b = new IsolatedTenant(newChart(), 'customer2');
  expect(() => a.allowFrom(b, Port.tcp(80))).toThrow(
    '[test/customer1] allowFrom(customer2): tenant "customer2" belongs to another app (test/customer2), so its side of the grant would never be synthesized. Create both tenants in the same app, or admit its namespace with Peer.namespace(\'customer2\').');
});

describe('workload-level grants', () => {
  test('workload.allowFrom admits only into that workload, on its ports, with the egress side', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    const api = a.addWorkload('api', { image: 'nginx', port: 8080 });
    a.addWorkload('admin', { image: 'nginx', port: 80 });
    const b = new IsolatedTenant(chart, 'customer2', { egress: {} });
    const x = b.addWorkload('x', { image: 'nginx', port: 80 });
    const y = b.addWorkload('y', { image: 'nginx', port: 80 });
    api.allowFrom(x, Port.tcp(8080));
    api.allowFrom(y, Port.tcp(8080));
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-api-from-customer2-x', 'customer1').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer2' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'x' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
    expect(find(objects, 'NetworkPolicy', 'allow-x-to-customer1-api', 'customer2').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'x' } },
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
    expect(find(objects, 'NetworkPolicy', 'allow-y-to-customer1-api', 'customer2').metadata.namespace).toBe('customer2');
    const r = analyze(objects);
    expect(r.between('customer2/x', 'customer1/api').toString()).toBe('TCP 8080');
    expect(r.between('customer2/y', 'customer1/api').toString()).toBe('TCP 8080');
    expect(r.between('customer2/x', 'customer1/admin').isEmpty()).toBe(true);
  });

  test('plain labels are pods of the tenant\'s own namespace', () => {
    const chart = newChart();
    const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    const web = shop.addWorkload('web', { image: 'nginx', port: 80 });
    shop.addWorkload('monitor', { image: 'nginx', port: 80, selectorLabels: { role: 'monitoring' } });
    web.allowFrom({ role: 'monitoring' }, Port.tcp(80));
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-web-from-monitoring', 'shop').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { role: 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
    expect(analyze(objects).between('shop/monitor', 'shop/web').toString()).toBe('TCP 80');
  });

  test('a value that is not a peer', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    expect(() => a.allowFrom({ app: 1 } as any)).toThrow(
      '[test/customer1] expected a peer (a tenant, a workload, labels such as { app: \'webapp\' }, Peer.namespace() or Peer.ipv4()), got {"app":1}.');
    expect(() => a.allowFrom({})).toThrow("[test/customer1] Peer.pods() is an empty label selector, which would select every pod of the namespace.");
  });
});

describe('tenants spanning several namespaces', () => {
  test('traffic is free among the tenant\'s namespaces and closed to everyone else', () => {
    const chart = newChart();
    const t = new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'] });
    t.addWorkload('web', { image: 'nginx', port: 80 });
    t.addWorkload('db', { image: 'postgres', port: 5432 }, 'acme-data');
    const o = new IsolatedTenant(chart, 'other');
    o.addWorkload('web', { image: 'nginx', port: 80 });
    const objects = synth(chart);
    expect(ofKind(objects, 'Namespace').map((n) => [n.metadata.name, n.metadata.labels['tenancy.cdk8s.io/tenant']])).toEqual([
      ['acme', 'acme'], ['acme-data', 'acme'], ['other', 'other'],
    ]);
    for (const ns of ['acme', 'acme-data']) {
      expect(find(objects, 'NetworkPolicy', 'deny-from-other-namespaces', ns).spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['acme', 'acme-data'] }] } }] }],
      });
    }
    expect(find(objects, 'Deployment', 'db', 'acme-data').metadata.namespace).toBe('acme-data');
    const r = analyze(objects);
    expect(r.between('acme/web', 'acme-data/db').isAll()).toBe(true);
    expect(r.between('acme-data/db', 'acme/web').isAll()).toBe(true);
    expect(r.between('other/web', 'acme-data/db').isEmpty()).toBe(true);
    expect(r.between('other/web', 'acme/web').isEmpty()).toBe(true);
    expect(r.between('acme/web', 'other/web').isEmpty()).toBe(true);
  });

  test('a namespace claimed by two tenants', () => {
    const chart = newChart();
    new IsolatedTenant(chart, 'acme', { extraNamespaces: ['shared'] });
    expect(() => new IsolatedTenant(chart, 'globex', { extraNamespaces: ['shared'] })).toThrow(
      '[test/globex] tenant "shared" is already defined at test/acme: tenant and namespace names must be unique in an app. Rename one of them.');
  });

  test('a workload in a namespace the tenant does not have', () => {
    const chart = newChart();
    const t = new IsolatedTenant(chart, 'acme');
    expect(() => t.addWorkload('db', { image: 'postgres', port: 5432 }, 'acme-data')).toThrow(
      '[test/acme/db] namespace "acme-data" is not a namespace of tenant "acme" (acme). Add it to extraNamespaces or pick one of those.');
  });

  test('POD isolation and links per namespace', () => {
    const chart = newChart();
    const t = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD, extraNamespaces: ['shop-data'] });
    const web = t.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
    const db = t.addWorkload('database', { image: 'postgres', port: 5000, selectorLabels: { app: 'database' } }, 'shop-data');
    expect(() => new DbWebappLink(t, 'link', { webapp: web, database: db, port: Port.tcp(5000) })).toThrow(
      '[test/shop/link] webapp "webapp" is in namespace shop but the link is in "shop-data"');
    const objects = synth(chart);
    expect(ofKind(objects, 'NetworkPolicy').map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual([
      'shop-data/deny-communication', 'shop/deny-communication',
    ]);
  });
});

describe('Peer.tenant: a grant to a tenant by name', () => {
  test('admits the named tenant, with its egress side when it is defined first', () => {
    const chart = newChart();
    const b = new IsolatedTenant(chart, 'customer2', { egress: {} });
    b.addWorkload('client', { image: 'nginx', port: 80 });
    const a = new IsolatedTenant(chart, 'customer1');
    a.addWorkload('web', { image: 'nginx', port: 80 });
    a.allowFrom(Peer.tenant('customer2'), Port.tcp(80));
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-from-customer2', 'customer1').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer2' } } },
    ]);
    expect(find(objects, 'NetworkPolicy', 'allow-to-customer1', 'customer2').spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } } },
    ]);
    expect(analyze(objects).between('customer2/client', 'customer1/web').toString()).toBe('TCP 80');
  });

  test('a grant to a tenant that does not exist fails synth', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');
    a.allowFrom(Peer.tenant('payments'), Port.tcp(80));
    expect(() => synth(chart)).toThrow(
      '[test/customer1] Peer.tenant(\'payments\'): no tenant "payments" in this app (tenants: customer1, customer2). Fix the name, or use Peer.namespace(\'payments\') for a namespace that is not a tenant.');
  });

  test('a misspelt tenant name gets a suggestion', () => {
    // GIVEN
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer2');
    // WHEN the tenant is defined after the grant
    a.allowFrom(Peer.tenant('custmer1'), Port.tcp(80));
    new IsolatedTenant(chart, 'customer1');
    // THEN
    expect(() => synth(chart)).toThrow(
      '[test/customer2] Peer.tenant(\'custmer1\'): no tenant "custmer1" in this app (tenants: customer1, customer2). Did you mean "customer1"? Fix the name, or use Peer.namespace(\'custmer1\') for a namespace that is not a tenant.');
  });

  test('a tenant with several namespaces, or one isolating egress defined later, must be passed itself', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    a.allowFrom(Peer.tenant('acme'), Port.tcp(80));
    new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'] });
    expect(() => synth(chart)).toThrow(
      '[test/customer1] Peer.tenant(\'acme\') admits only namespace "acme", but tenant "acme" also has acme-data. Pass the tenant itself: allowFrom(acmeTenant, ...).');
    const chart2 = newChart();
    const c = new IsolatedTenant(chart2, 'customer1');
    c.allowFrom(Peer.tenant('late'), Port.tcp(80));
    new IsolatedTenant(chart2, 'late', { egress: {} });
    expect(() => synth(chart2)).toThrow(
      '[test/customer1] Peer.tenant(\'late\'): tenant "late" isolates egress but was defined after this grant, so its egress side was not written. Define it first, or pass the tenant itself.');
  });
});

describe('workload defaults under restricted Pod Security', () => {
  test('an explicit restricted level makes workloads run as non-root by default', () => {
    const chart = newChart();
    const t = new IsolatedTenant(chart, 'acme', { podSecurity: { level: PodSecurityLevel.RESTRICTED } });
    t.addWorkload('web', { image: 'nginxinc/nginx-unprivileged:1.27', port: 8080 });
    const objects = synth(chart);
    const pod = find(objects, 'Deployment', 'web').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(find(objects, 'Namespace', 'acme').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test.each(['nginx', 'nginx:1.27', 'docker.io/library/nginx:1.27-alpine'])('the official nginx (%s) cannot run as non-root', (image) => {
    const chart = newChart();
    const t = new IsolatedTenant(chart, 'acme', { podSecurity: { level: PodSecurityLevel.RESTRICTED } });
    expect(() => t.addWorkload('web', { image, port: 80 })).toThrow(
      `[test/acme/web] image "${image}" (the official nginx) runs as root and cannot start with runAsNonRoot: true. Use nginxinc/nginx-unprivileged, which listens on 8080, or set runAsNonRoot: false (Pod Security level baseline).`);
  });
});
