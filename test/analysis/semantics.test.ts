/**
 * One test per semantic point of the NetworkPolicy model the engine follows (Kubernetes documentation).
 */
import { analyze, ConnectionSet } from '../../src/analysis';
import { deploy, netpol, ns, pod, reach } from './helpers';

const ALL = 'All Connections';
const NONE = 'No Connections';

describe('isolation and policyTypes', () => {
  test('a pod selected by no policy is open in both directions', () => {
    // GIVEN two pods, no policy
    const { c } = reach([pod('default', 'a'), pod('default', 'b')]);
    // THEN
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(ALL);
    expect(c('0.0.0.0', 'default/a[Pod]')).toBe(ALL);
    expect(c('default/a[Pod]', '8.8.8.8')).toBe(ALL);
  });

  test('a policy with Egress only in policyTypes does not isolate for ingress', () => {
    const { c } = reach([
      pod('default', 'a'), pod('default', 'b', { app: 'b' }),
      netpol('default', 'egress-only', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'], ingress: [] }),
    ]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(ALL);
    expect(c('default/b[Pod]', 'default/a[Pod]')).toBe(NONE);
  });

  test('policyTypes absent: Ingress is implied', () => {
    const { c } = reach([pod('default', 'a'), pod('default', 'b', { app: 'b' }), netpol('default', 'p', { podSelector: { matchLabels: { app: 'b' } } })]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(NONE);
    expect(c('default/b[Pod]', 'default/a[Pod]')).toBe(ALL);
  });

  test('policyTypes absent: Egress only when egress rules exist', () => {
    const withRules = reach([
      pod('default', 'a'), pod('default', 'b', { app: 'b' }),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{}], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(withRules.c('default/b[Pod]', 'default/a[Pod]')).toBe('UDP 53');
    const emptyEgress = reach([
      pod('default', 'a'), pod('default', 'b', { app: 'b' }),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{}], egress: [] }),
    ]);
    expect(emptyEgress.c('default/b[Pod]', 'default/a[Pod]')).toBe(ALL);
  });

  test('policyTypes [Ingress, Egress] with no rules isolates both ways', () => {
    const { c } = reach([pod('default', 'a'), pod('default', 'b'), netpol('default', 'p', { podSelector: { matchLabels: {} }, policyTypes: ['Ingress', 'Egress'] })]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(NONE);
    expect(c('default/a[Pod]', '1.2.3.4')).toBe(NONE);
    expect(c('1.2.3.4', 'default/a[Pod]')).toBe(NONE);
  });
});

describe('egress and ingress together, policies add up', () => {
  test('a connection needs egress allowed at the source and ingress at the destination', () => {
    const { c } = reach([
      pod('default', 'a', { app: 'a' }), pod('default', 'b', { app: 'b' }),
      netpol('default', 'a-out', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80, endPort: 100 }] }] }),
      netpol('default', 'b-in', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 90, endPort: 200 }] }] }),
    ]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe('TCP 90-100');
  });

  test('policies selecting the same pod add up (union of their rules)', () => {
    const { c } = reach([
      pod('default', 'a'), pod('default', 'b', { app: 'b' }),
      netpol('default', 'p1', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 80 }] }] }),
      netpol('default', 'p2', { podSelector: {}, ingress: [{ ports: [{ port: 443 }, { port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe('TCP 80,443,UDP 53');
  });
});

describe('selectors and peers', () => {
  test('podSelector {} selects every pod of the policy namespace only', () => {
    const { c } = reach([
      pod('default', 'a'), pod('other', 'b'), pod('other', 'x'),
      netpol('default', 'deny', { podSelector: {}, ingress: [] }),
    ]);
    expect(c('other/b[Pod]', 'default/a[Pod]')).toBe(NONE);
    expect(c('default/a[Pod]', 'other/b[Pod]')).toBe(ALL);
    expect(c('other/x[Pod]', 'other/b[Pod]')).toBe(ALL);
  });

  test('a peer with only podSelector means the policy namespace', () => {
    const { c } = reach([
      pod('default', 'web', { app: 'web' }), pod('default', 'client', { role: 'client' }), pod('other', 'client', { role: 'client' }),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }),
    ]);
    expect(c('default/client[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(c('other/client[Pod]', 'default/web[Pod]')).toBe(NONE);
  });

  test('namespaceSelector {} means every namespace (but no external address)', () => {
    const { c } = reach([
      pod('default', 'web', { app: 'web' }), pod('a', 'x'), pod('b', 'y'),
      netpol('default', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    ]);
    expect(c('a/x[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(c('b/y[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(c('1.1.1.1', 'default/web[Pod]')).toBe(NONE);
  });

  test('namespaceSelector and podSelector in one peer mean AND; in two peers OR', () => {
    const objs = (peers: object[]) => [
      ns('ops', { team: 'operations' }), ns('dev'),
      pod('default', 'web', { app: 'web' }), pod('ops', 'mon', { type: 'monitoring' }), pod('ops', 'plain'),
      pod('dev', 'mon', { type: 'monitoring' }), pod('default', 'mon', { type: 'monitoring' }),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: peers }] }),
    ];
    const and = reach(objs([{ namespaceSelector: { matchLabels: { team: 'operations' } }, podSelector: { matchLabels: { type: 'monitoring' } } }]));
    expect(and.c('ops/mon[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(and.c('ops/plain[Pod]', 'default/web[Pod]')).toBe(NONE);
    expect(and.c('dev/mon[Pod]', 'default/web[Pod]')).toBe(NONE);
    expect(and.c('default/mon[Pod]', 'default/web[Pod]')).toBe(NONE);
    const or = reach(objs([{ namespaceSelector: { matchLabels: { team: 'operations' } } }, { podSelector: { matchLabels: { type: 'monitoring' } } }]));
    expect(or.c('ops/mon[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(or.c('ops/plain[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(or.c('dev/mon[Pod]', 'default/web[Pod]')).toBe(NONE);
    expect(or.c('default/mon[Pod]', 'default/web[Pod]')).toBe(ALL);
  });

  test('from absent or empty admits every source, external ones included', () => {
    for (const rule of [{}, { from: [] }, { from: null }]) {
      const { c } = reach([pod('default', 'web'), pod('x', 'y'), netpol('default', 'p', { podSelector: {}, ingress: [rule] })]);
      expect(c('x/y[Pod]', 'default/web[Pod]')).toBe(ALL);
      expect(c('203.0.113.9', 'default/web[Pod]')).toBe(ALL);
    }
  });

  test('to absent or empty admits every destination, external ones included', () => {
    for (const rule of [{ ports: [{ port: 80 }] }, { to: [], ports: [{ port: 80 }] }]) {
      const { c } = reach([pod('default', 'a'), pod('x', 'y'), netpol('default', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [rule] })]);
      expect(c('default/a[Pod]', 'x/y[Pod]')).toBe('TCP 80');
      expect(c('default/a[Pod]', '203.0.113.9')).toBe('TCP 80');
    }
  });

  test('ingress: [] admits nothing', () => {
    const { c } = reach([pod('default', 'a'), pod('default', 'b'), netpol('default', 'p', { podSelector: {}, ingress: [] })]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(NONE);
    expect(c('9.9.9.9', 'default/b[Pod]')).toBe(NONE);
  });

  test('matchLabels and matchExpressions In, NotIn, Exists, DoesNotExist', () => {
    const target = (expr: object) => reach([
      pod('default', 'web', { app: 'web' }),
      pod('default', 'prod', { env: 'prod' }), pod('default', 'dev', { env: 'dev' }), pod('default', 'none'),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchExpressions: [expr] } }] }] }),
    ]);
    const allowed = (expr: object) => {
      const { c } = target(expr);
      return ['prod', 'dev', 'none'].filter((n) => c(`default/${n}[Pod]`, 'default/web[Pod]') === ALL);
    };
    expect(allowed({ key: 'env', operator: 'In', values: ['prod'] })).toEqual(['prod']);
    expect(allowed({ key: 'env', operator: 'NotIn', values: ['prod'] })).toEqual(['dev', 'none']);
    expect(allowed({ key: 'env', operator: 'Exists' })).toEqual(['prod', 'dev']);
    expect(allowed({ key: 'env', operator: 'DoesNotExist' })).toEqual(['none']);
    const { c } = reach([
      pod('default', 'web', { app: 'web' }), pod('default', 'both', { env: 'prod', tier: 'fe' }), pod('default', 'one', { env: 'prod' }),
      netpol('default', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }] }],
      }),
    ]);
    expect(c('default/both[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(c('default/one[Pod]', 'default/web[Pod]')).toBe(NONE);
  });
});

