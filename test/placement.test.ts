import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { ClusterBaseline, IsolatedTenant, TenancyApp } from '../src';
import { find, newChart, synth, tmpdir } from './support/util';

/** What every test checks: kind, name and namespace of each object. */
const where = (objects: any[]) => objects.map((o) => `${o.kind} ${o.metadata.name} ${o.metadata.namespace ?? '-'}`).sort();

describe('objects created under a tenant without a namespace go into its namespace', () => {
  test('cdk8s-plus objects, raw ApiObjects, at any depth; explicit namespaces and cluster-scoped kinds excepted', () => {
    // GIVEN a tenant with two namespaces, and objects of every origin under it
    const chart = newChart();
    const acme = new IsolatedTenant(chart, 'acme', { extraNamespaces: ['acme-data'] });
    new kplus.Deployment(acme, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginx', portNumber: 8080 }] });
    new kplus.ConfigMap(acme, 'settings', { metadata: { name: 'settings' }, data: { a: 'b' } });
    const group = new Construct(acme, 'apps');
    new ApiObject(group, 'raw', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'raw' } });
    new kplus.Deployment(acme, 'api', { metadata: { name: 'api', namespace: 'acme-data' }, containers: [{ image: 'nginx' }] });
    new kplus.ClusterRole(acme, 'reader', { metadata: { name: 'acme-reader' } });
    new ApiObject(acme, 'pv', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'acme-pv' } });
    // WHEN
    const objects = synth(chart);
    // THEN
    expect(find(objects, 'Deployment', 'web').metadata.namespace).toBe('acme');
    expect(find(objects, 'ConfigMap', 'settings').metadata.namespace).toBe('acme');
    expect(find(objects, 'Secret', 'raw').metadata.namespace).toBe('acme');
    expect(find(objects, 'Deployment', 'api').metadata.namespace).toBe('acme-data');
    expect(find(objects, 'ClusterRole', 'acme-reader').metadata.namespace).toBeUndefined();
    expect(find(objects, 'PersistentVolume', 'acme-pv').metadata.namespace).toBeUndefined();
  });

  test('in a TenancyApp, they are written to the tenant\'s file', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'tenancy');
    const acme = new IsolatedTenant(chart, 'acme');
    new kplus.Deployment(acme, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginx' }] });
    new kplus.ClusterRole(acme, 'reader', { metadata: { name: 'acme-reader' } });
    const files = app.synthFiles();
    expect([...files.keys()]).toEqual(['+cluster.k8s.yaml', 'acme.k8s.yaml']);
    expect(where(yaml.loadAll(files.get('+cluster.k8s.yaml')!) as any[])).toEqual(['ClusterRole acme-reader -', 'Namespace acme -']);
    expect(where(yaml.loadAll(files.get('acme.k8s.yaml')!) as any[]).filter((w) => w.startsWith('Deployment'))).toEqual(['Deployment web acme']);
  });

  test('a chart\'s namespace counts as the object\'s own', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform', { namespace: 'platform' });
    const acme = new IsolatedTenant(chart, 'acme');
    new kplus.Deployment(acme, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginx' }] });
    expect(find(Testing.synth(chart), 'Deployment', 'web').metadata.namespace).toBe('platform');
  });
});

describe('cluster-scoped objects never carry metadata.namespace, whatever the chart\'s namespace', () => {
  /** A chart per tenant, named and namespaced after it (a common cdk8s pattern), plus cluster-scoped objects of every origin. */
  function build(app: App): void {
    for (const name of ['customer1', 'customer2']) {
      const chart = new Chart(app, name, { namespace: name });
      new IsolatedTenant(chart, name);
      new kplus.ClusterRole(chart, 'reader', { metadata: { name: `${name}-reader` } });
    }
    const platform = new Chart(app, 'platform', { namespace: 'platform' });
    new ClusterBaseline(platform, 'baseline');
    new ApiObject(platform, 'cnp', {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'tenants' },
      spec: { tier: 'Baseline', priority: 10, subject: { namespaces: { matchLabels: { team: 'a' } } } },
    });
    // a CRD of the app, cluster-scoped, and one of its objects
    new ApiObject(platform, 'crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'clusterissuers.cert-manager.io' },
      spec: { group: 'cert-manager.io', scope: 'Cluster', names: { kind: 'ClusterIssuer', plural: 'clusterissuers' }, versions: [] },
    });
    new ApiObject(platform, 'issuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' }, spec: {} });
    new ApiObject(platform, 'issuer-ns', { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'local' }, spec: {} });
  }

  const expected = [
    'ClusterIssuer letsencrypt -',
    'ClusterNetworkPolicy tenancy-baseline -',
    'ClusterNetworkPolicy tenants -',
    'ClusterRole customer1-reader -',
    'ClusterRole customer2-reader -',
    'CustomResourceDefinition clusterissuers.cert-manager.io -',
    'Issuer local platform',
    'Namespace customer1 -',
    'Namespace customer2 -',
  ];

  test('in a TenancyApp (files included)', () => {
    // GIVEN
    const app = new TenancyApp({ outdir: tmpdir() });
    build(app);
    // WHEN
    const files = app.synthFiles();
    // THEN
    const objects = [...files.values()].flatMap((t) => yaml.loadAll(t) as any[]);
    expect(where(objects).filter((w) => !/^(NetworkPolicy) /.test(w))).toEqual(expected);
    expect([...files.keys()]).toEqual([
      '+cluster.k8s.yaml', 'custom-resources/+cluster.k8s.yaml', 'custom-resources/platform.k8s.yaml', 'customer1.k8s.yaml', 'customer2.k8s.yaml',
    ]);
    expect(where(yaml.loadAll(files.get('custom-resources/+cluster.k8s.yaml')!) as any[]))
      .toEqual(['ClusterIssuer letsencrypt -', 'ClusterNetworkPolicy tenancy-baseline -', 'ClusterNetworkPolicy tenants -']);
  });

  test('in a plain cdk8s App (files written by cdk8s)', () => {
    // GIVEN
    const outdir = tmpdir();
    const app = new App({ outdir });
    build(app);
    // WHEN
    app.synth();
    // THEN
    const objects = fs.readdirSync(outdir).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as any[]);
    expect(where(objects).filter((w) => !/^(NetworkPolicy) /.test(w))).toEqual(expected);
  });

  test('with only a ClusterBaseline of this package in the app', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform', { namespace: 'platform' });
    new ClusterBaseline(chart, 'baseline');
    expect(where(Testing.synth(chart))).toEqual(['ClusterNetworkPolicy tenancy-baseline -']);
  });
});
