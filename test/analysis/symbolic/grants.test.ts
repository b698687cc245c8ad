/**
 * Declared grants as regions, and the parts of a region no grant covers.
 */
import { ENTIRE_CLUSTER, Grant, ownNamespaces, parseCidr, parseGrants, podsOfNamespace, Region, regionText, Selector, SymPorts, uncovered } from '../../../src/analysis';
import { namespacesNamed } from '../../../src/analysis/symbolic/selectors';

function parse(value: unknown, key: 'from' | 'to' = 'from'): { grants: Grant[]; problems: string[] } {
  const problems: string[] = [];
  const grants = parseGrants(typeof value === 'string' ? value : JSON.stringify(value), 'ann', key, (m) => problems.push(m));
  return { grants, problems };
}
const tcp = (...ports: number[]) => SymPorts.of(ports.map((port) => ({ protocol: 'TCP' as const, port })), 'unknown');
const show = (list: ReturnType<typeof uncovered>) => list.map((u) => `${regionText(u.region)} ${u.ports.toString()}${u.namespaces ? ` [${u.namespaces.join(',')}]` : ''}`);

describe('parseGrants', () => {
  test('namespace and cidr grants, with and without ports', () => {
    const { grants, problems } = parse([
      { from: { namespace: 'm', podLabels: { app: 'p' } }, ports: [{ protocol: 'TCP', port: 9090 }] },
      { from: { cidr: '203.0.113.0/24', except: ['203.0.113.0/25', 'fd00::/8'] } },
      { from: { cidr: 'fd00::/8' } },
    ]);
    expect(problems).toEqual([]);
    expect(grants.map((g) => `${regionText(g.region)} ${g.ports.toString()}`)).toEqual([
      'm/[pods with app=p] TCP 9090', '203.0.113.128-203.0.113.255 All Connections', 'fd00::/8 All Connections',
    ]);
  });

  test('absent: no grant, no problem', () => {
    expect(parseGrants(undefined, 'ann', 'from', () => { throw new Error('no'); })).toEqual([]);
  });

  test.each<[unknown, string]>([
    ['[', 'has a malformed ann annotation (Unexpected end of JSON input); no grant is honoured'],
    [{}, 'has a malformed ann annotation (not a JSON array); no grant is honoured'],
    [[1], 'ann[0] is ignored: not an object'],
    [[[]], 'ann[0] is ignored: not an object'],
    [[null], 'ann[0] is ignored: not an object'],
    [[{ from: { namespace: 'm' }, extra: 1, another: 2 }], 'ann[0] is ignored: unknown field another, extra'],
    [[{ from: 'm' }], 'ann[0] is ignored: from must be an object'],
    [[{ from: null }], 'ann[0] is ignored: from must be an object'],
    [[{ from: [] }], 'ann[0] is ignored: from must be an object'],
    [[{ from: { namespace: 3 } }], 'ann[0] is ignored: from.namespace must be a namespace name'],
    [[{ from: { namespace: 'm', podLabels: [] } }], 'ann[0] is ignored: from.podLabels must be a map of strings'],
    [[{ from: { cidr: 10 } }], 'ann[0] is ignored: from.cidr must be a CIDR'],
    [[{ from: { cidr: '10.0.0.0/8', except: '10.1.0.0/16' } }], 'ann[0] is ignored: from.except must be a list of CIDRs'],
    [[{ from: { cidr: '10.0.0.0' } }], 'ann[0] is ignored: CIDR mask is missing in IPv4: "10.0.0.0". Did you mean "10.0.0.0/32"?'],
    [[{ from: {} }], 'ann[0] is ignored: from must be {"namespace"[,"podLabels"]} or {"cidr"[,"except"]}, got keys (none)'],
    [[{ from: { namespace: 'm', cidr: '10.0.0.0/8' } }], 'ann[0] is ignored: from must be {"namespace"[,"podLabels"]} or {"cidr"[,"except"]}, got keys cidr,namespace'],
    [[{ from: { namespace: 'm' }, ports: [{ port: 0 }] }], 'ann[0] is ignored: ports[0].port 0 is out of range: ports are integers from 1 to 65535'],
  ])('%j', (value, problem) => {
    expect(parse(value)).toEqual({ grants: [], problems: [problem] });
  });

  test('egress grants use "to"', () => {
    expect(parse([{ to: { namespace: 'm' } }], 'to').grants).toHaveLength(1);
    expect(parse([{ to: { cidr: 'x' } }], 'to').problems).toEqual(['ann[0] is ignored: malformed CIDR "x": expected a.b.c.d/n']);
  });
});

