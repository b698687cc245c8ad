/**
 * Readable text and stable JSON for regions and symbolic ports.
 */
import { ENTIRE_CLUSTER, parseCidr, PodsRegion, portsJson, Region, regionJson, regionText, Requirement, Selector, selectorJson, SymPorts } from '../../../src/analysis';
import { namespacesExcept, namespacesNamed } from '../../../src/analysis/symbolic/selectors';

const r = (key: string, operator: Requirement['operator'], ...values: string[]): Requirement => ({ key, operator, values });
const pods = (ns: Selector, p: Selector = Selector.ALL): PodsRegion => ({ kind: 'pods', namespaces: { selector: ns }, pods: { selector: p } });

test.each<[Region, string]>([
  [ENTIRE_CLUSTER, 'entire-cluster'],
  [pods(Selector.ALL, new Selector([r('app', 'In', 'x')])), '[all namespaces]/[pods with app=x]'],
  [pods(namespacesNamed(['shop'])), 'shop/[all pods]'],
  [pods(namespacesNamed(['a', 'b']), new Selector([r('app', 'In', 'x')])), '[namespaces a,b]/[pods with app=x]'],
  [pods(namespacesExcept(['a', 'b'])), '[all namespaces except a,b]/[all pods]'],
  [pods(new Selector([r('team', 'In', 'a')]), new Selector([r('app', 'In', 'x')])), '[namespaces with team=a]/[pods with app=x]'],
  [pods(new Selector([r('kubernetes.io/metadata.name', 'Exists')])), '[namespaces with kubernetes.io/metadata.name]/[all pods]'],
  [pods(new Selector([r('team', 'NotIn', 'a')])), '[namespaces with team notin (a)]/[all pods]'],
  [pods(new Selector([r('team', 'In', 'a', 'b')])), '[namespaces with team in (a,b)]/[all pods]'],
  [pods(new Selector([...namespacesExcept(['a']).requirements, r('team', 'In', 'x')])), '[namespaces with kubernetes.io/metadata.name notin (a),team=x]/[all pods]'],
  [pods(new Selector([...namespacesNamed(['a']).requirements, r('team', 'In', 'x')])), '[namespaces with kubernetes.io/metadata.name=a,team=x]/[all pods]'],
  [{ kind: 'pods', namespaces: { labels: { 'kubernetes.io/metadata.name': 'shop', team: 'a' } }, pods: { labels: { b: '2', a: '1' } } }, 'shop/[pods with a=1,b=2]'],
  [{ kind: 'pods', namespaces: { labels: { team: 'a' } }, pods: { labels: {} } }, '[namespaces with team=a]/[pods with ]'],
  [{ ...ENTIRE_CLUSTER, addresses: [parseCidr('10.0.0.0/8'), { start: 0, end: 2 }] }, '[all namespaces]/[pods with addresses in 10.0.0.0/8,0.0.0.0-0.0.0.2]'],
  [{ ...pods(Selector.ALL, new Selector([r('app', 'In', 'x')])), addresses: [parseCidr('10.0.0.0/8')] }, '[all namespaces]/[pods with app=x, addresses in 10.0.0.0/8]'],
  [{ kind: 'external', ranges: [parseCidr('10.0.0.0/8'), parseCidr('192.168.0.0/16')] }, '10.0.0.0-10.255.255.255,192.168.0.0-192.168.255.255'],
  [{ kind: 'external6', cidr: 'fd00::/8', except: [] }, 'fd00::/8'],
  [{ kind: 'external6', cidr: 'fd00::/8', except: ['fd00::/9', 'fd80::/9'] }, 'fd00::/8 except fd00::/9,fd80::/9'],
])('regionText %#: %s', (region, text) => {
  expect(regionText(region)).toBe(text);
});

test('selectorJson writes Kubernetes selectors, sorted', () => {
  expect(selectorJson(Selector.ALL)).toEqual({});
  expect(JSON.stringify(selectorJson(new Selector([r('b', 'In', 'y'), r('a', 'In', 'x'), r('c', 'NotIn', 'z'), r('a', 'Exists'), r('d', 'In', 'p', 'q'), r('a', 'In', 'w')]))))
    .toBe('{"matchLabels":{"a":"x","b":"y"},"matchExpressions":[{"key":"a","operator":"Exists"},{"key":"a","operator":"In","values":["w"]},{"key":"c","operator":"NotIn","values":["z"]},{"key":"d","operator":"In","values":["p","q"]}]}');
});

test('selectorJson sorts expressions of one key by operator', () => {
  expect(selectorJson(new Selector([r('a', 'NotIn', 'z'), r('a', 'In', 'p', 'q')]))).toEqual({
    matchExpressions: [{ key: 'a', operator: 'In', values: ['p', 'q'] }, { key: 'a', operator: 'NotIn', values: ['z'] }],
  });
});

test('regionJson', () => {
  expect(regionJson({ kind: 'external', ranges: [parseCidr('10.0.0.0/8')] })).toEqual({ kind: 'External', range: '10.0.0.0-10.255.255.255' });
  expect(regionJson({ kind: 'external', ranges: [parseCidr('10.0.0.0/8'), parseCidr('11.0.0.0/8')] })).toEqual({ kind: 'External', ranges: ['10.0.0.0-10.255.255.255', '11.0.0.0-11.255.255.255'] });
  expect(regionJson({ kind: 'external6', cidr: 'fd00::/8', except: [] })).toEqual({ kind: 'External', cidr: 'fd00::/8' });
  expect(regionJson({ kind: 'external6', cidr: 'fd00::/8', except: ['fd00::/9'] })).toEqual({ kind: 'External', cidr: 'fd00::/8', except: ['fd00::/9'] });
  expect(JSON.stringify(regionJson(ENTIRE_CLUSTER))).toBe('{"kind":"Pods","namespaces":{},"pods":{},"text":"entire-cluster"}');
  expect(JSON.stringify(regionJson({ kind: 'pods', namespaces: { selector: namespacesNamed(['shop']) }, pods: { labels: { b: '2', a: '1' } }, addresses: [parseCidr('10.0.0.0/8')] })))
    .toBe('{"kind":"Pods","namespaces":{"matchLabels":{"kubernetes.io/metadata.name":"shop"}},"pods":{"matchLabels":{"a":"1","b":"2"}},"addresses":["10.0.0.0-10.255.255.255"],"text":"shop/[pods with a=1,b=2, addresses in 10.0.0.0/8]"}');
});

test('portsJson names unresolved ports apart', () => {
  expect(portsJson(SymPorts.of([{ protocol: 'TCP', port: 80 }], 'unknown'))).toEqual({ ports: { TCP: [[80, 80]] } });
  expect(portsJson(SymPorts.of([{ protocol: 'UDP', port: 'dns' }], 'unknown'))).toEqual({ ports: {}, namedPorts: [{ protocol: 'UDP', name: 'dns' }] });
});
