import {
  buildModel, ClusterPeer, clusterPeerMatchesPod, clusterPeerMatchesRange, clusterPeerMatchesWorkload, clusterPortConnections,
  ClusterRule, clusterRuleConnections, clusterRuleHasNamedPort, ConnectionSet, Model, parseCidr, parseSelector, PortSpec, selectorsMayOverlap,
  selectsPod, subjectSelectsWorkload, subjectsMayOverlap, Workload,
} from '../../src/analysis';
import { ANP, CNP_ADMIN, CNP_BASELINE_EXPERIMENTAL, NAME } from './cluster-fixtures';

const s = (raw: object) => parseSelector(raw, 'test');
const pods = (nsSel: object, podSel?: object): ClusterPeer => ({ type: 'pods', namespaceSelector: s(nsSel), podSelector: podSel ? s(podSel) : undefined });
const networks = (...cidrs: string[]): ClusterPeer => ({ type: 'networks', cidrs, ranges: cidrs.filter((c) => !c.includes(':')).map((c) => parseCidr(c)), ipv6: cidrs.filter((c) => c.includes(':')) });

function model(objects: object[] = [], podCidrs?: string[]): Model {
  const base = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'http', containerPort: 8081, protocol: 'SCTP' }] }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'other', labels: { app: 'db' } } },
  ];
  return buildModel([...base, ...objects], podCidrs ? { podCidrs } : {});
}
const M = model();
const wl = (m: Model, id: string): Workload => m.workloads.find((w) => w.id === id)!;
const WEB = wl(M, 'shop/web[Pod]');
const DB = wl(M, 'other/db[Pod]');

describe('subjects', () => {
  test('namespaces: every pod of the selected namespaces; pods: namespace AND pod selectors', () => {
    const p = model([ANP, CNP_ADMIN]);
    const [cnp, anp] = p.clusterPolicies;
    expect(cnp.subject.podSelector).toBeUndefined();
    expect(subjectSelectsWorkload(p, cnp.subject, wl(p, 'shop/web[Pod]'))).toBe(true); // team=a
    expect(subjectSelectsWorkload(p, cnp.subject, wl(p, 'other/db[Pod]'))).toBe(false);
    expect(subjectSelectsWorkload(p, anp.subject, wl(p, 'shop/web[Pod]'))).toBe(true); // team=a, app=web
    expect(selectsPod(anp.subject, { team: 'a' }, { app: 'db' })).toBe(false);
    expect(selectsPod(anp.subject, { team: 'b' }, { app: 'web' })).toBe(false);
  });

  test('namespaces carry their kubernetes.io/metadata.name label', () => {
    expect(subjectSelectsWorkload(M, { namespaceSelector: s({ matchLabels: { [NAME]: 'other' } }) }, DB)).toBe(true);
  });
});

describe('peers towards pods: yes, no, maybe', () => {
  test('namespaces and pods peers: yes or no by their selectors', () => {
    expect(clusterPeerMatchesWorkload(M, pods({ matchLabels: { team: 'a' } }), WEB)).toBe('yes');
    expect(clusterPeerMatchesWorkload(M, pods({ matchLabels: { team: 'a' } }), DB)).toBe('no');
    expect(clusterPeerMatchesWorkload(M, pods({}, { matchLabels: { app: 'db' } }), DB)).toBe('yes');
    expect(clusterPeerMatchesWorkload(M, pods({}, { matchLabels: { app: 'db' } }), WEB)).toBe('no');
  });

  test('networks covering every pod network: yes ("0.0.0.0/0 [...] will allow or deny all IPv4 pod-to-pod traffic")', () => {
    expect(clusterPeerMatchesWorkload(M, networks('0.0.0.0/0'), WEB)).toBe('yes');
    expect(clusterPeerMatchesPod(model([], ['10.0.0.0/16']), networks('10.0.0.0/8'), {}, {})).toBe('yes');
  });

  test('networks overlapping a pod network: maybe; outside every pod network: no', () => {
    expect(clusterPeerMatchesWorkload(M, networks('10.1.0.0/16'), WEB)).toBe('maybe');
    expect(clusterPeerMatchesWorkload(M, networks('203.0.113.0/24'), WEB)).toBe('no');
    expect(clusterPeerMatchesPod(model([], ['10.0.0.0/16']), networks('192.168.0.0/16'), {}, {})).toBe('no');
  });

  test('IPv6 networks, nodes, domainNames: maybe', () => {
    expect(clusterPeerMatchesWorkload(M, networks('fd00::/8'), WEB)).toBe('maybe');
    expect(clusterPeerMatchesWorkload(M, networks('203.0.113.0/24', 'fd00::/8'), WEB)).toBe('maybe');
    expect(clusterPeerMatchesWorkload(M, { type: 'nodes', nodeSelector: s({}) }, WEB)).toBe('maybe');
    expect(clusterPeerMatchesWorkload(M, { type: 'domainNames', domainNames: ['example.com'] }, WEB)).toBe('maybe');
  });
});

