import { Peer, Port, Protocol } from '../src';

describe('Port', () => {
  test('factories render NetworkPolicy ports', () => {
    expect(Port.tcp(5000)._toKube()).toEqual({ protocol: 'TCP', port: expect.objectContaining({ value: 5000 }) });
    expect(Port.udp(53)._toSpec()).toEqual({ protocol: 'UDP', port: 53 });
    expect(Port.sctp(9)._toSpec()).toEqual({ protocol: 'SCTP', port: 9 });
    expect(Port.tcpRange(8000, 8080)._toSpec()).toEqual({ protocol: 'TCP', port: 8000, endPort: 8080 });
    expect(Port.udpRange(1, 1)._toSpec()).toEqual({ protocol: 'UDP', port: 1 });
    expect(Port.named('metrics')._toSpec()).toEqual({ protocol: 'TCP', port: 'metrics' });
    expect(Port.named('dns', Protocol.UDP)._toSpec()).toEqual({ protocol: 'UDP', port: 'dns' });
    expect(Port.allTcp()._toSpec()).toEqual({ protocol: 'TCP' });
    expect(Port.allUdp()._toSpec()).toEqual({ protocol: 'UDP' });
    expect(Port.HTTP.toString()).toBe('TCP 80');
    expect(Port.HTTPS.toString()).toBe('TCP 443');
    expect(Port.DNS_UDP.toString()).toBe('UDP 53');
    expect(Port.DNS_TCP.toString()).toBe('TCP 53');
    expect(Port.tcpRange(1, 2).toString()).toBe('TCP 1-2');
  });

  test.each([
    [() => Port.tcp(0), 'TCP port 0 is out of range: a port is a whole number from 1 to 65535.'],
    [() => Port.tcp(65536), 'TCP port 65536 is out of range: a port is a whole number from 1 to 65535.'],
    [() => Port.udp(-1), 'UDP port -1 is out of range: a port is a whole number from 1 to 65535.'],
    [() => Port.sctp(1.5), 'SCTP port 1.5 is out of range: a port is a whole number from 1 to 65535.'],
    [() => Port.tcpRange(9000, 8000), 'TCP port range 9000-8000 ends before it starts: give the lower port first, e.g. Port.range(TCP, 8000, 9000).'],
    [() => Port.tcpRange(1, 70000), 'TCP range end 70000 is out of range: a port is a whole number from 1 to 65535.'],
    [() => Port.named('Metrics_1'), 'named port "Metrics_1" is not a valid port name (IANA service name): 1-15 lower-case letters, digits and \'-\', with at least one letter and no "--".'],
    [() => Port.named('1234'), 'named port "1234" is not a valid port name'],
  ])('bad port %#', (f, message) => {
    expect(f).toThrow(message);
  });
});

describe('Peer', () => {
  test('factories', () => {
    expect(Peer.pods({ app: 'webapp' }).toPeerConfig()).toEqual({ podLabels: { app: 'webapp' }, name: 'webapp' });
    expect(Peer.namespace('monitoring').toPeerConfig()).toEqual({ namespaces: ['monitoring'], name: 'monitoring' });
    expect(Peer.namespace('monitoring', { app: 'prometheus' }).toPeerConfig()).toEqual({ namespaces: ['monitoring'], podLabels: { app: 'prometheus' }, name: 'monitoring' });
    expect(Peer.ipv4('10.0.0.0/8', ['10.1.0.0/16']).toPeerConfig()).toEqual({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, name: '10-0-0-0-8' });
    expect(Peer.anyIpv4().toPeerConfig()).toEqual({ ipBlock: { cidr: '0.0.0.0/0' }, name: 'anywhere' });
  });

  test.each([
    [() => Peer.pods({}), "Peer.pods() is an empty label selector, which would select every pod of the namespace. Give at least one label, e.g. { app: 'webapp' }."],
    [() => Peer.ipv4('10.0.0.1'), 'CIDR mask is missing in CIDR "10.0.0.1". Did you mean "10.0.0.1/32"?'],
    [() => Peer.ipv4('10.0.0.1/8'), 'CIDR "10.0.0.1/8" has host bits set. Did you mean "10.0.0.0/8"?'],
    [() => Peer.ipv4('300.0.0.0/8'), 'CIDR "300.0.0.0/8" has an octet above 255.'],
    [() => Peer.ipv4('10.0.0.0/33'), 'CIDR "10.0.0.0/33" has a prefix length above 32.'],
    [() => Peer.ipv4('fe80::/10'), 'CIDR "fe80::/10" is not an IPv4 CIDR such as "10.0.0.0/8".'],
    [() => Peer.ipv4('10.0.0.0/8', ['192.168.0.0/16']), 'except CIDR "192.168.0.0/16" lies outside "10.0.0.0/8": an except must be inside the block it narrows.'],
    [() => Peer.namespace('Kube_System'), 'namespace name "Kube_System" is not a valid RFC 1123 label'],
    [() => Peer.pods({ 'app': 'a b' }), 'label value "a b" of "app" is invalid'],
  ])('bad peer %#', (f, message) => {
    expect(f).toThrow(message);
  });
});
