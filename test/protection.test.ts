import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { IsolatedTenant, Port, TenancyApp } from '../src';
import { buildExampleApp, EXAMPLE_SETTINGS } from '../src/main';
import { ARGOCD_APPLICATION_CONTROLLER, MANAGED_OBJECTS_POLICY_NAME, NETWORK_POLICIES_POLICY_NAME, PlatformArgoCd, TenantProtection } from '../src/tenant-extras';
import { admitAll, AdmissionRequest, celVocabulary } from './support/admission';
import { ownerAttacks } from './support/owner-attacks';
import { validateObjects } from './support/schema';
import { find, newChart, synth, tmpdir } from './support/util';

const OWNER = 'alice@example.com';
const NP = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };
const TENANT_NS = { 'kubernetes.io/metadata.name': 'acme', 'tenancy.cdk8s.io/tenant': 'acme' };

type Pair = { policy: any; binding: any };

/** A tenant with owners, a quota and an ingress-controller grant, protected; its synthesized objects. */
function protectedApp(props: { deployers?: string[] } = {}): { objects: any[]; managed: Pair; policies: Pair; pairs: Pair[] } {
  const chart = newChart();
  new IsolatedTenant(chart, 'acme', {
    owners: { groups: ['acme-admins'] },
    quota: {},
    allowIngressController: { namespace: 'ingress-nginx', ports: [Port.tcp(8080)] },
  });
  new TenantProtection(chart, 'Protection', props);
  const objects = synth(chart);
  const pair = (name: string) => ({ policy: find(objects, 'ValidatingAdmissionPolicy', name), binding: find(objects, 'ValidatingAdmissionPolicyBinding', name) });
  const managed = pair(MANAGED_OBJECTS_POLICY_NAME);
  const policies = pair(NETWORK_POLICIES_POLICY_NAME);
  return { objects, managed, policies, pairs: [managed, policies] };
}

/** A NetworkPolicy an owner might write in namespace acme. */
function ownerPolicy(spec: any, name = 'mine'): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'acme' }, spec: { podSelector: {}, ...spec } };
}

