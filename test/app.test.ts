import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { IsolatedTenant, Port, TenancyApp, TenantIsolation, DbWebappLink } from '../src';
import { readDir, synthApp, tmpdir } from './support/util';

function build(app: TenancyApp, order: string[]): void {
  const chart = new Chart(app, 'tenancy');
  for (const name of order) {
    const t = new IsolatedTenant(chart, name);
    t.addWorkload('nginx', { image: 'nginx', port: 80 });
    t.addWorkload('api', { image: 'nginx', port: 8080 });
  }
}

describe('TenancyApp', () => {
  test('Namespaces in +cluster.k8s.yaml, then one file per namespace, policies before workloads', () => {
    const dir = synthApp((app) => build(app, ['b', 'a']));
    const files = readDir(dir);
    expect([...files.keys()]).toEqual(['+cluster.k8s.yaml', 'a.k8s.yaml', 'b.k8s.yaml']);
    const cluster = files.get('+cluster.k8s.yaml')!;
    expect(cluster.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Namespace/a', 'Namespace/b']);
    for (const d of cluster) expect(d.metadata.namespace).toBeUndefined();
    for (const ns of ['a', 'b']) {
      const docs = files.get(`${ns}.k8s.yaml`)!;
      expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
        'NetworkPolicy/deny-from-other-namespaces', 'Service/api', 'Service/nginx', 'Deployment/api', 'Deployment/nginx',
      ]);
      for (const d of docs) expect(d.metadata.namespace).toBe(ns);
    }
  });

  test('kubectl apply -f dist/ applies files in lexical (byte) order: +cluster.k8s.yaml sorts before every namespace file, digits first included', () => {
    // GIVEN namespaces whose names start with the lowest characters a namespace name may start with
    const dir = synthApp((app) => build(app, ['0', '00-a', '9z', 'a']));
    // WHEN the folder is listed in byte order, as kubectl walks it
    const names = fs.readdirSync(dir).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    // THEN the Namespaces come first
    expect(names).toEqual(['+cluster.k8s.yaml', '0.k8s.yaml', '00-a.k8s.yaml', '9z.k8s.yaml', 'a.k8s.yaml']);
    expect(readDir(dir).get('+cluster.k8s.yaml')!.map((d) => d.kind)).toEqual(['Namespace', 'Namespace', 'Namespace', 'Namespace']);
  });

  test('output does not depend on declaration order and is byte-identical between synths', () => {
    const one = new TenancyApp({ outdir: tmpdir() });
    build(one, ['c', 'a', 'b']);
    const two = new TenancyApp({ outdir: tmpdir() });
    build(two, ['b', 'c', 'a']);
    const filesOne = one.synthFiles();
    expect(two.synthFiles()).toEqual(filesOne);
    expect(one.synthFiles()).toEqual(filesOne);
    expect(one.synthYaml()).toBe([...filesOne.values()].join(''));
    for (const text of filesOne.values()) expect(text.startsWith('---\n')).toBe(true);
  });

  test('cluster-scoped objects go to +cluster.k8s.yaml after the Namespaces, objects without namespace to default', () => {
    const dir = synthApp((app) => {
      const chart = new Chart(app, 'c');
      new (require('cdk8s').ApiObject)(chart, 'cr', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } });
      new (require('cdk8s').ApiObject)(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } });
    });
    expect([...readDir(dir).keys()]).toEqual(['+cluster.k8s.yaml', 'default.k8s.yaml']);
  });

  test('a failed synth leaves the previous output untouched and no staging folder behind', () => {
    const parent = tmpdir();
    const outdir = path.join(parent, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'previous.k8s.yaml'), 'kept');
    const app = new TenancyApp({ outdir });
    const chart = new Chart(app, 'tenancy');
    const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    shop.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
    new DbWebappLink(shop, 'link', { webapp: { app: 'webapp' }, database: { app: 'typo' }, port: Port.tcp(5000) });
    expect(() => app.synth()).toThrow('[tenancy/shop/link] database selector {"app":"typo"} matches no workload of tenant "shop"');
    expect(fs.readdirSync(parent)).toEqual(['dist']);
    expect(fs.readdirSync(outdir)).toEqual(['previous.k8s.yaml']);
  });

  test('a successful synth replaces the folder whole (no stale files)', () => {
    const parent = tmpdir();
    const outdir = path.join(parent, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'stale.k8s.yaml'), 'old');
    const app = new TenancyApp({ outdir });
    build(app, ['a']);
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['+cluster.k8s.yaml', 'a.k8s.yaml']);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('with many files (created by a worker thread) the output is the same, and a failure leaves nothing behind', () => {
    const names = Array.from({ length: 250 }, (_, i) => `t${i}`);
    const parent = tmpdir();
    const outdir = path.join(parent, 'dist');
    const app = new TenancyApp({ outdir });
    build(app, names);
    app.synth();
    const expected = app.synthFiles();
    expect(fs.readdirSync(outdir).sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(fs.readFileSync(path.join(outdir, name), 'utf8')).toBe(text);
    expect(fs.readdirSync(parent)).toEqual(['dist']);

    const failing = new TenancyApp({ outdir });
    build(failing, names);
    const shop = new IsolatedTenant(failing.node.findChild('tenancy') as Chart, 'shop', { isolation: TenantIsolation.POD });
    new DbWebappLink(shop, 'link', { webapp: { app: 'nope' }, database: { app: 'none' }, port: Port.tcp(5000) });
    expect(() => failing.synth()).toThrow(/matches no workload/);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
    expect(fs.readdirSync(outdir).length).toBe(251);
  });

  test('constructs also work in a plain cdk8s App (Testing.chart)', () => {
    const chart = Testing.chart();
    new IsolatedTenant(chart, 'a');
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['Namespace', 'NetworkPolicy']);
  });

  test('YAML is safe for YAML 1.1 readers: ambiguous strings are quoted', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'c');
    const t = new IsolatedTenant(chart, 'a', { namespaceLabels: { enabled: 'on', count: '012' } });
    t.addWorkload('nginx', { image: 'nginx', port: 80, env: { FLAG: 'yes' } });
    const files = app.synthFiles();
    expect(files.get('+cluster.k8s.yaml')).toContain("enabled: 'on'");
    expect(files.get('+cluster.k8s.yaml')).toContain("count: '012'");
    expect(files.get('a.k8s.yaml')).toContain("value: 'yes'");
  });
});

describe('TenancyApp props', () => {
  test('yamlOutputType is refused rather than ignored', () => {
    expect(() => new TenancyApp({ yamlOutputType: 0 } as any)).toThrow(
      'TenancyApp writes one file per namespace and does not take yamlOutputType. Leave it out, or use a cdk8s App for another layout (the constructs work in any App).');
  });

  test('outputFileExtension and recordConstructMetadata are honoured', () => {
    const app = new TenancyApp({ outdir: tmpdir(), outputFileExtension: '.yaml', recordConstructMetadata: true });
    build(app, ['a']);
    const files = app.synthFiles();
    expect([...files.keys()]).toEqual(['+cluster.yaml', 'a.yaml', 'construct-metadata.json']);
    expect(JSON.parse(files.get('construct-metadata.json')!).resources['deny-from-other-namespaces']).toEqual({ path: 'tenancy/a/DenyFromOtherNamespaces' });
  });
});
