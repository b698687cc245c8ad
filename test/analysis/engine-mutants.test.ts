/**
 * The engine's shortcuts (engine.ts), pinned where mutation testing found them unpinned: the sources visited once
 * per destination whatever the number of rules naming them, the egress "rest" of a source decided once, the
 * destinations an egress-isolated source names, empty results never listed, and the domains of the input sorted.
 * Each test asserts the connections and the engine's own counters (`AnalyzeOptions.stats`), since a shortcut that
 * is lost changes the work, and one that is wrong changes the answer.
 */
import { analyze, EngineStats, Reachability } from '../../src/analysis';
import { anp, banp, cnp, deploy, inNamespaces, netpol, ns } from './helpers';

function run(objects: object[]): { r: Reachability; stats: EngineStats; lines: string[] } {
  const stats: EngineStats = { decisions: 0, pairs: 0, scanned: 0 };
  const r = analyze(objects, { stats });
  return { r, stats, lines: r.connections.map((c) => `${c.src.id} -> ${c.dst.id}: ${c.conns}`) };
}

const ns2 = (name: string) => ns(name, { tenant: name });
const HTTP = [{ containerPort: 8080, name: 'http' }];

describe('egress-isolated sources', () => {
  // Two namespaces of two workloads each (a list of two is half the workloads: not inverted); every workload may
  // only open connections to its own namespace, by two rules naming the same pods; ingress is open everywhere.
  const twoRules = (ports: (p: number) => object[]) => (t: string) => netpol(t, 'out', {
    podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }], ports: ports(80) }, { to: [{ podSelector: {} }], ports: ports(443) }],
  });
  const objects = (policy: (t: string) => object) => ['a', 'b'].flatMap((t) => [
    ns2(t), deploy(t, 'one', { app: 'one' }, HTTP), deploy(t, 'two', { app: 'two' }, HTTP), policy(t),
  ]);

  test('GIVEN sources whose egress denies the rest WHEN ingress is open THEN each reaches the destinations it names, visited once each', () => {
    // WHEN
    const { lines, stats } = run(objects(twoRules((p) => [{ port: p }])));
    // THEN every workload (the second one too) reaches the other of its namespace, no other workload
    expect(lines).toEqual([
      ...['a/one', 'a/two', 'b/one', 'b/two'].map((w) => `0.0.0.0-255.255.255.255[External] -> ${w}[Deployment]: All Connections`),
      'a/one[Deployment] -> a/two[Deployment]: TCP 80,443',
      'a/two[Deployment] -> a/one[Deployment]: TCP 80,443',
      'b/one[Deployment] -> b/two[Deployment]: TCP 80,443',
      'b/two[Deployment] -> b/one[Deployment]: TCP 80,443',
    ]);
    // one pair per destination (the source its rules name, listed once although two rules name it), and per
    // workload: its rest, its external addresses, and the one destination it names
    expect(stats).toEqual({ decisions: 12, pairs: 4, scanned: 4 });
  });

  test('GIVEN egress rules with a named port WHEN the rest is denied THEN the source is still visited only for the destinations it names', () => {
    // WHEN the ports are named: the connections depend on the destination, but the rest matches no pod
    const { lines, stats } = run(objects(twoRules(() => [{ port: 'http' }])));
    // THEN
    expect(lines).toEqual([
      ...['a/one', 'a/two', 'b/one', 'b/two'].map((w) => `0.0.0.0-255.255.255.255[External] -> ${w}[Deployment]: All Connections`),
      'a/one[Deployment] -> a/two[Deployment]: TCP 8080',
      'a/two[Deployment] -> a/one[Deployment]: TCP 8080',
      'b/one[Deployment] -> b/two[Deployment]: TCP 8080',
      'b/two[Deployment] -> b/one[Deployment]: TCP 8080',
    ]);
    expect(stats).toEqual({ decisions: 12, pairs: 4, scanned: 4 });
  });

  test('GIVEN a source whose egress rules name other pods WHEN it reaches a destination they do not name THEN its rest answers, without a decision', () => {
    // GIVEN a Baseline egress Deny of a/client towards namespace x only
    const { lines, stats } = run([
      ns2('a'), ns2('b'), ns2('x'), deploy('a', 'client'), deploy('b', 'web'), deploy('x', 'bad'),
      banp(inNamespaces('a'), { egress: [{ action: 'Deny', to: [inNamespaces('x')] }] }),
    ]);
    // THEN
    expect(lines.filter((l) => l.startsWith('a/'))).toEqual([
      'a/client[Deployment] -> 0.0.0.0-255.255.255.255[External]: All Connections',
      'a/client[Deployment] -> b/web[Deployment]: All Connections',
    ]);
    // every source may connect, so every ordered pair is visited; but only three decisions: client's rest, its
    // external addresses, and x/bad (which its rule names); towards b/web the rest answers
    expect(stats).toEqual({ decisions: 3, pairs: 6, scanned: 4 });
  });

  test('GIVEN only the second workload egress-isolated WHEN it names the first THEN it reaches it (the destinations it names are all recorded)', () => {
    // GIVEN a/one (the first workload) is open; a/two may only open connections to a/one
    const { r, lines, stats } = run([
      ns2('a'), deploy('a', 'one', { app: 'one' }), deploy('a', 'two', { app: 'two' }),
      netpol('a', 'out', { podSelector: { matchLabels: { app: 'two' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'one' } } }] }] }),
    ]);
    expect(r.workloads.map((w) => w.id)).toEqual(['a/one[Deployment]', 'a/two[Deployment]']);
    // THEN
    expect(lines.filter((l) => l.startsWith('a/two'))).toEqual(['a/two[Deployment] -> a/one[Deployment]: All Connections']);
    expect(stats).toEqual({ decisions: 3, pairs: 2, scanned: 2 });
  });

  test('GIVEN a source whose Admin egress denies every pod WHEN analyzed THEN it is never visited as a source', () => {
    // GIVEN a/client may open no connection to any pod (the Deny matches every pod: no list of exceptions)
    const { lines, stats } = run([
      ns2('a'), ns2('b'), deploy('a', 'client'), deploy('b', 'web'),
      anp('deny-all', 10, inNamespaces('a'), { egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] }),
    ]);
    // THEN
    expect(lines.filter((l) => l.startsWith('a/'))).toEqual(['a/client[Deployment] -> 0.0.0.0-255.255.255.255[External]: All Connections']);
    // only b/web is visited (for a/client); a/client's rest is decided once and denies every destination
    expect(stats).toEqual({ decisions: 2, pairs: 1, scanned: 2 });
  });
});