describe('peers towards external addresses', () => {
  const r = (c: string) => parseCidr(c);

  test('networks: yes inside, no outside, maybe on a partial overlap', () => {
    const peer = networks('203.0.113.0/24', '198.51.100.0/24');
    expect(clusterPeerMatchesRange(peer, r('203.0.113.128/25'))).toBe('yes');
    expect(clusterPeerMatchesRange(peer, r('198.51.100.7/32'))).toBe('yes');
    expect(clusterPeerMatchesRange(peer, r('192.0.2.0/24'))).toBe('no');
    expect(clusterPeerMatchesRange(peer, r('203.0.112.0/23'))).toBe('maybe');
    expect(clusterPeerMatchesRange(networks('fd00::/8'), r('0.0.0.0/0'))).toBe('no');
  });

  test('namespaces/pods: no; nodes and domainNames: maybe', () => {
    expect(clusterPeerMatchesRange(pods({}), r('0.0.0.0/0'))).toBe('no');
    expect(clusterPeerMatchesRange({ type: 'nodes', nodeSelector: s({}) }, r('192.0.2.0/24'))).toBe('maybe');
    expect(clusterPeerMatchesRange({ type: 'domainNames', domainNames: ['*.example.com'] }, r('192.0.2.0/24'))).toBe('maybe');
  });
});

describe('connections admitted by ports', () => {
  const rule = (ports?: ClusterRule['ports']): ClusterRule => ({ index: 0, action: 'Allow', writtenAction: 'Allow', peers: [pods({})], ports });

  test('no ports: every port of every protocol', () => {
    expect(clusterRuleConnections(rule(), WEB)).toBe(ConnectionSet.ALL);
    expect(clusterRuleHasNamedPort(rule())).toBe(false);
  });

  test('numbers and ranges, per protocol', () => {
    const parsed = buildModel([CNP_ADMIN]).clusterPolicies[0].ingress[0];
    expect(clusterRuleConnections(parsed, undefined).toString()).toBe('SCTP 9,TCP 443,UDP 5000-5010');
  });

  test('a named port resolves against the destination\'s container ports, whatever their protocol', () => {
    // "DestinationNamedPort selects a destination port on a pod based on the ContainerPort name."
    expect(clusterRuleConnections(rule([{ port: 'http' }]), WEB).toString()).toBe('SCTP 8081,TCP 8080');
    expect(clusterRuleConnections(rule([{ port: 'dns' }]), WEB).toString()).toBe('UDP 53');
    expect(clusterRuleHasNamedPort(rule([{ port: 'http' }]))).toBe(true);
  });

  test('a named port admits nothing towards a pod without it, or an address', () => {
    expect(clusterRuleConnections(rule([{ port: 'http' }]), DB)).toBe(ConnectionSet.NONE);
    expect(clusterRuleConnections(rule([{ port: 'http' }]), undefined)).toBe(ConnectionSet.NONE);
  });

  test('a PortSpec with a protocol narrows a named port; a number without protocol means every protocol', () => {
    expect(clusterPortConnections({ port: 'http', protocol: 'TCP' }, WEB).toString()).toBe('TCP 8080');
    expect(clusterPortConnections({ port: 80 }, undefined).toString()).toBe('SCTP 80,TCP 80,UDP 80');
  });

  test('every PortSpec is a ClusterPortSpec: no port means every port of the protocol', () => {
    const spec: PortSpec = { protocol: 'UDP' };
    expect(clusterPortConnections(spec, undefined)).toEqual(ConnectionSet.allOf('UDP'));
    expect(clusterPortConnections({ protocol: 'TCP', port: 8000, endPort: 8080 }, undefined).toString()).toBe('TCP 8000-8080');
  });

  test('the experimental fixture: nodes rule on TCP 6443', () => {
    const egress = buildModel([CNP_BASELINE_EXPERIMENTAL]).clusterPolicies[0].egress;
    expect(clusterRuleConnections(egress[1], undefined).toString()).toBe('TCP 6443');
  });
});

describe('overlap of selectors and subjects', () => {
  test.each([
    [{ matchLabels: { [NAME]: 'a' } }, { matchExpressions: [{ key: NAME, operator: 'In', values: ['b', 'c'] }] }, false],
    [{ matchLabels: { [NAME]: 'a' } }, { matchExpressions: [{ key: NAME, operator: 'In', values: ['a', 'c'] }] }, true],
    [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }, { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'x', operator: 'In', values: ['1', '2'] }] }, { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1', '2'] }] }, false],
    [{ matchExpressions: [{ key: 'x', operator: 'In', values: ['1', '2'] }] }, { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }, true],
    [{ matchExpressions: [{ key: 'x', operator: 'In', values: ['1'] }] }, { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { x: '1' } }, { matchLabels: { y: '1' } }, true],
    [{}, { matchLabels: { y: '1' } }, true],
  ])('%j and %j: %s', (a, b, expected) => {
    expect(selectorsMayOverlap(s(a), s(b))).toBe(expected);
    expect(selectorsMayOverlap(s(b), s(a))).toBe(expected);
  });

  test('a selector that contradicts itself overlaps nothing', () => {
    const none = s({ matchExpressions: [{ key: 'x', operator: 'In', values: ['1'] }, { key: 'x', operator: 'NotIn', values: ['1'] }] });
    expect(selectorsMayOverlap(none, s({}))).toBe(false);
  });

  test('subjects overlap when both their namespaces and their pods may', () => {
    const a = { namespaceSelector: s({}), podSelector: s({ matchLabels: { app: 'a' } }) };
    expect(subjectsMayOverlap(a, { namespaceSelector: s({ matchLabels: { team: 'x' } }) })).toBe(true);
    expect(subjectsMayOverlap(a, { namespaceSelector: s({}), podSelector: s({ matchLabels: { app: 'b' } }) })).toBe(false);
    expect(subjectsMayOverlap({ namespaceSelector: s({ matchLabels: { [NAME]: 'a' } }) }, { namespaceSelector: s({ matchLabels: { [NAME]: 'b' } }), podSelector: s({}) })).toBe(false);
  });
});
