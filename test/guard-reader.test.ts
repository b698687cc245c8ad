/**
 * The guard reads the app as `tenancy` reads the files the app writes: same files, same order, lists expanded,
 * last wins; and it refuses any object that replaces, or is replaced by, an object the package wrote.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { IsolatedTenant, TenancyApp } from '../src';
import { identityKey, loadManifests, objectRef, readDocuments } from '../src/analysis';
import { collectObjects } from '../src/app';
import { isolationGuard } from '../src/guard';
import { outputLayout } from '../src/output-layout';
import { tmpdir } from './support/util';

/** The error message of a failed synth (or '' when it passes). */
function synthError(app: App): string {
  try {
    if (app instanceof TenancyApp) app.synthFiles(); else app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

const PACKAGE_POLICY: k8s.NetworkPolicySpec = { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] };

const OFFENDERS: Array<[string, (scope: Chart) => void, RegExp]> = [
  ['a NetworkPolicy with the package policy\'s name, identical', (c) => {
    new k8s.KubeNetworkPolicy(c, 'mine', { metadata: { name: 'deny-from-other-namespaces', namespace: 'customer1' }, spec: PACKAGE_POLICY });
  }, /isolation guard: NetworkPolicy customer1\/deny-from-other-namespaces is written twice: here, .*, and by cdk8s-tenancy at \[a\/customer1\/DenyFromOtherNamespaces\]/],
  ['a cdk8s-plus Namespace', (c) => { new kplus.Namespace(c, 'mine', { metadata: { name: 'customer1' } }); },
    /isolation guard: Namespace customer1 is written twice: here, .*, and by cdk8s-tenancy at \[a\/customer1\/Namespace\]/],
  ['a raw ApiObject Namespace', (c) => { new ApiObject(c, 'mine', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'customer1' } }); },
    /isolation guard: Namespace customer1 is written twice: here, .*, and by cdk8s-tenancy at \[a\/customer1\/Namespace\]/],
  ['a KubeNamespace with more labels', (c) => { new k8s.KubeNamespace(c, 'mine', { metadata: { name: 'customer1', labels: { team: 'x' } } }); },
    /isolation guard: Namespace customer1 is written twice: here, .*, and by cdk8s-tenancy at \[a\/customer1\/Namespace\]/],
];

const APPS: Array<[string, () => App]> = [
  ['TenancyApp', () => new TenancyApp({ outdir: tmpdir() })],
  ['cdk8s App', () => new App({ outdir: tmpdir() })],
];