describe('namespaces', () => {
  test('every namespace carries kubernetes.io/metadata.name, even without a Namespace object', () => {
    const { c } = reach([
      ns('declared', { other: 'x' }), pod('declared', 'a'), pod('undeclared', 'b'), pod('default', 'web'),
      netpol('default', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['declared', 'undeclared'] }] } }] }] }),
    ]);
    expect(c('declared/a[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(c('undeclared/b[Pod]', 'default/web[Pod]')).toBe(ALL);
  });

  test('a namespace with no Namespace object has only that label', () => {
    const { c } = reach([
      pod('undeclared', 'b'), pod('default', 'web'),
      netpol('default', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] }] }),
      netpol('default', 'q', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }], ports: [{ port: 1 }] }] }),
    ]);
    expect(c('undeclared/b[Pod]', 'default/web[Pod]')).toBe(ALL);
  });

  test('a Namespace cannot override kubernetes.io/metadata.name', () => {
    const { c } = reach([
      ns('evil', { 'kubernetes.io/metadata.name': 'trusted' }), pod('evil', 'x'), pod('default', 'web'),
      netpol('default', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'trusted' } } }] }] }),
    ]);
    expect(c('evil/x[Pod]', 'default/web[Pod]')).toBe(NONE);
  });

  test('objects without a namespace are in default', () => {
    const { r, c } = reach([pod(undefined, 'a'), pod(undefined, 'b', { app: 'b' }), netpol(undefined, 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [] })]);
    expect(r.workloads.map((w) => w.id)).toEqual(['default/a[Pod]', 'default/b[Pod]']);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(NONE);
  });
});

