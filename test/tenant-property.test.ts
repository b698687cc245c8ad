/**
 * Property: random tenant layouts built with the constructs never leak. Whatever tenants,
 * workloads, isolation modes, egress settings and grants are drawn, the analyzer finds a
 * connection between two tenants only where a grant declared it, on the granted ports only,
 * and external clients reach a tenant only where it opted in; the isolation guard accepts it.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { IsolatedTenant, Port, TenantIsolation, Workload } from '../src';
import { analyze } from '../src/analysis';

interface Layout {
  tenants: Array<{ pod: boolean; egress: boolean; external: number | null; workloads: number[] }>;
  grants: Array<{ to: number; from: number; workload: number | null; port: number | null }>;
}

const PORTS = [80, 443, 5000, 8080];

const layout: fc.Arbitrary<Layout> = fc.record({
  tenants: fc.array(fc.record({
    pod: fc.boolean(),
    egress: fc.boolean(),
    external: fc.option(fc.constantFrom(...PORTS), { nil: null }),
    workloads: fc.array(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 3 }),
  }), { minLength: 2, maxLength: 4 }),
  grants: fc.array(fc.record({
    to: fc.nat(3), from: fc.nat(3), workload: fc.option(fc.nat(2), { nil: null }), port: fc.option(fc.constantFrom(...PORTS), { nil: null }),
  }), { maxLength: 4 }),
});

describe('random tenant layouts never leak', () => {
  test('cross-tenant and external connections are exactly what was granted, at most', () => {
    fc.assert(fc.property(layout, (l) => {
      const chart: Chart = Testing.chart();
      const tenants = l.tenants.map((t, i) => new IsolatedTenant(chart, `t${i}`, {
        isolation: t.pod ? TenantIsolation.POD : TenantIsolation.NAMESPACE,
        ...(t.egress ? { egress: {} } : {}),
        ...(t.external !== null ? { allowExternal: { ports: [Port.tcp(t.external)] } } : {}),
      }));
      const workloads: Workload[][] = l.tenants.map((t, i) => t.workloads.map((port, j) => tenants[i].addWorkload(`w${j}`, { image: 'nginx', port })));

      // Declared flows: [fromTenant, toTenant, toWorkload|null] -> ports (null = all)
      const declared: Array<{ from: number; to: number; workload: number | null; port: number | null }> = [];
      const used = new Set<string>();
      for (const g of l.grants) {
        const to = g.to % tenants.length;
        const from = g.from % tenants.length;
        if (to === from) continue;
        const target = g.workload === null ? null : g.workload % workloads[to].length;
        const key = `${to}/${target}/${from}`;
        if (used.has(key)) continue; // one grant per pair (policy names are unique)
        used.add(key);
        const ports = g.port === null ? [] : [Port.tcp(g.port)];
        if (target === null) tenants[to].allowFrom(tenants[from], ...ports);
        else workloads[to][target].allowFrom(tenants[from], ...ports);
        declared.push({ from, to, workload: target, port: g.port });
      }

      const objects = Testing.synth(chart); // runs the isolation guard too
      const r = analyze(objects);
      for (let a = 0; a < tenants.length; a++) {
        for (let b = 0; b < tenants.length; b++) {
          for (let i = 0; i < workloads[a].length; i++) {
            for (let j = 0; j < workloads[b].length; j++) {
              if (a === b && i === j) continue;
              const got = r.between(`t${a}/w${i}`, `t${b}/w${j}`);
              if (a === b) {
                // inside a tenant: free under NAMESPACE isolation, closed under POD isolation unless granted (never here)
                if (l.tenants[b].pod) expect(got.isEmpty()).toBe(true);
                else expect(got.isAll()).toBe(true);
                continue;
              }
              const grants = declared.filter((d) => d.from === a && d.to === b && (d.workload === null || d.workload === j));
              if (grants.length === 0) {
                expect(got.isEmpty()).toBe(true);
              } else if (grants.some((g) => g.port === null)) {
                expect(got.isAll()).toBe(true);
              } else {
                const allowed = new Set(grants.map((g) => g.port));
                for (const port of PORTS) expect(got.has('TCP', port)).toBe(allowed.has(port));
                expect(got.has('UDP', 53)).toBe(false);
              }
            }
          }
          // external clients
          for (let j = 0; j < workloads[b].length; j++) {
            const ext = r.between('203.0.113.7', `t${b}/w${j}`);
            const opt = l.tenants[b].external;
            if (opt === null) expect(ext.isEmpty()).toBe(true);
            else for (const port of PORTS) expect(ext.has('TCP', port)).toBe(port === opt);
          }
        }
      }
    }), { numRuns: 60 });
  });
});
