/**
 * The constructs in a plain cdk8s App, with each of cdk8s's own layouts: synthesized for real
 * with `App.synth()` into a temporary folder, the Argo CD Application's include compared with
 * the files cdk8s wrote, and the layouts that cannot work refused before anything is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Include, Testing, YamlOutputType } from 'cdk8s';
import { ClusterBaseline, IsolatedTenant, PlatformArgoCd } from '../src';
import { listFiles, readDir, tmpdir } from './support/util';

const REPO = 'https://git.example.com/platform/tenants.git';
const CRD_FILE = path.join(__dirname, 'fixtures', 'crds', 'policy.networking.k8s.io_clusternetworkpolicies.standard.yaml');

function plainApp(yamlOutputType?: YamlOutputType): App {
  return new App({ outdir: path.join(tmpdir('tenancy-plain-'), 'dist'), ...(yamlOutputType !== undefined ? { yamlOutputType } : {}) });
}

/**
 * A tenant with a workload and Argo CD, in `scope`. One namespace: with two, the per-resource
 * layouts would write both namespaces' `deny-from-other-namespaces` to one file (refused, below).
 */
function acme(scope: Chart): IsolatedTenant {
  const t = new IsolatedTenant(scope, 'acme', { argoCd: { repoURL: REPO } });
  t.addWorkload('web', { image: 'nginxinc/nginx-unprivileged:1.27', port: 8080, runAsNonRoot: true });
  return t;
}

/** The Application named `name` among the written files. */
function applicationIn(files: Map<string, any[]>, name: string): any {
  const apps = [...files.values()].flat().filter((o) => o?.kind === 'Application' && o.metadata.name === name);
  expect(apps).toHaveLength(1);
  return apps[0];
}

/** The written files that hold an object of one of `namespaces` (their Namespaces are the platform's). */
function filesHolding(files: Map<string, any[]>, namespaces: string[]): string[] {
  return [...files.entries()]
    .filter(([, docs]) => docs.some((o) => o && namespaces.includes(o.metadata.namespace)))
    .map(([f]) => f).sort();
}

function includeOf(application: any): string[] {
  const include: string = application.spec.source.directory.include;
  expect(include).toMatch(/^\{.*\}$/);
  return include.slice(1, -1).split(',').sort();
}

describe('plain App, FOLDER_PER_CHART_FILE_PER_RESOURCE: supported with one Chart per tenant', () => {
  test('the Application includes exactly the files cdk8s wrote for the tenant, with recurse', () => {
    // GIVEN
    const app = plainApp(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE);
    acme(new Chart(app, 'acme'));
    new IsolatedTenant(new Chart(app, 'customer1'), 'customer1').addWorkload('nginx', { image: 'nginx', port: 80 });
    new ClusterBaseline(new Chart(app, 'cluster'), 'baseline');
    new PlatformArgoCd(new Chart(app, 'platform'), 'argocd', { repoURL: REPO });

    // WHEN
    app.synth();

    // THEN
    const files = readDir(app.outdir);
    const application = applicationIn(files, 'acme');
    expect(includeOf(application)).toEqual(filesHolding(files, ['acme']));
    expect(includeOf(application)).toEqual([
      'acme/Deployment.web.k8s.yaml', 'acme/NetworkPolicy.deny-from-other-namespaces.k8s.yaml', 'acme/Service.web.k8s.yaml',
    ]);
    expect(application.spec.source.directory.recurse).toBe(true);
    expect(application.spec.source.path).toBe('dist');
    // the Argo CD objects and the Namespace are not in the files the tenant's Application syncs: the platform's syncs them
    expect(includeOf(application)).not.toContain('acme/Application.acme.k8s.yaml');
    expect(listFiles(app.outdir)).toContain('acme/Application.acme.k8s.yaml');
    const platform = applicationIn(files, 'tenancy-platform');
    expect(includeOf(platform)).toEqual([
      'acme/AppProject.acme.k8s.yaml', 'acme/Application.acme.k8s.yaml', 'acme/Namespace.acme.k8s.yaml',
      'cluster/ClusterNetworkPolicy.tenancy-baseline.k8s.yaml', 'customer1/Namespace.customer1.k8s.yaml',
    ]);
    expect(platform.spec.source.directory.recurse).toBe(true);
    // every written file but the platform's own objects is synced by exactly one Application
    const synced = [...includeOf(application), ...includeOf(platform), ...filesHolding(files, ['customer1'])].sort();
    expect(synced).toEqual(listFiles(app.outdir).filter((f) => !f.startsWith('platform/')));
  });
});

