/**
 * The baseline of `npm run bench`: the obvious cdk8s design, one cdk8s-plus Chart per tenant
 * with its Namespace, Deployment, Service and NetworkPolicy, synthesized by cdk8s's own
 * `App.synth()`. Prints one JSON line. Run alone: `npx ts-node --transpile-only bench/naive.ts 500 /tmp/out`.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

function main(): void {
  const n = Number(process.argv[2]);
  const outdir = path.resolve(process.argv[3]);
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir });
  for (let i = 0; i < n; i++) {
    const name = `tenant-${String(i + 1).padStart(5, '0')}`;
    const chart = new Chart(app, name, { namespace: name });
    new kplus.Namespace(chart, 'ns', { metadata: { name } });
    const dep = new kplus.Deployment(chart, 'nginx', {
      metadata: { name: 'nginx' },
      containers: [{ image: 'nginx', portNumber: 80, securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } }],
    });
    dep.exposeViaService({ name: 'nginx', serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    new kplus.NetworkPolicy(chart, 'deny', {
      metadata: { name: 'deny-from-other-namespaces' },
      selector: kplus.Pods.all(chart, 'all'),
      ingress: { rules: [{ peer: kplus.Pods.all(chart, 'peers') }] },
    });
  }
  const t1 = process.hrtime.bigint();
  app.synth();
  const t2 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  process.stdout.write(JSON.stringify({
    tenants: n, constructMs: ms(t0, t1), synthMs: ms(t1, t2), totalMs: ms(t0, t2),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n');
}

if (require.main === module) main();
