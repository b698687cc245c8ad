/**
 * The reader in detail: where errors point (document index of a YAML error), the edges of lists and identity,
 * how buildModel folds objects into namespaces and workloads, and the field checker's suggestions.
 */
import * as path from 'path';
import {
  AnalysisInputError, apiGroup, buildModel, editDistance, emptyPeerHint, expandLists, formatWarning, helmTemplateLine, isList, loadManifests, objectRef,
  parseManifestText, readDocuments, suggest, unknownContainerPortFields, unknownNamespaceFields, unknownPolicyFields, unknownWorkloadFields,
} from '../../src/analysis';
import { useTempDir } from '../support/util';
import { inputError, netpol, pod } from './helpers';

const tmp = useTempDir('tenancy-reader-details-');
/** The fs module itself (its functions can be spied on, unlike those of an `import * as` namespace). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');

afterEach(() => jest.restoreAllMocks());

describe('the document a YAML error is in', () => {
  const docOf = (text: string) => {
    try {
      parseManifestText(text, 'f.yaml', false);
    } catch (e) {
      return (e as AnalysisInputError).location?.docIndex;
    }
    throw new Error('expected an error');
  };

  test.each<[string, string, number]>([
    ['the first document', 'a: [\n', 0],
    ['after a separator', 'a: 1\n---\nb: [\n', 1],
    ['a leading separator opens the first document', '---\na: 1\n---\nb: [\n', 1],
    ['comments, blank lines and directives are not content', '# c\n\n   # indented\n%YAML 1.2\n---\nb: [\n', 0],
    ['an end marker closes a document; the next separator does not count twice', 'a: 1\n...\n---\nb: [\n', 1],
    ['an end marker followed by a bare document', 'a: 1\n...\nb: [\n', 1],
    ['an end marker with a comment', 'a: 1\n... # end\n---\nb: [\n', 1],
    ['a separator with content on its line', 'a: 1\n--- {\n', 1],
    ['a separator that is not one (---x)', 'a: 1\n---x: [\n', 0],
    ['empty documents count', '---\n---\n---\nb: [\n', 2],
    ['the error on the last line of a later document', 'a: 1\n---\nb: 2\n---\nc: 3\nd: [\n', 2],
    ['documents after the error do not count', 'a: 1\nb: - x\n---\nc: 1\n', 0],
    ['the error on a separator line', 'a: 1\n--- !!int x\n', 1],
    ['--- or ... inside a line is no marker', 'a: "x --- y"\nb: wait... ok\nc: [\n', 0],
    ['--- inside a line of a document that has content is no marker', 'a: 1\nb: "x --- y"\nc: [\n', 0],
    ['an end marker followed by a space, then a bare document', 'a: 1\n... \nb: [\n', 1],
    ['an end marker before any content ends nothing', '...\n---\nb: [\n', 0],
    ['a blank line of spaces is not content', 'a: 1\n...\n   \n---\nb: [\n', 1],
  ])('%s', (_name, text, doc) => {
    expect(docOf(text)).toBe(doc);
  });

  test('an error without a position (not from js-yaml\'s parser) names the first line of its message', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.spyOn(require('js-yaml'), 'loadAll').mockImplementationOnce(() => { throw new Error('boom\nmore'); });
    expect(inputError(() => parseManifestText('a: 1\n', 'f.yaml', false))).toBe('f.yaml (document 0, 0-based): invalid YAML: boom');
  });

  test('text that does not parse and holds any template action is taken for a Helm template', () => {
    expect(inputError(() => parseManifestText('a: "{{ x }}"\nb: [\n', 'f.yaml', false))).toMatch(/^f\.yaml: looks like an unrendered Helm template \(line 1: a: "\{\{ x \}\}"\)/);
  });

  test('the message is the reason, with line and column', () => {
    expect(inputError(() => parseManifestText('a: 1\n---\nb: [\n', 'f.yaml', false)))
      .toBe('f.yaml (document 1, 0-based): invalid YAML: deficient indentation at line 4, column 1');
  });
});

describe('reading files', () => {
  test('a path that cannot be read for another reason than a missing file says why', () => {
    const f = tmp.write('file.yaml', 'a: 1\n');
    expect(inputError(() => loadManifests([path.join(f, 'x')]))).toMatch(/^cannot read .*file\.yaml\/x: ENOTDIR: not a directory/);
  });

  test('a folder or a file that cannot be read', () => {
    tmp.write('d/a.yaml', JSON.stringify(pod('default', 'a')));
    jest.spyOn(fs, 'readdirSync').mockImplementationOnce(() => { throw new Error('EACCES: permission denied'); });
    expect(inputError(() => loadManifests([tmp.dir()]))).toBe(`cannot read directory ${tmp.dir()}: EACCES: permission denied`);
    jest.spyOn(fs, 'readFileSync').mockImplementationOnce(() => { throw new Error('EIO: i/o error'); });
    expect(inputError(() => loadManifests([tmp.dir()]))).toBe(`cannot read ${path.join(tmp.dir(), 'd', 'a.yaml')}: EIO: i/o error`);
  });

  test('folder entries are sorted whatever order the file system lists them in', () => {
    for (const f of ['b.yaml', 'a.yaml', 'c.yaml', 'a-b.yaml']) tmp.write(f, JSON.stringify(pod('default', f.replace('.yaml', ''))));
    const real = fs.readdirSync.bind(fs);
    jest.spyOn(fs, 'readdirSync').mockImplementation(((p: string, o: any) => (real(p, o) as unknown as unknown[]).slice().reverse()) as any);
    expect(loadManifests([tmp.dir()]).map((o) => path.basename(o.file))).toEqual(['a-b.yaml', 'a.yaml', 'b.yaml', 'c.yaml']);
  });

  test('without an injected reader, - reads file descriptor 0', () => {
    const spy = jest.spyOn(fs, 'readFileSync').mockImplementationOnce(() => JSON.stringify(pod('default', 'in')));
    expect(loadManifests(['-']).map((o) => o.file)).toEqual(['<stdin>']);
    expect(spy).toHaveBeenCalledWith(0, 'utf8');
  });

  test('a document whose kind is empty, or that is undefined, is refused or skipped like in a file', () => {
    expect(inputError(() => readDocuments([{ file: 'x.yaml', documents: [{ apiVersion: 'v1', kind: '', metadata: { name: 'a' } }] }])))
      .toBe('x.yaml (document 0, 0-based): the document has no kind');
    expect(readDocuments([{ file: 'x.yaml', documents: [undefined, null, pod('default', 'a')] }]).map((o) => o.docIndex)).toEqual([2]);
  });

  test('Helm actions: no space after {{, a function before .Values, include, a comment after the action, an action at the start of a line', () => {
    const helm = (line: string) => inputError(() => parseManifestText(`a: 1\n${line}\n`, 't.yaml', false));
    expect(helm('b: "{{.Values.x}}"')).toMatch(/^t\.yaml: looks like an unrendered Helm template \(line 2: b: "\{\{\.Values\.x\}\}"\)/);
    expect(helm('b: "{{ default \\"d\\" .Values.y }}"')).toMatch(/\(line 2: /);
    expect(helm('b: "{{ include \\"t\\" . }}"')).toMatch(/\(line 2: /);
    expect(helm('b: "{{ .Release.Name }}" # the release')).toMatch(/\(line 2: /);
    expect(parseManifestText('a: "{{ x }}" # not Helm\n', 't.yaml', false)).toEqual([{ a: '{{ x }}' }]);
    expect(helmTemplateLine('{{ x }}\n', true)).toBe(1);
    expect(helmTemplateLine('a: 1\nb: "{{ x }}"\n{{ y }}\n', true)).toBe(3);
  });
});

describe('lists and identity, edges', () => {
  test('isList: List, any *List kind with items, and nothing else', () => {
    expect(isList({ kind: 'List' })).toBe(true);
    expect(isList({ kind: 'PodList', items: [] })).toBe(true);
    expect(isList({ kind: 'PodList' })).toBe(false);
    expect(isList({ kind: 'Widget', items: [] })).toBe(false);
    expect(isList({ items: [] })).toBe(false);
  });

  test('a List with null items is empty; a null item is refused', () => {
    expect(expandLists([{ object: { kind: 'List', items: null }, file: 'f', docIndex: 0 }])).toEqual([]);
    expect(inputError(() => expandLists([{ object: { kind: 'List', items: [null] }, file: 'f', docIndex: 3 }])))
      .toBe('f (document 3, 0-based, items[0]): items[0] of the List is not a Kubernetes object (a map with apiVersion and kind)');
  });

  test('typed list items: an empty kind or a null apiVersion is filled from the list; an own apiVersion is kept', () => {
    const out = expandLists([{
      object: {
        apiVersion: 'v1', kind: 'PodList',
        items: [{ kind: '', metadata: { name: 'a' } }, { kind: 'Pod', apiVersion: null, metadata: { name: 'b' } }, { kind: 'Pod', apiVersion: 'v2', metadata: { name: 'c' } }],
      },
      file: 'f', docIndex: 0,
    }]);
    expect(out.map((o) => `${o.object.apiVersion} ${o.object.kind} ${o.itemIndex}`)).toEqual(['v1 Pod 0', 'v1 Pod 1', 'v2 Pod 2']);
    const own = { kind: 'Pod', apiVersion: 'v2', metadata: { name: 'c' } };
    expect(expandLists([{ object: { apiVersion: 'v1', kind: 'PodList', items: [own] }, file: 'f', docIndex: 0 }])[0].object).toBe(own);
  });

  test('items of a nested list are located at the item of the outer list', () => {
    const out = expandLists([{ object: { kind: 'List', items: [pod('default', 'a'), { kind: 'List', items: [pod('default', 'b')] }] }, file: 'f', docIndex: 0 }]);
    expect(out.map((o) => [(o.object.metadata as { name: string }).name, o.itemIndex])).toEqual([['a', 0], ['b', 1]]);
  });

  test('identity: the API group, and objects without kind or name', () => {
    expect(apiGroup(undefined)).toBe('');
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('apps/v1')).toBe('apps');
    expect(objectRef({ kind: '', metadata: { name: 'x' } })).toBeUndefined();
    expect(objectRef({ kind: 'Pod', metadata: { name: '' } })).toBeUndefined();
    expect(objectRef({ kind: 'Pod', metadata: { name: 'x', namespace: '' } })).toEqual({ group: '', kind: 'Pod', namespace: 'default', name: 'x' });
    expect(objectRef({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'n' } })).toEqual({ group: 'apps', kind: 'Deployment', namespace: 'n', name: 'x' });
  });
});

describe('buildModel', () => {
  test('namespaces that objects refer to are known, undeclared; a declared Namespace is not replaced by a later reference', () => {
    const m = buildModel([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { x: '1' }, annotations: { n: 'v' } } },
      pod('a', 'p'), pod('b', 'q'), netpol('c', 'r', { podSelector: {} }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 's', namespace: '' }, spec: {} },
    ]);
    expect([...m.namespaces.values()]).toEqual([
      { name: 'a', labels: { x: '1', 'kubernetes.io/metadata.name': 'a' }, annotations: { n: 'v' }, declared: true },
      { name: 'b', labels: { 'kubernetes.io/metadata.name': 'b' }, annotations: {}, declared: false },
      { name: 'c', labels: { 'kubernetes.io/metadata.name': 'c' }, annotations: {}, declared: false },
      { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' }, annotations: {}, declared: false },
    ]);
  });

  test('objects labelled with a tenant are noted with kind, namespace, name, tenant and location; none without the label', () => {
    // GIVEN
    const labelled = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', labels: { 'tenancy.cdk8s.io/tenant': 'shop' } } };
    // WHEN / THEN
    expect(buildModel([pod('shop', 'p'), labelled]).tenantObjects).toEqual([
      { kind: 'ConfigMap', namespace: 'shop', name: 'c', tenant: 'shop', location: { file: '<objects>', docIndex: 1 } },
    ]);
    expect(buildModel([pod('shop', 'p')]).tenantObjects).toEqual([]);
  });

  test.each<[string, object, string]>([
    ['a kind that is empty', { kind: '', metadata: { name: 'x' } }, 'the document has no kind'],
    ['a kind that is not a string', { kind: 5, metadata: { name: 'x' } }, 'the document has no kind'],
    ['a Namespace without name', { apiVersion: 'v1', kind: 'Namespace', metadata: {} }, 'Namespace: Namespace without metadata.name'],
    ['a Namespace whose name is not a string', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 5 } }, 'Namespace 5: Namespace without metadata.name'],
    ['a NetworkPolicy without name', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {} }, 'NetworkPolicy: NetworkPolicy without metadata.name'],
    ['a Deployment without name', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} }, 'Deployment: Deployment without metadata.name'],
    ['Namespace labels that are not a map', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: 'x' } }, 'Namespace n: metadata.labels must be a map of strings'],
    ['Namespace annotations that are not a map', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', annotations: [] } }, 'Namespace n: metadata.annotations must be a map of strings'],
    ['Pod labels that are not a map', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: 'x' } }, 'Pod p: metadata.labels must be a map of strings'],
    ['pod template labels that are not a map', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: { labels: 'x' } } } }, 'Deployment d: pod template metadata.labels must be a map of strings'],
  ])('%s is an error', (_name, obj, message) => {
    expect(inputError(() => buildModel([obj]))).toBe(`<objects> (document 0, 0-based): ${message}`);
  });

  test('an error of a cluster-wide policy is passed on as it is', () => {
    const anp = { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'a' }, spec: { priority: 'high' } };
    const message = inputError(() => buildModel([anp]));
    expect(message.startsWith('<objects> (document 0, 0-based): ')).toBe(true);
    expect(message.indexOf('(document 0, 0-based)')).toBe(message.lastIndexOf('(document 0, 0-based)'));
    expect(buildModel([{ ...anp, spec: { priority: 10, subject: { namespaces: {} }, ingress: [] } }]).clusterPolicies).toHaveLength(1);
  });

  test('objects of networking.k8s.io/v1 that are not NetworkPolicies are not read as policies; a workload without template is skipped', () => {
    const m = buildModel([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
    ]);
    expect(m.policies).toEqual([]);
    expect(m.workloads).toEqual([]);
  });

  test('one note per apiVersion of NetworkPolicy that is not analyzed', () => {
    const other = (apiVersion: string, name: string) => ({ apiVersion, kind: 'NetworkPolicy', metadata: { name } });
    expect(buildModel([other('extensions/v1beta1', 'a'), other('crd.projectcalico.org/v1', 'b'), other('extensions/v1beta1', 'c')]).notes).toEqual([
      'note: ignoring NetworkPolicy of apiVersion extensions/v1beta1 (only networking.k8s.io/v1 is analyzed)',
      'note: ignoring NetworkPolicy of apiVersion crd.projectcalico.org/v1 (only networking.k8s.io/v1 is analyzed)',
    ]);
  });

  describe('controllers: a Pod owned by a ReplicaSet owned by a Deployment is the Deployment', () => {
    const owned = (kind: string, name: string, owner?: { kind?: unknown; name?: unknown; controller?: boolean }, labels: Record<string, string> = {}) => {
      const metadata = { name, namespace: 'n', ...(owner ? { ownerReferences: [{ controller: true, ...owner }] } : {}) };
      return kind === 'Pod'
        ? { apiVersion: 'v1', kind, metadata: { ...metadata, labels }, spec: {} }
        : { apiVersion: 'apps/v1', kind, metadata, spec: { template: { metadata: { labels } } } };
    };

    test.each([['controller first', false], ['pods first', true]])('the controller\'s template wins over its pods (%s)', (_name, podsFirst) => {
      const dep = owned('Deployment', 'web', undefined, { from: 'template' });
      const rs = owned('ReplicaSet', 'web-1', { kind: 'Deployment', name: 'web' }, { from: 'replicaset' });
      const p = owned('Pod', 'web-1-a', { kind: 'ReplicaSet', name: 'web-1' }, { from: 'pod' });
      const m = buildModel(podsFirst ? [p, rs, dep] : [dep, rs, p]);
      expect(m.workloads.map((w) => [w.id, w.labels])).toEqual([['n/web[Deployment]', { from: 'template' }]]);
    });

    test('pods of a controller that is not in the input stand for it; the first one read is kept', () => {
      const m = buildModel([owned('Pod', 'x-1', { kind: 'ReplicaSet', name: 'x' }, { n: '1' }), owned('Pod', 'x-2', { kind: 'ReplicaSet', name: 'x' }, { n: '2' })]);
      expect(m.workloads.map((w) => [w.id, w.labels])).toEqual([['n/x[ReplicaSet]', { n: '1' }]]);
    });

    test('owner references without a kind or a name, or not controllers, are not followed', () => {
      const m = buildModel([
        owned('Pod', 'a', { name: 'x' }), owned('Pod', 'b', { kind: 'ReplicaSet' }), owned('Pod', 'c', { kind: 'ReplicaSet', name: 'x', controller: false }),
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'd', namespace: 'n', ownerReferences: 'x' }, spec: {} },
      ]);
      expect(m.workloads.map((w) => w.id)).toEqual(['n/a[Pod]', 'n/b[Pod]', 'n/c[Pod]', 'n/d[Pod]']);
    });

    test('an owner cycle ends after ten steps (an even number: each object of a cycle of two stands for itself)', () => {
      const m = buildModel([owned('ReplicaSet', 'a', { kind: 'ReplicaSet', name: 'b' }, { x: 'a' }), owned('ReplicaSet', 'b', { kind: 'ReplicaSet', name: 'a' }, { x: 'b' })]);
      expect(m.workloads.map((w) => [w.id, w.labels])).toEqual([['n/a[ReplicaSet]', { x: 'a' }], ['n/b[ReplicaSet]', { x: 'b' }]]);
    });
  });

  test('workloads and policies are sorted by id; pod networks are parsed', () => {
    const m = buildModel([pod('n', 'c'), pod('n', 'a'), pod('n', 'b'), netpol('n', 'z', { podSelector: {} }), netpol('n', 'y', { podSelector: {} }), netpol('n', 'x', { podSelector: {} })], { podCidrs: ['10.0.0.0/8'] });
    expect(m.workloads.map((w) => w.name)).toEqual(['a', 'b', 'c']);
    expect(m.policies.map((p) => p.name)).toEqual(['x', 'y', 'z']);
    expect(m.podNetworks).toEqual([{ start: 10 * 2 ** 24, end: 11 * 2 ** 24 - 1 }]);
    expect(buildModel([pod('n', 'a')]).podNetworks).toHaveLength(4);
  });
});

test('a warning without location is printed without one', () => {
  expect(formatWarning({ message: 'm' })).toBe('warning: m');
  expect(formatWarning({ message: 'm', location: { file: 'f', docIndex: 1, itemIndex: 2 } })).toBe('warning: f (document 1, 0-based, items[2]): m');
});

describe('the field checker', () => {
  const KUBECTL = '; kubectl apply rejects the whole object (strict field validation, the default since kubectl 1.27), so the cluster would not have this';
  const policy = (spec: object) => unknownPolicyFields({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec })
    .map((u) => `${u.field}: ${u.message.slice(u.field.length + 1).replace(`${KUBECTL} NetworkPolicy at all`, '')}`);

  test.each<[object, string]>([
    [{ protocol: 'UDP' }, 'protocol: is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].ports[j].protocol (or spec.egress[i].ports[j].protocol). It was ignored: the analysis reads the policy without it, so a rule without ports of its own admits every port'],
    [{ endPort: 90 }, 'endPort: is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].ports[j].endPort (or spec.egress[i].ports[j].endPort). It was ignored: the analysis reads the policy without it, so a rule without ports of its own admits every port'],
    [{ matchExpressions: [] }, 'matchExpressions: is not a field of a NetworkPolicy spec: it belongs in spec.podSelector.matchExpressions. It was ignored: the analysis reads the policy without it: spec.podSelector alone says which pods the policy selects'],
    [{ except: [] }, 'except: is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].from[j].ipBlock.except (or spec.egress[i].to[j].ipBlock.except). It was ignored: the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count'],
    [{ ipBlock: {} }, 'ipBlock: is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].from[j].ipBlock (or spec.egress[i].to[j].ipBlock). It was ignored: the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count'],
    [{ comment: 'x' }, 'comment: is not a field of a NetworkPolicy spec. It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ ingress: [{ from: null, podSelector: {} }] }, 'ingress[0].podSelector: is not a field of an ingress rule: it belongs in spec.ingress[0].from[j].podSelector. It was ignored: the analysis reads the rule without it: with no from, it admits every source'],
    [{ ingress: [{ from: [], cidr: '1.1.1.1/32' }] }, 'ingress[0].cidr: is not a field of an ingress rule: it belongs in spec.ingress[0].from[j].ipBlock.cidr. It was ignored: the analysis reads the rule without it: with no from, it admits every source'],
    [{ ingress: [{ from: [{ podSelector: {} }], matchExpressions: [] }] }, 'ingress[0].matchExpressions: is not a field of an ingress rule: it belongs in spec.ingress[0].from[j].podSelector.matchExpressions (or spec.ingress[0].from[j].namespaceSelector.matchExpressions). It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ ingress: [{ ports: [{ port: 80 }], protocol: 'UDP' }] }, 'ingress[0].protocol: is not a field of an ingress rule: it belongs in spec.ingress[0].ports[j].protocol. It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ egress: [{ from: [{ podSelector: {} }] }] }, 'egress[0].from: is not a field of an egress rule: it belongs in spec.egress[0].to (egress rules name their destinations in to). It was ignored: the analysis reads the rule without it: with no to, it admits every destination'],
    [{ egress: [{ to: [{ podSelector: {}, except: [] }] }] }, 'egress[0].to[0].except: is not a field of a peer (an entry of from or to): it belongs in spec.egress[0].to[0].ipBlock.except. It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ egress: [{ to: [{ podSelector: {}, port: 53 }] }] }, 'egress[0].to[0].port: is not a field of a peer (an entry of from or to): it belongs in spec.egress[0].ports[k].port. It was ignored: the analysis reads the peer without it: the ports of the rule are those of spec.egress[0].ports'],
    [{ ingress: [{ from: [{ podSelector: {}, namespaces: ['a'] }] }] }, 'ingress[0].from[0].namespaces: is not a field of a peer (an entry of from or to): it belongs in spec.ingress[0].from[0].namespaceSelector.matchLabels, as kubernetes.io/metadata.name: <namespace>. It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ ingress: [{ from: [{ podSelector: {}, comment: 'x' }] }] }, 'ingress[0].from[0].comment: is not a field of a peer (an entry of from or to). It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ ingress: [{ from: [{ ipBlock: { cidr: '1.1.1.1/32', comment: 'x' } }] }] }, 'ingress[0].from[0].ipBlock.comment: is not a field of an ipBlock. It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ ingress: [{ ports: [{ port: 80, comment: 'x' }] }] }, 'ingress[0].ports[0].comment: is not a field of a port of a rule. It was ignored: the analysis reads the NetworkPolicy without it'],
    [{ podSelector: { key: 'a', values: ['b'] } }, 'podSelector.key: is not a field of a label selector: it belongs in spec.podSelector.matchExpressions[k].key. It was ignored: the analysis reads the selector as {}, which selects every pod of the namespace'],
    [{ podSelector: { replicas: 3, enabled: true, empty: null } }, 'podSelector.replicas: is not a field of a label selector: it belongs in spec.podSelector.matchLabels (labels are written under matchLabels: spec.podSelector.matchLabels.replicas). It was ignored: the analysis reads the selector as {}, which selects every pod of the namespace'],
    [{ podSelector: { nested: { a: 'b' } } }, 'podSelector.nested: is not a field of a label selector. It was ignored: the analysis reads the selector as {}, which selects every pod of the namespace'],
    [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists' }], x: 'y' } }, 'podSelector.x: is not a field of a label selector: it belongs in spec.podSelector.matchLabels (labels are written under matchLabels: spec.podSelector.matchLabels.x). It was ignored: the analysis reads the selector without it, so it may select more pods than meant'],
    [{ ingress: [{ from: [{ namespaceSelector: { matchLabels: { a: 'b' }, x: 'y' } }] }] }, 'ingress[0].from[0].namespaceSelector.x: is not a field of a label selector: it belongs in spec.ingress[0].from[0].namespaceSelector.matchLabels (labels are written under matchLabels: spec.ingress[0].from[0].namespaceSelector.matchLabels.x). It was ignored: the analysis reads the selector without it, so it may select more namespaces than meant'],
  ])('%j', (spec, line) => {
    expect(policy(spec)[0]).toBe(`spec.${line}`);
  });

  test('matchExpressions fields outside matchExpressions', () => {
    expect(policy({ podSelector: { key: 'a', values: ['b'] } }).map((l) => l.split('. It was')[0])).toEqual([
      'spec.podSelector.key: is not a field of a label selector: it belongs in spec.podSelector.matchExpressions[k].key',
      'spec.podSelector.values: is not a field of a label selector: it belongs in spec.podSelector.matchExpressions[k].values',
    ]);
  });

  test('a selector written with labels of every scalar type: one warning each', () => {
    expect(policy({ podSelector: { replicas: 3, enabled: true, empty: null } }).map((l) => l.split(':')[0])).toEqual(['spec.podSelector.replicas', 'spec.podSelector.enabled', 'spec.podSelector.empty']);
    expect(policy({ podSelector: { replicas: 3, enabled: true, empty: null } }).every((l) => l.includes('belongs in spec.podSelector.matchLabels'))).toBe(true);
  });

  test('top level: a misspelt field, name and annotations, and spec fields on another kind', () => {
    const top = unknownPolicyFields({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spce: {}, name: 'p', annotations: {}, podSelector: {}, policyTypes: [], egress: [] });
    expect(top.map((u) => u.message.replace(/ It was ignored.*$/, ''))).toEqual([
      'spce is not a field of a NetworkPolicy: did you mean spec?',
      'name is not a field of a NetworkPolicy: it belongs in metadata.name.',
      'annotations is not a field of a NetworkPolicy: it belongs in metadata.annotations.',
      'podSelector is not a field of a NetworkPolicy: it belongs in spec.podSelector.',
      'policyTypes is not a field of a NetworkPolicy: it belongs in spec.policyTypes.',
      'egress is not a field of a NetworkPolicy: it belongs in spec.egress.',
    ]);
    const pod = unknownWorkloadFields({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, ingress: [], namespace: 'm' }, 'Pod', undefined, '');
    expect(pod.map((u) => u.message)).toEqual([
      `ingress is not a field of a Pod. It was ignored: the analysis reads the Pod without it${KUBECTL} Pod at all`,
      `namespace is not a field of a Pod: it belongs in metadata.namespace. It was ignored: the analysis reads the Pod without it${KUBECTL} Pod at all`,
    ]);
    const ns = unknownNamespaceFields({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, labels: {}, namespace: 'x' });
    expect(ns.map((u) => u.message)).toEqual([
      `labels is not a field of a Namespace: it belongs in metadata.labels. It was ignored: the analysis reads the object without these labels${KUBECTL} Namespace at all`,
      `namespace is not a field of a Namespace: it belongs in metadata.namespace. It was ignored: the analysis reads the Namespace without it${KUBECTL} Namespace at all`,
    ]);
  });

  test('metadata: a misspelt namespace when there is one, and other misspellings', () => {
    const meta = unknownWorkloadFields({ kind: 'Pod', metadata: { name: 'p', namespace: 'n', namespce: 'm', anotations: {} } }, 'Pod', undefined, '');
    expect(meta.map((u) => u.message.split(KUBECTL)[0])).toEqual([
      'metadata.namespce is not a field of metadata (ObjectMeta): did you mean metadata.namespace? It was ignored: the analysis reads the Pod without it',
      'metadata.anotations is not a field of metadata (ObjectMeta): did you mean metadata.annotations? It was ignored: the analysis reads the Pod without it',
    ]);
    expect(unknownWorkloadFields({ kind: 'Pod', metadata: {
      name: 'p', generateName: 'p-', selfLink: '/x', deletionTimestamp: null, deletionGracePeriodSeconds: 30, uid: 'u',
    } }, 'Pod', undefined, '')).toEqual([]);
  });

  test('pod templates: containers, annotations, name and namespace belong elsewhere; a metadata that is not a map is left to the parser', () => {
    const tpl = (template: object) => unknownWorkloadFields({ kind: 'Deployment', metadata: { name: 'd' }, spec: { template } }, 'Deployment', template as never, 'spec.template')
      .map((u) => u.message.split(KUBECTL)[0]);
    expect(tpl({ containers: [], initContainers: [], annotations: {}, name: 'x', namespace: 'y' })).toEqual([
      'spec.template.containers is not a field of a pod template: it belongs in spec.template.spec.containers. It was ignored: the analysis reads the Deployment without it',
      'spec.template.initContainers is not a field of a pod template: it belongs in spec.template.spec.initContainers. It was ignored: the analysis reads the Deployment without it',
      'spec.template.annotations is not a field of a pod template: it belongs in spec.template.metadata.annotations. It was ignored: the analysis reads the Deployment without it',
      'spec.template.name is not a field of a pod template: it belongs in spec.template.metadata.name. It was ignored: the analysis reads the Deployment without it',
      'spec.template.namespace is not a field of a pod template: it belongs in spec.template.metadata.namespace. It was ignored: the analysis reads the Deployment without it',
    ]);
    expect(tpl({ restartPolicy: 'Always' })).toEqual(['spec.template.restartPolicy is not a field of a pod template. It was ignored: the analysis reads the Deployment without it']);
    expect(tpl({ metadata: 'oops' })).toEqual([]);
    expect(tpl({ metadata: ['a'] })).toEqual([]);
  });

  test('container ports: port and targetPort belong in containerPort; known fields are fine', () => {
    expect(unknownContainerPortFields({ port: 80, targetPort: 80, containerPort: 80, name: 'x', protocol: 'TCP', hostPort: 1, hostIP: 'a' }, 'c', 'Pod').map((u) => u.message.split('. It was')[0]))
      .toEqual(['c.port is not a field of a container port: it belongs in c.containerPort', 'c.targetPort is not a field of a container port: it belongs in c.containerPort']);
    expect(unknownContainerPortFields({ containerPort: 80, comment: 'x' }, 'c', 'Pod').map((u) => u.message.split(' It was')[0])).toEqual(['c.comment is not a field of a container port.']);
  });

  test('an empty peer names each misplaced field, and only those', () => {
    expect(emptyPeerHint({ matchLabels: {}, cidr: 'x', comment: 'y' }, 'p'))
      .toBe('; matchLabels: it belongs in p.podSelector.matchLabels (or p.namespaceSelector.matchLabels); cidr: it belongs in p.ipBlock.cidr');
    expect(emptyPeerHint({ comment: 'y' }, 'p')).toBe('');
  });

  test('suggestions: the same ignoring case, else the closest within two edits, the first of equals, never for short keys', () => {
    expect(suggest('TO', ['to'])).toBe('to');
    expect(suggest('podselector', ['podSelector'])).toBe('podSelector');
    expect(suggest('abcd', ['abce', 'abcf'])).toBe('abce');
    expect(suggest('abcde', ['abxyz', 'abcxy'])).toBe('abcxy');
    expect(suggest('abcd', ['abxy'])).toBeUndefined();
    expect(suggest('ab', ['xy'])).toBeUndefined();
    expect(suggest('labelz', ['labels', 'label'])).toBe('labels');
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('spce', 'spec')).toBe(1);
    expect(editDistance('abdc', 'abcd')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(suggest('spce', ['spec', 'status'])).toBe('spec');
    expect(suggest('sepc', ['spec'])).toBe('spec');
  });
});
