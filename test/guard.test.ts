import { ApiObject, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IsolatedTenant, Peer, Port, TenancyApp } from '../src';
import { EGRESS_GRANTS_ANNOTATION } from '../src/analysis';
import { collectObjects } from '../src/app';
import { isolationGuard } from '../src/guard';
import { tmpdir } from './support/util';

function leak(chart: Chart, namespace: string, spec: k8s.NetworkPolicySpec, name = 'leak'): void {
  new k8s.KubeNetworkPolicy(chart, `${namespace}-${name}`, { metadata: { name, namespace }, spec });
}

describe('isolation guard', () => {
  let app: TenancyApp;
  let chart: Chart;
  beforeEach(() => {
    app = new TenancyApp({ outdir: tmpdir() });
    chart = new Chart(app, 'tenancy');
  });

  test('declared flows pass', () => {
    const a = new IsolatedTenant(chart, 'customer1', {
      allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(80)] },
      allowIngressController: { namespace: 'ingress-nginx', podLabels: { app: 'ingress' }, ports: [Port.tcp(80)] },
    });
    const b = new IsolatedTenant(chart, 'customer2');
    a.allowFrom(b, Port.tcp(8080));
    a.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    expect(() => app.synthFiles()).not.toThrow();
  });

  test('a policy that admits every namespace fails synth, naming the policy and its construct', () => {
    new IsolatedTenant(chart, 'customer1');
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(() => app.synthFiles()).toThrow(/\[tenancy\/customer1-leak\] isolation guard: .*customer1\/leak.*any namespace/);
  });

  test('a policy that admits everything (empty rule) fails synth', () => {
    new IsolatedTenant(chart, 'customer1');
    leak(chart, 'customer1', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{}] });
    expect(() => app.synthFiles()).toThrow(/\[tenancy\/customer1-leak\] isolation guard: .*customer1\/leak/);
  });

  test('a forged namespace label does not count as a grant', () => {
    new IsolatedTenant(chart, 'customer1');
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'tenancy.cdk8s.io/tenant': 'customer1' } } }] }] });
    expect(() => app.synthFiles()).toThrow(/isolation guard: .*customer1\/leak/);
  });

  test('ports beyond the grant fail synth', () => {
    new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(80)] } });
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: k8s.IntOrString.fromNumber(22) }] }] });
    expect(() => app.synthFiles()).toThrow('[tenancy/customer1-leak] isolation guard: customer1.k8s.yaml (document 2, 0-based): customer1/leak ingress[0] from[0]: admits external addresses 203.0.113.0-203.0.113.255 on TCP 22 without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)');
  });

  test('an external CIDR beyond the grant fails synth', () => {
    new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(80)] } });
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.112.0/23' } }], ports: [{ port: k8s.IntOrString.fromNumber(80) }] }] });
    expect(() => app.synthFiles()).toThrow('[tenancy/customer1-leak] isolation guard: customer1.k8s.yaml (document 2, 0-based): customer1/leak ingress[0] from[0]: admits external addresses 203.0.112.0-203.0.112.255 on TCP 80 without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)');
  });

  test('nothing is written when the guard fails', () => {
    new IsolatedTenant(chart, 'customer1');
    leak(chart, 'customer1', { podSelector: {}, ingress: [{}] });
    expect(() => app.synth()).toThrow(/isolation guard/);
    expect(require('fs').existsSync(app.outdir)).toBe(true); // the tmpdir existed before and was left alone
    expect(require('fs').readdirSync(app.outdir)).toEqual([]);
  });

  test('the guard also runs in a plain cdk8s App', () => {
    const plain = Testing.chart();
    new IsolatedTenant(plain, 'customer1');
    leak(plain, 'customer1', { podSelector: {}, ingress: [{}] });
    expect(() => Testing.synth(plain)).toThrow(/isolation guard: .*customer1\/leak/);
  });
});