describe('plain App, FILE_PER_RESOURCE: supported while no two objects share kind and name', () => {
  test('one tenant: the Application includes its files', () => {
    const app = plainApp(YamlOutputType.FILE_PER_RESOURCE);
    const chart = new Chart(app, 'tenancy');
    acme(chart);
    new PlatformArgoCd(chart, 'argocd', { repoURL: REPO });
    app.synth();
    const files = readDir(app.outdir);
    const application = applicationIn(files, 'acme');
    expect(includeOf(application)).toEqual(filesHolding(files, ['acme']));
    expect(includeOf(application)).not.toContain('Namespace.acme.k8s.yaml');
    expect(includeOf(applicationIn(files, 'tenancy-platform'))).toEqual(['AppProject.acme.k8s.yaml', 'Application.acme.k8s.yaml', 'Namespace.acme.k8s.yaml']);
    expect(application.spec.source.directory.recurse).toBeUndefined();
  });

  test('a tenant with two namespaces, or two tenants: their deny-from-other-namespaces policies would overwrite each other, so synth fails and writes nothing', () => {
    // GIVEN
    const app = plainApp(YamlOutputType.FILE_PER_RESOURCE);
    const chart = new Chart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');

    // WHEN / THEN
    expect(() => app.synth()).toThrow(
      '[tenancy/customer2/DenyFromOtherNamespaces] NetworkPolicy customer2/deny-from-other-namespaces and NetworkPolicy customer1/deny-from-other-namespaces (tenancy/customer1/DenyFromOtherNamespaces) would both be written to NetworkPolicy.deny-from-other-namespaces.k8s.yaml: cdk8s\'s FILE_PER_RESOURCE layout names files by kind and name only, so one would overwrite the other. Give each tenant a Chart of its own with FOLDER_PER_CHART_FILE_PER_RESOURCE, or use TenancyApp (one file per namespace, custom resources in custom-resources/).');
    expect(fs.existsSync(app.outdir)).toBe(false);

    const folders = plainApp(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE);
    new IsolatedTenant(new Chart(folders, 'acme'), 'acme', { extraNamespaces: ['acme-data'] });
    expect(() => folders.synth()).toThrow('[acme/acme/DenyFromOtherNamespaces-acme-data] NetworkPolicy acme-data/deny-from-other-namespaces and NetworkPolicy acme/deny-from-other-namespaces (acme/acme/DenyFromOtherNamespaces) would both be written to acme/NetworkPolicy.deny-from-other-namespaces.k8s.yaml: cdk8s\'s FOLDER_PER_CHART_FILE_PER_RESOURCE layout names files by kind and name only');
  });
});

