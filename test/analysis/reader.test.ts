/**
 * The reader, with the cluster's semantics: lists (items without kind), last wins for repeated identities,
 * survivable defects as warnings (bad container ports, unknown and misplaced fields), empty paths, Helm
 * templates and standard input.
 */
import * as path from 'path';
import {
  analyze, buildModel, checkTenancy, compareManifestPaths, explain, formatExplanation, helmTemplateLine, identityKey,
  loadManifests, manifestFiles, objectRef, warningLines,
} from '../../src/analysis';
import { useTempDir } from '../support/util';
import { deploy, inputError, netpol, ns, pod } from './helpers';

const tmp = useTempDir('tenancy-reader-');
const write = tmp.write;

const KUBECTL = 'kubectl apply rejects the whole object (strict field validation, the default since kubectl 1.27), so the cluster would not have this';

describe('lists', () => {
  test('a NamespaceList whose items have no kind (as the API server returns it) declares the namespaces', () => {
    // GIVEN what `kubectl get namespaces -o yaml` prints
    const f = write('ns.yaml', `apiVersion: v1
kind: NamespaceList
items:
  - metadata: { name: team-a, labels: { tier: prod } }
  - metadata: { name: team-b }
`);
    // WHEN
    const m = buildModel(loadManifests([f]));
    // THEN
    expect([...m.namespaces.values()]).toEqual([
      { name: 'team-a', labels: { tier: 'prod', 'kubernetes.io/metadata.name': 'team-a' }, annotations: {}, declared: true },
      { name: 'team-b', labels: { 'kubernetes.io/metadata.name': 'team-b' }, annotations: {}, declared: true },
    ]);
    expect(loadManifests([f]).map((o) => [o.object.apiVersion, o.object.kind, o.docIndex, o.itemIndex])).toEqual([['v1', 'Namespace', 0, 0], ['v1', 'Namespace', 0, 1]]);
  });

  test('typed list items take the list\'s apiVersion: a DeploymentList in apps/v1 holds apps/v1 Deployments; a NetworkPolicyList is analyzed', () => {
    const objs = [
      { apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } } } } }] },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: [{ kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, ingress: [] } }] },
      pod('shop', 'client'),
    ];
    const r = analyze(objs);
    expect(r.workloads.map((w) => w.id)).toEqual(['shop/client[Pod]', 'shop/web[Deployment]']);
    expect(r.model.policies.map((p) => p.id)).toEqual(['shop/deny']);
    expect(r.between('shop/client', 'shop/web').toString()).toBe('No Connections');
  });

  test('an item of a plain List without kind is an error naming the file, the document and the item', () => {
    const f = write('l.yaml', `apiVersion: v1\nkind: Pod\nmetadata: { name: a }\n---\napiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Pod, metadata: { name: b } }\n  - { metadata: { name: c } }\n`);
    expect(inputError(() => loadManifests([f])))
      .toBe(`${f} (document 1, 0-based, items[1]): items[1] of the List has no kind: a plain List does not say what its items are; add kind and apiVersion to the item`);
  });

  test('a list whose items are not a list, or an item that is not a map, is an error', () => {
    expect(inputError(() => analyze([{ apiVersion: 'v1', kind: 'List', items: { a: 1 } }])))
      .toBe('<objects> (document 0, 0-based, items[0]): the List\'s items must be a list of objects');
    expect(inputError(() => analyze([{ apiVersion: 'v1', kind: 'PodList', items: [pod('default', 'a'), 'x'] }])))
      .toBe('<objects> (document 0, 0-based, items[1]): items[1] of the PodList is not a Kubernetes object (a map with apiVersion and kind)');
  });

  test('lists are expanded wherever objects are analyzed (analyze, checkTenancy), nested lists and empty lists too', () => {
    const leak = netpol('t1', 'leak', { podSelector: {}, ingress: [{}] });
    const objs = [
      { apiVersion: 'v1', kind: 'List', items: [ns('t1', { 'tenancy.cdk8s.io/tenant': 't1' }), { apiVersion: 'v1', kind: 'List', items: [leak] }] },
      { apiVersion: 'v1', kind: 'List' },
    ];
    expect(checkTenancy(objs).map((v) => v.policy)).toEqual(['t1/leak', undefined]);
    expect(buildModel(objs).notes).toEqual([]);
  });

  test('an item keeps its own kind and apiVersion; only a missing apiVersion of the list\'s own kind is filled', () => {
    const m = loadManifests([write('l.yaml', JSON.stringify({
      apiVersion: 'v1', kind: 'PodList', items: [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: {} } },
        { kind: 'Pod', metadata: { name: 'p' } },
        { kind: 'Service', metadata: { name: 's' } },
      ],
    }))]);
    expect(buildModel(m).workloads.map((w) => w.id)).toEqual(['default/d[Deployment]', 'default/p[Pod]']);
    expect(m.map((o) => `${o.object.apiVersion} ${o.object.kind}`)).toEqual(['apps/v1 Deployment', 'v1 Pod', 'undefined Service']);
  });
});

