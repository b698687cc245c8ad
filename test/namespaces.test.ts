import { Chart } from 'cdk8s';
import { IsolatedTenant, Peer, Port, TenancyApp, TenancySettings } from '../src';
import { find, newChart, synth, tmpdir } from './support/util';

/** A chart in an app whose platform namespaces are ingress-nginx and monitoring. */
function platformChart(): { app: TenancyApp; chart: Chart } {
  const app = new TenancyApp({ outdir: tmpdir(), platformNamespaces: ['ingress-nginx', 'monitoring'] });
  return { app, chart: new Chart(app, 'tenancy') };
}

const CONTROLLER = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [Port.HTTP] };

describe('namespaces that are not a tenant\'s to take', () => {
  test.each(['kube-system', 'kube-public', 'kube-node-lease', 'default'])('%s, as a tenant or an extra namespace', (ns) => {
    const message = `namespace "${ns}" belongs to Kubernetes: default, kube-node-lease, kube-public, kube-system can never be tenant namespaces. Pick another name.`;
    expect(() => new IsolatedTenant(newChart(), ns)).toThrow(`[test/${ns}] ${message}`);
    expect(() => new IsolatedTenant(newChart(), 'acme', { extraNamespaces: [ns] })).toThrow(`[test/acme] ${message}`);
  });

  test('a platform namespace (TenancyApp prop), as a tenant or an extra namespace', () => {
    const message = 'namespace "ingress-nginx" is declared a platform namespace (platformNamespaces), so no tenant may take it: grants to the platform name it, and would admit the tenant\'s pods. Pick another name.';
    expect(() => new IsolatedTenant(platformChart().chart, 'ingress-nginx')).toThrow(`[tenancy/ingress-nginx] ${message}`);
    expect(() => new IsolatedTenant(platformChart().chart, 'evil', { extraNamespaces: ['ingress-nginx'] })).toThrow(`[tenancy/evil] ${message}`);
  });

  test('a platform namespace declared with TenancySettings in a plain App', () => {
    const chart = newChart();
    new TenancySettings(chart.node.root, 'TenancySettings', { platformNamespaces: ['argocd'] });
    expect(() => new IsolatedTenant(chart, 'evil', { extraNamespaces: ['argocd'] })).toThrow(
      '[test/evil] namespace "argocd" is declared a platform namespace (platformNamespaces)');
  });
});

