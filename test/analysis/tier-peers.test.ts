/**
 * What the rules of cluster-wide policies match, one semantic point per test, from the CRD descriptions: subjects
 * and peers by namespaces and pods, `networks` (which may match pods), `nodes` and `domainNames`, ports in both API
 * versions, and external addresses. What cannot be known offline is assumed the way that allows more.
 */
import { analyze, formatConnections } from '../../src/analysis';
import { ALL_NAMESPACES, anp, banp, cnp, inNamespaces, netpol, ns, pod, podsWith, reach } from './helpers';

const ALL = 'All Connections';
const NONE = 'No Connections';
const ALL_BUT_TCP_443 = 'SCTP 1-65535,TCP 1-442,444-65535,UDP 1-65535';

const pods = [
  ns('shop', { team: 'a' }), ns('other'),
  pod('shop', 'client', { app: 'client' }),
  pod('shop', 'web', { app: 'web' }, [{ containerPort: 8080, name: 'http' }, { containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 9000, name: 'http', protocol: 'SCTP' }]),
  pod('other', 'web', { app: 'web' }, [{ containerPort: 80, name: 'http' }]),
];
const world = (...policies: object[]) => reach([...pods, ...policies]);
const client = podsWith({ app: 'client' });
const webs = podsWith({ app: 'web' });

