/**
 * The engine's cost follows the allowed pairs, not the square of the workloads: rule targets are computed once,
 * each destination decides the sources its rules single out one by one and all the others at once, and sources
 * are visited only when they may connect. These tests pin that design with the engine's own counters
 * (`AnalyzeOptions.stats`): exact counts on small inputs, linear in the number of tenants.
 */
import { analyze, EngineStats } from '../../src/analysis';
import { ALL_NAMESPACES, banp, cnp, deploy, inNamespaces, netpol, ns } from './helpers';

const TENANT = { namespaces: { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] } };

/** `n` tenant namespaces with two workloads each; `isolate` adds the namespace isolation policy, `extra` more. */
function tenants(n: number, isolate: boolean, extra: (t: string) => object[] = () => []): object[] {
  const out: object[] = [];
  for (let i = 0; i < n; i++) {
    const t = `t${i}`;
    out.push(ns(t, { tenant: t }), deploy(t, 'a', { app: 'a' }), deploy(t, 'b', { app: 'b' }), ...extra(t));
    if (isolate) out.push(netpol(t, 'iso', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }));
  }
  return out;
}

function cost(objects: object[]): EngineStats & { connections: number } {
  const stats: EngineStats = { decisions: 0, pairs: 0, scanned: 0 };
  const r = analyze(objects, { stats });
  return { ...stats, connections: r.connections.length };
}

describe('the cost of an analysis', () => {
  test('no policy: no decision; every ordered pair visited, as every pair is allowed', () => {
    expect(cost(tenants(5, false))).toEqual({ decisions: 0, pairs: 90, scanned: 0, connections: 110 });
  });

  test('namespace isolation: three decisions per workload (the rest, the other pod, external), one pair each; each selector scanned once', () => {
    expect(cost(tenants(5, true))).toEqual({ decisions: 30, pairs: 10, scanned: 10, connections: 20 });
    expect(cost(tenants(10, true))).toEqual({ decisions: 60, pairs: 20, scanned: 20, connections: 40 });
  });

  test('an Admin-tier ClusterNetworkPolicy per tenant (Pass own, Deny all) costs nothing more: the Deny decides the rest at once', () => {
    const cnps = (t: string) => [cnp(`tenant-${t}`, 'Admin', 50, inNamespaces(t), { ingress: [{ action: 'Pass', from: [inNamespaces(t)] }, { action: 'Deny', from: [ALL_NAMESPACES] }] })];
    expect(cost(tenants(5, true, cnps))).toEqual({ decisions: 30, pairs: 10, scanned: 25, connections: 20 });
    expect(cost(tenants(10, true, cnps))).toEqual({ decisions: 60, pairs: 20, scanned: 50, connections: 40 });
  });

  test('a baseline that denies every tenant namespace: its target list is stored inverted, no source is visited', () => {
    const objects = (n: number) => [...tenants(n, false), banp(TENANT, { ingress: [{ action: 'Deny', from: [TENANT] }] })];
    expect(cost(objects(5))).toEqual({ decisions: 20, pairs: 0, scanned: 15, connections: 20 });
    expect(cost(objects(10))).toEqual({ decisions: 40, pairs: 0, scanned: 30, connections: 40 });
  });

  test('half the workloads is not "most": a list of exactly half is not inverted', () => {
    // 2 tenants, 4 workloads: each isolation rule lists the 2 workloads of its namespace.
    expect(cost(tenants(2, true))).toEqual({ decisions: 12, pairs: 4, scanned: 4, connections: 8 });
  });

  test('a selector of every namespace and every pod matches all at once, scanning nothing', () => {
    const everyone = (t: string) => [netpol(t, 'all', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }, { namespaceSelector: {}, podSelector: {} }] }] })];
    expect(cost(tenants(5, false, everyone))).toEqual({ decisions: 20, pairs: 90, scanned: 10, connections: 100 });
  });

  test('egress isolation: the rest of each source decided once, the destinations it names one by one', () => {
    const egress = (t: string) => [netpol(t, 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] })];
    expect(cost(tenants(5, true, egress))).toEqual({ decisions: 60, pairs: 10, scanned: 10, connections: 10 });
    expect(cost(tenants(10, true, egress))).toEqual({ decisions: 120, pairs: 20, scanned: 20, connections: 20 });
  });
});