describe('grants that name a namespace by name', () => {
  const taken = (what: string, ns: string, tenant: string, at: string) =>
    `${what} names namespace "${ns}" of tenant "${tenant}" (${at}): a grant by namespace name would admit whatever that tenant runs there. Grant the tenant itself (pass the IsolatedTenant or one of its workloads); if "${ns}" is the platform's, declare it in platformNamespaces so that no tenant can take it.`;

  test.each([
    ['before', true],
    ['after', false],
  ])('the ingress controller\'s namespace claimed by a tenant defined %s the grants fails synth for every tenant that admits the controller', (_, first) => {
    // GIVEN
    const chart = newChart();
    if (first) new IsolatedTenant(chart, 'evil', { extraNamespaces: ['ingress-nginx'] });
    new IsolatedTenant(chart, 'customer1', { allowIngressController: CONTROLLER });
    new IsolatedTenant(chart, 'customer2', { allowIngressController: CONTROLLER });
    if (!first) new IsolatedTenant(chart, 'evil', { extraNamespaces: ['ingress-nginx'] });
    // WHEN / THEN
    let message = '';
    try {
      synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`[test/customer1] ${taken('allowIngressController', 'ingress-nginx', 'evil', 'test/evil')}`);
    expect(message).toContain(`[test/customer2] ${taken('allowIngressController', 'ingress-nginx', 'evil', 'test/evil')}`);
  });

  test('with ingress-nginx declared the platform\'s, the claim itself is refused', () => {
    const { chart } = platformChart();
    new IsolatedTenant(chart, 'customer1', { allowIngressController: CONTROLLER });
    expect(() => new IsolatedTenant(chart, 'evil', { extraNamespaces: ['ingress-nginx'] })).toThrow(
      '[tenancy/evil] namespace "ingress-nginx" is declared a platform namespace');
  });

  test('allowFrom, workload.allowFrom and allowTo with Peer.namespace of another tenant fail synth', () => {
    // GIVEN
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1', { egress: {} });
    const web = a.addWorkload('web', { image: 'nginx', port: 80 });
    // WHEN
    a.allowFrom(Peer.namespace('customer2'), Port.HTTP);
    web.allowFrom(Peer.namespace('data', { app: 'etl' }), Port.HTTP);
    a.allowTo(Peer.namespace('customer2'), Port.HTTP);
    new IsolatedTenant(chart, 'customer2', { extraNamespaces: ['data'] });
    // THEN
    let message = '';
    try {
      synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`[test/customer1] ${taken('allowFrom(Peer.namespace(\'customer2\'))', 'customer2', 'customer2', 'test/customer2')}`);
    expect(message).toContain(`[test/customer1] ${taken('allowFrom(Peer.namespace(\'data\'))', 'data', 'customer2', 'test/customer2')}`);
    expect(message).toContain(`[test/customer1] ${taken('allowTo(Peer.namespace(\'customer2\'))', 'customer2', 'customer2', 'test/customer2')}`);
  });

  test('a peer of another kind that names a tenant\'s namespace is refused as well', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');
    a.allowFrom({ toPeerConfig: () => ({ namespaces: ['customer2'], name: 'custom' }) }, Port.HTTP);
    expect(() => synth(chart)).toThrow(`[test/customer1] ${taken('allowFrom(peer "custom")', 'customer2', 'customer2', 'test/customer2')}`);
  });

  test('naming the tenant itself passes: the tenant, its workload, Peer.tenant', () => {
    // GIVEN
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'customer1');
    const b = new IsolatedTenant(chart, 'customer2');
    const c = new IsolatedTenant(chart, 'customer3');
    const nginx = c.addWorkload('nginx', { image: 'nginx', port: 80 });
    new IsolatedTenant(chart, 'customer4');
    // WHEN
    a.allowFrom(b, Port.HTTP);
    a.allowFrom(nginx, Port.HTTPS);
    a.allowFrom(Peer.tenant('customer4'), Port.tcp(8080));
    // THEN
    expect(() => synth(chart)).not.toThrow();
  });

  test('the tenant\'s own namespace, a platform namespace, kube-system, or a namespace far from every tenant\'s pass', () => {
    // GIVEN
    const { app, chart } = platformChart();
    const shop = new IsolatedTenant(chart, 'shop', { extraNamespaces: ['shop-data'] });
    new IsolatedTenant(chart, 'customer1');
    // WHEN
    shop.allowFrom(Peer.namespace('shop-data', { app: 'etl' }), Port.HTTP);
    shop.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    shop.allowFrom(Peer.namespace('kube-system', { 'k8s-app': 'metrics-server' }), Port.HTTPS);
    shop.allowFrom(Peer.namespace('payments'), Port.tcp(8443));
    // THEN
    expect(() => app.synthFiles()).not.toThrow();
  });

  describe('a name one or two edits away from a tenant namespace: did you mean', () => {
    test('Peer.namespace(\'custmer1\'), even when the tenant is defined later', () => {
      // GIVEN
      const chart = newChart();
      const b = new IsolatedTenant(chart, 'customer2');
      // WHEN
      b.allowFrom(Peer.namespace('custmer1'), Port.HTTP);
      new IsolatedTenant(chart, 'customer1');
      // THEN
      expect(() => synth(chart)).toThrow(
        '[test/customer2] allowFrom(Peer.namespace(\'custmer1\')) names namespace "custmer1", which is no tenant\'s, but "customer1" of tenant "customer1" is one edit away. Did you mean "customer1"? Grant the tenant itself (pass the IsolatedTenant); if "custmer1" really is another namespace, declare it in platformNamespaces.');
    });

    test('two edits, an extra namespace, and the ingress controller', () => {
      const chart = newChart();
      new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'] });
      new IsolatedTenant(chart, 'customer1', { allowIngressController: { namespace: 'acme-dta2' } });
      expect(() => synth(chart)).toThrow(
        '[test/customer1] allowIngressController names namespace "acme-dta2", which is no tenant\'s, but "acme-data" of tenant "acme" is two edits away. Did you mean "acme-data"?');
    });

    test('three edits away is no typo', () => {
      const chart = newChart();
      new IsolatedTenant(chart, 'customer1');
      new IsolatedTenant(chart, 'shop').allowFrom(Peer.namespace('custo'), Port.HTTP);
      expect(() => synth(chart)).not.toThrow();
    });

    test('declared the platform\'s, a close name is accepted', () => {
      const app = new TenancyApp({ outdir: tmpdir(), platformNamespaces: ['customer9'] });
      const chart = new Chart(app, 'tenancy');
      new IsolatedTenant(chart, 'customer1').allowFrom(Peer.namespace('customer9'), Port.HTTP);
      const np = find([...app.synthFiles().values()].flatMap((t) => require('js-yaml').loadAll(t)), 'NetworkPolicy', 'allow-from-customer9');
      expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer9' } } }]);
    });
  });
});

describe('allowTo a tenant by name is checked like allowFrom', () => {
  test('a misspelt tenant, even when defined later', () => {
    const chart = newChart();
    new IsolatedTenant(chart, 'customer2', { egress: {} }).allowTo(Peer.tenant('custmer1'), Port.HTTP);
    new IsolatedTenant(chart, 'customer1');
    expect(() => synth(chart)).toThrow(
      '[test/customer2] Peer.tenant(\'custmer1\'): no tenant "custmer1" in this app (tenants: customer1, customer2). Did you mean "customer1"? Fix the name, or use Peer.namespace(\'custmer1\') for a namespace that is not a tenant.');
  });

  test('a tenant with more namespaces than its name', () => {
    const chart = newChart();
    new IsolatedTenant(chart, 'customer2', { egress: {} }).allowTo(Peer.tenant('acme'), Port.HTTP);
    new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'] });
    expect(() => synth(chart)).toThrow(
      '[test/customer2] Peer.tenant(\'acme\') reaches only namespace "acme", but tenant "acme" also has acme-data. Pass the tenant itself: allowTo(acmeTenant, ...).');
  });
});