describe('subjects and peers by namespaces and pods', () => {
  test('namespaces: every pod of the namespaces its selector selects', () => {
    const { c } = world(anp('a', 10, { namespaces: { matchLabels: { team: 'a' } } }, { ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'a' } } }] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
    expect(c('other/web[Pod]', 'shop/web[Pod]')).toBe(ALL);
    expect(c('shop/client[Pod]', 'other/web[Pod]')).toBe(ALL);
  });

  test('pods: namespaceSelector AND podSelector', () => {
    const { c } = world(anp('a', 10, { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'web' } } } }, {
      ingress: [{ action: 'Deny', from: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'web' } } } }] }],
    }));
    expect(c('other/web[Pod]', 'shop/web[Pod]')).toBe(NONE);
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(ALL);
    expect(c('shop/web[Pod]', 'other/web[Pod]')).toBe(ALL); // other/web is not the subject
  });

  test('v1alpha2 pods without namespaceSelector: every namespace ("if empty, it selects all Namespaces")', () => {
    const { c } = world(cnp('a', 'Admin', 10, { pods: { podSelector: { matchLabels: { app: 'web' } } } }, { ingress: [{ action: 'Deny', from: [{ pods: { podSelector: { matchLabels: { app: 'client' } } } }] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
    expect(c('shop/client[Pod]', 'other/web[Pod]')).toBe(NONE);
  });

  test('a namespace without a Namespace object is selected by its kubernetes.io/metadata.name only', () => {
    const { c } = reach([pod('loose', 'a'), pod('loose', 'b'), anp('x', 1, inNamespaces('loose'), { ingress: [{ action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] }] })]);
    expect(c('loose/a[Pod]', 'loose/b[Pod]')).toBe(NONE);
  });

  test('pod peers never match external addresses: a cluster-wide ingress rule leaves external sources to the lower tiers', () => {
    const { c } = world(anp('a', 10, webs, { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
    expect(c('8.8.8.8', 'shop/web[Pod]')).toBe(ALL);
  });
});

describe('ports', () => {
  const allowOnly = (ports: object) => world(anp('a', 10, webs, { ingress: [{ action: 'Allow', from: [client], ...ports }, { action: 'Deny', from: [client] }] }));

  test('"If Ports is not set then the rule does not filter traffic via port"', () => {
    expect(allowOnly({}).c('shop/client[Pod]', 'shop/web[Pod]')).toBe(ALL);
  });

  test('v1alpha1 portNumber ("If not specified, this field defaults to TCP") and portRange (inclusive)', () => {
    expect(allowOnly({ ports: [{ portNumber: { port: 80 } }, { portNumber: { port: 53, protocol: 'UDP' } }] }).c('shop/client[Pod]', 'shop/web[Pod]')).toBe('TCP 80,UDP 53');
    expect(allowOnly({ ports: [{ portRange: { start: 8000, end: 8080, protocol: 'SCTP' } }] }).c('shop/client[Pod]', 'shop/web[Pod]')).toBe('SCTP 8000-8080');
  });

  test('a named port resolves against the destination\'s container ports, of every protocol (an ingress rule: the subject)', () => {
    expect(allowOnly({ ports: [{ namedPort: 'http' }] }).c('shop/client[Pod]', 'shop/web[Pod]')).toBe('SCTP 9000,TCP 8080');
    expect(allowOnly({ ports: [{ namedPort: 'nope' }] }).c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
  });

  test('an egress named port resolves against the destination pod', () => {
    const { c } = world(anp('a', 10, client, { egress: [{ action: 'Allow', to: [webs], ports: [{ namedPort: 'http' }] }, { action: 'Deny', to: [ALL_NAMESPACES] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe('SCTP 9000,TCP 8080');
    expect(c('shop/client[Pod]', 'other/web[Pod]')).toBe('TCP 80');
  });

  test('v1alpha2 protocols: tcp/udp/sctp with a number or a range, and destinationNamedPort', () => {
    const { c } = world(cnp('a', 'Admin', 10, webs, {
      ingress: [
        {
          action: 'Accept', from: [client],
          protocols: [{ tcp: { destinationPort: { number: 443 } } }, { udp: { destinationPort: { range: { start: 5000, end: 5002 } } } }, { sctp: { destinationPort: { number: 9 } } }, { destinationNamedPort: 'dns' }],
        },
        { action: 'Deny', from: [client] },
      ],
    }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe('SCTP 9,TCP 443,UDP 53,5000-5002');
  });
});

describe('networks: addresses, which may be pods\'', () => {
  test('"if you Allow or Deny traffic to 0.0.0.0/0, that will allow or deny all IPv4 pod-to-pod traffic as well"', () => {
    const { c } = world(anp('a', 10, client, { egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
    expect(c('shop/client[Pod]', '8.8.8.8')).toBe(NONE);
  });

  test('a network that overlaps a pod network may match any pod: a Deny is assumed not to match, an Allow to match', () => {
    const deny = world(anp('a', 10, client, { egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] }] }));
    expect(deny.c('shop/client[Pod]', 'shop/web[Pod]')).toBe(ALL);
    expect(deny.c('shop/client[Pod]', '10.1.2.3')).toBe(NONE);
    expect(deny.c('shop/client[Pod]', '11.0.0.0')).toBe(ALL);
    const allow = world(anp('a', 10, client, { egress: [{ action: 'Allow', to: [{ networks: ['10.0.0.0/8'] }], ports: [{ portNumber: { port: 443 } }] }, { action: 'Deny', to: [ALL_NAMESPACES] }] }));
    expect(allow.c('shop/client[Pod]', 'shop/web[Pod]')).toBe('TCP 443');
  });

  test('a Pass that may match is taken both ways: passed on, and evaluated further', () => {
    const objects = (np: object[]) => world(
      anp('a', 10, client, { egress: [{ action: 'Pass', to: [{ networks: ['10.0.0.0/8'] }] }, { action: 'Deny', to: [ALL_NAMESPACES], ports: [{ portNumber: { port: 80 } }] }] }),
      ...np,
    );
    // Passed: no NetworkPolicy, no baseline: allowed (TCP 80 included). Not passed: TCP 80 denied. The union: all.
    expect(objects([]).c('shop/client[Pod]', 'shop/web[Pod]')).toBe(ALL);
    // With a NetworkPolicy that isolates the client's egress and admits nothing, both ways end denied: passed, the
    // NetworkPolicy denies; not passed, TCP 80 is denied and the rest reaches the NetworkPolicy, which denies it.
    const isolated = netpol('shop', 'client', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'] });
    expect(objects([isolated]).c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
  });

  test('a network outside every pod network never matches a pod', () => {
    const { c } = world(anp('a', 10, client, { egress: [{ action: 'Allow', to: [{ networks: ['203.0.113.0/24'] }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(NONE);
    expect(c('shop/client[Pod]', '203.0.113.9')).toBe(ALL);
  });

  test('IPv6 networks may match a pod (dual stack) and never an IPv4 address', () => {
    const { c } = world(anp('a', 10, client, { egress: [{ action: 'Allow', to: [{ networks: ['fd00::/8'] }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(ALL);
    expect(c('shop/client[Pod]', '10.0.0.1')).toBe(NONE);
  });

  test('the external address space is divided at every networks boundary', () => {
    const { r } = world(anp('a', 10, client, { egress: [{ action: 'Deny', to: [{ networks: ['198.51.100.0/24'] }] }] }));
    expect(formatConnections(r.connections.filter((x) => x.src.id === 'shop/client[Pod]' && x.dst.kind === 'External'), 'txt')).toBe([
      'shop/client[Pod] => 0.0.0.0-198.51.99.255[External] : All Connections',
      'shop/client[Pod] => 198.51.101.0-255.255.255.255[External] : All Connections',
      '',
    ].join('\n'));
  });
});

describe('nodes: addresses not in the manifests', () => {
  test('a nodes peer may match any external address and any pod: Allow allows, Deny is assumed not to match', () => {
    const allow = world(banp(client, { egress: [{ action: 'Allow', to: [{ nodes: {} }], ports: [{ portNumber: { port: 6443 } }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }));
    expect(allow.c('shop/client[Pod]', '192.0.2.1')).toBe('TCP 6443');
    expect(allow.c('shop/client[Pod]', 'shop/web[Pod]')).toBe('TCP 6443');
    const deny = world(anp('a', 10, client, { egress: [{ action: 'Deny', to: [{ nodes: {} }] }] }));
    expect(deny.c('shop/client[Pod]', '192.0.2.1')).toBe(ALL);
  });
});

describe('domainNames: a Domain endpoint of its own', () => {
  const allowlist = cnp('egress', 'Admin', 10, client, {
    egress: [
      { name: 'accept-example', action: 'Accept', to: [{ domainNames: ['*.example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] },
      { name: 'deny-rest', action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] },
    ],
  });

  test('an Accept rule appears in reach as its own external peer, with what the source may open to it', () => {
    const { r, c } = world(allowlist);
    expect(c('shop/client[Pod]', '*.example.com[Domain]')).toBe('TCP 443');
    expect(r.connections.filter((x) => x.dst.kind === 'Domain').map((x) => `${x.src.id} => ${x.dst.id} : ${x.conns.toString()}`))
      .toEqual(['shop/client[Pod] => *.example.com[Domain] : TCP 443']);
    expect(JSON.parse(formatConnections(r.connections.filter((x) => x.dst.kind === 'Domain'), 'json')).connections[0].dst).toEqual({ kind: 'Domain', name: '*.example.com' });
    // External ranges are the addresses outside the domain: denied by the Deny.
    expect(c('shop/client[Pod]', '93.184.216.34')).toBe(NONE);
  });

  test('a name may resolve to a pod\'s address: towards pods, domainNames may match', () => {
    const { c } = world(allowlist);
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe('TCP 443');
  });

  test('the domain\'s addresses are unknown: it also gets what the source may open to any address', () => {
    const { c } = world(
      cnp('egress', 'Admin', 10, client, { egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }] }),
      netpol('shop', 'client', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 22 }] }] }),
    );
    expect(c('shop/client[Pod]', '*.example.com[Domain]')).toBe('TCP 22,443');
    expect(c('shop/client[Pod]', '198.51.100.1')).toBe('TCP 22');
  });

  test('another name may share an address: a Deny of one domain does not hide what another accepts', () => {
    const { c } = world(cnp('egress', 'Admin', 10, client, {
      egress: [
        { action: 'Accept', to: [{ domainNames: ['api.example.com'] }] },
        { action: 'Deny', to: [{ domainNames: ['*.example.com'] }] },
      ],
    }));
    expect(c('shop/client[Pod]', 'api.example.com[Domain]')).toBe(ALL);
    expect(c('shop/client[Pod]', '*.example.com[Domain]')).toBe(ALL);
  });

  test('a domain is listed only for the workloads whose egress rules name it; between answers for every workload', () => {
    const { r, c } = world(allowlist);
    expect(r.connections.some((x) => x.src.id === 'shop/web[Pod]' && x.dst.kind === 'Domain')).toBe(false);
    expect(c('shop/web[Pod]', '*.example.com[Domain]')).toBe(ALL);
    expect(() => r.between('shop/web[Pod]', 'nope.org[Domain]')).toThrow('no domain "nope.org[Domain]" in the input (domains: *.example.com)');
    expect(c('*.example.com[Domain]', 'shop/web[Pod]')).toBe(NONE);
  });

  test('a wildcard covers the names below it, not the name itself', () => {
    const { c } = world(cnp('egress', 'Admin', 10, client, {
      egress: [
        { action: 'Accept', to: [{ domainNames: ['*.example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] },
        { action: 'Accept', to: [{ domainNames: ['example.com', 'a.b.example.com'] }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] },
        { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] },
      ],
    }));
    expect(c('shop/client[Pod]', 'a.b.example.com[Domain]')).toBe('TCP 80,443');
    expect(c('shop/client[Pod]', 'example.com[Domain]')).toBe('TCP 80,443'); // 443: assumed (names may share addresses)
  });
});

describe('the fail-closed assumptions never turn a certain Deny into an allow', () => {
  test('a Deny that matches for sure is kept, whatever Allow may match later', () => {
    const { c } = world(anp('a', 10, client, {
      egress: [
        { action: 'Deny', to: [webs], ports: [{ portNumber: { port: 443 } }] },
        { action: 'Allow', to: [{ networks: ['10.0.0.0/8'] }] },
        { action: 'Deny', to: [ALL_NAMESPACES] },
      ],
    }));
    expect(c('shop/client[Pod]', 'shop/web[Pod]')).toBe(ALL_BUT_TCP_443);
  });

  test('analysis warnings name the offline peers', () => {
    const r = analyze([...pods, cnp('egress', 'Admin', 10, client, { egress: [{ name: 'x', action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }] })]);
    expect(r.model.warnings.map((w) => w.message)).toEqual([
      'ClusterNetworkPolicy egress: spec.egress[0].to[0] (rule "x"): the domainNames peer *.example.com matches addresses by DNS name, which cannot be resolved offline; the analysis assumes whichever answer allows more',
    ]);
  });
});