describe('destinations with ingress rules', () => {
  test('GIVEN two ingress rules naming the same pods and the same addresses WHEN analyzed THEN each source and segment is decided once', () => {
    // GIVEN
    const { lines, stats } = run(['a', 'b'].flatMap((t) => [
      ns2(t), deploy(t, 'one', { app: 'one' }), deploy(t, 'two', { app: 'two' }),
      netpol(t, 'in', {
        podSelector: {},
        ingress: [
          { from: [{ podSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 80 }] },
          { from: [{ podSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] },
        ],
      }),
    ]));
    // THEN
    expect(lines.filter((l) => l.endsWith('a/one[Deployment]: TCP 80,443'))).toEqual([
      '203.0.113.0-203.0.113.255[External] -> a/one[Deployment]: TCP 80,443',
      'a/two[Deployment] -> a/one[Deployment]: TCP 80,443',
    ]);
    // per destination: its rest, the other pod of its namespace, its other addresses, the /24
    expect(stats).toEqual({ decisions: 16, pairs: 4, scanned: 4 });
  });

  test('GIVEN a destination whose Admin rule denies one namespace WHEN egress-isolated sources name it THEN the denied one gets nothing, the other everything', () => {
    // GIVEN a/client and c/other may only open connections to b/web; b/web's Admin tier denies namespace c
    const toWeb = (t: string) => netpol(t, 'out', {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { tenant: 'b' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const { r, stats } = run([
      ns2('a'), ns2('b'), ns2('c'), deploy('a', 'client'), deploy('b', 'web', { app: 'web' }), deploy('c', 'other'), toWeb('a'), toWeb('c'),
      anp('deny-c', 10, inNamespaces('b'), { ingress: [{ action: 'Deny', from: [inNamespaces('c')] }] }),
    ]);
    // THEN
    expect(r.between('a/client[Deployment]', 'b/web[Deployment]').toString()).toBe('All Connections');
    expect(r.between('c/other[Deployment]', 'b/web[Deployment]').toString()).toBe('No Connections');
    // b/web's egress is open: it is visited for a/client and c/other; a/client for b/web (named by its rule)
    expect(stats.pairs).toBe(3);
  });
});

describe('what is never listed', () => {
  test('GIVEN Admin rules that deny some pairs and a domain WHEN analyzed THEN no line says No Connections and the denied source is not visited', () => {
    // GIVEN a/client may not open connections to namespace b nor to x.example.com; b/web denies namespace c
    const { r, lines, stats } = run([
      ns2('a'), ns2('b'), ns2('c'), deploy('a', 'client'), deploy('b', 'web'), deploy('c', 'other'),
      cnp('client-out', 'Admin', 10, inNamespaces('a'), {
        egress: [{ action: 'Deny', to: [inNamespaces('b')] }, { action: 'Deny', to: [{ domainNames: ['x.example.com'] }] }],
      }),
      cnp('web-in', 'Admin', 20, inNamespaces('b'), { ingress: [{ action: 'Deny', from: [inNamespaces('c')] }] }),
    ]);
    // THEN
    expect(r.between('a/client[Deployment]', 'b/web[Deployment]').toString()).toBe('No Connections');
    expect(r.between('a/client[Deployment]', 'x.example.com[Domain]').toString()).toBe('No Connections');
    expect(r.between('c/other[Deployment]', 'b/web[Deployment]').toString()).toBe('No Connections');
    expect(lines.filter((l) => l.endsWith('No Connections'))).toEqual([]);
    expect(lines.filter((l) => l.includes('b/web[Deployment]') || l.includes('[Domain]'))).toEqual([
      '0.0.0.0-255.255.255.255[External] -> b/web[Deployment]: All Connections',
      'b/web[Deployment] -> 0.0.0.0-255.255.255.255[External]: All Connections',
      'b/web[Deployment] -> a/client[Deployment]: All Connections',
      'b/web[Deployment] -> c/other[Deployment]: All Connections',
    ]);
    // two sources for each of a/client and c/other; for b/web only a/client (whose egress denies it): c/other is
    // denied at b/web's ingress, so its egress is never consulted
    expect(stats.pairs).toBe(5);
  });
});

describe('domains', () => {
  test('GIVEN policies naming domains out of order WHEN an unknown domain is asked for THEN the error lists the domains sorted', () => {
    // GIVEN b.example.com is named before a.example.com
    const { r } = run([
      ns2('a'), deploy('a', 'client'),
      cnp('first', 'Admin', 10, inNamespaces('a'), { egress: [{ action: 'Accept', to: [{ domainNames: ['b.example.com'] }] }] }),
      cnp('second', 'Admin', 20, inNamespaces('a'), { egress: [{ action: 'Accept', to: [{ domainNames: ['a.example.com'] }] }] }),
    ]);
    // THEN
    expect(r.raw.domains).toEqual(['a.example.com', 'b.example.com']);
    expect(() => r.between('a/client[Deployment]', 'c.example.com[Domain]'))
      .toThrow('no domain "c.example.com[Domain]" in the input (domains: a.example.com, b.example.com)');
  });
});
