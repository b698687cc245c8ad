/**
 * Property-based tests: on random namespaces, labels, workloads and policies (ingress and egress, ports,
 * named ports, ipBlocks), the engine agrees with the simple reference evaluator, pod by pod and port by port.
 */
import * as fc from 'fast-check';
import { analyze, formatIpv4, parseCidr, Protocol, PROTOCOLS } from '../../src/analysis';
import { deploy, netpol, ns, pod } from './helpers';
import { Reference, RefPod } from './reference';

const NAMESPACES = ['n1', 'n2', 'n3'];
const KEYS = ['app', 'tier'];
const VALUES = ['a', 'b'];
const CIDRS = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '172.16.0.0/12', '192.168.0.0/24', '255.255.255.255/32', '0.0.0.0/32'];
const CONTAINER_PORTS = [
  { containerPort: 80, name: 'http' },
  { containerPort: 8080, name: 'http' },
  { containerPort: 53, name: 'dns', protocol: 'UDP' },
  { containerPort: 9090, name: 'metrics' },
  { containerPort: 7000, protocol: 'SCTP', name: 'sig' },
];

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const expression = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector = fc.record({ matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 2 }) }, { requiredKeys: [] });
const nsSelector = fc.oneof(
  selector,
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES) }) }),
  fc.record({ matchExpressions: fc.constant([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['n1', 'n3'] }]) }),
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: nsSelector }),
  fc.record({ podSelector: selector, namespaceSelector: nsSelector }),
  fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom(...CIDRS), except: fc.uniqueArray(fc.constantFrom(...CIDRS), { maxLength: 2 }) }, { requiredKeys: ['cidr'] }) }),
);
const port = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(53, 80, 443, 8080, 7000) }, { requiredKeys: ['port'] }),
  fc.record({ port: fc.constantFrom(53, 80, 8000, 65530), endPort: fc.constantFrom(0, 1, 100, 5) }).map((p) => ({ port: p.port, endPort: Math.min(65535, p.port + p.endPort) })),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.constantFrom('http', 'dns', 'metrics', 'sig', 'nope') }, { requiredKeys: ['port'] }),
);
const rule = (field: 'from' | 'to') => fc.record({ [field]: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) }, { requiredKeys: [] });
const policy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  spec: fc.record({
    podSelector: selector,
    policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(rule('from'), { maxLength: 2 }),
    egress: fc.array(rule('to'), { maxLength: 2 }),
  }, { requiredKeys: ['podSelector'] }),
});
const workload = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  kind: fc.constantFrom('Pod', 'Deployment'),
  labels,
  ports: fc.subarray(CONTAINER_PORTS, { maxLength: 3 }),
});
const cluster = fc.record({
  namespaces: fc.array(fc.record({ name: fc.constantFrom(...NAMESPACES), labels }), { maxLength: 3 }),
  workloads: fc.array(workload, { minLength: 1, maxLength: 6 }),
  policies: fc.array(policy, { maxLength: 4 }),
});

type Cluster = typeof cluster extends fc.Arbitrary<infer T> ? T : never;

function objectsOf(c: Cluster): object[] {
  const seen = new Set<string>();
  const out: object[] = [];
  for (const n of c.namespaces) if (!seen.has(n.name)) { seen.add(n.name); out.push(ns(n.name, n.labels)); }
  c.workloads.forEach((w, i) => out.push((w.kind === 'Pod' ? pod : deploy)(w.namespace, `w${i}`, w.labels, w.ports)));
  c.policies.forEach((p, i) => out.push(netpol(p.namespace, `p${i}`, p.spec)));
  return out;
}

function samplePorts(objects: object[]): number[] {
  const s = new Set<number>([1, 65535]);
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) { x.forEach(visit); return; }
    if (typeof x !== 'object' || x === null) return;
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'port' || k === 'endPort' || k === 'containerPort') && typeof v === 'number') {
        for (const d of [-1, 0, 1]) if (v + d >= 1 && v + d <= 65535) s.add(v + d);
      } else {
        visit(v);
      }
    }
  };
  visit(objects);
  return [...s].sort((a, b) => a - b);
}

function sampleIps(): number[] {
  const s = new Set<number>([0, 0xffffffff]);
  for (const c of CIDRS) {
    const r = parseCidr(c);
    for (const ip of [r.start - 1, r.start, r.end, r.end + 1]) if (ip >= 0 && ip <= 0xffffffff) s.add(ip);
  }
  return [...s];
}

describe('the engine agrees with the reference evaluator', () => {
  const ips = sampleIps();

  test('between workloads, pod by pod and port by port', () => {
    fc.assert(fc.property(cluster, (c) => {
      const objects = objectsOf(c);
      const r = analyze(objects);
      const ref = new Reference(objects);
      const ports = samplePorts(objects);
      let pairs = 0;
      for (const s of ref.pods) {
        for (const d of ref.pods) {
          const got = r.between(s.id, d.id);
          if (!got.isEmpty()) pairs++;
          for (const proto of PROTOCOLS) {
            for (const p of ports) {
              if (got.has(proto, p) !== ref.allowed(s, d, proto, p)) {
                throw new Error(`${s.id} -> ${d.id} ${proto} ${p}: engine ${got.has(proto, p)}`);
              }
            }
          }
        }
      }
      // Every allowed pair is listed once in `connections`, with what `between` says.
      const listed = r.connections.filter((x) => x.src.kind !== 'External' && x.dst.kind !== 'External');
      expect(listed.length).toBe(pairs);
      for (const x of listed) expect(x.conns.equals(r.between(x.src.id, x.dst.id))).toBe(true);
    }), { numRuns: 200 });
  });

  test('between workloads and external addresses, at every ipBlock boundary ±1', () => {
    fc.assert(fc.property(cluster, (c) => {
      const objects = objectsOf(c);
      const r = analyze(objects);
      const ref = new Reference(objects);
      const ports = samplePorts(objects);
      const check = (pod: RefPod, ip: number, inbound: boolean) => {
        const got = inbound ? r.between(formatIpv4(ip), pod.id) : r.between(pod.id, formatIpv4(ip));
        for (const proto of PROTOCOLS) {
          for (const p of ports) {
            const want = inbound ? ref.allowed({ ip }, pod, proto, p) : ref.allowed(pod, { ip }, proto, p);
            if (got.has(proto, p) !== want) throw new Error(`${inbound ? `${formatIpv4(ip)} -> ${pod.id}` : `${pod.id} -> ${formatIpv4(ip)}`} ${proto} ${p}: engine ${got.has(proto, p)}`);
          }
        }
      };
      for (const pod of ref.pods) for (const ip of ips) { check(pod, ip, true); check(pod, ip, false); }
      // Merged ranges in `connections` hold for their first and last address.
      const byId = new Map(ref.pods.map((p) => [p.id, p]));
      for (const x of r.connections) {
        const ext = x.src.kind === 'External' ? x.src : x.dst.kind === 'External' ? x.dst : undefined;
        if (!ext) continue;
        const pod = byId.get((ext === x.src ? x.dst : x.src).id)!;
        for (const ip of [ext.range!.start, ext.range!.end]) {
          for (const proto of PROTOCOLS as readonly Protocol[]) {
            for (const p of ports) {
              const want = ext === x.src ? ref.allowed({ ip }, pod, proto, p) : ref.allowed(pod, { ip }, proto, p);
              expect(`${x.src.id} => ${x.dst.id} ${proto} ${p} ${x.conns.has(proto, p)}`).toBe(`${x.src.id} => ${x.dst.id} ${proto} ${p} ${want}`);
            }
          }
        }
      }
    }), { numRuns: 100 });
  });
});