describe('TenantProtection', () => {
  const { objects, managed: managedPair, policies, pairs } = protectedApp();
  const managed = (kind: string, name: string) => find(objects, kind, name, 'acme');
  const request = (r: Partial<AdmissionRequest> & Pick<AdmissionRequest, 'operation'>): AdmissionRequest => ({
    username: OWNER, groups: ['acme-admins', 'system:authenticated'], resource: NP, namespace: 'acme', object: null, oldObject: null, ...r,
  });
  const decide = (r: Partial<AdmissionRequest> & Pick<AdmissionRequest, 'operation'>, labels = TENANT_NS, nsObject?: any) => admitAll(pairs, request(r), labels, nsObject);

  test('two ValidatingAdmissionPolicies and their bindings, admissionregistration.k8s.io/v1, cluster-scoped', () => {
    expect(pairs).toMatchSnapshot();
    for (const { policy, binding } of pairs) {
      expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(binding.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(policy.metadata.namespace).toBeUndefined();
      expect(binding.metadata.namespace).toBeUndefined();
      expect(policy.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-tenancy' });
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(policy.spec.matchConditions).toEqual([{ name: 'not-a-deployer', expression: `!(request.userInfo.username in ["${ARGOCD_APPLICATION_CONTROLLER}"])` }]);
      expect(binding.spec).toEqual({
        policyName: policy.metadata.name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } },
      });
      expect(validateObjects([policy, binding])).toEqual([]);
    }
    expect(managedPair.policy.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['UPDATE', 'DELETE'], resources: ['networkpolicies'] },
      { apiGroups: [''], apiVersions: ['*'], operations: ['UPDATE', 'DELETE'], resources: ['limitranges', 'resourcequotas'] },
      { apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['UPDATE', 'DELETE'], resources: ['rolebindings'] },
    ]);
    expect(policies.policy.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['networkpolicies'] },
    ]);
  });

  test('the CEL stays within the Kubernetes CEL environment: standard operators and macros, the admission variables', () => {
    const expressions = pairs.flatMap(({ policy }) => [...policy.spec.matchConditions, ...policy.spec.variables, ...policy.spec.validations]).map((x: any) => x.expression);
    const allowedFunctions = new Set(['_&&_', '_||_', '!_', '_==_', '_!=_', '@in', '_[_]', 'size', 'has', '@not_strictly_false']);
    const allowedVariables = new Set(['object', 'oldObject', 'request', 'namespaceObject', 'variables']);
    for (const e of expressions) {
      const { functions, identifiers } = celVocabulary(e);
      expect([...functions].filter((f) => !allowedFunctions.has(f))).toEqual([]);
      expect([...identifiers].filter((i) => !allowedVariables.has(i))).toEqual([]);
    }
    // match conditions may not use namespaceObject or variables (Kubernetes does not offer them there)
    for (const { policy } of pairs) {
      for (const c of policy.spec.matchConditions) expect([...celVocabulary(c.expression).identifiers]).toEqual(['request']);
    }
    // the managed-objects policy matches several kinds, so it reads only what they all have
    const managedCel = [...managedPair.policy.spec.variables, ...managedPair.policy.spec.validations].map((x: any) => x.expression).join(' ');
    expect(managedCel).not.toMatch(/\.spec\b/);
  });

  describe('the issue\'s four cases', () => {
    test('the owner deletes deny-from-other-namespaces: denied', () => {
      const r = decide({ operation: 'DELETE', oldObject: managed('NetworkPolicy', 'deny-from-other-namespaces') });
      expect(r).toEqual({ allowed: false, message: "This object is managed by cdk8s-tenancy (label app.kubernetes.io/managed-by=cdk8s-tenancy): only the platform's deployer may change or delete it. Change it in the platform's repository." });
    });

    test('the owner adds a same-namespace allow: admitted', () => {
      const np = ownerPolicy({ policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }] });
      expect(decide({ operation: 'CREATE', object: np })).toEqual({ allowed: true });
    });

    test('the owner adds ingress: [{}]: denied', () => {
      const r = decide({ operation: 'CREATE', object: ownerPolicy({ ingress: [{}] }, 'allow-all') });
      expect(r.allowed).toBe(false);
      expect(r.message).toBe('In a tenant namespace, a NetworkPolicy may only admit or reach pods of its own namespace: no namespaceSelector, no ipBlock, no rule without from/to. Ask the platform team for a grant (allowFrom/allowTo) instead.');
    });

    test('the deployer updates a managed policy: admitted', () => {
      const old = managed('NetworkPolicy', 'allow-from-ingress-controller');
      const updated = { ...old, spec: { ...old.spec, ingress: [{ ...old.spec.ingress[0], ports: [{ port: 8443, protocol: 'TCP' }] }] } };
      expect(decide({ operation: 'UPDATE', username: ARGOCD_APPLICATION_CONTROLLER, object: updated, oldObject: old })).toEqual({ allowed: true });
    });
  });

  describe('managed objects: UPDATE and DELETE only by the deployer', () => {
    test.each([
      ['NetworkPolicy', 'deny-from-other-namespaces', NP],
      ['NetworkPolicy', 'allow-from-ingress-controller', NP],
      ['ResourceQuota', 'tenant-quota', { group: '', version: 'v1', resource: 'resourcequotas' }],
      ['LimitRange', 'tenant-limits', { group: '', version: 'v1', resource: 'limitranges' }],
      ['RoleBinding', 'tenant-owners', { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings' }],
    ])('%s %s', (kind, name, resource) => {
      const old = managed(kind, name);
      expect(old.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-tenancy');
      const changed = { ...old, metadata: { ...old.metadata, annotations: { edited: 'by hand' } } };
      expect(decide({ operation: 'DELETE', resource, oldObject: old }).allowed).toBe(false);
      expect(decide({ operation: 'UPDATE', resource, object: changed, oldObject: old }).allowed).toBe(false);
      expect(decide({ operation: 'DELETE', resource, oldObject: old, username: ARGOCD_APPLICATION_CONTROLLER }).allowed).toBe(true);
      expect(decide({ operation: 'UPDATE', resource, object: changed, oldObject: old, username: ARGOCD_APPLICATION_CONTROLLER }).allowed).toBe(true);
    });

    test('removing the managed-by label is an update of a managed object: denied', () => {
      const old = managed('NetworkPolicy', 'deny-from-other-namespaces');
      const unlabelled = { ...old, metadata: { ...old.metadata, labels: {} } };
      expect(decide({ operation: 'UPDATE', object: unlabelled, oldObject: old }).allowed).toBe(false);
    });

    test('the owner\'s own objects stay the owner\'s: update and delete admitted', () => {
      const mine = ownerPolicy({ ingress: [{ from: [{ podSelector: {} }] }] });
      expect(decide({ operation: 'UPDATE', object: { ...mine, spec: { ...mine.spec, ingress: [] } }, oldObject: mine }).allowed).toBe(true);
      expect(decide({ operation: 'DELETE', oldObject: mine }).allowed).toBe(true);
      const rb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'team', namespace: 'acme' }, roleRef: {}, subjects: [] };
      const rbac = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings' };
      expect(decide({ operation: 'UPDATE', resource: rbac, object: rb, oldObject: rb }).allowed).toBe(true);
      expect(decide({ operation: 'DELETE', resource: rbac, oldObject: rb }).allowed).toBe(true);
    });

    test('while the namespace is being deleted, its objects may go (the namespace controller deletes them)', () => {
      const terminating = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme', labels: TENANT_NS, deletionTimestamp: '2026-05-01T00:00:00Z' } };
      const r = decide({ operation: 'DELETE', username: 'system:serviceaccount:kube-system:namespace-controller', oldObject: managed('NetworkPolicy', 'deny-from-other-namespaces') }, TENANT_NS, terminating);
      expect(r.allowed).toBe(true);
      expect(decide({ operation: 'DELETE', username: 'system:serviceaccount:kube-system:namespace-controller', oldObject: managed('NetworkPolicy', 'deny-from-other-namespaces') }).allowed).toBe(false);
    });
  });

  describe('NetworkPolicies that admit or reach outside their namespace: denied to owners', () => {
    test.each([
      ['ingress from every namespace', { ingress: [{ from: [{ namespaceSelector: {} }] }] }],
      ['ingress from one namespace', { ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: {} }] }] }],
      ['ingress from an ipBlock', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }],
      ['an ingress rule without from', { ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }],
      ['an ingress rule with an empty from', { ingress: [{ from: [] }] }],
      ['a second rule that opens', { ingress: [{ from: [{ podSelector: {} }] }, {}] }],
      ['egress: [{}]', { policyTypes: ['Egress'], egress: [{}] }],
      ['egress to every namespace', { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] }],
      ['egress to an ipBlock', { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }],
      ['egress on a port to anywhere', { policyTypes: ['Egress'], egress: [{ ports: [{ port: 443, protocol: 'TCP' }] }] }],
    ])('%s', (_what, spec) => {
      const np = ownerPolicy(spec);
      expect(decide({ operation: 'CREATE', object: np }).allowed).toBe(false);
      const old = ownerPolicy({ ingress: [{ from: [{ podSelector: {} }] }] });
      expect(decide({ operation: 'UPDATE', object: np, oldObject: old }).allowed).toBe(false);
      // the deployer may write them (the package's own grants have namespaceSelectors)
      expect(decide({ operation: 'CREATE', object: np, username: ARGOCD_APPLICATION_CONTROLLER }).allowed).toBe(true);
    });

    test.each([
      ['a default deny', { policyTypes: ['Ingress'] }],
      ['a default deny of egress', { policyTypes: ['Egress'], egress: [] }],
      ['same-namespace ingress', { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }, { podSelector: {} }] }] }],
      ['same-namespace egress', { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }] }],
    ])('%s is admitted', (_what, spec) => {
      expect(decide({ operation: 'CREATE', object: ownerPolicy(spec) }).allowed).toBe(true);
    });

    test('the package\'s own cross-namespace policies, applied by anyone else, are denied', () => {
      const grant = managed('NetworkPolicy', 'allow-from-ingress-controller');
      expect(decide({ operation: 'CREATE', object: grant }).allowed).toBe(false);
      expect(decide({ operation: 'CREATE', object: grant, username: ARGOCD_APPLICATION_CONTROLLER }).allowed).toBe(true);
    });
  });

  describe('what the policy does not touch', () => {
    test('namespaces without the tenant label', () => {
      expect(decide({ operation: 'CREATE', object: ownerPolicy({ ingress: [{}] }) }, { 'kubernetes.io/metadata.name': 'kube-system' } as any).allowed).toBe(true);
    });

    test('other kinds, and CREATE of quotas and RoleBindings', () => {
      const pods = { group: '', version: 'v1', resource: 'pods' };
      expect(decide({ operation: 'DELETE', resource: pods, oldObject: { metadata: { labels: { 'app.kubernetes.io/managed-by': 'cdk8s-tenancy' } } } }).allowed).toBe(true);
      const rbac = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings' };
      expect(decide({ operation: 'CREATE', resource: rbac, object: { metadata: { name: 'x' } } }).allowed).toBe(true);
    });

    test('a user whose name merely starts like the deployer\'s is not the deployer', () => {
      const old = managed('NetworkPolicy', 'deny-from-other-namespaces');
      expect(decide({ operation: 'DELETE', oldObject: old, username: `${ARGOCD_APPLICATION_CONTROLLER}-x` }).allowed).toBe(false);
      expect(decide({ operation: 'DELETE', oldObject: old, username: 'argocd-application-controller' }).allowed).toBe(false);
    });
  });

  test('deployers are configurable: CI user and an impersonated service account', () => {
    const ci = protectedApp({ deployers: ['ci-deployer', 'system:serviceaccount:argocd:acme-sync'] });
    for (const { policy } of ci.pairs) {
      expect(policy.spec.matchConditions[0].expression).toBe('!(request.userInfo.username in ["ci-deployer", "system:serviceaccount:argocd:acme-sync"])');
    }
    const old = find(ci.objects, 'NetworkPolicy', 'deny-from-other-namespaces', 'acme');
    const del = (username: string) => admitAll(ci.pairs, { operation: 'DELETE', username, resource: NP, namespace: 'acme', object: null, oldObject: old }, TENANT_NS);
    expect(del('ci-deployer').allowed).toBe(true);
    expect(del('system:serviceaccount:argocd:acme-sync').allowed).toBe(true);
    expect(del(ARGOCD_APPLICATION_CONTROLLER).allowed).toBe(false);
  });

  describe('bad input', () => {
    let chart: Chart;
    beforeEach(() => {
      chart = newChart();
      new IsolatedTenant(chart, 'acme', { owners: { groups: ['acme-admins'] } });
    });

    test.each([
      [[''], '[test/Protection] deployers contains "", which is not a user or service-account name. Give the name the API server sees, e.g. "system:serviceaccount:argocd:argocd-application-controller".'],
      [['system:serviceaccount:argocd'], '[test/Protection] deployers entry "system:serviceaccount:argocd" is not a service-account name: write it as "system:serviceaccount:<namespace>:<name>", e.g. "system:serviceaccount:argocd:argocd-application-controller".'],
      [['system:serviceaccount:Argo:controller'], '[test/Protection] deployers entry "system:serviceaccount:Argo:controller" is not a service-account name: write it as "system:serviceaccount:<namespace>:<name>", e.g. "system:serviceaccount:argocd:argocd-application-controller".'],
      [['system:serviceaccounts:argocd'], '[test/Protection] deployers entry "system:serviceaccounts:argocd" is a group, and deployers are users or service accounts. Name the deploying identity itself, e.g. "system:serviceaccount:argocd:argocd-application-controller".'],
      [['system:masters'], '[test/Protection] deployers entry "system:masters" is a group, and deployers are users or service accounts. Name the deploying identity itself, e.g. "system:serviceaccount:argocd:argocd-application-controller".'],
      [['ci deployer'], '[test/Protection] deployers entry "ci deployer" is not a user name this policy accepts: printable ASCII without spaces, quotes or backslashes, at most 253 characters, e.g. "ci-deployer" or "system:serviceaccount:argocd:argocd-application-controller".'],
      [['x"]) || true || (["'], '[test/Protection] deployers entry "x\\"]) || true || ([\\"" is not a user name this policy accepts'],
      [['ci', 'ci'], '[test/Protection] deployers lists "ci" twice. Remove the duplicate.'],
      [[], '[test/Protection] deployers is empty: nothing could then change the managed objects, the platform included. Give the identity that applies them, e.g. deployers: ["system:serviceaccount:argocd:argocd-application-controller"].'],
    ])('deployers %j', (deployers, message) => {
      expect(() => new TenantProtection(chart, 'Protection', { deployers })).toThrow(message);
    });

    test('a second TenantProtection in the app', () => {
      new TenantProtection(chart, 'Protection');
      expect(() => new TenantProtection(chart, 'Again')).toThrow('[test/Again] a TenantProtection is already defined at test/Protection: one set of admission policies protects every tenant namespace. Remove this one.');
    });

    test('the default deployer, with Argo CD in another namespace than argocd', () => {
      new PlatformArgoCd(chart, 'Platform', { repoURL: 'https://git.example.com/p.git', argoNamespace: 'gitops' });
      new TenantProtection(chart, 'Protection');
      expect(() => synth(chart)).toThrow('[test/Protection] deployers defaults to Argo CD\'s application controller in namespace "argocd", but this app\'s PlatformArgoCd runs Argo CD in "gitops": its syncs would be refused. Give deployers: ["system:serviceaccount:gitops:argocd-application-controller"].');
    });

    test('protection without owners protects nothing', () => {
      const lonely = Testing.chart();
      new IsolatedTenant(lonely, 'customer1');
      new TenantProtection(lonely, 'Protection');
      expect(() => Testing.synth(lonely)).toThrow('[test/Protection] TenantProtection protects tenants from their owners, but no tenant of this app has owners: it would protect nothing. Give a tenant owners (owners: { groups: [...] }), or remove the TenantProtection.');
    });
  });
});

