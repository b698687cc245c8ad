import * as path from 'path';
import { buildModel, ClusterPolicy, loadManifests, Model, Selector } from '../../src/analysis';
import {
  ANP, ANP_EXPERIMENTAL, BANP, CNP_ADMIN, CNP_BASELINE_EXPERIMENTAL, copy, NAME, tenantCnp, V1ALPHA1, V1ALPHA2,
} from './cluster-fixtures';

/** The one cluster policy the objects yield. */
function only(...objects: object[]): ClusterPolicy {
  const m = buildModel(objects);
  expect(m.clusterPolicies).toHaveLength(1);
  return m.clusterPolicies[0];
}

const sel = (s: Selector | undefined) => s?.toString();

describe('AdminNetworkPolicy (v1alpha1)', () => {
  let p!: ClusterPolicy;
  beforeEach(() => { p = only(ANP); });

  test('kind, name, tier Admin, priority, location', () => {
    expect(p.id).toBe('AdminNetworkPolicy/cluster-controls');
    expect(p.kind).toBe('AdminNetworkPolicy');
    expect(p.name).toBe('cluster-controls');
    // "All AdminNetworkPolicy rules have higher precedence than NetworkPolicy or BaselineAdminNetworkPolicy rules."
    expect(p.tier).toBe('Admin');
    // "Priority is a value from 0 to 1000."
    expect(p.priority).toBe(10);
    expect(p.location).toEqual({ file: '<objects>', docIndex: 0 });
  });

  test('subject pods: namespace AND pod selectors', () => {
    // "Pods is used to select pods via namespace AND pod selectors."
    expect(sel(p.subject.namespaceSelector)).toBe('team=a');
    expect(sel(p.subject.podSelector)).toBe('app=web');
  });

  test('subject namespaces: every pod of the selected namespaces', () => {
    // "Namespaces is used to select pods via namespace selectors."
    const q = only({ ...ANP, spec: { ...ANP.spec, subject: { namespaces: { matchLabels: { team: 'b' } } } } });
    expect(sel(q.subject.namespaceSelector)).toBe('team=b');
    expect(q.subject.podSelector).toBeUndefined();
  });

  test('rules keep the order written, with index and name', () => {
    // "The relative precedence of ingress rules within a single ANP object [...] will be determined by the order
    // in which the rule is written."
    expect(p.ingress.map((r) => [r.index, r.name, r.action])).toEqual([[0, 'allow-monitoring', 'Allow'], [1, undefined, 'Deny'], [2, 'pass-rest', 'Pass']]);
    expect(p.egress.map((r) => [r.index, r.name, r.action])).toEqual([[0, 'deny-metadata', 'Deny'], [1, undefined, 'Allow']]);
  });

  test('actions Allow, Deny, Pass are kept as written', () => {
    expect(p.ingress.map((r) => r.writtenAction)).toEqual(['Allow', 'Deny', 'Pass']);
  });

  test('a namespaces peer is every pod of the selected namespaces', () => {
    // "Namespaces defines a way to select all pods within a set of Namespaces."
    expect(p.ingress[0].peers).toEqual([{ type: 'pods', namespaceSelector: expect.any(Selector) }]);
    expect(sel((p.ingress[0].peers[0] as any).namespaceSelector)).toBe(`${NAME}=monitoring`);
    expect((p.ingress[0].peers[0] as any).podSelector).toBeUndefined();
  });

  test('a pods peer has both selectors; an empty one selects everything', () => {
    // "NamespaceSelector follows standard label selector semantics; if empty, it selects all Namespaces."
    const peer = p.ingress[1].peers[0] as any;
    expect(peer.type).toBe('pods');
    expect(peer.namespaceSelector.isAll()).toBe(true);
    expect(sel(peer.podSelector)).toBe('role=scanner');
  });

  test('ports: portNumber (TCP by default), portRange', () => {
    // "Protocol is the network protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field
    // defaults to TCP." / "PortRange selects a port range on a pod(s) based on provided start and end values."
    expect(p.ingress[1].ports).toEqual([
      { protocol: 'TCP', port: 80 },
      { protocol: 'UDP', port: 53 },
      { protocol: 'SCTP', port: 8000, endPort: 8080 },
    ]);
  });

  test('no ports: the rule does not filter by port', () => {
    // "If Ports is not set then the rule does not filter traffic via port."
    expect(p.ingress[0].ports).toBeUndefined();
  });

  test('networks: IPv4 CIDRs as merged ranges, IPv6 kept apart', () => {
    // "Each item in Networks should be provided in the CIDR format and should be IPv4 or IPv6"
    const peer = p.egress[0].peers[0];
    expect(peer).toEqual({
      type: 'networks',
      cidrs: ['169.254.169.254/32', '10.0.0.0/9', '10.128.0.0/9', 'fd00::/8'],
      ranges: [{ start: 0x0a000000, end: 0x0affffff }, { start: 0xa9fea9fe, end: 0xa9fea9fe }],
      ipv6: ['fd00::/8'],
    });
  });

  test('host bits of a CIDR are ignored', () => {
    const q = only({ ...ANP, spec: { ...ANP.spec, egress: [{ action: 'Deny', to: [{ networks: ['10.1.2.3/16'] }] }] } });
    expect((q.egress[0].peers[0] as any).ranges).toEqual([{ start: 0x0a010000, end: 0x0a01ffff }]);
  });

  test('no ingress rules: the policy does not affect ingress', () => {
    // "ANPs with no ingress rules do not affect ingress traffic."
    const q = only({ ...ANP, spec: { priority: 1, subject: ANP.spec.subject, egress: ANP.spec.egress } });
    expect(q.ingress).toEqual([]);
    expect(q.egress).toHaveLength(2);
  });

  test('experimental channel: namedPort (no protocol of its own) and nodes', () => {
    const q = only(ANP_EXPERIMENTAL);
    expect(q.ingress[0].ports).toEqual([{ port: 'metrics' }]);
    // nodes: "if present but empty, it selects all Nodes"
    expect(q.egress[0].peers).toEqual([{ type: 'nodes', nodeSelector: Selector.ALL }]);
  });
});