describe('the last occurrence of an identity wins, as with kubectl apply -f <dir> and Argo CD', () => {
  const open = netpol('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] });
  const closed = netpol('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [] });
  const workloads = [pod('shop', 'db', { app: 'db' }), pod('other', 'client')];

  test('a later NetworkPolicy with the same namespace and name replaces the earlier, in reach results', () => {
    expect(analyze([...workloads, open, closed]).between('other/client', 'shop/db').toString()).toBe('No Connections');
    expect(analyze([...workloads, closed, open]).between('other/client', 'shop/db').toString()).toBe('All Connections');
  });

  test('files in lexical order, documents in order; model.duplicates names both occurrences', () => {
    const y = (o: object) => JSON.stringify(o);
    write('a.yaml', `${y(workloads[0])}\n---\n${y(closed)}\n`);
    write('b/x.yaml', `${y(workloads[1])}\n---\n${y(open)}\n`);
    const m = buildModel(loadManifests([tmp.dir()]));
    expect(m.policies).toHaveLength(1);
    expect(m.policies[0].ingress).toEqual([{}]);
    expect(m.duplicates).toEqual([{
      identity: 'networking.k8s.io/NetworkPolicy shop/db',
      object: { group: 'networking.k8s.io', kind: 'NetworkPolicy', namespace: 'shop', name: 'db' },
      kept: { file: path.join(tmp.dir(), 'b', 'x.yaml'), docIndex: 1 },
      overridden: { file: path.join(tmp.dir(), 'a.yaml'), docIndex: 1 },
      keptObject: open,
      overriddenObject: closed,
    }]);
    expect(warningLines(m)).toEqual([
      `warning: ${path.join(tmp.dir(), 'a.yaml')} (document 1, 0-based): NetworkPolicy shop/db is overridden by ${path.join(tmp.dir(), 'b', 'x.yaml')} (document 1, 0-based), `
      + 'a later object with the same identity (networking.k8s.io/NetworkPolicy shop/db): the last one wins, as with kubectl apply -f and Argo CD, so the analysis reads only that one',
    ]);
  });

  test('a later Namespace replaces the labels of the earlier, in check results', () => {
    const tenant = ns('shop', { 'tenancy.cdk8s.io/tenant': 'shop' });
    const plain = ns('shop');
    const deny = netpol('shop', 'deny', { podSelector: {}, ingress: [] });
    const redeclared = 'Namespace shop of a tenant is declared twice (<objects> (document 0, 0-based) and <objects> (document 3, 0-based)); the last one wins, as with kubectl apply, so its tenant label and grants are whatever that one says: declare each tenant Namespace once, through its tenant';
    // The last Namespace has no tenant label: shop is no tenant's, and the check says why.
    expect(checkTenancy([tenant, deny, open, plain]).map((v) => v.message)).toEqual([redeclared]);
    // The last Namespace is the tenant's: its policies are judged too.
    expect(checkTenancy([plain, deny, open, tenant]).map((v) => [v.policy, v.message === redeclared])).toEqual([[undefined, true], ['shop/db', false]]);
  });

  test('a custom resource of kind Namespace is another identity: it neither replaces the namespace\'s labels nor declares one', () => {
    // GIVEN a tenant Namespace, then a CRD's object of kind Namespace with the same name and no tenant label
    const tenant = ns('shop', { 'tenancy.cdk8s.io/tenant': 'shop' });
    const custom = { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'shop' } };
    // WHEN
    const m = buildModel([tenant, custom]);
    // THEN shop stays the tenant's, and is checked: it has no policy
    expect(m.duplicates).toEqual([]);
    expect(m.namespaces.get('shop')).toEqual({ name: 'shop', labels: { 'tenancy.cdk8s.io/tenant': 'shop', 'kubernetes.io/metadata.name': 'shop' }, annotations: {}, declared: true });
    expect(m.notes).toEqual(['note: ignoring Namespace of apiVersion example.com/v1 (only core v1 Namespaces are analyzed)']);
    expect(checkTenancy([tenant, custom]).map((v) => v.message)).toEqual([
      'namespace shop is not isolated for ingress: no policy selects every pod with Ingress in policyTypes',
    ]);
    expect(buildModel([custom]).namespaces.has('shop')).toBe(false);
    // one note per apiVersion, where first met
    expect(buildModel([custom, { ...custom, apiVersion: 'example.org/v2' }, { ...custom, metadata: { name: 'other' } }]).notes).toEqual([
      'note: ignoring Namespace of apiVersion example.com/v1 (only core v1 Namespaces are analyzed)',
      'note: ignoring Namespace of apiVersion example.org/v2 (only core v1 Namespaces are analyzed)',
    ]);
  });

  test('a later workload replaces the earlier: labels and ports, in explain results', () => {
    const policy = netpol('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }] }] });
    const v1 = deploy('shop', 'web', { app: 'web' }, [{ containerPort: 80, name: 'http' }]);
    const v2 = deploy('shop', 'web', { app: 'web' }, [{ containerPort: 8080, name: 'http' }]);
    const r = analyze([pod('shop', 'client'), policy, v1, v2]);
    expect(r.between('shop/client', 'shop/web').toString()).toBe('TCP 8080');
    expect(r.model.workloads.filter((w) => w.name === 'web')).toHaveLength(1);
    expect(formatExplanation(explain(r, 'shop/client', 'shop/web', { protocol: 'TCP', port: 80 }))).toContain('port 80/TCP: denied (egress: allowed by default (no tier decides it); ingress: denied by the NetworkPolicy tier (isolated by shop/web; no rule allows it))\n');
    expect(formatExplanation(explain(r, 'shop/client', 'shop/web', { protocol: 'TCP', port: 8080 }))).toContain('port 8080/TCP: allowed (egress: allowed by default (no tier decides it); ingress: allowed by shop/web ingress[0] (NetworkPolicy tier))\n');
  });

  test('identity: namespaced objects without namespace are in default; cluster-scoped kinds ignore namespace; groups differ', () => {
    const calico = { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' } };
    const m = buildModel([
      pod(undefined, 'p'), pod('default', 'p'),
      { ...ns('x'), metadata: { name: 'x', namespace: 'ignored' } }, ns('x'),
      closed, calico,
    ]);
    expect(m.duplicates.map((d) => d.identity)).toEqual(['/Pod default/p', '/Namespace x']);
    expect(identityKey(objectRef(calico)!)).toBe('crd.projectcalico.org/NetworkPolicy shop/db');
    expect(objectRef({ kind: 'Pod', metadata: { generateName: 'p-' } })).toBeUndefined();
    expect(objectRef({ metadata: { name: 'x' } })).toBeUndefined();
  });

  test('three occurrences: two duplicates, each kept by the last', () => {
    const m = buildModel([closed, open, closed]);
    expect(m.duplicates.map((d) => [d.overridden.docIndex, d.kept.docIndex])).toEqual([[0, 2], [1, 2]]);
    expect(m.policies[0].location).toEqual({ file: '<objects>', docIndex: 2 });
  });

  test('the walk order is folder by folder, lexical (as filepath.Walk in kubectl): a/x.yaml, a-b.yaml, a.yaml', () => {
    for (const f of ['a.yaml', 'a-b.yaml', 'a/x.yaml', 'B.yaml']) write(f, JSON.stringify(pod('default', f)));
    const files = manifestFiles(tmp.dir()).map((f) => path.relative(tmp.dir(), f));
    expect(files).toEqual(['B.yaml', path.join('a', 'x.yaml'), 'a-b.yaml', 'a.yaml']);
    expect(['a.yaml', 'a-b.yaml', 'a/x.yaml', 'B.yaml'].sort(compareManifestPaths)).toEqual(['B.yaml', 'a/x.yaml', 'a-b.yaml', 'a.yaml']);
    expect(['a.yaml', 'a/x.yaml', 'a-b.yaml', 'B.yaml', 'a/b/c.yaml', 'a'].sort(compareManifestPaths)).toEqual(['B.yaml', 'a', 'a/b/c.yaml', 'a/x.yaml', 'a-b.yaml', 'a.yaml']);
    expect(compareManifestPaths('a/x', 'a/x')).toBe(0);
  });
});

describe('survivable defects are warnings naming the file and document; the bad part is ignored', () => {
  test('a container port without a valid containerPort is ignored, the rest of the workload is analyzed', () => {
    // GIVEN one bad entry among good ones (a fatal error before)
    const f = write('d.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          ports: [ { name: http, containerPort: 8080 }, { name: metrics }, { containerPort: 70000 }, { containerPort: 9090, protocol: ICMP }, 5 ]
`);
    // WHEN
    const m = buildModel(loadManifests([f]));
    // THEN
    expect(m.workloads[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const at = `${f} (document 0, 0-based): Deployment shop/web: spec.template.spec.containers[0].ports`;
    const rejected = 'and the API server rejects the object, so the cluster would not have it at all';
    expect(warningLines(m)).toEqual([
      `warning: ${at}[1] has no containerPort; the entry was ignored (a policy port named metrics does not resolve to it), ${rejected}`,
      `warning: ${at}[2].containerPort 70000 is out of range: ports are integers from 1 to 65535; the entry was ignored (it has no name, so no policy port refers to it), ${rejected}`,
      `warning: ${at}[3].protocol "ICMP" is not a protocol: use TCP, UDP or SCTP; the entry was ignored (it has no name, so no policy port refers to it), ${rejected}`,
      `warning: ${at}[4] is not a map with containerPort; the entry was ignored (it has no name, so no policy port refers to it), ${rejected}`,
    ]);
    expect(m.warnings[0]).toEqual({
      message: expect.stringMatching(/^Deployment shop\/web: /),
      location: { file: f, docIndex: 0 },
      object: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' },
      field: 'spec.template.spec.containers[0].ports[1].containerPort',
    });
  });

  test('the article\'s policy: ports at the top of spec is ignored (All Connections), and the warning says where it belongs and that kubectl rejects it', () => {
    // GIVEN the second scenario's article, with ports outside spec.ingress[0]
    const f = write('db-webapp.yaml', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-webapp, namespace: shop }
spec:
  podSelector: { matchLabels: { app: database } }
  ingress:
    - from: [ { podSelector: { matchLabels: { app: webapp } } } ]
  ports: [ { port: 5000 } ]
`);
    const objs = [...loadManifests([f]), pod('shop', 'webapp', { app: 'webapp' }), pod('shop', 'database', { app: 'database' })];
    // WHEN
    const r = analyze(objs);
    // THEN
    expect(r.between('shop/webapp', 'shop/database').toString()).toBe('All Connections');
    expect(r.model.warnings).toEqual([{
      message: 'NetworkPolicy shop/db-webapp: spec.ports is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].ports (or spec.egress[i].ports). '
        + `It was ignored: the analysis reads the policy without it, so a rule without ports of its own admits every port; ${KUBECTL} NetworkPolicy at all`,
      location: { file: f, docIndex: 0 },
      object: { group: 'networking.k8s.io', kind: 'NetworkPolicy', namespace: 'shop', name: 'db-webapp' },
      field: 'spec.ports',
    }]);
  });

  const messages = (spec: object) => buildModel([netpol('shop', 'p', spec)]).warnings.map((w) => w.message.replace(`; ${KUBECTL} NetworkPolicy at all`, ''));

  test.each<[string, object, string]>([
    ['spec.from', { podSelector: {}, from: [{ podSelector: {} }] },
      'spec.from is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].from. It was ignored: the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count'],
    ['spec.to', { podSelector: {}, to: [] },
      'spec.to is not a field of a NetworkPolicy spec: it belongs in spec.egress[i].to. It was ignored: the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count'],
    ['spec.namespaceSelector', { podSelector: {}, namespaceSelector: {} },
      'spec.namespaceSelector is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].from[j].namespaceSelector (or spec.egress[i].to[j].namespaceSelector). It was ignored: the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count'],
    ['spec.matchLabels', { matchLabels: { app: 'x' } },
      'spec.matchLabels is not a field of a NetworkPolicy spec: it belongs in spec.podSelector.matchLabels. It was ignored: the analysis reads the policy without it: spec.podSelector alone says which pods the policy selects'],
    ['spec.port', { podSelector: {}, port: 80 },
      'spec.port is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].ports[j].port (or spec.egress[i].ports[j].port). It was ignored: the analysis reads the policy without it, so a rule without ports of its own admits every port'],
    ['spec.cidr', { podSelector: {}, cidr: '10.0.0.0/8' },
      'spec.cidr is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].from[j].ipBlock.cidr (or spec.egress[i].to[j].ipBlock.cidr). It was ignored: the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count'],
    ['spec.policyType', { podSelector: {}, policyType: ['Egress'] },
      'spec.policyType is not a field of a NetworkPolicy spec: did you mean spec.policyTypes? It was ignored: the analysis reads the policy without policyTypes: it isolates ingress, and egress only if it has egress rules'],
    ['spec.ingress[0].podSelector', { podSelector: {}, ingress: [{ podSelector: { matchLabels: { app: 'x' } } }] },
      'spec.ingress[0].podSelector is not a field of an ingress rule: it belongs in spec.ingress[0].from[j].podSelector. It was ignored: the analysis reads the rule without it: with no from, it admits every source'],
    ['spec.egress[0].ipBlock', { podSelector: {}, egress: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
      'spec.egress[0].ipBlock is not a field of an egress rule: it belongs in spec.egress[0].to[j].ipBlock. It was ignored: the analysis reads the rule without it: with no to, it admits every destination'],
    ['spec.ingress[0].namespaceSelector beside from', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }], namespaceSelector: {} }] },
      'spec.ingress[0].namespaceSelector is not a field of an ingress rule: it belongs in spec.ingress[0].from[j].namespaceSelector. It was ignored: the analysis reads the NetworkPolicy without it'],
    ['spec.ingress[0].matchLabels', { podSelector: {}, ingress: [{ matchLabels: { app: 'x' } }] },
      'spec.ingress[0].matchLabels is not a field of an ingress rule: it belongs in spec.ingress[0].from[j].podSelector.matchLabels (or spec.ingress[0].from[j].namespaceSelector.matchLabels). It was ignored: the analysis reads the rule without it: with no from, it admits every source'],
    ['spec.ingress[0].to', { podSelector: {}, ingress: [{ to: [{ podSelector: {} }] }] },
      'spec.ingress[0].to is not a field of an ingress rule: it belongs in spec.ingress[0].from (ingress rules name their sources in from). It was ignored: the analysis reads the rule without it: with no from, it admits every source'],
    ['spec.egress[0].port', { podSelector: {}, egress: [{ to: [{ podSelector: {} }], port: 53 }] },
      'spec.egress[0].port is not a field of an egress rule: it belongs in spec.egress[0].ports[j].port. It was ignored: the analysis reads the rule without it: with no ports, it admits every port'],
    ['spec.ingress[0].policyTypes', { podSelector: {}, ingress: [{ policyTypes: ['Ingress'], from: [{ podSelector: {} }] }] },
      'spec.ingress[0].policyTypes is not a field of an ingress rule: it belongs in spec.policyTypes. It was ignored: the analysis reads the NetworkPolicy without it'],
    ['peer ports', { podSelector: {}, ingress: [{ from: [{ podSelector: {}, ports: [{ port: 80 }] }] }] },
      'spec.ingress[0].from[0].ports is not a field of a peer (an entry of from or to): it belongs in spec.ingress[0].ports. It was ignored: the analysis reads the peer without it: the ports of the rule are those of spec.ingress[0].ports'],
    ['peer cidr', { podSelector: {}, ingress: [{ from: [{ podSelector: {}, cidr: '10.0.0.0/8' }] }] },
      'spec.ingress[0].from[0].cidr is not a field of a peer (an entry of from or to): it belongs in spec.ingress[0].from[0].ipBlock.cidr. It was ignored: the analysis reads the NetworkPolicy without it'],
    ['peer namespace', { podSelector: {}, ingress: [{ from: [{ podSelector: {}, namespace: 'x' }] }] },
      'spec.ingress[0].from[0].namespace is not a field of a peer (an entry of from or to): it belongs in spec.ingress[0].from[0].namespaceSelector.matchLabels, as kubernetes.io/metadata.name: <namespace>. It was ignored: the analysis reads the NetworkPolicy without it'],
    ['labels written directly under a peer\'s podSelector', { podSelector: {}, ingress: [{ from: [{ podSelector: { app: 'web' } }] }] },
      'spec.ingress[0].from[0].podSelector.app is not a field of a label selector: it belongs in spec.ingress[0].from[0].podSelector.matchLabels (labels are written under matchLabels: spec.ingress[0].from[0].podSelector.matchLabels.app). It was ignored: the analysis reads the selector as {}, which selects every pod'],
    ['labels written directly under a namespaceSelector', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { team: 'ops' } }] }] },
      'spec.ingress[0].from[0].namespaceSelector.team is not a field of a label selector: it belongs in spec.ingress[0].from[0].namespaceSelector.matchLabels (labels are written under matchLabels: spec.ingress[0].from[0].namespaceSelector.matchLabels.team). It was ignored: the analysis reads the selector as {}, which selects every namespace'],
    ['labels written directly under spec.podSelector', { podSelector: { app: 'web' }, ingress: [] },
      'spec.podSelector.app is not a field of a label selector: it belongs in spec.podSelector.matchLabels (labels are written under matchLabels: spec.podSelector.matchLabels.app). It was ignored: the analysis reads the selector as {}, which selects every pod of the namespace'],
    ['a label beside matchLabels', { podSelector: { matchLabels: { app: 'web' }, tier: 'db' }, ingress: [] },
      'spec.podSelector.tier is not a field of a label selector: it belongs in spec.podSelector.matchLabels (labels are written under matchLabels: spec.podSelector.matchLabels.tier). It was ignored: the analysis reads the selector without it, so it may select more pods than meant'],
    ['operator outside matchExpressions', { podSelector: { operator: 'In' }, ingress: [] },
      'spec.podSelector.operator is not a field of a label selector: it belongs in spec.podSelector.matchExpressions[k].operator. It was ignored: the analysis reads the selector as {}, which selects every pod of the namespace'],
    ['a misspelt matchLabels', { podSelector: { matchlabels: { app: 'web' } }, ingress: [] },
      'spec.podSelector.matchlabels is not a field of a label selector: did you mean spec.podSelector.matchLabels? It was ignored: the analysis reads the selector as {}, which selects every pod of the namespace'],
    ['a misspelt except', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', excepts: ['10.0.0.0/8'] } }] }] },
      'spec.ingress[0].from[0].ipBlock.excepts is not a field of an ipBlock: did you mean spec.ingress[0].from[0].ipBlock.except? It was ignored: the analysis reads the ipBlock without exceptions: it matches all of its cidr'],
    ['a misspelt endPort', { podSelector: {}, ingress: [{ ports: [{ port: 80, endport: 90 }] }] },
      'spec.ingress[0].ports[0].endport is not a field of a port of a rule: did you mean spec.ingress[0].ports[0].endPort? It was ignored: the analysis reads the entry without a range: only its port'],
    ['a misspelt protocol', { podSelector: {}, ingress: [{ ports: [{ port: 53, Protocol: 'UDP' }] }] },
      'spec.ingress[0].ports[0].Protocol is not a field of a port of a rule: did you mean spec.ingress[0].ports[0].protocol? It was ignored: the analysis reads the entry as TCP'],
    ['a misspelt values', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', value: [] }] }, ingress: [] },
      'spec.podSelector.matchExpressions[0].value is not a field of a matchExpressions entry: did you mean spec.podSelector.matchExpressions[0].values? It was ignored: the analysis reads the NetworkPolicy without it'],
    ['an unknown field without a suggestion', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }], comment: 'x' }] },
      'spec.ingress[0].comment is not a field of an ingress rule. It was ignored: the analysis reads the NetworkPolicy without it'],
  ])('%s', (_name, spec, message) => {
    expect(messages(spec)).toEqual([`NetworkPolicy shop/p: ${message}`]);
  });

  test('top-level fields that belong in metadata or spec', () => {
    const m = buildModel([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, namespace: 'shop', labels: { a: 'b' }, ingress: [] }]);
    expect(m.warnings.map((w) => [w.field, w.message.replace(`; ${KUBECTL} NetworkPolicy at all`, '')])).toEqual([
      ['namespace', 'NetworkPolicy default/p: namespace is not a field of a NetworkPolicy: it belongs in metadata.namespace. It was ignored: the analysis reads the object in namespace default'],
      ['labels', 'NetworkPolicy default/p: labels is not a field of a NetworkPolicy: it belongs in metadata.labels. It was ignored: the analysis reads the object without these labels'],
      ['ingress', 'NetworkPolicy default/p: ingress is not a field of a NetworkPolicy: it belongs in spec.ingress. It was ignored: the analysis reads the NetworkPolicy without it'],
    ]);
    expect(m.policies[0].id).toBe('default/p');
  });

  test('Namespace metadata and workloads: misspelt or misplaced labels, namespace, container port fields', () => {
    const m = buildModel([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', lables: { team: 'a' } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namepsace: 'shop' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, targetPort: 80 }] }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { labels: { app: 'web' } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'job', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: { metadata: { label: {} } } } } } },
    ]);
    expect(m.warnings.map((w) => w.message)).toEqual([
      `Namespace shop: metadata.lables is not a field of metadata (ObjectMeta): did you mean metadata.labels? It was ignored: the analysis reads the object without these labels; ${KUBECTL} Namespace at all`,
      `Pod default/p: metadata.namepsace is not a field of metadata (ObjectMeta): did you mean metadata.namespace? It was ignored: the analysis reads the object in namespace default; ${KUBECTL} Pod at all`,
      `Pod default/p: spec.containers[0].ports[0].targetPort is not a field of a container port: it belongs in spec.containers[0].ports[0].containerPort. It was ignored: the analysis reads the Pod without it; ${KUBECTL} Pod at all`,
      `Deployment shop/web: spec.template.labels is not a field of a pod template: it belongs in spec.template.metadata.labels. It was ignored: the analysis reads the pods without these labels, so policies that select them by these labels do not apply to them; ${KUBECTL} Deployment at all`,
      `CronJob shop/job: spec.jobTemplate.spec.template.metadata.label is not a field of metadata (ObjectMeta): did you mean spec.jobTemplate.spec.template.metadata.labels? It was ignored: the analysis reads the object without these labels; ${KUBECTL} CronJob at all`,
    ]);
    expect(m.workloads.map((w) => [w.id, w.labels])).toEqual([['default/p[Pod]', {}], ['shop/job[CronJob]', {}], ['shop/web[Deployment]', {}]]);
  });

  test('a peer with only misplaced fields stays an error (the API server rejects an empty peer), saying where they belong', () => {
    expect(inputError(() => buildModel([netpol('shop', 'p', { podSelector: {}, ingress: [{ from: [{ matchLabels: { app: 'x' } }] }] })])))
      .toBe('<objects> (document 0, 0-based): NetworkPolicy p: spec.ingress[0].from[0] must set podSelector, namespaceSelector or ipBlock; '
        + 'matchLabels: it belongs in spec.ingress[0].from[0].podSelector.matchLabels (or spec.ingress[0].from[0].namespaceSelector.matchLabels)');
  });

  test('known fields, status and every ObjectMeta field raise no warning', () => {
    const m = buildModel([
      {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', status: {},
        metadata: { name: 'p', namespace: 'shop', labels: {}, annotations: {}, uid: 'u', resourceVersion: '1', generation: 1, creationTimestamp: null, managedFields: [], finalizers: [], ownerReferences: [] },
        spec: {
          podSelector: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }, policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: [] } }], ports: [{ protocol: 'TCP', port: 80, endPort: 90 }] }],
          egress: [{ to: [{ podSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }, null],
        },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' }, spec: { replicas: 1, template: { metadata: { labels: {} }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP', hostPort: 80, hostIP: '0.0.0.0' }] }] } } }, status: {} },
    ]);
    expect(m.warnings).toEqual([]);
  });

  test('kinds the analyzer does not read are not checked', () => {
    const m = buildModel([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', lables: {} }, spec: { bogus: 1 } }]);
    expect(m.warnings).toEqual([]);
  });
});

