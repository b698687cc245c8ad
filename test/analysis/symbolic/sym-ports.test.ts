/**
 * Symbolic connection sets: numeric ports plus unresolved named ports, over-approximated.
 */
import { ConnectionSet, PortSpec, SymPorts } from '../../../src/analysis';

const tcp = (port: number | string, endPort?: number): PortSpec => ({ protocol: 'TCP', port, ...(endPort ? { endPort } : {}) });
const udp = (port: number | string): PortSpec => ({ protocol: 'UDP', port });
const sym = (...ports: PortSpec[]) => SymPorts.of(ports, 'unknown');

describe('SymPorts.of', () => {
  test('absent ports are everything; an empty list nothing', () => {
    expect(SymPorts.of(undefined, 'unknown')).toBe(SymPorts.ALL);
    expect(SymPorts.of([], 'unknown')).toBe(SymPorts.NONE);
  });

  test('numbers, ranges and whole protocols', () => {
    expect(sym(tcp(80), tcp(8080, 8090), udp(53)).toString()).toBe('TCP 80,8080-8090,UDP 53');
    expect(sym({ protocol: 'SCTP' }).toString()).toBe('SCTP 1-65535');
    expect(sym({ protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'SCTP' })).toBe(SymPorts.ALL);
  });

  test('named ports stay symbolic when the destination is unknown, sorted and unique', () => {
    const s = sym(udp('dns'), tcp('metrics'), tcp('http'), tcp('metrics'));
    expect(s.named).toEqual([{ protocol: 'TCP', name: 'http' }, { protocol: 'TCP', name: 'metrics' }, { protocol: 'UDP', name: 'dns' }]);
    expect(s.toString()).toBe('TCP port named http,TCP port named metrics,UDP port named dns');
    expect(s.isEmpty()).toBe(false);
  });

  test('named ports resolve against known container ports, by name and protocol; else they admit nothing', () => {
    const ctx = [{ name: 'http', port: 8080, protocol: 'TCP' as const }, { name: 'http', port: 8081, protocol: 'UDP' as const }, { port: 9, protocol: 'TCP' as const }];
    expect(SymPorts.of([tcp('http')], ctx).toString()).toBe('TCP 8080');
    expect(SymPorts.of([tcp('metrics')], ctx)).toBe(SymPorts.NONE);
    expect(SymPorts.of([tcp('http')], [])).toBe(SymPorts.NONE);
  });

  test('a named port is dropped where its whole protocol is included', () => {
    expect(sym(tcp('http'), { protocol: 'TCP' }).toString()).toBe('TCP 1-65535');
    expect(sym(tcp('http'), tcp(1, 100)).toString()).toBe('TCP 1-100,TCP port named http');
    expect(sym(tcp('http'), tcp(100, 65535)).toString()).toBe('TCP 100-65535,TCP port named http');
    expect(sym(tcp('http'), tcp(1, 79), tcp(81, 65535)).toString()).toBe('TCP 1-79,81-65535,TCP port named http');
    expect(sym(tcp('http'), { protocol: 'UDP' }).toString()).toBe('UDP 1-65535,TCP port named http');
  });
});

describe('operations', () => {
  const web = sym(tcp(80), tcp(443));
  const named = sym(tcp('http'));
  test('union', () => {
    expect(web.union(SymPorts.NONE)).toBe(web);
    expect(SymPorts.NONE.union(web)).toBe(web);
    expect(SymPorts.ALL.union(named)).toBe(SymPorts.ALL);
    expect(named.union(SymPorts.ALL)).toBe(SymPorts.ALL);
    expect(web.union(named).toString()).toBe('TCP 80,443,TCP port named http');
  });

  test('intersect keeps a named port where the other side has a port of its protocol', () => {
    expect(SymPorts.ALL.intersect(named)).toBe(named);
    expect(named.intersect(SymPorts.ALL)).toBe(named);
    expect(web.intersect(sym(tcp(80), udp(53))).toString()).toBe('TCP 80');
    expect(named.intersect(web).toString()).toBe('TCP port named http');
    expect(web.intersect(named).toString()).toBe('TCP port named http');
    expect(named.intersect(sym(udp(53)))).toBe(SymPorts.NONE);
    expect(sym(udp('dns')).intersect(sym(tcp('http')))).toBe(SymPorts.NONE);
    expect(named.intersect(sym(tcp('other'))).toString()).toBe('TCP port named http,TCP port named other');
  });

  test('subtract removes a named port only by its name or its whole protocol, never numbers for a name', () => {
    expect(web.subtract(SymPorts.NONE)).toBe(web);
    expect(SymPorts.NONE.subtract(web)).toBe(SymPorts.NONE);
    expect(web.subtract(sym(tcp(80))).toString()).toBe('TCP 443');
    expect(web.subtract(named).toString()).toBe('TCP 80,443');
    expect(named.subtract(sym(tcp('http')))).toBe(SymPorts.NONE);
    expect(named.subtract(web).toString()).toBe('TCP port named http');
    expect(named.subtract(sym({ protocol: 'TCP' }))).toBe(SymPorts.NONE);
    expect(named.subtract(sym(udp('http'))).toString()).toBe('TCP port named http');
  });

  test('isSubsetOf, equals, isAll', () => {
    expect(named.isSubsetOf(SymPorts.ALL)).toBe(true);
    expect(named.isSubsetOf(web)).toBe(false);
    expect(sym(tcp(80)).isSubsetOf(web)).toBe(true);
    expect(web.equals(sym(tcp(443), tcp(80)))).toBe(true);
    expect(web.equals(web)).toBe(true);
    expect(web.equals(web.union(named))).toBe(false);
    expect(named.equals(sym(tcp('other')))).toBe(false);
    expect(named.equals(sym(tcp('http')))).toBe(true);
    expect(web.union(named).equals(sym(tcp('http'), tcp(80), tcp(443)))).toBe(true);
    expect(named.equals(sym(tcp('http'), tcp('other')))).toBe(false);
    expect(SymPorts.ALL.isAll()).toBe(true);
    expect(web.isAll()).toBe(false);
  });

  test('texts', () => {
    expect(SymPorts.ALL.toString()).toBe('All Connections');
    expect(SymPorts.ALL.describe()).toBe('all ports');
    expect(SymPorts.NONE.toString()).toBe('No Connections');
    expect(web.describe()).toBe('TCP 80,443');
    expect(SymPorts.numeric(ConnectionSet.of('UDP', 53)).toString()).toBe('UDP 53');
    expect(SymPorts.numeric(ConnectionSet.ALL)).toBe(SymPorts.ALL);
    expect(SymPorts.numeric(ConnectionSet.NONE)).toBe(SymPorts.NONE);
  });
});