describe('an object of the app that replaces, or is replaced by, an object the package wrote fails synth', () => {
  for (const [appName, newApp] of APPS) {
    for (const [offenderName, offend, message] of OFFENDERS) {
      // The offender's chart sorts before ('0') or after ('z') the tenant's ('a'), declared before or after it.
      test.each([['0', 'first'], ['z', 'first'], ['0', 'last'], ['z', 'last']])(`${appName}: ${offenderName} (chart %s, declared %s)`, (chartId, declared) => {
        const app = newApp();
        const tenantChart = () => new IsolatedTenant(new Chart(app, 'a'), 'customer1');
        if (declared === 'last') tenantChart();
        offend(new Chart(app, chartId));
        if (declared === 'first') tenantChart();
        const error = synthError(app);
        expect(error).toMatch(message);
        expect(error).toContain(`[${chartId}/mine`);
      });
    }
  }

  test('the message names both construct paths, files and documents, and the fix', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    new IsolatedTenant(new Chart(app, 'a'), 'customer1');
    new k8s.KubeNetworkPolicy(new Chart(app, 'z'), 'mine', { metadata: { name: 'deny-from-other-namespaces', namespace: 'customer1' }, spec: PACKAGE_POLICY });
    expect(synthError(app)).toBe('Validation failed with the following errors:\n'
      + '  [z/mine] isolation guard: NetworkPolicy customer1/deny-from-other-namespaces is written twice: here, customer1.k8s.yaml (document 1, 0-based), '
      + 'and by cdk8s-tenancy at [a/customer1/DenyFromOtherNamespaces], customer1.k8s.yaml (document 0, 0-based); kubectl apply and Argo CD keep the last '
      + 'of two objects with the same identity: yours comes later and replaces the package\'s, so the cluster would not have the package\'s NetworkPolicy. '
      + 'Give your object another metadata.name, or remove it (the objects the package writes are set through the props of its constructs).');
  });

  test('when the package\'s object comes last, the message says yours never takes effect; a Namespace gets the Namespace fix', () => {
    const app = new App({ outdir: tmpdir() });
    new IsolatedTenant(new Chart(app, 'z'), 'customer1');
    new kplus.Namespace(new Chart(app, 'a'), 'mine', { metadata: { name: 'customer1' } });
    expect(synthError(app)).toBe('Validation failed with the following errors:\n'
      + '  [] [a/mine/Resource] isolation guard: Namespace customer1 is written twice: here, a.k8s.yaml (document 0, 0-based), and by cdk8s-tenancy at '
      + '[z/customer1/Namespace], z.k8s.yaml (document 0, 0-based); kubectl apply and Argo CD keep the last of two objects with the same identity: '
      + 'the package\'s comes later and replaces yours, so yours would never take effect. The tenant already writes Namespace customer1: remove the '
      + 'other declaration (to give the namespace more labels, use the tenant\'s namespaceLabels prop).');
  });

  test.each<[string, YamlOutputType, string]>([
    ['one file per resource', YamlOutputType.FILE_PER_RESOURCE, 'NetworkPolicy.deny-from-other-namespaces.k8s.yaml'],
    ['a folder per chart, one file per resource', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'a/NetworkPolicy.deny-from-other-namespaces.k8s.yaml'],
  ])('%s: the guard reads the object written last to a file (App.synth refuses the app before)', (_name, yamlOutputType, file) => {
    // GIVEN two tenants in one chart, whose policies have one name
    const app = new App({ outdir: tmpdir(), yamlOutputType });
    const chart = new Chart(app, 'a');
    new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');
    // WHEN
    const layout = outputLayout(app, collectObjects(app));
    // THEN
    const policies = layout.files.filter((f) => f.file === file);
    expect(policies.map((f) => f.objects.map((o) => o.path))).toEqual([['a/customer2/DenyFromOtherNamespaces']]);
    expect(synthError(app)).toContain(`would both be written to ${file}`);
    expect(synthError(app)).toContain('custom resources in custom-resources/');
  });

  test('objects of the app that only replace each other are read last-wins, as written', () => {
    const build = (openChart: string, closedChart: string) => {
      const app = new TenancyApp({ outdir: tmpdir() });
      new IsolatedTenant(new Chart(app, 'a'), 'customer1');
      new k8s.KubeNetworkPolicy(new Chart(app, openChart), 'np', { metadata: { name: 'extra', namespace: 'customer1' }, spec: { podSelector: {}, ingress: [{}] } });
      new k8s.KubeNetworkPolicy(new Chart(app, closedChart), 'np', { metadata: { name: 'extra', namespace: 'customer1' }, spec: { podSelector: {}, ingress: [] } });
      return synthError(app);
    };
    // the open policy is written first and replaced: the cluster keeps the closed one
    expect(build('b', 'c')).toBe('');
    expect(build('c', 'b')).toMatch(/\[c\/np\] isolation guard: customer1\.k8s\.yaml \(document 2, 0-based\): customer1\/extra ingress\[0\]: admits every source/);
  });
});