describe('BaselineAdminNetworkPolicy (v1alpha1)', () => {
  let p!: ClusterPolicy;
  beforeEach(() => { p = only(BANP); });

  test('tier Baseline and no priority', () => {
    // "Ingress is the list of Ingress rules to be applied to the selected pods if they are not matched by any
    // AdminNetworkPolicy or NetworkPolicy rules." The spec has no priority field.
    expect(p.id).toBe('BaselineAdminNetworkPolicy/default');
    expect(p.tier).toBe('Baseline');
    expect(p.priority).toBeUndefined();
  });

  test('subject, rules in order, actions Allow and Deny, port range TCP by default', () => {
    expect(sel(p.subject.namespaceSelector)).toBe('tenancy.cdk8s.io/tenant');
    expect(p.ingress.map((r) => [r.index, r.name, r.action])).toEqual([[0, 'allow-platform', 'Allow'], [1, 'deny-tenants', 'Deny']]);
    expect(p.egress[0].ports).toEqual([{ protocol: 'TCP', port: 1, endPort: 1024 }]);
    expect(p.egress[0].peers).toEqual([{ type: 'networks', cidrs: ['0.0.0.0/0'], ranges: [{ start: 0, end: 0xffffffff }], ipv6: [] }]);
  });

});

describe('the ClusterNetworkPolicies the package writes (dist/ of the example app)', () => {
  // Read before each test, not at load time (where an error fails the whole file, not a test).
  let m: Model;
  beforeEach(() => { m = buildModel(loadManifests([path.join(__dirname, '..', '..', 'dist')])); });

  test('the baseline is read at the Baseline tier', () => {
    const baseline = m.clusterPolicies.find((c) => c.id === 'ClusterNetworkPolicy/tenancy-baseline');
    expect(baseline?.tier).toBe('Baseline');
    expect(baseline?.priority).toBe(1000);
    expect(sel(baseline?.subject.namespaceSelector)).toBe('tenancy.cdk8s.io/tenant');
    expect(baseline?.ingress.map((r) => [r.name, r.action, sel((r.peers[0] as any).namespaceSelector)]))
      .toEqual([['deny-from-tenant-namespaces', 'Deny', 'tenancy.cdk8s.io/tenant']]);
  });

  test('every tenant\'s admin-tier policy, all at one priority, without a same-priority warning (the subjects are pinned by name to disjoint sets)', () => {
    const admin = m.clusterPolicies.filter((c) => c.tier === 'Admin');
    expect(admin.map((c) => [c.id, c.priority, sel(c.subject.namespaceSelector)])).toEqual([
      ['ClusterNetworkPolicy/tenant-acme', 500, 'kubernetes.io/metadata.name in (acme,acme-data)'],
      ['ClusterNetworkPolicy/tenant-customer1', 500, 'kubernetes.io/metadata.name=customer1'],
      ['ClusterNetworkPolicy/tenant-customer2', 500, 'kubernetes.io/metadata.name=customer2'],
      ['ClusterNetworkPolicy/tenant-shop', 500, 'kubernetes.io/metadata.name=shop'],
    ]);
    for (const c of admin) {
      expect(c.ingress[0].action).toBe('Pass');
      expect(c.ingress[c.ingress.length - 1].action).toBe('Deny');
    }
    expect(m.warnings).toEqual([]);
  });
});

