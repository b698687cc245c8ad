/**
 * Which cdk8s-plus versions the package works with. It writes its own objects with the `k8s`
 * API of cdk8s-plus-27 (its peer dependency), and every cdk8s-plus builds on the same cdk8s
 * `ApiObject`, so an app written with a newer cdk8s-plus (cdk8s init scaffolds cdk8s-plus-33,
 * installed here as the dev dependency `cdk8s-plus-3x`) mixes with the package's tenants: its
 * workloads land in the tenants' files, the guard and the analyzer see them, and they are peers
 * at run time; only the TypeScript types, which name cdk8s-plus-27's classes, refuse them as peers.
 */
import { Chart } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus3x from 'cdk8s-plus-3x';
import * as yaml from 'js-yaml';
import { IsolatedTenant, Port, TenancyApp, Workload } from '../src';
import { analyze } from '../src/analysis';
import { tmpdir } from './support/util';

const VERSIONS: Array<[string, typeof kplus27 | typeof kplus3x]> = [['cdk8s-plus-27', kplus27], ['cdk8s-plus-33 (as cdk8s-plus-3x)', kplus3x]];

describe.each(VERSIONS)('%s workloads beside the package\'s tenants', (_name, kplus) => {
  test('land in the tenant\'s file, and are isolated like the tenant\'s own', () => {
    // GIVEN two tenants, and a cdk8s-plus Deployment in customer1's namespace
    const app = new TenancyApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'tenancy', { disableResourceNameHashes: true });
    new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2').addWorkload('client', { image: 'nginx', port: 80 });
    new (kplus as typeof kplus27).Deployment(chart, 'web', {
      metadata: { name: 'web', namespace: 'customer1' },
      containers: [{ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080 }],
    });
    const inside = new (kplus as typeof kplus27).Deployment(chart, 'sidecar', {
      metadata: { name: 'sidecar', namespace: 'customer1' },
      containers: [{ image: 'curlimages/curl', portNumber: 9000 }],
    });

    // WHEN
    const files = app.synthFiles();

    // THEN the Deployment is in customer1's file, after the policies
    const docs = yaml.loadAll(files.get('customer1.k8s.yaml')!) as any[];
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds).toContain('Deployment/web');
    expect(kinds.indexOf('NetworkPolicy/deny-from-other-namespaces')).toBeLessThan(kinds.indexOf('Deployment/web'));
    // and the analyzer (the guard's checker) sees it: customer2 cannot reach it, customer1's own pods can
    const all = [...files.values()].flatMap((t) => yaml.loadAll(t) as any[]);
    const reach = analyze(all);
    expect(reach.findWorkload('customer1/web')).toBeDefined();
    expect(reach.between('customer2/client', 'customer1/web').toString()).toBe('No Connections');
    expect(reach.between(`customer1/${inside.name}`, 'customer1/web').toString()).toBe('All Connections');
  });
});

/** Grants `acme/web` to one of two cdk8s-plus Deployments of customer1, made by `make`; what the analyzer finds. */
function grantFromKplus(make: (scope: IsolatedTenant, id: string) => { name: string }, grant: (web: Workload, client: any) => void): { client: string; other: string } {
  const app = new TenancyApp({ outdir: tmpdir() });
  const chart = new Chart(app, 'tenancy', { disableResourceNameHashes: true });
  const web = new IsolatedTenant(chart, 'acme').addWorkload('web', { image: 'nginxinc/nginx-unprivileged:1.27', port: 8080, runAsNonRoot: true });
  const customer1 = new IsolatedTenant(chart, 'customer1');
  const client = make(customer1, 'client');
  const other = make(customer1, 'other');
  grant(web, client);
  const reach = analyze([...app.synthFiles().values()].flatMap((t) => yaml.loadAll(t) as any[]));
  return {
    client: reach.between(`customer1/${client.name}`, 'acme/web').toString(),
    other: reach.between(`customer1/${other.name}`, 'acme/web').toString(),
  };
}

const CONTAINERS = { containers: [{ image: 'curlimages/curl', portNumber: 9000 }] };

test('cdk8s-plus-27 workloads are peers: a grant from another tenant\'s Deployment admits exactly its pods', () => {
  const found = grantFromKplus((scope, id) => new kplus27.Deployment(scope, id, CONTAINERS), (web, client: kplus27.Deployment) => {
    web.allowFrom(client, Port.tcp(8080));
  });
  expect(found).toEqual({ client: 'TCP 8080', other: 'No Connections' });
});

test('cdk8s-plus-33 workloads are peers: a grant from another tenant\'s Deployment admits exactly its pods, and type-checks', () => {
  const found = grantFromKplus((scope, id) => new kplus3x.Deployment(scope, id, CONTAINERS), (web, client: kplus3x.Deployment) => {
    web.allowFrom(client, Port.tcp(8080));
  });
  expect(found).toEqual({ client: 'TCP 8080', other: 'No Connections' });
});
