import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { IsolatedTenant } from '../src';
import { ClusterBaseline } from '../src/tenant-extras';
import { loadCrd, validateAgainstCrd } from './support/crd-schema';
import { find, newChart, synth, synthApp, readDir } from './support/util';

const CRD = loadCrd(path.join(__dirname, 'fixtures', 'crds', 'policy.networking.k8s.io_baselineadminnetworkpolicies.yaml'));
const TENANT_EXISTS = { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] };

/** The CEL rule of the CRD and the label-selector rules the API server applies, by hand. */
function semanticProblems(banp: any): string[] {
  const out: string[] = [];
  if (banp.metadata.name !== 'default') out.push('Only one baseline admin network policy with metadata.name="default" can be created in the cluster');
  const selectors: any[] = [banp.spec.subject.namespaces, ...banp.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.namespaces))];
  for (const s of selectors.filter(Boolean)) {
    for (const e of s.matchExpressions ?? []) {
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) out.push(`operator ${e.operator}`);
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      if (needsValues !== ((e.values ?? []).length > 0)) out.push(`values of ${e.key} ${e.operator}`);
    }
  }
  return out;
}

describe('ClusterBaseline', () => {
  let chart: Chart;
  beforeEach(() => { chart = newChart(); });

  test('one BANP named default: tenant namespaces deny ingress from tenant namespaces', () => {
    // GIVEN
    new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');
    // WHEN
    const b = new ClusterBaseline(chart, 'Baseline');
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    const banp = find(objects, 'BaselineAdminNetworkPolicy', 'default');
    expect(b.policy.name).toBe('default');
    expect(banp.apiVersion).toBe('policy.networking.k8s.io/v1alpha1');
    expect(banp.metadata.namespace).toBeUndefined();
    expect(banp.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-tenancy' });
    expect(banp.spec).toEqual({
      subject: { namespaces: TENANT_EXISTS },
      ingress: [{ name: 'deny-from-tenant-namespaces', action: 'Deny', from: [{ namespaces: TENANT_EXISTS }] }],
    });
    expect(banp.spec.egress).toBeUndefined();
    // every tenant namespace carries the label the BANP selects on
    for (const ns of ['customer1', 'customer2']) {
      expect(find(objects, 'Namespace', ns).metadata.labels['tenancy.cdk8s.io/tenant']).toBe(ns);
    }
    expect(validateAgainstCrd(banp, CRD)).toEqual([]);
    expect(semanticProblems(banp)).toEqual([]);
  });

  test('platform namespaces allowed first, then the deny (rules apply in order)', () => {
    new ClusterBaseline(chart, 'Baseline', { allowFromNamespaces: ['ingress-nginx', 'monitoring'] });
    const banp = find(synth(chart), 'BaselineAdminNetworkPolicy', 'default');
    expect(banp.spec.ingress).toEqual([
      {
        name: 'allow-from-platform-namespaces',
        action: 'Allow',
        from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress-nginx', 'monitoring'] }] } }],
      },
      { name: 'deny-from-tenant-namespaces', action: 'Deny', from: [{ namespaces: TENANT_EXISTS }] },
    ]);
    expect(validateAgainstCrd(banp, CRD)).toEqual([]);
    expect(semanticProblems(banp)).toEqual([]);
  });

  test('one generic rule, whatever the number of tenants (the CRD allows 100 rules)', () => {
    for (let i = 0; i < 150; i++) new IsolatedTenant(chart, `t${i}`);
    new ClusterBaseline(chart, 'Baseline');
    const banp = find(synth(chart), 'BaselineAdminNetworkPolicy', 'default');
    expect(banp.spec.ingress).toHaveLength(1);
    expect(validateAgainstCrd(banp, CRD)).toEqual([]);
  });

  test('with TenancyApp it goes to custom-resources/_cluster.k8s.yaml, out of the top level kubectl applies', () => {
    const outdir = synthApp((app) => {
      const c = new Chart(app, 'platform');
      new IsolatedTenant(c, 'customer1');
      new ClusterBaseline(c, 'Baseline');
    });
    const files = readDir(outdir);
    expect([...files.keys()]).toEqual(['custom-resources/_cluster.k8s.yaml', 'customer1.k8s.yaml']);
    expect(files.get('custom-resources/_cluster.k8s.yaml')!.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['BaselineAdminNetworkPolicy/default']);
  });

  describe('bad input', () => {
    test('a second baseline in the same app', () => {
      new ClusterBaseline(chart, 'Baseline');
      const other = new Chart(chart.node.root as any, 'other');
      expect(() => new ClusterBaseline(other, 'Baseline2')).toThrow('[other/Baseline2] a ClusterBaseline is already defined at test/Baseline: a cluster has one BaselineAdminNetworkPolicy, named "default". Remove this one.');
    });

    test('one per app, not per process', () => {
      new ClusterBaseline(chart, 'Baseline');
      expect(() => new ClusterBaseline(Testing.chart(), 'Baseline')).not.toThrow();
    });

    test.each([
      [{ allowFromNamespaces: ['Ingress'] }, '[test/Baseline] allowFromNamespaces entry "Ingress" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "ingress"?'],
      [{ allowFromNamespaces: ['a', 'a'] }, '[test/Baseline] allowFromNamespaces lists "a" twice. Remove the duplicate.'],
    ])('%j', (props, message) => {
      expect(() => new ClusterBaseline(chart, 'Baseline', props)).toThrow(message);
    });
  });
});

describe('CRD schema validator', () => {
  const good = () => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] },
  });

  test('accepts a valid object', () => {
    expect(validateAgainstCrd(good(), CRD)).toEqual([]);
  });

  test('rejects unknown fields, bad enums, missing required fields, wrong types, bounds and scope', () => {
    const bad: any = good();
    bad.metadata.namespace = 'x';
    bad.spec.subject = { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } };
    bad.spec.ingress = [
      { action: 'Pass', from: [{ namespaces: {} }], podSelecter: {} },
      { action: 'Deny', from: [] },
      { action: 'Allow', from: [{ namespaces: { matchExpressions: [{ key: 'k' }] } }], ports: [{ portNumber: { port: 70000, protocol: 'TCP' } }] },
      { from: [{ namespaces: { matchLabels: { a: 1 } } }] },
    ];
    expect(validateAgainstCrd(bad, CRD)).toEqual([
      'metadata.namespace: must not be set on a cluster-scoped object',
      'spec.subject: more than 1 properties',
      'spec.ingress[0].action: "Pass" is not one of "Allow", "Deny"',
      'spec.ingress[0].podSelecter: unknown field',
      'spec.ingress[1].from: fewer than 1 items',
      'spec.ingress[2].from[0].namespaces.matchExpressions[0].operator: required',
      'spec.ingress[2].ports[0].portNumber.port: above 65535',
      'spec.ingress[3].action: required',
      'spec.ingress[3].from[0].namespaces.matchLabels.a: expected string, got integer',
    ]);
  });

  test('rejects a wrong apiVersion and kind', () => {
    expect(validateAgainstCrd({ ...good(), apiVersion: 'v1', kind: 'NetworkPolicy' }, CRD)).toEqual([
      'apiVersion: expected "policy.networking.k8s.io/v1alpha1", got "v1"',
      'kind: expected "BaselineAdminNetworkPolicy", got "NetworkPolicy"',
    ]);
  });
});