describe('the guard expands lists', () => {
  test('a List of policies written by a raw ApiObject', () => {
    const chart = Testing.chart();
    new IsolatedTenant(chart, 'customer1');
    new ApiObject(chart, 'list', {
      apiVersion: 'v1', kind: 'List',
      items: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'leak', namespace: 'customer1' }, spec: { podSelector: {}, ingress: [{}] } }],
    } as any);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/list\] isolation guard: test\.k8s\.yaml \(document 2, 0-based, items\[0\]\): customer1\/leak ingress\[0\]: admits every source/);
  });

  test('a NetworkPolicyList whose items have no kind', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'c');
    new IsolatedTenant(chart, 'customer1');
    new ApiObject(chart, 'list', {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList',
      items: [{ metadata: { name: 'leak', namespace: 'customer1' }, spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] } }],
    } as any);
    expect(synthError(app)).toMatch(/\[c\/list\] isolation guard: default\.k8s\.yaml \(document 0, 0-based, items\[0\]\): customer1\/leak ingress\[0\] from\[0\]: admits pods of any namespace/);
  });

  test('a List the analyzer cannot read fails synth naming the construct', () => {
    const chart = Testing.chart();
    new IsolatedTenant(chart, 'customer1');
    new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'List', items: [{ metadata: { name: 'x' } }] } as any);
    expect(() => Testing.synth(chart)).toThrow('[test/list] isolation guard: test.k8s.yaml (document 2, 0-based, items[0]): the app writes an object the analyzer cannot read: '
      + 'items[0] of the List has no kind: a plain List does not say what its items are; add kind and apiVersion to the item');
  });
});

describe('the guard reads what the app writes, in the order tenancy reads the written files', () => {
  /** What `tenancy` reads from the written folder: file (relative), document, item and identity. */
  const fromDisk = (dir: string) => loadManifests([dir]).map((o) => `${path.relative(dir, o.file)} ${o.docIndex} ${o.itemIndex ?? ''} ${identityKey(objectRef(o.object)!)}`);
  /** What the guard reads. */
  const fromGuard = (app: App) => readDocuments(outputLayout(app, collectObjects(app)).files.map((f) => ({ file: f.file, documents: f.objects.map((o) => o.manifest) })))
    .map((o) => `${o.file} ${o.docIndex} ${o.itemIndex ?? ''} ${identityKey(objectRef(o.object)!)}`);

  const populate = (app: App, perResource = false) => {
    // namespaces whose file names sort differently from their names (acme-data.k8s.yaml < acme.k8s.yaml); with
    // one file per resource, two tenants would write their policies to one file (see above)
    const one = new Chart(app, 'b-tenants');
    new IsolatedTenant(one, 'acme');
    if (!perResource) new IsolatedTenant(one, 'acme-data');
    const two = new Chart(app, 'b');
    new ApiObject(two, 'list', { apiVersion: 'v1', kind: 'ConfigMapList', items: [{ metadata: { name: 'c1', namespace: 'acme' } }, { metadata: { name: 'c2', namespace: 'acme' } }] } as any);
    new ApiObject(two, 'crd', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    new ApiObject(two, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } });
  };

  test.each<[string, () => App]>([
    ['TenancyApp', () => new TenancyApp({ outdir: path.join(tmpdir(), 'dist') })],
    ['App, one file per chart', () => new App({ outdir: path.join(tmpdir(), 'dist') })],
    ['App, one file', () => new App({ outdir: path.join(tmpdir(), 'dist'), yamlOutputType: YamlOutputType.FILE_PER_APP })],
    ['App, a folder per chart', () => new App({ outdir: path.join(tmpdir(), 'dist'), yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE })],
    ['App, a file per resource', () => new App({ outdir: path.join(tmpdir(), 'dist'), yamlOutputType: YamlOutputType.FILE_PER_RESOURCE })],
  ])('%s', (_name, newApp) => {
    const app = newApp();
    populate(app, [YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE].includes(app.yamlOutputType));
    const guard = fromGuard(app);
    app.synth();
    expect(guard).toEqual(fromDisk(app.outdir));
    expect(guard.length).toBeGreaterThanOrEqual(6);
  });

  test('a cdk8s App whose charts depend on each other names its files with an index', () => {
    const app = new App({ outdir: path.join(tmpdir(), 'dist') });
    populate(app);
    const c = new Chart(app, 'a');
    new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    c.addDependency(app.node.findChild('b'));
    const guard = fromGuard(app);
    app.synth();
    expect(guard).toEqual(fromDisk(app.outdir));
    expect(guard[0]).toMatch(/^0000-/);
  });
});

