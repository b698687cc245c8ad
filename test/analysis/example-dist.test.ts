/**
 * `tenancy reach dist/` on the example app reads the package's BaselineAdminNetworkPolicy from
 * `dist/custom-resources/` and applies it below the NetworkPolicies.
 */
import * as path from 'path';
import { analyze, explain, formatExplanation, loadManifests } from '../../src/analysis';

const DIST = path.join(__dirname, '..', '..', 'dist');

describe('the example app\'s dist/, with its cluster baseline', () => {
  const objects = loadManifests([DIST]);

  test('the BaselineAdminNetworkPolicy is read', () => {
    expect(analyze(objects).model.clusterPolicies.map((p) => p.id)).toEqual(['BaselineAdminNetworkPolicy/default']);
  });

  test('the namespace policies decide while they exist: the baseline is not reached', () => {
    const e = explain(analyze(objects), 'customer2/nginx', 'customer1/nginx');
    expect(formatExplanation(e)).toContain('  Baseline tier: BaselineAdminNetworkPolicy default selects it, but it is not reached (a NetworkPolicy isolates it)\n');
    expect(e.allowed.isEmpty()).toBe(true);
  });

  test('a tenant namespace that loses its NetworkPolicies stays closed to the other tenants (fail closed), open to the rest', () => {
    // GIVEN dist/ without customer1's NetworkPolicies
    const without = objects.filter((o) => !(o.object.kind === 'NetworkPolicy' && (o.object.metadata as { namespace?: string }).namespace === 'customer1'));
    const r = analyze(without);
    // THEN the baseline denies the other tenants' pods, and nothing else
    expect(r.between('customer2/nginx', 'customer1/nginx').toString()).toBe('No Connections');
    expect(r.between('shop/webapp', 'customer1/nginx').toString()).toBe('No Connections');
    expect(r.between('8.8.8.8', 'customer1/nginx').toString()).toBe('All Connections');
    expect(formatExplanation(explain(r, 'customer2/nginx', 'customer1/nginx', { protocol: 'TCP', port: 80 })).split('\n').slice(-2)[0])
      .toBe('port 80/TCP: denied (egress: allowed by default (no tier decides it); ingress: denied by BaselineAdminNetworkPolicy default spec.ingress[0] ("deny-from-tenant-namespaces") (Baseline tier, Deny))');
  });
});