describe('paths that hold no manifests, Helm templates and standard input', () => {
  test('a folder without manifests is an error (a CI gate must not pass on the wrong folder)', () => {
    write('README.md', '# not a manifest');
    expect(inputError(() => loadManifests([tmp.dir()])))
      .toBe(`no manifests in ${tmp.dir()}: it has no .yaml, .yml or .json file. Check the path (a gate that reads nothing proves nothing)`);
  });

  test('a folder whose files hold only empty documents is an error too; each folder must hold an object', () => {
    write('empty/a.yaml', '---\n# nothing\n---\n');
    write('empty/b.yaml', '');
    write('one/a.yaml', '');
    const full = write('full.yaml', JSON.stringify(pod('default', 'p')));
    expect(inputError(() => loadManifests([full, path.join(tmp.dir(), 'empty')])))
      .toBe(`no Kubernetes objects in ${path.join(tmp.dir(), 'empty')}: its 2 files have only empty documents. Check the path (a gate that reads nothing proves nothing)`);
    expect(inputError(() => loadManifests([path.join(tmp.dir(), 'one'), full])))
      .toBe(`no Kubernetes objects in ${path.join(tmp.dir(), 'one')}: its file has only empty documents. Check the path (a gate that reads nothing proves nothing)`);
  });

  test('an empty file named explicitly is read (cdk8s writes one for a chart without objects), unless nothing else is', () => {
    const empty = write('empty.yaml', '');
    const full = write('full.yaml', JSON.stringify(pod('default', 'p')));
    expect(loadManifests([empty, full])).toHaveLength(1);
    expect(inputError(() => loadManifests([empty, empty])))
      .toBe(`no Kubernetes objects in ${empty}, ${empty}: only empty documents. Check the path (a gate that reads nothing proves nothing)`);
  });

  test('an unrendered Helm template is an error that says to render it first', () => {
    const f = write('templates/deployment.yaml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
`);
    expect(inputError(() => loadManifests([f]))).toBe(`${f}: looks like an unrendered Helm template (line 4: name: {{ include "app.fullname" . }}): render it first, `
      + 'e.g. helm template my-release ./chart > rendered.yaml and read rendered.yaml, or pipe it: helm template my-release ./chart | tenancy check -');
  });

  test('a Helm template that happens to parse as YAML is caught too; template text in rendered manifests is not', () => {
    const quoted = write('t.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "{{ .Release.Namespace }}"\n');
    expect(inputError(() => loadManifests([quoted]))).toMatch(/t\.yaml: looks like an unrendered Helm template \(line 4: name: "\{\{ \.Release\.Namespace \}\}"\): render it first/);
    const rendered = write('r.yaml', `apiVersion: v1
kind: ConfigMap
metadata: { name: alerts }
data:
  rules.yaml: |
    summary: "{{ $labels.instance }} is down"
    # {{ .Values.commented }}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: apps }
spec: { template: { metadata: { name: '{{path.basename}}' } } }
`);
    expect(loadManifests([rendered])).toHaveLength(2);
    expect(helmTemplateLine('{{- if .Values.enabled }}\nkind: Pod\n{{- end }}\n', true)).toBe(1);
    expect(helmTemplateLine('a: 1\n# {{ .Values.x }}\n', true)).toBeUndefined();
    expect(helmTemplateLine('a: "{{ x }}"\n', true)).toBeUndefined();
    expect(helmTemplateLine('a: "{{ x }}"\n', false)).toBe(1);
    expect(helmTemplateLine('a: "{ x }"\n', false)).toBeUndefined();
  });

  test('an invalid JSON file that holds template actions is reported as a Helm template', () => {
    const f = write('t.json', '{ "kind": {{ .Values.kind }} }');
    expect(inputError(() => loadManifests([f]))).toMatch(/^.*t\.json: looks like an unrendered Helm template \(line 1: /);
  });

  test('a Helm chart folder is an error that says to render it first', () => {
    write('chart/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
    write('chart/templates/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n');
    const dir = path.join(tmp.dir(), 'chart');
    expect(inputError(() => loadManifests([tmp.dir()]))).toBe(`${dir} is a Helm chart (it has a Chart.yaml), not rendered manifests: render it first, `
      + `e.g. helm template my-release ${dir} > rendered.yaml and read rendered.yaml, or pipe it: helm template my-release ${dir} | tenancy check -`);
  });

  test('- reads standard input, located as <stdin>, in order with the other paths', () => {
    const f = write('a.yaml', JSON.stringify(pod('default', 'a')));
    const objs = loadManifests([f, '-'], { stdin: () => `${JSON.stringify(pod('default', 'b'))}\n---\n${JSON.stringify(pod('default', 'a'))}\n` });
    expect(objs.map((o) => [o.file, o.docIndex])).toEqual([[f, 0], ['<stdin>', 0], ['<stdin>', 1]]);
    expect(buildModel(objs).duplicates.map((d) => [d.overridden.file, d.kept.file])).toEqual([[f, '<stdin>']]);
  });

  test('empty or invalid standard input is an error', () => {
    expect(inputError(() => loadManifests(['-'], { stdin: () => '' }))).toBe('no Kubernetes objects on standard input (-): it was empty');
    expect(inputError(() => loadManifests(['-'], { stdin: () => 'kind: [' }))).toMatch(/^<stdin> \(document 0, 0-based\): invalid YAML: /);
  });
});