describe('isolation guard: pod networks, egress, bad input', () => {
  let app: TenancyApp;
  let chart: Chart;
  beforeEach(() => {
    app = new TenancyApp({ outdir: tmpdir() });
    chart = new Chart(app, 'tenancy');
  });

  test('a raw policy in a tenant namespace with an ipBlock that overlaps a pod network fails synth', () => {
    // GIVEN a grant that covers the block as external addresses
    new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(80)] } });
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: k8s.IntOrString.fromNumber(80) }] }] });
    // THEN
    expect(() => app.synthFiles()).toThrow('[tenancy/customer1-leak] isolation guard: customer1.k8s.yaml (document 2, 0-based): customer1/leak ingress[0] from[0]: admits pods of every namespace on TCP 80: ipBlock 10.0.0.0/8 overlaps the pod network 10.0.0.0/8, and network plugins match pod addresses against ipBlocks; no grant can cover pods of every namespace: grant the tenant or namespace instead (tenant.allowFrom(...)), or narrow the CIDR or add excepts for the pod networks');
  });

  test('the app\'s pod networks replace the defaults', () => {
    // GIVEN a grant of 10/8, which the default pod networks would make a grant of every pod
    const own = new TenancyApp({ outdir: tmpdir(), podCidrs: ['100.64.0.0/10'] });
    const c = new Chart(own, 'tenancy');
    new IsolatedTenant(c, 'customer1', { allowExternal: { cidrs: ['10.0.0.0/8'], ports: [Port.tcp(80)] } });
    expect(() => own.synthFiles()).not.toThrow();
    // a raw policy admitting 100.64/10 may admit any pod
    leak(c, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '100.64.0.0/16' } }] }] });
    expect(() => own.synthFiles()).toThrow(/admits pods of every namespace on all ports: ipBlock 100\.64\.0\.0\/16 overlaps the pod network 100\.64\.0\.0\/10,/);
  });

  test('isolationGuard takes the pod networks as an option', () => {
    new IsolatedTenant(chart, 'customer1');
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }] }] });
    const objects = collectObjects(app);
    expect(isolationGuard(objects, { podCidrs: ['198.51.100.0/25'] })).toEqual([
      '[tenancy/customer1-leak] isolation guard: customer1.k8s.yaml (document 1, 0-based): customer1/leak ingress[0] from[0]: admits external addresses 198.51.100.0-198.51.100.255 on all ports without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)',
      '[tenancy/customer1-leak] isolation guard: customer1.k8s.yaml (document 1, 0-based): customer1/leak ingress[0] from[0]: admits pods of every namespace on all ports: ipBlock 198.51.100.0/24 overlaps the pod network 198.51.100.0/25, and network plugins match pod addresses against ipBlocks; no grant can cover pods of every namespace: grant the tenant or namespace instead (tenant.allowFrom(...)), or narrow the CIDR or add excepts for the pod networks',
    ]);
    expect(isolationGuard(objects)).toHaveLength(1);
  });

  test('a tenant Namespace that declares egress grants must isolate egress', () => {
    // GIVEN the egress intent on the Namespace (the constructs write it for tenants that isolate egress)
    new IsolatedTenant(chart, 'customer1');
    const objects = collectObjects(app).map((o) => o.manifest.kind !== 'Namespace' ? o : {
      ...o, manifest: { ...o.manifest, metadata: { ...o.manifest.metadata, annotations: { ...o.manifest.metadata.annotations, [EGRESS_GRANTS_ANNOTATION]: '[]' } } },
    });
    expect(isolationGuard(objects)).toEqual([
      '[tenancy/customer1/Namespace] isolation guard: +cluster.k8s.yaml (document 0, 0-based): namespace customer1 is not isolated for egress: no policy selects every pod with Egress in policyTypes (the tenant declares egress grants, so its namespaces must isolate egress)',
    ]);
  });

  test('a malformed raw object is a guard message naming its construct', () => {
    new IsolatedTenant(chart, 'customer1');
    new ApiObject(chart, 'bad', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad', namespace: 'customer1' }, spec: { podSelector: { matchExpressions: [{ key: 'a', operator: 'Is' }] } } } as any);
    expect(() => app.synthFiles()).toThrow('[tenancy/bad] isolation guard: customer1.k8s.yaml (document 0, 0-based): the app writes an object the analyzer cannot read: NetworkPolicy bad: spec.podSelector.matchExpressions[0] has unknown operator "Is"; use In, NotIn, Exists or DoesNotExist');
  });
});

describe('isolation guard: where messages point', () => {
  let app: TenancyApp;
  let chart: Chart;
  beforeEach(() => {
    app = new TenancyApp({ outdir: tmpdir() });
    chart = new Chart(app, 'tenancy');
  });

  test('a namespace-level violation names the Namespace construct, not another object of that name', () => {
    new IsolatedTenant(chart, 'customer1');
    new ApiObject(chart, 'same-name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'customer1', namespace: 'zz' } });
    const objects = collectObjects(app).filter((o) => o.manifest.kind !== 'NetworkPolicy');
    expect(isolationGuard(objects)).toEqual(['[tenancy/customer1/Namespace] isolation guard: +cluster.k8s.yaml (document 0, 0-based): namespace customer1 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes']);
  });

  test('a violation about an object names its construct alone', () => {
    new IsolatedTenant(chart, 'customer1');
    const objects = collectObjects(app).filter((o) => o.manifest.kind !== 'Namespace');
    expect(isolationGuard(objects)[0]).toBe('[tenancy/customer1/DenyFromOtherNamespaces] isolation guard: customer1.k8s.yaml (document 0, 0-based): namespace customer1 has objects of tenant customer1, e.g. NetworkPolicy deny-from-other-namespaces (customer1.k8s.yaml (document 0, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: customer1, or remove the tenant\'s objects');
  });

  test('an object without metadata is a guard message; other errors propagate', () => {
    expect(isolationGuard([{ file: 'x', path: 'app/odd', manifest: { apiVersion: 'v1', kind: 'Namespace' } }])).toEqual(['[app/odd] isolation guard: x.k8s.yaml (document 0, 0-based): the app writes an object the analyzer cannot read: Namespace: Namespace without metadata.name']);
    expect(() => isolationGuard([], { podCidrs: ['10.0.0.0'] })).toThrow('CIDR mask is missing in IPv4: "10.0.0.0". Did you mean "10.0.0.0/32"?');
  });
});
