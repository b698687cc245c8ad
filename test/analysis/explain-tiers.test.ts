/**
 * `explain` across the tiers: for each side, the deciding tier, policy, rule (name or index) and action, and what
 * each higher tier passed on; `diff` of a change in a cluster-wide policy; `reach` formats with a Domain peer.
 */
import { analyze, Connection, diff, explain, formatConnections, formatDiff, formatExplanation, Reachability } from '../../src/analysis';
import { ALL_NAMESPACES, anp, banp, cnp, inNamespaces, netpol, pod, podsWith } from './helpers';

const objects = [
  pod('a', 'web', { app: 'web' }, [{ containerPort: 80, name: 'http' }]),
  pod('b', 'client', { app: 'client' }),
  cnp('tenant-a', 'Admin', 50, inNamespaces('a'), {
    ingress: [
      { name: 'pass-own', action: 'Pass', from: [inNamespaces('a')] },
      { name: 'accept-http', action: 'Accept', from: [ALL_NAMESPACES], protocols: [{ destinationNamedPort: 'http' }] },
      { action: 'Deny', from: [ALL_NAMESPACES] },
    ],
  }),
  anp('egress', 10, inNamespaces('b'), {
    egress: [
      { name: 'pass-pods', action: 'Pass', to: [{ networks: ['10.0.0.0/8'] }] },
      { name: 'deny-rest', action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] },
    ],
  }),
  banp(ALL_NAMESPACES, { egress: [{ name: 'deny-udp', action: 'Deny', to: [ALL_NAMESPACES], ports: [{ portRange: { start: 1, end: 65535, protocol: 'UDP' } }] }] }),
];
let r!: Reachability;
beforeEach(() => { r = analyze(objects); });