describe('ClusterNetworkPolicy (v1alpha2)', () => {
  let p!: ClusterPolicy;
  beforeEach(() => { p = only(CNP_ADMIN); });

  test('tier and priority from the spec', () => {
    // "Priority is a value from 0 to 1000 indicating the precedence of the policy within its tier."
    expect(p.id).toBe('ClusterNetworkPolicy/admin-controls');
    expect(p.tier).toBe('Admin');
    expect(p.priority).toBe(5);
    expect(only(CNP_BASELINE_EXPERIMENTAL).tier).toBe('Baseline');
  });

  test('Accept is normalized to Allow, and kept as written', () => {
    // "Accept: Accepts the selected traffic"
    expect(p.ingress.map((r) => [r.action, r.writtenAction])).toEqual([['Allow', 'Accept'], ['Deny', 'Deny']]);
    expect(p.egress[0].action).toBe('Pass');
  });

  test('a pods peer without namespaceSelector selects the pods of every namespace', () => {
    // "NamespaceSelector follows standard label selector semantics; if empty, it selects all Namespaces." The
    // field is optional in v1alpha2; a cluster-scoped object has no namespace of its own.
    const peer = p.ingress[0].peers[0] as any;
    expect(peer.namespaceSelector.isAll()).toBe(true);
    expect(sel(peer.podSelector)).toBe('app=gateway');
  });

  test('protocols: tcp/udp/sctp destinationPort number or range, and destinationNamedPort', () => {
    // "DestinationNamedPort selects a destination port on a pod based on the ContainerPort name."
    expect(p.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 443 },
      { protocol: 'UDP', port: 5000, endPort: 5010 },
      { protocol: 'SCTP', port: 9 },
      { port: 'http' },
    ]);
    // "If unspecified, protocol-specific attributes will not be used to match traffic."
    expect(p.ingress[1].ports).toBeUndefined();
  });

  test('experimental channel: domainNames and nodes peers are kept', () => {
    const q = only(CNP_BASELINE_EXPERIMENTAL);
    expect(q.egress[0].peers).toEqual([{ type: 'domainNames', domainNames: ['kubernetes.io', '*.kubernetes.io'] }]);
    expect(q.egress[1].peers[0].type).toBe('nodes');
    expect(sel((q.egress[1].peers[0] as any).nodeSelector)).toBe('node-role.kubernetes.io/control-plane=');
    expect(q.egress[2].peers[0]).toEqual({ type: 'networks', cidrs: ['0.0.0.0/0', '::/0'], ranges: [{ start: 0, end: 0xffffffff }], ipv6: ['::/0'] });
  });
});

describe('Model.clusterPolicies: the evaluation order', () => {
  const cnp = (name: string, tier: string, priority: number) => ({ apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject: { namespaces: { matchLabels: { [NAME]: name } } } } });
  const anp = (name: string, priority: number) => ({ apiVersion: V1ALPHA1, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject: { namespaces: { matchLabels: { [NAME]: name } } } } });
  const ids = (m: Model) => m.clusterPolicies.map((c) => c.id);

  test('Admin tier by priority (ANP and CNP interleaved), then Baseline CNPs by priority, then the BANP', () => {
    // "Policy tiers are evaluated in the following order: Admin tier, NetworkPolicy tier, Baseline tier"
    // "Policies with lower priority values have higher precedence"
    const m = buildModel([BANP, cnp('b-late', 'Baseline', 900), cnp('a-late', 'Admin', 700), anp('anp-mid', 300), cnp('b-early', 'Baseline', 0), cnp('a-early', 'Admin', 100)]);
    expect(ids(m)).toEqual([
      'ClusterNetworkPolicy/a-early', 'AdminNetworkPolicy/anp-mid', 'ClusterNetworkPolicy/a-late',
      'ClusterNetworkPolicy/b-early', 'ClusterNetworkPolicy/b-late', 'BaselineAdminNetworkPolicy/default',
    ]);
  });

  test('equal priorities: by name, then kind (the API leaves the order to the implementation)', () => {
    const m = buildModel([cnp('y', 'Admin', 7), anp('x', 7), cnp('x', 'Admin', 7)]);
    expect(ids(m)).toEqual(['AdminNetworkPolicy/x', 'ClusterNetworkPolicy/x', 'ClusterNetworkPolicy/y']);
  });

  test('the same kind and name twice: the later object replaces the earlier one', () => {
    const later = copy(CNP_ADMIN);
    later.spec.priority = 6;
    expect(buildModel([CNP_ADMIN, later]).clusterPolicies.map((c) => c.priority)).toEqual([6]);
  });

  test('another apiVersion of these kinds: a note, and the object is not read', () => {
    const m = buildModel([{ ...CNP_ADMIN, apiVersion: 'policy.networking.k8s.io/v1alpha1' }, { ...ANP, apiVersion: 'policy.networking.k8s.io/v1beta1' }]);
    expect(m.clusterPolicies).toEqual([]);
    expect(m.notes).toEqual([
      'note: ignoring ClusterNetworkPolicy of apiVersion policy.networking.k8s.io/v1alpha1 (only policy.networking.k8s.io/v1alpha2 is analyzed)',
      'note: ignoring AdminNetworkPolicy of apiVersion policy.networking.k8s.io/v1beta1 (only policy.networking.k8s.io/v1alpha1 is analyzed)',
    ]);
  });

  test('cluster-wide policies create no namespaces in the model', () => {
    const m = buildModel([tenantCnp('a', ['a'])]);
    expect([...m.namespaces.keys()]).toEqual([]);
  });
});
