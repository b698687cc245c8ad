import { App, Chart, Testing } from 'cdk8s';
import { IsolatedTenant, Peer, Port, TenancyApp, TenancySettings } from '../src';
import { DEFAULT_POD_CIDRS } from '../src/analysis';
import { find, newChart, synth, tmpdir } from './support/util';

describe('TenancySettings', () => {
  test('without settings, the default pod networks are assumed and no namespace is the platform\'s', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    const settings = TenancySettings.of(chart);
    // THEN
    expect(settings.podCidrs).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']);
    expect(settings.podCidrs).toEqual(DEFAULT_POD_CIDRS);
    expect(settings.platformNamespaces).toEqual([]);
  });

  test('TenancyApp props are the settings of every construct of the app', () => {
    // GIVEN
    const app = new TenancyApp({ outdir: tmpdir(), podCidrs: ['10.244.0.0/16'], platformNamespaces: ['ingress-nginx', 'argocd'] });
    const chart = new Chart(app, 'tenancy');
    const tenant = new IsolatedTenant(chart, 'customer1');
    // WHEN
    const settings = TenancySettings.of(tenant);
    // THEN
    expect(settings.podCidrs).toEqual(['10.244.0.0/16']);
    expect(settings.platformNamespaces).toEqual(['ingress-nginx', 'argocd']);
    expect(app.node.tryFindChild('TenancySettings')).toBe(settings);
  });

  test('a TenancyApp without settings props has no TenancySettings child (its construct tree is unchanged)', () => {
    const app = new TenancyApp({ outdir: tmpdir() });
    expect(app.node.children).toEqual([]);
  });

  test('in a plain cdk8s App, a TenancySettings created before the first tenant', () => {
    // GIVEN
    const app = new App({ outdir: tmpdir() });
    new TenancySettings(app, 'TenancySettings', { podCidrs: ['10.244.0.0/16'] });
    const chart = new Chart(app, 'tenancy');
    // WHEN
    new IsolatedTenant(chart, 'customer1', { allowExternal: { ports: [Port.HTTP] } });
    // THEN
    const np = find(Testing.synth(chart), 'NetworkPolicy', 'allow-from-external');
    expect(np.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } }]);
  });

  describe('bad input', () => {
    test('declared after a tenant read the defaults', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      new IsolatedTenant(chart, 'customer1');
      expect(() => new TenancySettings(app, 'TenancySettings', { podCidrs: ['10.244.0.0/16'] })).toThrow(
        '[TenancySettings] the app\'s settings were already read by test/customer1 with their defaults: create TenancySettings before any tenant (or pass podCidrs and platformNamespaces to TenancyApp).');
    });

    test('declared twice (here: by TenancyApp props and again)', () => {
      const app = new TenancyApp({ outdir: tmpdir(), platformNamespaces: ['argocd'] });
      expect(() => new TenancySettings(app, 'More', { podCidrs: ['10.244.0.0/16'] })).toThrow(
        '[More] the app\'s settings are already declared at TenancySettings: an app has one TenancySettings. Merge them into that one.');
    });

    test.each([
      [{ podCidrs: [] }, `[TenancySettings] podCidrs is empty: leave it out to assume 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, or list the cluster's pod networks, e.g. ['10.244.0.0/16'].`],
      [{ podCidrs: ['10.244.0.0'] }, '[TenancySettings] CIDR mask is missing in podCidrs CIDR "10.244.0.0". Did you mean "10.244.0.0/32"?'],
      [{ podCidrs: ['10.244.1.0/16'] }, '[TenancySettings] podCidrs CIDR "10.244.1.0/16" has host bits set. Did you mean "10.244.0.0/16"?'],
      [{ podCidrs: ['fd00::/48'] }, '[TenancySettings] podCidrs CIDR "fd00::/48" is not an IPv4 CIDR such as "10.0.0.0/8".'],
      [{ podCidrs: ['10.244.0.0/16', '10.244.0.0/16'] }, '[TenancySettings] podCidrs lists "10.244.0.0/16" twice. Remove the duplicate.'],
      [{ platformNamespaces: ['Ingress_Nginx'] }, '[TenancySettings] platformNamespaces name "Ingress_Nginx" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "ingress-nginx"?'],
      [{ platformNamespaces: ['argocd', 'argocd'] }, '[TenancySettings] platformNamespaces lists "argocd" twice. Remove the duplicate.'],
    ])('%j', (props, message) => {
      expect(() => new TenancyApp({ outdir: tmpdir(), ...props })).toThrow(message);
    });
  });

  test('settings are per app', () => {
    // GIVEN two apps, one with settings
    const a = new TenancyApp({ outdir: tmpdir(), podCidrs: ['10.244.0.0/16'] });
    const b = newChart();
    // THEN
    expect(TenancySettings.of(a).podCidrs).toEqual(['10.244.0.0/16']);
    expect(TenancySettings.of(b).podCidrs).toEqual(DEFAULT_POD_CIDRS);
    // and a grant that one app refuses, the other accepts
    const inA = new IsolatedTenant(new Chart(a, 'tenancy'), 'customer1');
    expect(() => inA.allowFrom(Peer.ipv4('10.1.0.0/16'), Port.HTTP)).not.toThrow();
    const inB = new IsolatedTenant(b, 'customer1');
    expect(() => inB.allowFrom(Peer.ipv4('10.1.0.0/16'), Port.HTTP)).toThrow(/lies wholly inside the pod network 10\.0\.0\.0\/8/);
    expect(() => synth(b)).not.toThrow();
  });
});