describe('what the guard\'s messages point at', () => {
  const RULE = 'kubectl apply and Argo CD keep the last of two objects with the same identity';
  const NOT_ISOLATED = 'namespace customer1 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes';
  const tenantObjects = () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    new IsolatedTenant(new Chart(app, 'a'), 'customer1', { quota: {} });
    return collectObjects(app);
  };

  test('two objects of the package with one identity: the later names the earlier, and the fix is another name', () => {
    // GIVEN the tenant's policy written a second time, by another construct
    const objects = tenantObjects();
    const again = objects.filter((o) => o.manifest.kind === 'NetworkPolicy').map((o) => ({ ...o, path: `copy/${o.path}` }));
    // WHEN / THEN
    expect(isolationGuard([...objects, ...again])).toEqual([
      '[copy/a/customer1/DenyFromOtherNamespaces] isolation guard: NetworkPolicy customer1/deny-from-other-namespaces is written twice by cdk8s-tenancy, '
      + 'at [a/customer1/DenyFromOtherNamespaces], customer1.k8s.yaml (document 2, 0-based), and here, customer1.k8s.yaml (document 3, 0-based); '
      + `${RULE}. Give one of them another name.`,
    ]);
  });

  test('another object of the core group than a Namespace, or a custom resource of kind Namespace, gets the fix of another name', () => {
    // GIVEN a ResourceQuota of the app with the name of the tenant's
    const objects = tenantObjects();
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'tenant-quota', namespace: 'customer1' }, spec: {} };
    // WHEN / THEN
    expect(isolationGuard([...objects, { file: 'customer1', path: 'z/quota', manifest: quota }])).toEqual([
      '[z/quota] isolation guard: ResourceQuota customer1/tenant-quota is written twice: here, customer1.k8s.yaml (document 3, 0-based), and by cdk8s-tenancy '
      + `at [a/customer1/Quota/ResourceQuota-customer1], customer1.k8s.yaml (document 0, 0-based); ${RULE}: yours comes later and replaces the package's, `
      + 'so the cluster would not have the package\'s ResourceQuota. Give your object another metadata.name, or remove it (the objects the package writes are '
      + 'set through the props of its constructs).',
    ]);
    // GIVEN a custom resource of kind Namespace labelled as the package's, then one of the app
    const custom = (path: string, labels: Record<string, string>) => ({ file: 'x', path, manifest: { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'customer1', labels } } });
    // WHEN / THEN
    expect(isolationGuard([...objects, custom('x/package', { 'app.kubernetes.io/managed-by': 'cdk8s-tenancy' }), custom('x/mine', {})])).toEqual([
      `[x/mine] isolation guard: Namespace customer1 is written twice: here, x.k8s.yaml (document 1, 0-based), and by cdk8s-tenancy at [x/package], x.k8s.yaml (document 0, 0-based); ${RULE}: `
      + 'yours comes later and replaces the package\'s, so the cluster would not have the package\'s Namespace. Give your object another metadata.name, or remove it '
      + '(the objects the package writes are set through the props of its constructs).',
    ]);
  });

  test('a violation about a namespace points at its core Namespace, not at a custom resource of that name nor at an object without a name', () => {
    // GIVEN a tenant Namespace without policies, then a custom resource of kind Namespace with its name, and a List item without a name
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'customer1', labels: { 'tenancy.cdk8s.io/tenant': 'customer1' } } };
    const custom = { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'customer1' } };
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'c-' } }] };
    // WHEN
    const messages = isolationGuard([
      { file: 'a', path: 'app/namespace', manifest: namespace },
      { file: 'b', path: 'app/custom', manifest: custom },
      { file: 'b', path: 'app/list', manifest: list },
    ]);
    // THEN
    expect(messages).toEqual([`[app/namespace] isolation guard: a.k8s.yaml (document 0, 0-based): ${NOT_ISOLATED}`]);
  });

  test('a violation about a namespace that no object declares names the namespace', () => {
    // GIVEN an object of tenant customer1, and no Namespace
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'customer1', labels: { 'tenancy.cdk8s.io/tenant': 'customer1' } } };
    // WHEN / THEN
    expect(isolationGuard([{ file: 'customer1', path: 'app/config', manifest: config }])).toEqual([
      '[app/config] isolation guard: customer1.k8s.yaml (document 0, 0-based): namespace customer1 has objects of tenant customer1, e.g. ConfigMap c '
      + '(customer1.k8s.yaml (document 0, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label '
      + 'tenancy.cdk8s.io/tenant: customer1, or remove the tenant\'s objects',
      `[customer1] isolation guard: ${NOT_ISOLATED}`,
    ]);
  });
});