describe('ports', () => {
  const one = (ports: object[], containerPorts = [{ containerPort: 8080, name: 'http' }]) => reach([
    pod('default', 'a'), pod('default', 'b', { app: 'b' }, containerPorts),
    netpol('default', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports }] }),
  ]).c('default/a[Pod]', 'default/b[Pod]');

  test('ports absent means every port of every protocol', () => {
    expect(one([])).toBe(ALL);
  });

  test('a port entry without port means every port of its protocol', () => {
    expect(one([{ protocol: 'UDP' }])).toBe('UDP 1-65535');
  });

  test('protocol defaults to TCP', () => {
    expect(one([{ port: 80 }])).toBe('TCP 80');
    expect(one([{ port: 80, protocol: 'SCTP' }])).toBe('SCTP 80');
  });

  test('endPort makes a range', () => {
    expect(one([{ port: 8000, endPort: 8100 }, { port: 8050, endPort: 9000 }, { port: 9001 }])).toBe('TCP 8000-9001');
  });

  test('a named port resolves against the destination container ports', () => {
    expect(one([{ port: 'http' }])).toBe('TCP 8080');
    expect(one([{ port: 'http' }], [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'http' }])).toBe('TCP 8080,9090');
  });

  test('a named port admits nothing where no container declares it (or with another protocol)', () => {
    expect(one([{ port: 'metrics' }])).toBe(NONE);
    expect(one([{ port: 'http', protocol: 'UDP' }])).toBe(NONE);
  });

  test('a named egress port resolves against the destination pod, and never matches an external address', () => {
    const { c } = reach([
      pod('default', 'a', { app: 'a' }), pod('default', 'b', {}, [{ containerPort: 5432, name: 'pg' }]), pod('default', 'c'),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] }),
    ]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe('TCP 5432');
    expect(c('default/a[Pod]', 'default/c[Pod]')).toBe(NONE);
    expect(c('default/a[Pod]', '1.2.3.4')).toBe(NONE);
  });
});

