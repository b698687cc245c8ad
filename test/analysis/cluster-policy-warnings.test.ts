import { buildModel, Diagnostic } from '../../src/analysis';
import {
  ANP, ANP_EXPERIMENTAL, BANP, CNP_BASELINE_EXPERIMENTAL, copy, NAME, tenantCnp, V1ALPHA1, V1ALPHA2,
} from './cluster-fixtures';

const AT = { file: '<objects>', docIndex: 0 };
const ASSUME = 'the analysis assumes whichever answer allows more';
const messages = (ws: readonly Diagnostic[]) => ws.map((w) => w.message);

/** A ClusterNetworkPolicy with a subject and no rules. */
function cnp(name: string, priority: number, subject: object, tier = 'Admin'): object {
  return { apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject } };
}
const ns = (labels: Record<string, string>) => ({ namespaces: { matchLabels: labels } });
const names = (...values: string[]) => ({ namespaces: { matchExpressions: [{ key: NAME, operator: 'In', values }] } });

describe('peers the analysis cannot evaluate offline, naming the policy and the rule', () => {
  test('domainNames, nodes, IPv6 networks (experimental channel)', () => {
    const m = buildModel([CNP_BASELINE_EXPERIMENTAL]);
    expect(m.warnings).toEqual([
      {
        location: AT,
        message: 'ClusterNetworkPolicy egress-allowlist: spec.egress[0].to[0] (rule "accept-kubernetes-io"): the domainNames peer kubernetes.io, *.kubernetes.io '
          + `matches addresses by DNS name, which cannot be resolved offline; ${ASSUME}`,
      },
      {
        location: AT,
        message: 'ClusterNetworkPolicy egress-allowlist: spec.egress[1].to[0] (rule "accept-nodes"): the nodes peer node-role.kubernetes.io/control-plane= '
          + `matches node addresses, which are not in the manifests; ${ASSUME}`,
      },
      {
        location: AT,
        message: `ClusterNetworkPolicy egress-allowlist: spec.egress[2].to[0] (rule "deny-rest"): the networks peer has IPv6 CIDRs (::/0), and the analysis models IPv4 only; ${ASSUME}`,
      },
    ]);
  });

  test('IPv6 networks in an AdminNetworkPolicy, nodes {} in the experimental v1alpha1 channel', () => {
    expect(messages(buildModel([ANP, ANP_EXPERIMENTAL]).warnings)).toEqual([
      `AdminNetworkPolicy cluster-controls: spec.egress[0].to[0] (rule "deny-metadata"): the networks peer has IPv6 CIDRs (fd00::/8), and the analysis models IPv4 only; ${ASSUME}`,
      `AdminNetworkPolicy named-ports: spec.egress[0].to[0]: the nodes peer {} matches node addresses, which are not in the manifests; ${ASSUME}`,
    ]);
  });

  test('domainNames in a Deny rule: "DomainNames is only supported for Accept rules"', () => {
    const p = copy(CNP_BASELINE_EXPERIMENTAL);
    p.spec.egress = [{ action: 'Deny', to: [{ domainNames: ['example.com'] }] }];
    expect(messages(buildModel([p]).warnings)).toEqual([
      'ClusterNetworkPolicy egress-allowlist: spec.egress[0].to[0]: the domainNames peer example.com matches addresses by DNS name, which cannot be resolved offline, '
      + `and the CRD says "DomainNames is only supported for Accept rules" (this one is Deny): a network plugin may ignore it; ${ASSUME}`,
    ]);
  });

  test('IPv4 networks, namespaces and pods peers: no warning', () => {
    expect(buildModel([BANP, tenantCnp('a', ['a'])]).warnings).toEqual([]);
  });
});

