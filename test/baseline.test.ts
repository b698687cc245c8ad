import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { IsolatedTenant } from '../src';
import { BaselineApi, ClusterBaseline } from '../src/tenant-extras';
import { loadCrd, validateAgainstCrd } from './support/crd-schema';
import { find, newChart, synth, synthApp, readDir } from './support/util';

const CRD = loadCrd(path.join(__dirname, 'fixtures', 'crds', 'policy.networking.k8s.io_baselineadminnetworkpolicies.yaml'));
const CNP_CRD = loadCrd(path.join(__dirname, 'fixtures', 'crds', 'policy.networking.k8s.io_clusternetworkpolicies.standard.yaml'));
const TENANT_EXISTS = { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] };

/** The CEL rule of the CRD and the label-selector rules the API server applies, by hand. */
function semanticProblems(banp: any): string[] {
  const out: string[] = [];
  if (banp.kind === 'BaselineAdminNetworkPolicy' && banp.metadata.name !== 'default') out.push('Only one baseline admin network policy with metadata.name="default" can be created in the cluster');
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

  test('by default a ClusterNetworkPolicy of tier Baseline: tenant namespaces deny ingress from tenant namespaces', () => {
    // GIVEN
    new IsolatedTenant(chart, 'customer1');
    new IsolatedTenant(chart, 'customer2');
    // WHEN
    const b = new ClusterBaseline(chart, 'Baseline');
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    const cnp = find(objects, 'ClusterNetworkPolicy', 'tenancy-baseline');
    expect(b.api).toBe(BaselineApi.CLUSTER_NETWORK_POLICY);
    expect(b.policy.name).toBe('tenancy-baseline');
    expect(cnp.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(cnp.metadata.namespace).toBeUndefined();
    expect(cnp.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-tenancy' });
    expect(cnp.spec).toEqual({
      tier: 'Baseline',
      priority: 1000,
      subject: { namespaces: TENANT_EXISTS },
      ingress: [{ name: 'deny-from-tenant-namespaces', action: 'Deny', from: [{ namespaces: TENANT_EXISTS }] }],
    });
    expect(cnp.spec.egress).toBeUndefined();
    for (const ns of ['customer1', 'customer2']) {
      expect(find(objects, 'Namespace', ns).metadata.labels['tenancy.cdk8s.io/tenant']).toBe(ns);
    }
    expect(objects.filter((o) => o.kind === 'BaselineAdminNetworkPolicy')).toEqual([]);
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
    expect(semanticProblems(cnp)).toEqual([]);
  });

  test('platform namespaces accepted first, then the deny (rules apply in order); priority is configurable', () => {
    new ClusterBaseline(chart, 'Baseline', { allowFromNamespaces: ['monitoring', 'ingress-nginx'], priority: 900 });
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenancy-baseline');
    expect(cnp.spec.priority).toBe(900);
    expect(cnp.spec.ingress).toEqual([
      {
        name: 'accept-from-platform-namespaces',
        action: 'Accept',
        from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress-nginx', 'monitoring'] }] } }],
      },
      { name: 'deny-from-tenant-namespaces', action: 'Deny', from: [{ namespaces: TENANT_EXISTS }] },
    ]);
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
    expect(semanticProblems(cnp)).toEqual([]);
  });

  test('legacy: one BANP v1alpha1 named default, on explicit choice', () => {
    new IsolatedTenant(chart, 'customer1');
    const b = new ClusterBaseline(chart, 'Baseline', { api: BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY, allowFromNamespaces: ['ingress-nginx', 'monitoring'] });
    const objects = synth(chart);
    const banp = find(objects, 'BaselineAdminNetworkPolicy', 'default');
    expect(b.policy.name).toBe('default');
    expect(banp.apiVersion).toBe('policy.networking.k8s.io/v1alpha1');
    expect(banp.metadata.namespace).toBeUndefined();
    expect(banp.spec).toEqual({
      subject: { namespaces: TENANT_EXISTS },
      ingress: [
        {
          name: 'allow-from-platform-namespaces',
          action: 'Allow',
          from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress-nginx', 'monitoring'] }] } }],
        },
        { name: 'deny-from-tenant-namespaces', action: 'Deny', from: [{ namespaces: TENANT_EXISTS }] },
      ],
    });
    expect(objects.filter((o) => o.kind === 'ClusterNetworkPolicy')).toEqual([]);
    expect(validateAgainstCrd(banp, CRD)).toEqual([]);
    expect(semanticProblems(banp)).toEqual([]);
  });

  test('one generic rule, whatever the number of tenants (the CRD allows 25 rules)', () => {
    for (let i = 0; i < 150; i++) new IsolatedTenant(chart, `t${i}`);
    new ClusterBaseline(chart, 'Baseline');
    const cnp = find(synth(chart), 'ClusterNetworkPolicy', 'tenancy-baseline');
    expect(cnp.spec.ingress).toHaveLength(1);
    expect(validateAgainstCrd(cnp, CNP_CRD)).toEqual([]);
  });

  test('with TenancyApp it goes to custom-resources/+cluster.k8s.yaml, out of the top level kubectl applies', () => {
    const outdir = synthApp((app) => {
      const c = new Chart(app, 'platform');
      new IsolatedTenant(c, 'customer1');
      new ClusterBaseline(c, 'Baseline');
    });
    const files = readDir(outdir);
    expect([...files.keys()]).toEqual(['+cluster.k8s.yaml', 'custom-resources/+cluster.k8s.yaml', 'customer1.k8s.yaml']);
    expect(files.get('custom-resources/+cluster.k8s.yaml')!.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterNetworkPolicy/tenancy-baseline']);
  });

  describe('bad input', () => {
    test('a second baseline in the same app', () => {
      new ClusterBaseline(chart, 'Baseline');
      const other = new Chart(chart.node.root as any, 'other');
      expect(() => new ClusterBaseline(other, 'Baseline2')).toThrow('[other/Baseline2] a ClusterBaseline is already defined at test/Baseline: a cluster has one baseline. Remove this one.');
    });

    test('one per app, not per process', () => {
      new ClusterBaseline(chart, 'Baseline');
      expect(() => new ClusterBaseline(Testing.chart(), 'Baseline')).not.toThrow();
    });

    test.each([
      [{ allowFromNamespaces: ['Ingress'] }, '[test/Baseline] allowFromNamespaces entry "Ingress" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "ingress"?'],
      [{ allowFromNamespaces: ['a', 'a'] }, '[test/Baseline] allowFromNamespaces lists "a" twice. Remove the duplicate.'],
      [{ priority: 1001 }, '[test/Baseline] priority 1001 is out of range: a ClusterNetworkPolicy priority is a whole number from 0 to 1000 (lower numbers decide first), e.g. 500.'],
      [{ priority: -1 }, '[test/Baseline] priority -1 is out of range: a ClusterNetworkPolicy priority is a whole number from 0 to 1000 (lower numbers decide first), e.g. 500.'],
      [{ priority: 1.5 }, '[test/Baseline] priority 1.5 is out of range: a ClusterNetworkPolicy priority is a whole number from 0 to 1000 (lower numbers decide first), e.g. 500.'],
      [{ api: BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY, priority: 10 }, '[test/Baseline] priority applies to the ClusterNetworkPolicy baseline only: the legacy BaselineAdminNetworkPolicy has no priority. Remove priority, or drop api to use the ClusterNetworkPolicy.'],
      [{ api: 'v1alpha1' as any }, '[test/Baseline] api "v1alpha1" is not one of BaselineApi.CLUSTER_NETWORK_POLICY, BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY.'],
    ])('%j', (props, message) => {
      expect(() => new ClusterBaseline(chart, 'Baseline', props)).toThrow(message);
    });

    test('the legacy BANP next to admin-tier isolation: one of the two APIs would be ignored', () => {
      new IsolatedTenant(chart, 'acme', { adminIsolation: {} });
      new IsolatedTenant(chart, 'shop', { adminIsolation: {} });
      new ClusterBaseline(chart, 'Baseline', { api: BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY });
      expect(() => Testing.synth(chart)).toThrow('[test/Baseline] the legacy BaselineAdminNetworkPolicy (v1alpha1) cannot be combined with admin-tier isolation (tenants "acme", "shop"), which is a ClusterNetworkPolicy (v1alpha2): a network plugin implements one of the two APIs, so the other would be silently ignored. Drop api to write the baseline as a ClusterNetworkPolicy, or turn adminIsolation off.');
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
