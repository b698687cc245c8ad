import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { TenancyApp } from '../src';
import { buildExampleApp } from '../src/main';
import { validateObjects } from './support/schema';
import { find, ofKind, tmpdir } from './support/util';

const DIST = path.join(__dirname, '..', 'dist');

function freshFiles(): Map<string, string> {
  const app = new TenancyApp({ outdir: tmpdir() });
  buildExampleApp(app);
  return app.synthFiles();
}

function distObjects(): any[] {
  return fs.readdirSync(DIST).sort().flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(DIST, f), 'utf8')) as any[]);
}

describe('the example app', () => {
  const files = freshFiles();
  const objects = [...files.values()].flatMap((text) => yaml.loadAll(text) as any[]);

  test('snapshot of the whole app', () => {
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });

  test('dist/ equals a fresh synth (run `npm run synth` and commit dist/ when this fails)', () => {
    expect(fs.readdirSync(DIST).sort()).toEqual([...files.keys()]);
    for (const [name, text] of files) {
      expect(`${name}:\n${fs.readFileSync(path.join(DIST, name), 'utf8')}`).toBe(`${name}:\n${text}`);
    }
  });

  test('two synths are byte-identical', () => {
    expect(freshFiles()).toEqual(files);
  });

  test('every object in dist/ validates against the Kubernetes API schema, unknown fields included', () => {
    const all = distObjects();
    expect(all.length).toBeGreaterThan(0);
    expect(validateObjects(all)).toEqual([]);
  });

  test('the schema check catches unknown fields and wrong types', () => {
    const bad = JSON.parse(JSON.stringify(distObjects()));
    const np = bad.find((o: any) => o.kind === 'NetworkPolicy');
    np.spec.podSelecter = {};
    const dep = bad.find((o: any) => o.kind === 'Deployment');
    dep.spec.replicas = 'one';
    const problems = validateObjects(bad);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/replicas/);
    delete dep.spec.replicas;
    dep.spec.replicas = 1;
    expect(validateObjects(bad).join('\n')).toMatch(/'"podSelecter"' does not exist in type 'INetworkPolicySpec'/);
  });

  test('no metadata.namespace on cluster-scoped objects; every namespaced object in its file\'s namespace', () => {
    for (const [name, text] of files) {
      const docs = yaml.loadAll(text) as any[];
      const ns = name.replace('.k8s.yaml', '');
      expect(docs[0].kind).toBe('Namespace');
      expect(docs[0].metadata.name).toBe(ns);
      expect(docs[0].metadata.namespace).toBeUndefined();
      for (const d of docs.slice(1)) expect(d.metadata.namespace).toBe(ns);
    }
  });

  describe('scenario 1: customer1 and customer2', () => {
    test.each(['customer1', 'customer2'])('%s', (ns) => {
      expect(find(objects, 'Namespace', ns).metadata.labels['tenancy.cdk8s.io/tenant']).toBe(ns);
      const dep = find(objects, 'Deployment', 'nginx', ns);
      expect(dep.spec.template.spec.containers[0].image).toBe('nginx');
      expect(dep.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
      const svc = find(objects, 'Service', 'nginx', ns);
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
      expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
      const policies = ofKind(objects, 'NetworkPolicy', ns);
      expect(policies.map((p) => p.metadata.name)).toEqual(['deny-from-other-namespaces']);
      expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    });
  });

  test('scenario 2: shop with deny-communication and db-webapp', () => {
    const policies = ofKind(objects, 'NetworkPolicy', 'shop');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['db-webapp', 'deny-communication']);
    expect(find(objects, 'NetworkPolicy', 'deny-communication', 'shop').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(find(objects, 'NetworkPolicy', 'db-webapp', 'shop').spec).toEqual({
      podSelector: { matchLabels: { app: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'webapp' } } }], ports: [{ protocol: 'TCP', port: 5000 }] }],
    });
    expect(find(objects, 'Deployment', 'webapp', 'shop').spec.template.metadata.labels.app).toBe('webapp');
    const db = find(objects, 'Deployment', 'database', 'shop');
    expect(db.spec.template.metadata.labels.app).toBe('database');
    expect(db.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 5000, protocol: 'TCP' }]);
  });
});
