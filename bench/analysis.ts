/**
 * Benchmark of the reachability engine: 2,000 tenant namespaces × 5 Deployments × 3 NetworkPolicies (the
 * isolation policy, a db-webapp link on a named port, an allowance from a shared `monitoring` namespace
 * pinned by kubernetes.io/metadata.name) and one Admin-tier ClusterNetworkPolicy per tenant (as the package
 * writes it: subject the tenant's namespaces by kubernetes.io/metadata.name, ingress Pass from its own
 * namespaces then Deny from every namespace), plus the monitoring namespace with a workload.
 *
 * Measures (a) loading, analyzing and writing the txt output to a file, and (b) parsing the same files with
 * js-yaml only, and prints both and their ratio. Run alone: `npx ts-node --transpile-only bench/analysis.ts [tenants]`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dump, loadAll } from 'js-yaml';
import { analyzeModel, buildModel, checkTenancy, formatTxt, loadManifests, manifestFiles } from '../src/analysis';

/** The figures of one benchmark run (times in milliseconds, best of the runs). */
export interface AnalysisBenchFigures {
  readonly tenants: number;
  readonly files: number;
  readonly documents: number;
  readonly megabytes: number;
  readonly workloads: number;
  readonly policies: number;
  /** Cluster-wide policies (one Admin-tier ClusterNetworkPolicy per tenant). */
  readonly clusterPolicies: number;
  readonly connections: number;
  /** js-yaml reading and parsing every file. */
  readonly parseMs: number;
  /** Load (read + parse) + analyze + write the txt output. */
  readonly totalMs: number;
  readonly loadMs: number;
  readonly analyzeMs: number;
  readonly writeMs: number;
  /** checkTenancy on the loaded objects (not part of totalMs). */
  readonly checkMs: number;
  /** totalMs / parseMs. */
  readonly ratio: number;
}

const WORKLOADS = ['webapp', 'database', 'cache', 'worker', 'api'];

function deployment(namespace: string, name: string, ports: object[]): object {
  const labels = { 'app.kubernetes.io/name': name, app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            name: 'main', image: `registry.example.com/${name}:1.0.0`, imagePullPolicy: 'Always', ports,
            resources: { limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
          }],
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
        },
      },
    },
  };
}

function policy(namespace: string, name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** The per-tenant Admin-tier ClusterNetworkPolicy: the tenant's namespaces decide among themselves, no one else gets in. */
function tenantCnp(name: string, namespaces: string[]): object {
  const own = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }] };
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: `tenant-${name}` },
    spec: {
      tier: 'Admin',
      priority: 50,
      subject: { namespaces: own },
      ingress: [
        { name: 'pass-own-namespaces', action: 'Pass', from: [{ namespaces: own }] },
        { name: 'deny-other-namespaces', action: 'Deny', from: [{ namespaces: {} }] },
      ],
    },
  };
}

function tenantDocs(name: string): object[] {
  const grants = [{ from: { namespace: 'monitoring' }, ports: [{ protocol: 'TCP', port: 'metrics' }] }];
  return [
    {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, labels: { 'tenancy.cdk8s.io/tenant': name }, annotations: { 'tenancy.cdk8s.io/ingress-grants': JSON.stringify(grants) } },
    },
    ...WORKLOADS.map((w) => deployment(name, w, [
      ...(w === 'database' ? [{ containerPort: 5432, name: 'db', protocol: 'TCP' }] : [{ containerPort: 8080, name: 'http', protocol: 'TCP' }]),
      { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
    ])),
    policy(name, 'deny-from-other-namespaces', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }),
    policy(name, 'db-webapp', {
      podSelector: { matchLabels: { app: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'webapp' } } }], ports: [{ port: 'db', protocol: 'TCP' }] }],
    }),
    policy(name, 'allow-monitoring', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 'metrics', protocol: 'TCP' }] }],
    }),
    tenantCnp(name, [name]),
  ];
}

/** Writes the benchmark manifests (one file per namespace) into `dir`. */
export function generate(dir: string, tenants: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (file: string, docs: object[]) => fs.writeFileSync(path.join(dir, file), docs.map((d) => dump(d)).join('---\n'));
  write('monitoring.k8s.yaml', [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
    deployment('monitoring', 'prometheus', [{ containerPort: 9090, name: 'web', protocol: 'TCP' }]),
  ]);
  for (let i = 0; i < tenants; i++) {
    const name = `tenant-${String(i + 1).padStart(5, '0')}`;
    write(`${name}.k8s.yaml`, tenantDocs(name));
  }
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Generates the manifests in a temporary directory, measures, prints and returns the figures. */
export async function benchAnalysis(tenants = 2000, runs = 2): Promise<AnalysisBenchFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-bench-'));
  try {
    const input = path.join(dir, 'dist');
    generate(input, tenants);
    const files = manifestFiles(input);
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    let parseMs = Infinity;
    let documents = 0;
    let best = { totalMs: Infinity, loadMs: 0, analyzeMs: 0, writeMs: 0 };
    let workloads = 0;
    let policies = 0;
    let clusterPolicies = 0;
    let connections = 0;
    let checkMs = Infinity;
    for (let run = 0; run < runs; run++) {
      // (b) js-yaml only.
      let t0 = now();
      documents = 0;
      for (const f of files) documents += loadAll(fs.readFileSync(f, 'utf8')).length;
      parseMs = Math.min(parseMs, now() - t0);
      // (a) load + analyze + write.
      t0 = now();
      const objects = loadManifests([input]);
      const t1 = now();
      const model = buildModel(objects);
      const result = analyzeModel(model);
      const t2 = now();
      fs.writeFileSync(path.join(dir, 'reach.txt'), formatTxt(result.connections));
      const t3 = now();
      if (t3 - t0 < best.totalMs) best = { totalMs: t3 - t0, loadMs: t1 - t0, analyzeMs: t2 - t1, writeMs: t3 - t2 };
      workloads = model.workloads.length;
      policies = model.policies.length;
      clusterPolicies = model.clusterPolicies.length;
      connections = result.connections.length;
      const t4 = now();
      const violations = checkTenancy(model);
      checkMs = Math.min(checkMs, now() - t4);
      if (violations.length > 0) throw new Error(`unexpected violations: ${violations[0].message}`);
    }
    const figures: AnalysisBenchFigures = {
      tenants, files: files.length, documents, megabytes: Math.round(bytes / 1e4) / 100, workloads, policies, clusterPolicies, connections,
      parseMs: Math.round(parseMs), totalMs: Math.round(best.totalMs), loadMs: Math.round(best.loadMs),
      analyzeMs: Math.round(best.analyzeMs), writeMs: Math.round(best.writeMs), checkMs: Math.round(checkMs),
      ratio: Math.round((best.totalMs / parseMs) * 100) / 100,
    };
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const tenants = process.argv[2] ? Number(process.argv[2]) : 2000;
  benchAnalysis(tenants).then((f) => {
    process.stdout.write(`${JSON.stringify(f)}\n`);
    process.stdout.write(`load+analyze+write txt: ${f.totalMs} ms (load ${f.loadMs}, analyze ${f.analyzeMs}, write ${f.writeMs}); `
      + `js-yaml parse only: ${f.parseMs} ms; ratio ${f.ratio}x (goal: <= 2000 ms and <= 5x)\n`);
  }).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
