/**
 * Property-based tests: on random namespaces, labels, workloads and policies (ingress and egress, ports, named
 * ports, ipBlocks, and with `tiers` the cluster-wide policies of both tiers), the engine agrees with the simple
 * reference evaluator, pod by pod, address by address and port by port; `explain` agrees with the engine.
 */
import * as fc from 'fast-check';
import { analyze, explain, formatIpv4, Protocol, PROTOCOLS, Reachability } from '../../src/analysis';
import { cluster, Cluster, objectsOf, runs, sampleIps, samplePorts } from './arbitraries';
import { Reference, REF_POD_NETWORKS, RefPod } from './reference';

function comparePods(r: Reachability, ref: Reference, ports: number[]): void {
  let pairs = 0;
  for (const s of ref.pods) {
    for (const d of ref.pods) {
      const got = r.between(s.id, d.id);
      if (!got.isEmpty()) pairs++;
      for (const proto of PROTOCOLS) {
        for (const p of ports) {
          if (got.has(proto, p) !== ref.allowed(s, d, proto, p)) throw new Error(`${s.id} -> ${d.id} ${proto} ${p}: engine ${got.has(proto, p)}`);
        }
      }
    }
  }
  // Every allowed pair is listed once in `connections`, with what `between` says.
  const listed = r.connections.filter((x) => x.src.kind !== 'External' && x.dst.kind !== 'External' && x.dst.kind !== 'Domain');
  expect(listed.length).toBe(pairs);
  for (const x of listed) expect(x.conns.equals(r.between(x.src.id, x.dst.id))).toBe(true);
}

function compareIps(r: Reachability, ref: Reference, ports: number[], ips: number[]): void {
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
}

function compareDomains(r: Reachability, ref: Reference, ports: number[]): void {
  for (const domain of r.raw.domains) {
    for (const pod of ref.pods) {
      const got = r.between(pod.id, `${domain}[Domain]`);
      for (const proto of PROTOCOLS) {
        for (const p of ports) {
          if (got.has(proto, p) !== ref.allowed(pod, { domain }, proto, p)) throw new Error(`${pod.id} -> ${domain}[Domain] ${proto} ${p}: engine ${got.has(proto, p)}`);
        }
      }
    }
  }
  for (const x of r.connections) if (x.dst.kind === 'Domain') expect(x.conns.equals(r.between(x.src.id, x.dst.id))).toBe(true);
}

function compareExplain(r: Reachability, ref: Reference): void {
  const ends = [...ref.pods.map((p) => p.id), '10.1.2.3', '203.0.113.9', '8.8.8.8'];
  for (const s of ends) {
    for (const d of [...ends, ...r.raw.domains.map((x) => `${x}[Domain]`)]) {
      if (!s.includes('/') && !d.includes('/')) continue;
      expect(`${s} -> ${d}: ${explain(r, s, d).allowed.toString()}`).toBe(`${s} -> ${d}: ${r.between(s, d).toString()}`);
    }
  }
}

describe('the engine agrees with the reference evaluator (NetworkPolicies)', () => {
  const ips = sampleIps();

  test('between workloads, pod by pod and port by port (ipBlocks may match pods)', () => {
    fc.assert(fc.property(cluster(false), (c: Cluster) => {
      const objects = objectsOf(c);
      comparePods(analyze(objects), new Reference(objects), samplePorts(objects));
    }), { numRuns: runs(200) });
  });

  test('between workloads and external addresses, at every ipBlock boundary ±1', () => {
    fc.assert(fc.property(cluster(false), (c: Cluster) => {
      const objects = objectsOf(c);
      compareIps(analyze(objects), new Reference(objects), samplePorts(objects), ips);
    }), { numRuns: runs(100) });
  });
});

describe('the engine agrees with the reference evaluator (every tier)', () => {
  const ips = sampleIps();

  test('between workloads, pod by pod and port by port', () => {
    fc.assert(fc.property(cluster(true), (c: Cluster) => {
      const objects = objectsOf(c);
      comparePods(analyze(objects), new Reference(objects), samplePorts(objects));
    }), { numRuns: runs(250) });
  });

  test('between workloads and external addresses, and towards domains', () => {
    fc.assert(fc.property(cluster(true), (c: Cluster) => {
      const objects = objectsOf(c);
      const r = analyze(objects);
      const ref = new Reference(objects);
      const ports = samplePorts(objects);
      compareIps(r, ref, ports, ips);
      compareDomains(r, ref, ports);
    }), { numRuns: runs(60) });
  });

  test('with other pod networks', () => {
    fc.assert(fc.property(cluster(true), fc.constantFrom<string[]>(['10.1.0.0/16'], ['192.168.0.0/24', '172.16.0.0/12'], ['203.0.113.0/24']), (c: Cluster, nets: string[]) => {
      const objects = objectsOf(c);
      const r = analyze(objects, { podCidrs: nets });
      comparePods(r, new Reference(objects, nets), samplePorts(objects));
    }), { numRuns: runs(100) });
  });

  test('explain allows what the engine allows, for every pair', () => {
    fc.assert(fc.property(cluster(true), (c: Cluster) => {
      const objects = objectsOf(c);
      const r = analyze(objects);
      compareExplain(r, new Reference(objects));
    }), { numRuns: runs(100) });
  });
});

describe('the engine over-approximates every concrete cluster', () => {
  // Addresses at the edges of the pod networks and of the CIDRs of the arbitraries.
  const podIps = sampleIps().filter((ip) => REF_POD_NETWORKS.some((n) => {
    const [a, len] = n.split('/');
    const start = a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
    return ip >= start && ip < start + 2 ** (32 - Number(len));
  }));

  test('whatever address each pod has, and whatever nodes and domain names match, what the cluster allows the engine allows', () => {
    fc.assert(fc.property(cluster(true), fc.array(fc.constantFrom(...podIps), { minLength: 6, maxLength: 6 }), fc.boolean(), (c: Cluster, ips: number[], unknown: boolean) => {
      const objects = objectsOf(c);
      const r = analyze(objects);
      const ref = new Reference(objects);
      const addresses = Object.fromEntries(ref.pods.map((p, i) => [p.id, ips[i]]));
      const concrete = new Reference(objects, REF_POD_NETWORKS, { addresses, unknownPeersMatch: unknown });
      const ports = samplePorts(objects);
      for (const s of ref.pods) {
        for (const d of ref.pods) {
          const got = r.between(s.id, d.id);
          for (const proto of PROTOCOLS) {
            for (const p of ports) {
              if (concrete.allowed(s, d, proto, p) && !got.has(proto, p)) throw new Error(`${s.id} -> ${d.id} ${proto} ${p}: the cluster allows it, the engine does not`);
            }
          }
        }
      }
    }), { numRuns: runs(150) });
  });
});