describe('fields the API server drops (unknown fields): a warning, and the field is ignored', () => {
  test('a misspelt rule list', () => {
    const p = copy(ANP);
    p.spec.egres = p.spec.egress;
    delete p.spec.egress;
    const m = buildModel([p]);
    expect(m.clusterPolicies[0].egress).toEqual([]);
    expect(m.warnings).toEqual([{
      location: AT,
      message: 'AdminNetworkPolicy cluster-controls: spec.egres is not a field of the spec of an AdminNetworkPolicy (its fields: priority, subject, ingress, egress), '
        + 'so the API server drops it (or rejects the object, with strict field validation); the analysis ignores it too. Remove it or fix its name',
    }]);
  });

  test('a misspelt matchLabels selects everything, as on a cluster that prunes it', () => {
    const p = cnp('typo', 1, { namespaces: { matchLabel: { team: 'a' } } });
    const m = buildModel([p]);
    expect(m.clusterPolicies[0].subject.namespaceSelector.isAll()).toBe(true);
    expect(messages(m.warnings)).toEqual([
      'ClusterNetworkPolicy typo: spec.subject.namespaces.matchLabel is not a field of a label selector (its fields: matchLabels, matchExpressions), '
      + 'so the API server drops it (or rejects the object, with strict field validation); the analysis ignores it too. Remove it or fix its name',
    ]);
  });

  test('priority in the BaselineAdminNetworkPolicy, which has none', () => {
    const p = copy(BANP);
    p.spec.priority = 5;
    expect(messages(buildModel([p]).warnings)[0]).toMatch(/^BaselineAdminNetworkPolicy default: spec\.priority is not a field of the spec of a BaselineAdminNetworkPolicy \(its fields: subject, ingress, egress\)/);
  });
});

describe('same priority in one tier: "the implementation can apply any of the matching policies"', () => {
  test('subjects that may overlap: a warning on the later policy, naming the earlier', () => {
    const m = buildModel([cnp('all', 10, { namespaces: {} }), cnp('team-a', 10, ns({ team: 'a' }))]);
    expect(m.warnings).toEqual([{
      location: { file: '<objects>', docIndex: 1 },
      message: 'ClusterNetworkPolicy team-a (tier Admin, priority 10) has the same priority as ClusterNetworkPolicy all, and their subjects may select the same pods: '
        + 'the API lets the network plugin apply them in any order; the analysis takes them by name. '
        + 'Give them distinct priorities, or subjects that select disjoint namespaces (e.g. by kubernetes.io/metadata.name)',
    }]);
  });

  test('the package\'s per-tenant admin policies, one priority for all: no warning', () => {
    const m = buildModel([tenantCnp('customer1', ['customer1']), tenantCnp('customer2', ['customer2', 'customer2-data']), tenantCnp('acme', ['acme', 'acme-data', 'acme-web'])]);
    expect(m.clusterPolicies.map((p) => [p.name, p.priority])).toEqual([['tenant-acme', 50], ['tenant-customer1', 50], ['tenant-customer2', 50]]);
    expect(m.warnings).toEqual([]);
  });

  test('2,000 tenants at one priority: no warning', () => {
    const m = buildModel(Array.from({ length: 2000 }, (_, i) => tenantCnp(`t${i}`, [`t${i}`, `t${i}-data`])));
    expect(m.clusterPolicies).toHaveLength(2000);
    expect(m.warnings).toEqual([]);
  });

  test('two tenants that claim the same namespace: a warning', () => {
    const m = buildModel([tenantCnp('a', ['a', 'shared']), tenantCnp('b', ['shared', 'b'])]);
    expect(messages(m.warnings)).toEqual([
      expect.stringMatching(/^ClusterNetworkPolicy tenant-b \(tier Admin, priority 50\) has the same priority as ClusterNetworkPolicy tenant-a, and their subjects may select the same pods/),
    ]);
  });

  test.each([
    ['names pinned by matchLabels and by In', ns({ [NAME]: 'a' }), names('b', 'c')],
    ['one label with disjoint values', ns({ team: 'a' }), { namespaces: { matchExpressions: [{ key: 'team', operator: 'In', values: ['b', 'c'] }] } }],
    ['Exists and DoesNotExist', { namespaces: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }, { namespaces: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }],
    ['In and NotIn of the same values', ns({ team: 'a' }), { namespaces: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] } }],
    ['same namespaces, disjoint pods', { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'a' } } } }, { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'b' } } } }],
  ])('provably disjoint subjects: no warning (%s)', (_, s1, s2) => {
    expect(buildModel([cnp('one', 3, s1), cnp('two', 3, s2)]).warnings).toEqual([]);
  });

  test.each([
    ['different labels', ns({ team: 'a' }), ns({ env: 'prod' })],
    ['NotIn and In of other values', { namespaces: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] } }, ns({ team: 'b' })],
    ['a pinned name and a label', ns({ [NAME]: 'a' }), ns({ team: 'a' })],
    ['namespaces and pods forms', ns({ team: 'a' }), { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } } }],
  ])('subjects that may overlap: a warning (%s)', (_, s1, s2) => {
    expect(buildModel([cnp('one', 3, s1), cnp('two', 3, s2)]).warnings).toHaveLength(1);
  });

  test('same priority in different tiers, or different priorities: no warning', () => {
    expect(buildModel([cnp('a', 10, { namespaces: {} }), cnp('b', 10, { namespaces: {} }, 'Baseline'), cnp('c', 11, { namespaces: {} })]).warnings).toEqual([]);
  });

  test('an AdminNetworkPolicy and an Admin ClusterNetworkPolicy at one priority', () => {
    const anp = { apiVersion: V1ALPHA1, kind: 'AdminNetworkPolicy', metadata: { name: 'z' }, spec: { priority: 10, subject: { namespaces: {} } } };
    expect(messages(buildModel([anp, cnp('a', 10, { namespaces: {} })]).warnings)).toEqual([
      expect.stringMatching(/^AdminNetworkPolicy z \(priority 10\) has the same priority as ClusterNetworkPolicy a, and their subjects may select the same pods/),
    ]);
  });

  test('many overlapping policies: one warning per policy, naming at most five others', () => {
    const m = buildModel(Array.from({ length: 7 }, (_, i) => cnp(`p${i}`, 1, { namespaces: {} })));
    expect(m.warnings).toHaveLength(6);
    expect(m.warnings[5].message).toMatch(/^ClusterNetworkPolicy p6 \(tier Admin, priority 1\) has the same priority as ClusterNetworkPolicy p0, ClusterNetworkPolicy p1, ClusterNetworkPolicy p2, ClusterNetworkPolicy p3, ClusterNetworkPolicy p4 and 1 more, /);
  });
});

