import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IsolatedTenant, Peer, Port, TenancyApp } from '../src';
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
      allowExternal: { ports: [Port.tcp(80)] },
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
    new IsolatedTenant(chart, 'customer1', { allowExternal: { ports: [Port.tcp(80)] } });
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: k8s.IntOrString.fromNumber(22) }] }] });
    expect(() => app.synthFiles()).toThrow(/isolation guard: .*customer1\/leak/);
  });

  test('an external CIDR beyond the grant fails synth', () => {
    new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(80)] } });
    leak(chart, 'customer1', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: k8s.IntOrString.fromNumber(80) }] }] });
    expect(() => app.synthFiles()).toThrow(/isolation guard: .*customer1\/leak/);
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