describe('the example app: every owner attack of the proof is refused in every tenant namespace', () => {
  const app = new TenancyApp({ ...EXAMPLE_SETTINGS, outdir: tmpdir() });
  buildExampleApp(app);
  const objects = [...app.synthFiles().values()].flatMap((text: string) => yaml.loadAll(text) as any[]);
  const pair = (name: string) => ({ policy: find(objects, 'ValidatingAdmissionPolicy', name), binding: find(objects, 'ValidatingAdmissionPolicyBinding', name) });
  const pairs = [pair(MANAGED_OBJECTS_POLICY_NAME), pair(NETWORK_POLICIES_POLICY_NAME)];
  const tenantNamespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata);

  test.each(tenantNamespaces.map((m: any) => [m.name, m.labels]))('%s', (ns, labels) => {
    const owner = { username: 'owner@example.com', groups: ['owners'], resource: NP, namespace: ns as string };
    for (const { what, policy } of ownerAttacks(ns)) {
      expect([what, admitAll(pairs, { ...owner, operation: 'CREATE', object: policy, oldObject: null }, labels as any).allowed]).toEqual([what, false]);
    }
    for (const isolation of objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && ['deny-from-other-namespaces', 'deny-communication', 'restrict-egress'].includes(o.metadata.name))) {
      expect([isolation.metadata.name, admitAll(pairs, { ...owner, operation: 'DELETE', object: null, oldObject: isolation }, labels as any).allowed]).toEqual([isolation.metadata.name, false]);
    }
  });
});