describe('explain across the tiers', () => {
  test('names each rule with its action, and what each tier allows and passes on', () => {
    const e = explain(r, 'b/client', 'a/web', { protocol: 'TCP', port: 80 });
    expect(formatExplanation(e)).toBe([
      'from b/client[Pod] to a/web[Pod]',
      'egress from b/client[Pod]:',
      '  Admin tier:',
      '    AdminNetworkPolicy egress (priority 10):',
      '      spec.egress[0] ("pass-pods") Pass: to[0] networks 10.0.0.0/8 may match (assumed: it overlaps the pod networks, and the pod\'s address is not in the manifests); passes All Connections on to the next tier, and, assumed not to match, also goes on in this tier',
      '      spec.egress[1] ("deny-rest") Deny: to[0] networks 0.0.0.0/0 matches; denies All Connections',
      '    Admin tier allows No Connections; passes on All Connections',
      '  NetworkPolicy tier: not isolated (no NetworkPolicy with Egress in policyTypes selects it); passes on All Connections',
      '  Baseline tier:',
      '    BaselineAdminNetworkPolicy default:',
      '      spec.egress[0] ("deny-udp") Deny: to[0] namespaces {} matches; denies UDP 1-65535',
      '    Baseline tier allows No Connections; passes on SCTP 1-65535,TCP 1-65535',
      '  default (no tier decides it): allows SCTP 1-65535,TCP 1-65535',
      '  allowed: SCTP 1-65535,TCP 1-65535',
      'ingress to a/web[Pod]:',
      '  Admin tier:',
      '    ClusterNetworkPolicy tenant-a (tier Admin, priority 50):',
      '      spec.ingress[0] ("pass-own") Pass: no peer matches (from[0] namespaces kubernetes.io/metadata.name=a)',
      '      spec.ingress[1] ("accept-http") Accept: from[0] namespaces {} matches; allows TCP 80',
      '      spec.ingress[2] Deny: from[0] namespaces {} matches; denies SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535',
      '    Admin tier allows TCP 80; passes on No Connections',
      '  NetworkPolicy tier: not isolated (no NetworkPolicy with Ingress in policyTypes selects it); passes on No Connections',
      '  Baseline tier: no policy with ingress rules selects it; passes on No Connections',
      '  allowed: TCP 80',
      'result: TCP 80',
      'port 80/TCP: allowed (egress: passed on by AdminNetworkPolicy egress (priority 10) spec.egress[0] ("pass-pods") (Admin tier, Pass, assuming its peer matches), then allowed by default (no tier decides it); ingress: allowed by ClusterNetworkPolicy tenant-a (tier Admin, priority 50) spec.ingress[1] ("accept-http") (Admin tier, Accept))',
      '',
    ].join('\n'));
    expect(e.allowed.toString()).toBe(r.between('b/client', 'a/web').toString());
  });

  test('a denied port names the rule that denies it, on each side', () => {
    const e = explain(r, 'b/client', 'a/web', { protocol: 'UDP', port: 53 });
    expect(formatExplanation(e).split('\n').slice(-2)[0])
      .toBe('port 53/UDP: denied (egress: denied by AdminNetworkPolicy egress (priority 10) spec.egress[1] ("deny-rest") (Admin tier, Deny); '
        + 'where AdminNetworkPolicy egress (priority 10) spec.egress[0] ("pass-pods") (Admin tier, Pass, assuming its peer matches) passes it on, '
        + 'denied by BaselineAdminNetworkPolicy default spec.egress[0] ("deny-udp") (Baseline tier, Deny); '
        + 'ingress: denied by ClusterNetworkPolicy tenant-a (tier Admin, priority 50) spec.ingress[2] (Admin tier, Deny))');
  });

  test('structured: the tier outcomes of each side', () => {
    const e = explain(r, 'b/client', 'a/web');
    expect(e.ingress.adminPolicies).toEqual(['ClusterNetworkPolicy tenant-a (tier Admin, priority 50)']);
    expect(e.ingress.admin.map((v) => [v.ruleName, v.action, v.match, v.applied.toString()])).toEqual([
      ['spec.ingress[0] ("pass-own")', 'Pass', 'no', 'No Connections'],
      ['spec.ingress[1] ("accept-http")', 'Accept', 'yes', 'TCP 80'],
      ['spec.ingress[2]', 'Deny', 'yes', 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535'],
    ]);
    expect(e.egress.toNetworkPolicy.toString()).toBe('All Connections');
    expect(e.egress.baselinePolicies).toEqual(['BaselineAdminNetworkPolicy default']);
    expect(e.egress.toDefault.toString()).toBe('SCTP 1-65535,TCP 1-65535');
  });

  test('a NetworkPolicy that isolates the pod: the Baseline tier is named but not reached', () => {
    const e = explain(analyze([
      pod('a', 'web', { app: 'web' }), pod('b', 'client'),
      banp(ALL_NAMESPACES, { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }),
      netpol('a', 'open', { podSelector: {}, ingress: [{}] }),
    ]), 'b/client', 'a/web');
    const text = formatExplanation(e);
    expect(text).toContain('  Baseline tier: BaselineAdminNetworkPolicy default selects it, but it is not reached (a NetworkPolicy isolates it)\n');
    expect(text).toContain('result: All Connections\n');
  });

  test('an Admin tier that decides everything: the NetworkPolicy tier is not reached', () => {
    const e = explain(analyze([
      pod('a', 'web', { app: 'web' }), pod('b', 'client'),
      anp('deny', 1, ALL_NAMESPACES, { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }),
      netpol('a', 'open', { podSelector: {}, ingress: [{}] }),
    ]), 'b/client', 'a/web');
    expect(formatExplanation(e)).toContain('  NetworkPolicy tier: isolated by a/open, but not reached (the Admin tier decided everything)\n');
  });

  test('rules reached after everything is decided are listed, deciding nothing; a named port the pod lacks admits nothing', () => {
    const e = explain(analyze([
      pod('a', 'web', { app: 'web' }), pod('b', 'client'),
      anp('x', 1, inNamespaces('a'), {
        ingress: [
          { name: 'metrics', action: 'Allow', from: [ALL_NAMESPACES], ports: [{ namedPort: 'metrics' }] },
          { name: 'all', action: 'Deny', from: [ALL_NAMESPACES] },
          { name: 'late', action: 'Allow', from: [ALL_NAMESPACES] },
        ],
      }),
    ]), 'b/client', 'a/web');
    const text = formatExplanation(e);
    expect(text).toContain('      spec.ingress[0] ("metrics") Allow: from[0] namespaces {} matches; but its ports admit nothing here (a named port the destination does not declare)\n');
    expect(text).toContain('      spec.ingress[1] ("all") Deny: from[0] namespaces {} matches; denies All Connections\n');
    expect(text).toContain('      spec.ingress[2] ("late") Allow: from[0] namespaces {} matches; decides nothing (what its ports cover was decided before)\n');
    expect(e.ingress.admin.map((v) => v.applied.toString())).toEqual(['No Connections', 'All Connections', 'No Connections']);
  });

  test('a NetworkPolicy rule that covers nothing that reached the tier', () => {
    const e = explain(analyze([
      pod('a', 'web', { app: 'web' }), pod('b', 'client'),
      anp('x', 1, inNamespaces('a'), { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES], ports: [{ portNumber: { port: 80 } }] }] }),
      netpol('a', 'web', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }, { ports: [{ port: 81 }] }] }),
    ]), 'b/client', 'a/web', { protocol: 'TCP', port: 81 });
    const text = formatExplanation(e);
    expect(text).toContain('    a/web ingress[0]: no from: everything matches; decides nothing (its ports cover nothing that reached the tier)\n');
    expect(text).toContain('    a/web ingress[1]: no from: everything matches; allows TCP 81\n');
    expect(text).toContain('    NetworkPolicy tier allows TCP 81 of what it receives (SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535), and denies the rest\n');
  });

  test('an Admin tier that decides everything: the Baseline tier is named but not reached', () => {
    const e = explain(analyze([
      pod('a', 'web', { app: 'web' }), pod('b', 'client'),
      anp('allow', 1, ALL_NAMESPACES, { ingress: [{ action: 'Allow', from: [ALL_NAMESPACES] }] }),
      banp(ALL_NAMESPACES, { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }),
    ]), 'b/client', 'a/web');
    expect(formatExplanation(e)).toContain('  Baseline tier: BaselineAdminNetworkPolicy default, but not reached (the Admin tier decided everything)\n');
    expect(e.ingress.baseline.map((v) => v.applied.toString())).toEqual(['No Connections']);
    expect(e.allowed.toString()).toBe('All Connections');
  });

  test('towards a domain, NetworkPolicy peers: an ipBlock may match its addresses, pod peers never do', () => {
    const d = analyze([
      pod('b', 'client'), pod('b', 'other'),
      cnp('egress', 'Admin', 10, inNamespaces('b'), { egress: [{ action: 'Accept', to: [{ domainNames: ['example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }] }),
      netpol('b', 'client', {
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: {} }], ports: [{ port: 80 }] }, { to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 22 }] }],
      }),
    ]);
    const e = explain(d, 'b/client', 'example.com[Domain]');
    expect(e.egress.rules.map((v) => `${v.rule}: ${v.match}`)).toEqual(['b/client egress[0]: no', 'b/client egress[1]: maybe']);
    expect(formatExplanation(e)).toContain('    b/client egress[1]: to[0] ipBlock 198.51.100.0/24 may match (assumed: the domain\'s addresses are not in the manifests); assumed to allow TCP 22\n');
    expect(e.allowed.toString()).toBe('TCP 22,443');
  });

  test('towards a domain, and from a domain (refused: give an address)', () => {
    const d = analyze([
      pod('b', 'client'),
      cnp('egress', 'Admin', 10, inNamespaces('b'), { egress: [{ name: 'ok', action: 'Accept', to: [{ domainNames: ['*.example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }),
    ]);
    const text = formatExplanation(explain(d, 'b/client', '*.example.com[Domain]', { protocol: 'TCP', port: 443 }));
    expect(text).toContain('      spec.egress[0] ("ok") Accept: to[0] domainNames *.example.com matches; allows TCP 443\n');
    expect(text).toContain('ingress to *.example.com[Domain]: a domain\'s addresses, not governed by network policies: All Connections\n');
    expect(text).toContain('result: TCP 443\n');
    expect(() => explain(d, '*.example.com[Domain]', 'b/client')).toThrow('a domain is a destination only: to explain traffic from its addresses, give one (--from 203.0.113.7)');
  });
});

describe('diff of a change in a cluster-wide policy', () => {
  test('an Admin Deny that becomes a Pass, and a new Accept towards a domain', () => {
    const base = [pod('a', 'web', { app: 'web' }), pod('b', 'client', { app: 'client' })];
    const before = [...base, anp('x', 10, inNamespaces('a'), { ingress: [{ action: 'Deny', from: [podsWith({ app: 'client' })] }] })];
    const after = [
      ...base, anp('x', 10, inNamespaces('a'), { ingress: [{ action: 'Pass', from: [podsWith({ app: 'client' })] }] }),
      cnp('egress', 'Admin', 10, inNamespaces('b'), { egress: [{ action: 'Accept', to: [{ domainNames: ['example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }),
    ];
    expect(formatDiff(diff(before, after), 'txt')).toBe([
      '- b/client[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      '+ b/client[Pod] => a/web[Pod] : TCP 443',
      '+ b/client[Pod] => example.com[Domain] : TCP 443',
      '',
    ].join('\n'));
    expect(JSON.parse(formatDiff(diff(before, after), 'json')).added[1]).toEqual({
      src: { kind: 'Pod', namespace: 'b', name: 'client' }, dst: { kind: 'Domain', name: 'example.com' }, ports: { TCP: [[443, 443]] },
    });
  });

  test('a change of priority between two Admin policies', () => {
    const base = [pod('a', 'web', { app: 'web' }), pod('b', 'client', { app: 'client' })];
    const policies = (deny: number) => [
      anp('deny', deny, inNamespaces('a'), { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }),
      anp('allow', 50, inNamespaces('a'), { ingress: [{ action: 'Allow', from: [podsWith({ app: 'client' })], ports: [{ portNumber: { port: 80 } }] }] }),
    ];
    expect(formatDiff(diff([...base, ...policies(10)], [...base, ...policies(90)]), 'txt')).toBe('+ b/client[Pod] => a/web[Pod] : TCP 80\n');
  });
});

describe('reach formats with a domain', () => {
  let out!: Connection[];
  beforeEach(() => {
    const d = analyze([
      pod('b', 'client'),
      cnp('egress', 'Admin', 10, inNamespaces('b'), { egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }),
    ]);
    out = d.connections.filter((c) => c.src.id === 'b/client[Pod]');
  });

  test('txt, json and md', () => {
    expect(formatConnections(out, 'txt')).toBe('b/client[Pod] => *.example.com[Domain] : TCP 443\n');
    expect(formatConnections(out, 'json')).toBe('{"connections":[{"src":{"kind":"Pod","namespace":"b","name":"client"},"dst":{"kind":"Domain","name":"*.example.com"},"ports":{"TCP":[[443,443]]}}]}\n');
    expect(formatConnections(out, 'md')).toBe('| Source | Destination | Connections |\n| --- | --- | --- |\n| b/client[Pod] | *.example.com[Domain] | TCP 443 |\n');
  });

  test('mermaid and dot draw the domain outside the namespaces, like an external range', () => {
    expect(formatConnections(out, 'mermaid')).toBe([
      'flowchart LR',
      '  subgraph ns_b["b"]',
      '    b_client_Pod["client[Pod]"]',
      '  end',
      '  example_com_Domain["*.example.com[Domain]"]',
      '  b_client_Pod -->|"TCP 443"| example_com_Domain',
      '',
    ].join('\n'));
    expect(formatConnections(out, 'dot')).toContain('  example_com_Domain [label="*.example.com[Domain]", shape=ellipse];\n');
  });
});