describe('v1alpha1 and v1alpha2 policies of one tier: no CRD orders one API against the other', () => {
  test('the BaselineAdminNetworkPolicy and a Baseline ClusterNetworkPolicy that may select the same pods', () => {
    const m = buildModel([BANP, cnp('baseline', 100, ns({ 'tenancy.cdk8s.io/tenant': 'a' }), 'Baseline')]);
    expect(m.clusterPolicies.map((p) => p.id)).toEqual(['ClusterNetworkPolicy/baseline', 'BaselineAdminNetworkPolicy/default']);
    expect(messages(m.warnings)).toEqual([
      'BaselineAdminNetworkPolicy default and ClusterNetworkPolicy baseline may select the same pods, but belong to different API versions (v1alpha1 and v1alpha2): '
      + 'no CRD orders one against the other, and a network plugin implements one of them; the analysis takes the BaselineAdminNetworkPolicy after every Baseline ClusterNetworkPolicy. Use one API version',
    ]);
  });

  test('an AdminNetworkPolicy and an Admin ClusterNetworkPolicy at different priorities', () => {
    const anp = { apiVersion: V1ALPHA1, kind: 'AdminNetworkPolicy', metadata: { name: 'legacy' }, spec: { priority: 3, subject: { namespaces: {} } } };
    expect(messages(buildModel([tenantCnp('a', ['a']), anp]).warnings)).toEqual([
      'ClusterNetworkPolicy tenant-a (tier Admin, priority 50) and AdminNetworkPolicy legacy may select the same pods, but belong to different API versions (v1alpha1 and v1alpha2): '
      + 'no CRD orders one against the other, and a network plugin implements one of them; the analysis takes them by priority. Use one API version',
    ]);
  });

  test('the package\'s BANP next to per-tenant Admin ClusterNetworkPolicies (different tiers): no warning', () => {
    expect(buildModel([BANP, tenantCnp('a', ['a']), tenantCnp('b', ['b'])]).warnings).toEqual([]);
  });

  test('disjoint subjects: no warning', () => {
    expect(buildModel([BANP, cnp('baseline', 100, { namespaces: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'DoesNotExist' }] } }, 'Baseline')]).warnings).toEqual([]);
  });
});