describe('uncovered', () => {
  const ext = (...c: string[]): Region => ({ kind: 'external', ranges: c.map(parseCidr) });
  const grant = (region: Region, ports: SymPorts = SymPorts.ALL): Grant => ({ region, ports });

  test('pods of pinned namespaces: each namespace against its grants, grouped by the ports left', () => {
    const region: Region = { kind: 'pods', namespaces: { selector: namespacesNamed(['a', 'b', 'c', 'own']) }, pods: { selector: Selector.ALL } };
    const grants = [...ownNamespaces(['own']), grant(podsOfNamespace('a'), tcp(80)), grant(podsOfNamespace('b'), tcp(80))];
    expect(show(uncovered(region, tcp(80, 443), grants))).toEqual([
      '[namespaces a,b]/[all pods] TCP 443 [a,b]',
      'c/[all pods] TCP 80,443 [c]',
    ]);
    expect(uncovered(region, tcp(80), [...grants, grant(podsOfNamespace('c'))])).toEqual([]);
  });

  test('a grant with pod labels covers only peers that require them', () => {
    const labelled = new Selector([{ key: 'app', operator: 'In', values: ['p'] }]);
    const g = grant({ kind: 'pods', namespaces: { selector: namespacesNamed(['m']) }, pods: { selector: labelled } });
    expect(uncovered({ kind: 'pods', namespaces: { selector: namespacesNamed(['m']) }, pods: { selector: labelled } }, SymPorts.ALL, [g])).toEqual([]);
    expect(show(uncovered(podsOfNamespace('m'), SymPorts.ALL, [g]))).toEqual(['m/[all pods] All Connections [m]']);
  });

  test('other namespace requirements are kept when narrowing to the uncovered names', () => {
    const region: Region = { kind: 'pods', namespaces: { selector: new Selector([...namespacesNamed(['a', 'b']).requirements, { key: 'team', operator: 'In', values: ['x'] }]) }, pods: { selector: Selector.ALL } };
    expect(show(uncovered(region, tcp(80), [grant(podsOfNamespace('a'))]))).toEqual(['[namespaces with team=x,kubernetes.io/metadata.name=b]/[all pods] TCP 80 [b]']);
  });

  test('a namespace known by its labels is pinned by its name', () => {
    const region: Region = { kind: 'pods', namespaces: { labels: { 'kubernetes.io/metadata.name': 'm', team: 'x' } }, pods: { selector: Selector.ALL } };
    expect(uncovered(region, tcp(80), [grant(podsOfNamespace('m'))])).toEqual([]);
    expect(show(uncovered(region, tcp(80), []))).toEqual(['m/[all pods] TCP 80 [m]']);
  });

  test('unpinned namespaces are never covered, but the namespaces a grant covers wholly are left out of them', () => {
    const [u] = uncovered(ENTIRE_CLUSTER, tcp(80), [...ownNamespaces(['own']), grant(podsOfNamespace('m'), tcp(443)), grant({ kind: 'pods', namespaces: { selector: namespacesNamed(['p']) }, pods: { selector: new Selector([{ key: 'app', operator: 'In', values: ['x'] }]) } })]);
    expect(regionText(u.region)).toBe('[all namespaces except own]/[all pods]');
  });

  test('unpinned namespaces are never covered', () => {
    expect(show(uncovered(ENTIRE_CLUSTER, tcp(80), [grant(ENTIRE_CLUSTER)]))).toEqual(['entire-cluster TCP 80']);
  });

  test('external ranges: split at every grant boundary, grouped by the ports left, merged', () => {
    const grants = [grant(ext('203.0.113.0/25'), tcp(80)), grant(ext('203.0.113.64/26'), tcp(443)), grant(ext('198.51.100.0/24'))];
    expect(show(uncovered(ext('198.51.100.0/24', '203.0.113.0/24'), tcp(80, 443), grants))).toEqual([
      '203.0.113.0-203.0.113.63 TCP 443',
      '203.0.113.128-203.0.113.255 TCP 80,443',
    ]);
    expect(show(uncovered(ext('203.0.113.0/24'), tcp(80), [grant(ext('203.0.113.0/26')), grant(ext('203.0.113.128/26'))]))).toEqual([
      '203.0.113.64-203.0.113.127,203.0.113.192-203.0.113.255 TCP 80',
    ]);
  });

  test('a grant ending at the last address of the region, or right before it', () => {
    const region = ext('203.0.113.0/24');
    const butLast = grant({ kind: 'external', ranges: [{ start: parseCidr('203.0.113.0/24').start, end: parseCidr('203.0.113.0/24').end - 1 }] });
    expect(show(uncovered(region, tcp(80), [butLast]))).toEqual(['203.0.113.255-203.0.113.255 TCP 80']);
    const before = grant({ kind: 'external', ranges: [{ start: 0, end: parseCidr('203.0.113.0/24').start - 1 }] }, tcp(80));
    expect(show(uncovered(region, tcp(22, 80, 443), [before, grant(region, tcp(443))]))).toEqual(['203.0.113.0-203.0.113.255 TCP 22,80']);
  });

  test('IPv6 blocks are covered by the same block only', () => {
    const v6: Region = { kind: 'external6', cidr: 'fd00::/8', except: [] };
    expect(uncovered(v6, tcp(80), [grant(v6)])).toEqual([]);
    expect(show(uncovered(v6, tcp(80, 443), [grant(v6, tcp(80)), grant({ kind: 'external6', cidr: 'fd01::/16', except: [] })]))).toEqual(['fd00::/8 TCP 443']);
  });
});