describe('outputLayout: the files each kind of root writes', () => {
  const files = (root: IConstruct) => outputLayout(root, collectObjects(root)).files.map((f) => [f.file, f.objects.map((o) => o.path)]);

  test('objects under a construct tree without an App are laid out one file per namespace, named <namespace>.k8s.yaml', () => {
    // GIVEN objects as collectObjects gives them (a tree without an App cannot render its own)
    const manifest = (kind: string, name: string) => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'customer1' } });
    const objects = [
      { file: 'customer1', manifest: manifest('ConfigMap', 'a'), path: 'c/a' },
      { file: '+cluster', manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'customer1' } }, path: 'c/ns' },
      { file: 'customer1', manifest: manifest('ConfigMap', 'b'), path: 'c/b' },
    ];
    // WHEN
    const layout = outputLayout(new Construct(undefined as any, ''), objects);
    // THEN
    expect(layout.files.map((f) => [f.file, f.objects.map((o) => o.path)])).toEqual([['+cluster.k8s.yaml', ['c/ns']], ['customer1.k8s.yaml', ['c/a', 'c/b']]]);
  });

  test('a TenancyApp names its files with its outputFileExtension', () => {
    // GIVEN
    const app = new TenancyApp({ outdir: tmpdir(), outputFileExtension: '.yml' });
    new IsolatedTenant(new Chart(app, 'c'), 'customer1');
    // WHEN / THEN
    expect(files(app)).toEqual([['+cluster.yml', ['c/customer1/Namespace']], ['customer1.yml', ['c/customer1/DenyFromOtherNamespaces']]]);
  });

  test('a cdk8s App writes the objects of a chart inside a chart to the inner chart\'s file only, as App.synth does', () => {
    // GIVEN
    const app = new App({ outdir: path.join(tmpdir(), 'dist') });
    const outer = new Chart(app, 'outer');
    new ApiObject(outer, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    new ApiObject(new Chart(outer, 'inner'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    // WHEN
    const layout = files(app);
    app.synth();
    // THEN
    expect(layout).toEqual([['0000-outer-inner-c841ea9b.k8s.yaml', ['outer/inner/cm']], ['0001-outer.k8s.yaml', ['outer/cm']]]);
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['0000-outer-inner-c841ea9b.k8s.yaml', '0001-outer.k8s.yaml']);
  });
});

describe('the README examples of the guard are real output', () => {
  const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

  test('a policy that admits any namespace', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new k8s.KubeNetworkPolicy(chart, 'leak', {
      metadata: { name: 'leak', namespace: 'customer1' },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }, { from: [{ namespaceSelector: {} }], ports: [{ port: k8s.IntOrString.fromNumber(80) }] }] },
    });
    const lines = synthError(app).split('\n');
    expect(lines).toHaveLength(2);
    expect(README).toContain(`\n${lines[0]}\n${lines[1]}\n`);
  });

  test('a Namespace declared twice', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    new IsolatedTenant(new Chart(app, 'tenancy'), 'customer1');
    new kplus.Namespace(new Chart(app, 'workloads'), 'ns', { metadata: { name: 'customer1' } });
    const lines = synthError(app).split('\n');
    expect(lines).toHaveLength(3);
    expect(README).toContain(`\n${lines[1]}\n${lines[2]}\n`);
  });
});
