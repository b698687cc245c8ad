import * as yaml from 'js-yaml';
import { TenancyApp } from '../src';
import { analyze, checkTenancy } from '../src/analysis';
import { buildKplusApp } from './kplus-app';
import { validateObjects } from './support/schema';
import { find, ofKind, tmpdir } from './support/util';

/**
 * An app written only with cdk8s-plus workloads and this package's tenants, synthesized into
 * files and analyzed end to end, as `tenancy check` and `tenancy analyze` would.
 */
describe('an app of cdk8s-plus workloads in tenants', () => {
  // GIVEN the app, WHEN it is synthesized
  const app = new TenancyApp({ outdir: tmpdir() });
  buildKplusApp(app);
  const files = app.synthFiles();
  const objects = [...files.values()].flatMap((text) => yaml.loadAll(text) as any[]);
  const r = analyze(objects);

  test('one file per namespace; every cdk8s-plus object in its tenant\'s namespace', () => {
    expect([...files.keys()]).toEqual(['+cluster.k8s.yaml', 'batch.k8s.yaml', 'payments.k8s.yaml', 'shop.k8s.yaml']);
    const cluster = yaml.loadAll(files.get('+cluster.k8s.yaml')!) as any[];
    expect(cluster.map((d) => [d.kind, d.metadata.name, d.metadata.namespace])).toEqual([
      ['Namespace', 'batch', undefined], ['Namespace', 'payments', undefined], ['Namespace', 'shop', undefined],
    ]);
    for (const [file, text] of [...files].filter(([f]) => f !== '+cluster.k8s.yaml')) {
      const ns = file.replace('.k8s.yaml', '');
      const docs = yaml.loadAll(text) as any[];
      for (const d of docs) expect([d.kind, d.metadata.name, d.metadata.namespace]).toEqual([d.kind, d.metadata.name, ns]);
    }
    expect(find(objects, 'Deployment', 'storefront', 'shop').spec.selector.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'tenancy-shop-storefront-c8063b52' });
    expect(find(objects, 'Service', 'storefront', 'shop').spec.selector).toEqual({ 'cdk8s.io/metadata.addr': 'tenancy-shop-storefront-c8063b52' });
    expect(find(objects, 'ConfigMap', 'settings', 'shop').data).toEqual({ currency: 'EUR' });
    expect(find(objects, 'Pod', 'toolbox', 'batch').metadata.labels).toEqual({ 'cdk8s.io/metadata.addr': 'tenancy-toolbox-c804bbbe' });
    expect(find(objects, 'CronJob', 'nightly', 'batch').spec.jobTemplate.spec.template.metadata.labels).toEqual({ 'cdk8s.io/metadata.addr': 'tenancy-batch-nightly-c8c6faf3' });
    expect(validateObjects(objects)).toEqual([]);
  });

  test('the tenancy check finds nothing: every cross-tenant rule is a declared grant', () => {
    expect(checkTenancy(objects)).toEqual([]);
    expect(JSON.parse(find(objects, 'Namespace', 'payments').metadata.annotations['tenancy.cdk8s.io/ingress-grants'])).toEqual([
      { from: { namespace: 'batch', podLabels: { 'cdk8s.io/metadata.addr': 'tenancy-batch-nightly-c8c6faf3' } }, ports: [{ port: 5432, protocol: 'TCP' }] },
      { from: { namespace: 'shop', podLabels: { 'cdk8s.io/metadata.addr': 'tenancy-shop-storefront-c8063b52' } }, ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
  });

  test('the grants name the cdk8s-plus workloads by selector and namespace, on both sides', () => {
    expect(find(objects, 'NetworkPolicy', 'allow-from-shop-storefront', 'payments').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
          podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-shop-storefront-c8063b52' } },
        }],
        ports: [{ port: 8443, protocol: 'TCP' }],
      }],
    });
    // shop isolates egress: the grant wrote storefront's egress side too
    expect(find(objects, 'NetworkPolicy', 'allow-storefront-to-payments', 'shop').spec).toEqual({
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-shop-storefront-c8063b52' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: [{ port: 8443, protocol: 'TCP' }] }],
    });
    expect(find(objects, 'NetworkPolicy', 'allow-nightly-to-payments', 'batch').spec.podSelector)
      .toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-batch-nightly-c8c6faf3' } });
    expect(find(objects, 'NetworkPolicy', 'db-webapp', 'payments').spec).toEqual({
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-payments-ledger-c8d52ddc' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-payments-api-c87f681a' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    expect(ofKind(objects, 'NetworkPolicy', 'payments').map((p) => p.metadata.name).sort()).toEqual([
      'allow-from-batch-nightly', 'allow-from-shop-storefront', 'allowingressc8063b52f5a60e84826f7e2496b4b44c9-c80ef31d', 'db-webapp', 'deny-communication',
    ]);
  });

  test('cdk8s-plus\'s own connection (api.connections.allowFrom(storefront)) writes both sides, within the declared grants', () => {
    expect(find(objects, 'NetworkPolicy', 'allowingressc8063b52f5a60e84826f7e2496b4b44c9-c80ef31d', 'payments').spec).toEqual({
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-payments-api-c87f681a' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-shop-storefront-c8063b52' } } }],
        ports: [{ port: 8443, protocol: 'TCP' }],
      }],
    });
    const egress = ofKind(objects, 'NetworkPolicy', 'shop').filter((p) => p.metadata.name.startsWith('allowegress'));
    expect(egress.map((p) => p.spec.egress)).toEqual([[{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'tenancy-payments-api-c87f681a' } } }],
      ports: [{ port: 8443, protocol: 'TCP' }],
    }]]);
  });

  test('flows that must exist', () => {
    expect(r.between('shop/storefront', 'payments/api').toString()).toBe('TCP 8443');
    expect(r.between('batch/nightly', 'payments/ledger').toString()).toBe('TCP 5432');
    expect(r.between('payments/api', 'payments/ledger').toString()).toBe('TCP 5432');
    expect(r.between('shop/storefront', 'shop/cache').isAll()).toBe(true);
    expect(r.between('shop/cache', 'shop/storefront').isAll()).toBe(true);
  });

  test('flows that must not exist', () => {
    // batch may send to shop's cache (allowTo), but shop admits no one from outside
    expect(r.between('batch/nightly', 'shop/cache').isEmpty()).toBe(true);
    // the grants are for one workload, on one port
    expect(r.between('shop/cache', 'payments/api').isEmpty()).toBe(true);
    expect(r.between('shop/log-agent', 'payments/api').isEmpty()).toBe(true);
    expect(r.between('batch/toolbox', 'payments/ledger').isEmpty()).toBe(true);
    expect(r.between('batch/nightly', 'payments/api').toString()).toBe('TCP 5432');
    expect(r.between('shop/storefront', 'payments/ledger').toString()).toBe('TCP 8443');
    // inside payments only api -> ledger, and nothing reaches api from inside
    expect(r.between('payments/ledger', 'payments/api').isEmpty()).toBe(true);
    // payments and shop reach nothing of batch; shop and batch isolate egress
    for (const src of ['shop/storefront', 'shop/cache', 'payments/api', 'payments/ledger']) {
      expect(r.between(src, 'batch/nightly').isEmpty()).toBe(true);
    }
    expect(r.between('shop/storefront', '8.8.8.8').isEmpty()).toBe(true);
    expect(r.between('batch/nightly', '8.8.8.8').isEmpty()).toBe(true);
    expect(r.between('8.8.8.8', 'payments/api').isEmpty()).toBe(true);
  });

  test('Pod Security over the cdk8s-plus workloads: restricted where hardened, baseline where not', () => {
    const enforce = (ns: string) => find(objects, 'Namespace', ns).metadata.labels['pod-security.kubernetes.io/enforce'];
    // payments asked for restricted and its workloads pass it (JSON patches for what cdk8s-plus lacks)
    expect(enforce('payments')).toBe('restricted');
    // cdk8s-plus defaults set no seccomp profile and drop no capability: baseline is the strictest they pass
    expect(enforce('shop')).toBe('baseline');
    expect(enforce('batch')).toBe('baseline');
    // …and the decision counts the pod created outside batch's construct scope: alone, it would not pass restricted either
    expect(find(objects, 'Pod', 'toolbox', 'batch').spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true });
  });

  test('two synths are byte-identical', () => {
    const again = new TenancyApp({ outdir: tmpdir() });
    buildKplusApp(again);
    expect(again.synthFiles()).toEqual(files);
  });
});
