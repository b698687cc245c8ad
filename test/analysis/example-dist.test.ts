/**
 * `tenancy reach dist/` on the example app reads the package's cluster-wide policies from
 * `dist/custom-resources/` (one Admin-tier ClusterNetworkPolicy per tenant, the Baseline-tier `tenancy-baseline`)
 * and applies them around the NetworkPolicies.
 */
import * as path from 'path';
import { analyze, explain, formatExplanation, LoadedObject, loadManifests } from '../../src/analysis';

const DIST = path.join(__dirname, '..', '..', 'dist');
const name = (o: LoadedObject) => (o.object.metadata as { name?: string }).name;
const namespace = (o: LoadedObject) => (o.object.metadata as { namespace?: string }).namespace;
const portLine = (text: string) => text.split('\n').slice(-2)[0];

describe('the example app\'s dist/, with its cluster-wide policies', () => {
  let objects!: LoadedObject[];
  beforeEach(() => { objects = loadManifests([DIST]); });

  test('the cluster-wide policies are read, in evaluation order', () => {
    expect(analyze(objects).model.clusterPolicies.map((p) => p.id)).toEqual([
      'ClusterNetworkPolicy/tenant-acme', 'ClusterNetworkPolicy/tenant-customer1', 'ClusterNetworkPolicy/tenant-customer2',
      'ClusterNetworkPolicy/tenant-shop', 'ClusterNetworkPolicy/tenancy-baseline',
    ]);
  });

  test('a declared grant passes the Admin tier; the NetworkPolicy decides; the baseline is not reached', () => {
    const text = formatExplanation(explain(analyze(objects), 'customer1/nginx', 'acme/web', { protocol: 'TCP', port: 8080 }));
    expect(text).toContain('  Baseline tier: ClusterNetworkPolicy tenancy-baseline (tier Baseline, priority 1000) selects it, but it is not reached (a NetworkPolicy isolates it)\n');
    expect(portLine(text)).toBe('port 8080/TCP: allowed (egress: allowed by default (no tier decides it); ingress: passed on by ClusterNetworkPolicy tenant-acme (tier Admin, priority 500) spec.ingress[1] ("pass-from-grants-tcp-8080") (Admin tier, Pass), then allowed by acme/allow-web-from-customer1-nginx ingress[0] (NetworkPolicy tier))');
  });

  test('a tenant whose NetworkPolicies are gone stays closed to the other tenants at the Admin tier', () => {
    const r = analyze(objects.filter((o) => !(o.object.kind === 'NetworkPolicy' && namespace(o) === 'customer1')));
    expect(r.between('customer2/nginx', 'customer1/nginx').toString()).toBe('No Connections');
    expect(r.between('8.8.8.8', 'customer1/nginx').toString()).toBe('All Connections');
    expect(portLine(formatExplanation(explain(r, 'customer2/nginx', 'customer1/nginx', { protocol: 'TCP', port: 80 }))))
      .toBe('port 80/TCP: denied (egress: allowed by default (no tier decides it); ingress: denied by ClusterNetworkPolicy tenant-customer1 (tier Admin, priority 500) spec.ingress[1] ("deny-from-other-namespaces") (Admin tier, Deny))');
  });

  test('without its NetworkPolicies and its Admin policy, the baseline still denies the other tenants (fail closed), not the rest', () => {
    const r = analyze(objects.filter((o) => !(o.object.kind === 'NetworkPolicy' && namespace(o) === 'customer1') && name(o) !== 'tenant-customer1'));
    expect(r.between('customer2/nginx', 'customer1/nginx').toString()).toBe('No Connections');
    expect(r.between('8.8.8.8', 'customer1/nginx').toString()).toBe('All Connections');
    expect(portLine(formatExplanation(explain(r, 'customer2/nginx', 'customer1/nginx', { protocol: 'TCP', port: 80 }))))
      .toBe('port 80/TCP: denied (egress: allowed by default (no tier decides it); ingress: denied by ClusterNetworkPolicy tenancy-baseline (tier Baseline, priority 1000) spec.ingress[0] ("deny-from-tenant-namespaces") (Baseline tier, Deny))');
  });
});
