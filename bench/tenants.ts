/**
 * Child process of `npm run bench`: synthesizes N tenants with this package into a folder and
 * prints one JSON line of figures; with a third argument `floor`, measures instead how long the
 * `yaml` package takes to serialize the same objects. Run alone:
 * `npx ts-node --transpile-only bench/tenants.ts 1000 /tmp/out [floor]`.
 */
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { IsolatedTenant, ServiceType, TenancyApp } from '../src';
import { collectObjects } from '../src/app';

/** Builds N tenants (each: Namespace, nginx Deployment and NodePort Service, isolation policy) in the order given. */
export function buildTenants(app: TenancyApp, names: string[]): void {
  const chart = new Chart(app, 'tenancy');
  for (const name of names) {
    const t = new IsolatedTenant(chart, name);
    t.addWorkload('nginx', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT });
  }
}

/** Tenant names `tenant-00001` … */
export function tenantNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `tenant-${String(i + 1).padStart(5, '0')}`);
}

function main(): void {
  const n = Number(process.argv[2]);
  const outdir = path.resolve(process.argv[3]);
  const mode = process.argv[4] ?? 'synth';
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const t0 = process.hrtime.bigint();
  const app = new TenancyApp({ outdir });
  buildTenants(app, tenantNames(n));
  const t1 = process.hrtime.bigint();
  if (mode === 'floor') {
    // The serialization floor: the same objects, written by `yaml` alone (to strings, no files).
    const objects = collectObjects(app).map((o) => o.manifest);
    const t2 = process.hrtime.bigint();
    let bytes = 0;
    for (const o of objects) bytes += YAML.stringify(o).length;
    const t3 = process.hrtime.bigint();
    process.stdout.write(JSON.stringify({ tenants: n, objects: objects.length, yamlFloorMs: ms(t2, t3), yamlBytes: bytes }) + '\n');
    return;
  }
  app.synth();
  const t2 = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({
    tenants: n,
    constructMs: ms(t0, t1),
    synthMs: ms(t1, t2),
    totalMs: ms(t0, t2),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n');
}

if (require.main === module) main();