describe('ipBlock and external ranges', () => {
  const objs = [
    pod('default', 'web', { app: 'web' }), pod('default', 'other'),
    netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }),
  ];

  test('ipBlock matches external addresses in cidr and not in except', () => {
    const { c } = reach(objs);
    expect(c('10.0.0.1', 'default/web[Pod]')).toBe(ALL);
    expect(c('10.255.255.255', 'default/web[Pod]')).toBe(ALL);
    expect(c('10.1.2.3', 'default/web[Pod]')).toBe(NONE);
    expect(c('11.0.0.0', 'default/web[Pod]')).toBe(NONE);
    expect(c('9.255.255.255', 'default/web[Pod]')).toBe(NONE);
  });

  test('an ipBlock that overlaps a pod network may match the pods of every namespace (pod IPs are unknown)', () => {
    // GIVEN web admits 10.0.0.0/8 except 10.1.0.0/16, which overlaps the default pod network 10.0.0.0/8
    const { c } = reach([...objs, pod('far', 'x')]);
    // THEN every pod, in any namespace, may be admitted (a network plugin matches pod IPs against ipBlocks)
    expect(c('default/other[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(c('far/x[Pod]', 'default/web[Pod]')).toBe(ALL);
  });

  test('an ipBlock outside every pod network never matches a pod', () => {
    const { c } = reach([
      pod('default', 'web', { app: 'web' }), pod('default', 'other'),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] }),
    ]);
    expect(c('default/other[Pod]', 'default/web[Pod]')).toBe(NONE);
    expect(c('203.0.113.9', 'default/web[Pod]')).toBe(ALL);
  });

  test('an ipBlock whose except removes every pod network never matches a pod (allowExternal with the pod networks excepted)', () => {
    const except = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];
    const { c } = reach([
      pod('default', 'web', { app: 'web' }), pod('default', 'other'),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except } }] }] }),
    ]);
    expect(c('default/other[Pod]', 'default/web[Pod]')).toBe(NONE);
    expect(c('8.8.8.8', 'default/web[Pod]')).toBe(ALL);
    // Without the except, 0.0.0.0/0 admits every pod.
    const open = reach([
      pod('default', 'web', { app: 'web' }), pod('default', 'other'),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    ]);
    expect(open.c('default/other[Pod]', 'default/web[Pod]')).toBe(ALL);
  });

  test('the pod networks are the declared ones (podCidrs), the private ranges and 100.64.0.0/10 by default', () => {
    const objects = [
      pod('default', 'web', { app: 'web' }), pod('default', 'other'),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '100.64.0.0/16' } }] }] }),
    ];
    expect(reach(objects).c('default/other[Pod]', 'default/web[Pod]')).toBe(ALL);
    expect(analyze(objects, { podCidrs: ['10.244.0.0/16'] }).between('default/other[Pod]', 'default/web[Pod]').toString()).toBe(NONE);
  });

  test('an IPv6 ipBlock may match a pod (a dual-stack pod also has an IPv6 address) and egress too', () => {
    const { c } = reach([
      pod('default', 'web', { app: 'web' }), pod('default', 'other', { app: 'other' }),
      netpol('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/8' } }] }] }),
      netpol('default', 'q', { podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: 'fd00::/8' } }], ports: [{ port: 80 }] }] }),
    ]);
    expect(c('default/other[Pod]', 'default/web[Pod]')).toBe('TCP 80');
    expect(c('default/other[Pod]', '1.2.3.4')).toBe(NONE);
  });

  test('the address space is divided at every ipBlock boundary; equal neighbours are merged', () => {
    const { r } = reach(objs);
    const ext = r.connections.filter((x) => x.src.kind === 'External' && x.dst.id === 'default/web[Pod]').map((x) => x.src.id);
    expect(ext).toEqual(['10.0.0.0-10.0.255.255[External]', '10.2.0.0-10.255.255.255[External]']);
    // The other pod is open: one merged range for the whole space.
    expect(r.connections.filter((x) => x.dst.id === 'default/other[Pod]' && x.src.kind === 'External').map((x) => x.src.id))
      .toEqual(['0.0.0.0-255.255.255.255[External]']);
    expect(r.raw.segments.map((s) => s.start)).toEqual([0, 0x0a000000, 0x0a010000, 0x0a020000, 0x0b000000]);
  });

  test('an IPv6 ipBlock matches no IPv4 address', () => {
    const { c } = reach([pod('default', 'web'), netpol('default', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '::/0' } }] }] })]);
    expect(c('1.2.3.4', 'default/web[Pod]')).toBe(NONE);
  });
});