describe('plain App, FILE_PER_CHART (cdk8s\'s default) and FILE_PER_APP', () => {
  test('FILE_PER_CHART, Argo CD: the Application would sync its own chart file, which holds the Argo CD objects too, so synth fails', () => {
    // GIVEN
    const app = plainApp();
    const tenant = new IsolatedTenant(new Chart(app, 'acme'), 'acme', { extraNamespaces: ['acme-data'], argoCd: { repoURL: REPO } });
    tenant.addWorkload('web', { image: 'nginxinc/nginx-unprivileged:1.27', port: 8080, runAsNonRoot: true });

    // WHEN / THEN
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message.split('\n')).toEqual([
      'Validation failed with the following errors:',
      '  [acme/acme/ArgoCd/AppProject] custom resource AppProject argocd/acme would be written to acme.k8s.yaml together with built-in objects (Namespace acme, NetworkPolicy acme/deny-from-other-namespaces, Namespace acme-data and 3 more), while this app does not define its CustomResourceDefinition: applied from that file on a cluster without the CRD (kubectl apply, an Argo CD sync), it fails. Tenant "acme" writes it in its own chart, so give it a file of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE (one file per object), or use TenancyApp (one file per namespace, custom resources in custom-resources/).',
      '  [acme/acme/ArgoCd/Application] custom resource Application argocd/acme would be written to acme.k8s.yaml together with built-in objects (Namespace acme, NetworkPolicy acme/deny-from-other-namespaces, Namespace acme-data and 3 more), while this app does not define its CustomResourceDefinition: applied from that file on a cluster without the CRD (kubectl apply, an Argo CD sync), it fails. Tenant "acme" writes it in its own chart, so give it a file of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE (one file per object), or use TenancyApp (one file per namespace, custom resources in custom-resources/).',
      '  [acme/acme/ArgoCd] tenant "acme"\'s Argo CD Application would sync acme.k8s.yaml, which also holds objects outside the tenant\'s namespaces (Namespace acme, Namespace acme-data, AppProject argocd/acme and 1 more): Argo CD refuses to sync them in the tenant\'s project. With cdk8s\'s FILE_PER_CHART layout, give each tenant a Chart of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE, or use TenancyApp (one file per namespace, custom resources in custom-resources/).',
    ]);
    expect(fs.existsSync(app.outdir)).toBe(false);
  });

  test('FILE_PER_CHART, adminIsolation: the tenant\'s ClusterNetworkPolicy would share its chart\'s file, and the fix is the layout', () => {
    // GIVEN
    const app = plainApp();
    new IsolatedTenant(new Chart(app, 'customer1'), 'customer1', { adminIsolation: {} });

    // WHEN / THEN
    expect(() => app.synth()).toThrow('[customer1/customer1/AdminIsolation/Resource] custom resource ClusterNetworkPolicy tenant-customer1 would be written to customer1.k8s.yaml together with built-in objects (Namespace customer1, NetworkPolicy customer1/deny-from-other-namespaces), while this app does not define its CustomResourceDefinition: applied from that file on a cluster without the CRD (kubectl apply, an Argo CD sync), it fails. Tenant "customer1" writes it in its own chart, so give it a file of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE (one file per object), or use TenancyApp (one file per namespace, custom resources in custom-resources/).');
  });

  test('FOLDER_PER_CHART_FILE_PER_RESOURCE, adminIsolation: the ClusterNetworkPolicy in a file of its own', () => {
    // GIVEN
    const app = plainApp(YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE);
    new IsolatedTenant(new Chart(app, 'customer1'), 'customer1', { adminIsolation: {} });

    // WHEN
    app.synth();

    // THEN
    const cnp = readDir(app.outdir).get(path.join('customer1', 'ClusterNetworkPolicy.tenant-customer1.k8s.yaml'));
    expect(cnp?.map((o) => [o.kind, o.metadata.name, o.spec.tier])).toEqual([['ClusterNetworkPolicy', 'tenant-customer1', 'Admin']]);
  });

  test('FILE_PER_CHART, the platform\'s Application: a tenant chart\'s file holds its Namespace and its objects, so synth fails', () => {
    const app = plainApp();
    new IsolatedTenant(new Chart(app, 'tenancy'), 'customer1');
    new PlatformArgoCd(new Chart(app, 'platform'), 'argocd', { repoURL: REPO });
    expect(() => app.synth()).toThrow('[platform/argocd] the platform\'s Argo CD Application would sync tenancy.k8s.yaml, which also holds objects of tenant namespaces (NetworkPolicy customer1/deny-from-other-namespaces): two Applications would manage them. With cdk8s\'s FILE_PER_CHART layout, give each tenant a Chart of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE, or use TenancyApp (one file per namespace, custom resources in custom-resources/).');
    expect(fs.existsSync(app.outdir)).toBe(false);
  });

  test('FILE_PER_CHART without Argo CD: tenants and a ClusterBaseline in a chart of its own are written as cdk8s does', () => {
    // GIVEN
    const app = plainApp();
    const chart = new Chart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');
    new ClusterBaseline(new Chart(app, 'cluster'), 'baseline');

    // WHEN
    app.synth();

    // THEN
    expect(listFiles(app.outdir)).toEqual(['cluster.k8s.yaml', 'tenancy.k8s.yaml']);
    expect(readDir(app.outdir).get('cluster.k8s.yaml')!.map((o) => o.kind)).toEqual(['ClusterNetworkPolicy']);
  });

  test('FILE_PER_CHART: the baseline ClusterNetworkPolicy in the tenants\' chart fails, since that file is applied before its CRD exists', () => {
    const app = plainApp();
    const chart = new Chart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new ClusterBaseline(chart, 'baseline');
    expect(() => app.synth()).toThrow('[tenancy/baseline/Resource] custom resource ClusterNetworkPolicy tenancy-baseline would be written to tenancy.k8s.yaml together with built-in objects (Namespace customer1, NetworkPolicy customer1/deny-from-other-namespaces)');
  });

  test('with the CRD in the app, the custom resource is ordered after it (its chart after the CRD\'s)', () => {
    // GIVEN the CRD, included from a file, in a chart declared after the tenants' chart
    const app = plainApp();
    const chart = new Chart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new ClusterBaseline(chart, 'baseline');
    new Include(new Chart(app, 'crds'), 'banp', { url: CRD_FILE });

    // WHEN
    app.synth();

    // THEN cdk8s numbers the charts in dependency order: the CRD's first
    expect(listFiles(app.outdir)).toEqual(['0000-crds.k8s.yaml', '0001-tenancy.k8s.yaml']);
    const kinds = readDir(app.outdir).get('0001-tenancy.k8s.yaml')!.map((o) => o.kind);
    expect(kinds).toContain('ClusterNetworkPolicy');
  });

  test('FILE_PER_APP: everything is one file, so a custom resource of the package fails', () => {
    const app = plainApp(YamlOutputType.FILE_PER_APP);
    const chart = new Chart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new ClusterBaseline(new Chart(app, 'cluster'), 'baseline');
    expect(() => app.synth()).toThrow('[cluster/baseline/Resource] custom resource ClusterNetworkPolicy tenancy-baseline would be written to app.k8s.yaml together with built-in objects');
  });

  test('FILE_PER_APP without custom resources works', () => {
    const app = plainApp(YamlOutputType.FILE_PER_APP);
    new IsolatedTenant(new Chart(app, 'tenancy'), 'customer1');
    app.synth();
    expect(listFiles(app.outdir)).toEqual(['app.k8s.yaml']);
  });
});

describe('what writes no files is not concerned', () => {
  test('Testing.synth of a chart with everything in it does not run the layout checks', () => {
    const chart = Testing.chart();
    acme(chart);
    new ClusterBaseline(chart, 'baseline');
    new PlatformArgoCd(chart, 'argocd', { repoURL: REPO });
    const objects = Testing.synth(chart);
    const application = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'acme');
    // what cdk8s would write for this app (FILE_PER_CHART): the chart's file
    expect(application.spec.source.directory).toEqual({ include: '{test.k8s.yaml}' });
  });
});
