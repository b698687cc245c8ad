/**
 * Reading manifests: files, directories, multi-document YAML, JSON, List kinds, notes and bad input.
 */
import * as path from 'path';
import { analyze, buildModel, loadManifests } from '../../src/analysis';
import { useTempDir } from '../support/util';
import { inputError } from './helpers';

const tmp = useTempDir('tenancy-load-');
const write = tmp.write;

const POD = (name: string, ns = 'default') => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: ${ns} }\nspec: { containers: [] }\n`;

describe('loadManifests', () => {
  test('reads directories recursively (.yaml, .yml, .json), in sorted order, with file and document index', () => {
    write('b.yaml', `${POD('b1')}---\n${POD('b2')}`);
    write('sub/a.yml', POD('a'));
    write('sub/deeper/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' } }));
    write('notes.txt', 'not a manifest');
    const objs = loadManifests([tmp.dir()]);
    expect(objs.map((o) => [path.relative(tmp.dir(), o.file), o.docIndex, (o.object.metadata as { name: string }).name])).toEqual([
      ['b.yaml', 0, 'b1'], ['b.yaml', 1, 'b2'], [path.join('sub', 'a.yml'), 0, 'a'], [path.join('sub', 'deeper', 'c.json'), 0, 'c'],
    ]);
  });

  test('cdk8s\'s construct-metadata.json (written by `cdk8s synth --validate`) is skipped in a directory, read when named', () => {
    // GIVEN
    write('dist/a.k8s.yaml', POD('a'));
    const metadata = write('dist/construct-metadata.json', JSON.stringify({ version: '1.0.0', resources: { a: { path: 'chart/a' } } }));
    // WHEN / THEN
    expect(loadManifests([path.join(tmp.dir(), 'dist')]).map((o) => path.basename(o.file))).toEqual(['a.k8s.yaml']);
    expect(inputError(() => loadManifests([metadata]))).toMatch(/construct-metadata\.json \(document 0, 0-based\): the document has no kind/);
  });

  test('a file named explicitly is read whatever its extension; empty documents are skipped but counted', () => {
    const f = write('x.txt', `---\n---\n${POD('x')}---\n# only a comment\n`);
    const objs = loadManifests([f]);
    expect(objs.map((o) => o.docIndex)).toEqual([1]);
  });

  test('List and *List kinds are expanded', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' } }] };
    const podList = { apiVersion: 'v1', kind: 'PodList', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p3' } }] };
    write('l.yaml', `${JSON.stringify(list)}\n---\n${JSON.stringify(podList)}\n`);
    const r = analyze(loadManifests([tmp.dir()]));
    expect(r.workloads.map((w) => w.id)).toEqual(['default/p1[Pod]', 'default/p2[Pod]', 'default/p3[Pod]']);
  });

  test('an unreadable path names the path', () => {
    expect(inputError(() => loadManifests([path.join(tmp.dir(), 'missing.yaml')]))).toBe(`cannot read ${path.join(tmp.dir(), 'missing.yaml')}: no such file or directory`);
  });

  test('invalid YAML names the file, the 0-based document index and the line', () => {
    const f = write('bad.yaml', `${POD('ok')}---\n${POD('ok2')}---\nkind: Pod\nmetadata: [\n`);
    expect(inputError(() => loadManifests([f]))).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(document 2, 0-based\\): invalid YAML: .* at line 13, column \\d+$`));
  });

  test('invalid JSON names the file', () => {
    const f = write('bad.json', '{"kind": ');
    expect(inputError(() => loadManifests([f]))).toMatch(/bad\.json \(document 0, 0-based\): invalid JSON: /);
  });

  test('a document without kind names the file and document index', () => {
    const f = write('nokind.yaml', `${POD('ok')}---\napiVersion: v1\nmetadata: { name: x }\n`);
    expect(inputError(() => loadManifests([f]))).toBe(`${f} (document 1, 0-based): the document has no kind`);
  });

  test('a document that is not a map is rejected', () => {
    const f = write('scalar.yaml', 'just text\n');
    expect(inputError(() => loadManifests([f]))).toBe(`${f} (document 0, 0-based): the document is not a Kubernetes object (a map with apiVersion and kind)`);
  });
});

describe('bad policies name the file, the document and the field', () => {
  const policy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: default }\nspec: ${spec}\n`;
  const load = (spec: string) => {
    const f = write('p.yaml', `${POD('a')}---\n${policy(spec)}`);
    return inputError(() => analyze(loadManifests([f])));
  };
  const prefix = () => `${path.join(tmp.dir(), 'p.yaml')} (document 1, 0-based): NetworkPolicy p: `;

  test('unknown selector operator', () => {
    expect(load('{ podSelector: { matchExpressions: [ { key: app, operator: Equals, values: [a] } ] } }'))
      .toBe(`${prefix()}spec.podSelector.matchExpressions[0] has unknown operator "Equals"; use In, NotIn, Exists or DoesNotExist`);
  });

  test('In without values', () => {
    expect(load('{ podSelector: {}, ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: app, operator: In } ] } } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].from[0].podSelector.matchExpressions[0]: operator In needs at least one value`);
  });

  test('Exists with values', () => {
    expect(load('{ podSelector: { matchExpressions: [ { key: app, operator: Exists, values: [a] } ] } }'))
      .toBe(`${prefix()}spec.podSelector.matchExpressions[0]: operator Exists takes no values`);
  });

  test('malformed CIDR, and a missing mask with a suggestion', () => {
    expect(load('{ podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/33 } } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].from[0].ipBlock.cidr: malformed CIDR "10.0.0.0/33": expected a.b.c.d/n with n from 0 to 32`);
    expect(load('{ podSelector: {}, egress: [ { to: [ { ipBlock: { cidr: 10.0.0.1 } } ] } ] }'))
      .toBe(`${prefix()}spec.egress[0].to[0].ipBlock.cidr: CIDR mask is missing in IPv4: "10.0.0.1". Did you mean "10.0.0.1/32"?`);
    expect(load('{ podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/8, except: [ 10.300.0.0/16 ] } } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].from[0].ipBlock.except[0]: malformed CIDR "10.300.0.0/16": expected a.b.c.d/n with n from 0 to 32`);
  });

  test('port out of range, endPort below port, unknown protocol', () => {
    expect(load('{ podSelector: {}, ingress: [ { ports: [ { port: 70000 } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].ports[0].port 70000 is out of range: ports are integers from 1 to 65535`);
    expect(load('{ podSelector: {}, ingress: [ { ports: [ { port: 0 } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].ports[0].port 0 is out of range: ports are integers from 1 to 65535`);
    expect(load('{ podSelector: {}, ingress: [ { ports: [ { port: 90, endPort: 80 } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].ports[0].endPort 80 is less than port 90`);
    expect(load('{ podSelector: {}, ingress: [ { ports: [ { port: 90, protocol: ICMP } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].ports[0].protocol "ICMP" is not a protocol: use TCP, UDP or SCTP`);
  });

  test('a peer that selects nothing, or mixes ipBlock with selectors', () => {
    expect(load('{ podSelector: {}, ingress: [ { from: [ {} ] } ] }')).toBe(`${prefix()}spec.ingress[0].from[0] must set podSelector, namespaceSelector or ipBlock`);
    expect(load('{ podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} } ] } ] }'))
      .toBe(`${prefix()}spec.ingress[0].from[0]: ipBlock cannot be combined with podSelector or namespaceSelector`);
  });
});

describe('kinds', () => {
  test('unknown kinds produce one note per kind; known but ignored kinds are silent', () => {
    const m = buildModel([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'a' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' } },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'calico' } },
    ]);
    expect(m.notes).toEqual([
      'note: ignoring kind Widget (not known to the analyzer)',
      'note: ignoring NetworkPolicy of apiVersion crd.projectcalico.org/v1 (only networking.k8s.io/v1 is analyzed)',
    ]);
    expect(m.policies).toEqual([]);
  });

  test('plain objects given to analyze are located by their array index', () => {
    expect(inputError(() => analyze([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { metadata: { name: 'x' } }])))
      .toBe('<objects> (document 1, 0-based): the document has no kind');
  });
});