describe('workloads', () => {
  test('pods of a controller are one workload named after it, for every controller kind', () => {
    const tpl = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'];
    const objs: object[] = kinds.map((k) => ({ apiVersion: 'v1', kind: k, metadata: { name: k.toLowerCase(), namespace: 'n' }, spec: { template: tpl } }));
    objs.push({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron', namespace: 'n' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl } } } });
    objs.push(netpol('n', 'p', { podSelector: { matchLabels: { app: 'x' } }, ingress: [] }));
    const r = analyze(objs);
    expect(r.workloads.map((w) => w.id)).toEqual([
      'n/cron[CronJob]', 'n/daemonset[DaemonSet]', 'n/deployment[Deployment]', 'n/job[Job]', 'n/replicaset[ReplicaSet]',
      'n/replicationcontroller[ReplicationController]', 'n/statefulset[StatefulSet]',
    ]);
    // The template labels are what policies select: every workload is isolated.
    expect(r.connections.filter((c) => c.dst.kind !== 'External')).toEqual([]);
  });

  test('a Pod with a controller ownerReference is reported as its owner; other Pods as themselves', () => {
    const owned = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'front-abc-1', namespace: 'default', labels: { app: 'front' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'front-abc', controller: true }] }, spec: { containers: [] } };
    const notController = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lone', namespace: 'default', ownerReferences: [{ kind: 'Node', name: 'n1' }] }, spec: { containers: [] } };
    const r = analyze([owned, notController]);
    expect(r.workloads.map((w) => w.id)).toEqual(['default/front-abc[ReplicaSet]', 'default/lone[Pod]']);
    // With the ReplicaSet itself owned by a Deployment, the chain resolves to the Deployment.
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'front-abc', namespace: 'default', ownerReferences: [{ kind: 'Deployment', name: 'front', controller: true }] }, spec: { template: { metadata: { labels: { app: 'front' } } } } };
    expect(analyze([owned, rs, deploy('default', 'front', { app: 'front' })]).workloads.map((w) => w.id)).toEqual(['default/front[Deployment]']);
  });

  test('a workload is never reported to itself', () => {
    const { r, c } = reach([deploy('default', 'a', { app: 'a' }), deploy('default', 'b')]);
    expect(c('default/a[Deployment]', 'default/a[Deployment]')).toBe(NONE);
    expect(r.connections.some((x) => x.src.id === x.dst.id)).toBe(false);
  });
});

describe('connection sets', () => {
  test('union, intersection and subtraction of port intervals', () => {
    const a = ConnectionSet.fromRanges({ TCP: [[1, 10], [20, 30]], UDP: [[53, 53]] });
    const b = ConnectionSet.fromRanges({ TCP: [[5, 25]] });
    expect(a.union(b).toString()).toBe('TCP 1-30,UDP 53');
    expect(a.intersect(b).toString()).toBe('TCP 5-10,20-25');
    expect(a.subtract(b).toString()).toBe('TCP 1-4,26-30,UDP 53');
    expect(b.subtract(a).toString()).toBe('TCP 11-19');
    expect(ConnectionSet.ALL.subtract(ConnectionSet.allOf('UDP')).toString()).toBe('SCTP 1-65535,TCP 1-65535');
    expect(ConnectionSet.allOf('TCP').union(ConnectionSet.allOf('UDP')).union(ConnectionSet.allOf('SCTP')).toString()).toBe(ALL);
    expect(ConnectionSet.fromRanges({ TCP: [[1, 2], [3, 4]] }).toJSON()).toEqual({ TCP: [[1, 4]] });
  });
});
