import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { GRANTS_ANNOTATION, IsolatedTenant, Peer, Port, TenancyApp } from '../src';
import { parseCidr, subtractRanges } from '../src/analysis/ipv4';
import { exceptPodNetworks } from '../src/pod-networks';
import { find, newChart, synth, tmpdir } from './support/util';

/** The default pod networks, as the excepts of a block that contains them all, sorted by address. */
const DEFAULT_EXCEPTS = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];

const grantsOf = (objects: any[], ns: string) => JSON.parse(find(objects, 'Namespace', ns).metadata.annotations[GRANTS_ANNOTATION]);

describe('ipBlocks except the pod networks', () => {
  let chart: Chart;
  beforeEach(() => { chart = newChart(); });

  test('allowExternal with its default 0.0.0.0/0 excepts every default pod network, in the policy and in the grant', () => {
    // GIVEN / WHEN
    new IsolatedTenant(chart, 'customer1', { allowExternal: { ports: [Port.tcp(80)] } });
    const objects = synth(chart);
    // THEN
    expect(find(objects, 'NetworkPolicy', 'allow-from-external').spec.ingress).toEqual([{
      from: [{ ipBlock: { cidr: '0.0.0.0/0', except: DEFAULT_EXCEPTS } }],
      ports: [{ protocol: 'TCP', port: 80 }],
    }]);
    expect(grantsOf(objects, 'customer1')).toEqual([{ from: { cidr: '0.0.0.0/0', except: DEFAULT_EXCEPTS }, ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  test('allowFrom(Peer.ipv4(...)) excepts the pod networks inside the block, keeping the given excepts', () => {
    // GIVEN
    const t = new IsolatedTenant(chart, 'customer1');
    // WHEN 8.0.0.0/6 holds 10.0.0.0/8
    t.allowFrom(Peer.ipv4('8.0.0.0/6', ['8.8.8.0/24']), Port.HTTPS);
    const objects = synth(chart);
    // THEN
    const np = find(objects, 'NetworkPolicy', 'allow-from-8-0-0-0-6');
    expect(np.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '8.0.0.0/6', except: ['8.8.8.0/24', '10.0.0.0/8'] } }]);
    expect(grantsOf(objects, 'customer1')).toEqual([{ from: { cidr: '8.0.0.0/6', except: ['8.8.8.0/24', '10.0.0.0/8'] }, ports: [{ port: 443, protocol: 'TCP' }] }]);
  });

  test('a block that holds no pod network is left as it is', () => {
    const t = new IsolatedTenant(chart, 'customer1');
    t.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    expect(find(synth(chart), 'NetworkPolicy', 'allow-from-203-0-113-0-24').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '203.0.113.0/24' } }]);
  });

  test('workload.allowFrom and allowTo except them too; a given except that holds a pod network replaces it', () => {
    // GIVEN
    const t = new IsolatedTenant(chart, 'customer1', { egress: {} });
    const web = t.addWorkload('web', { image: 'nginx', port: 80 });
    // WHEN
    web.allowFrom(Peer.anyIpv4(), Port.HTTP);
    t.allowTo(Peer.ipv4('0.0.0.0/0', ['192.0.0.0/8']), Port.HTTPS);
    const objects = synth(chart);
    // THEN
    expect(find(objects, 'NetworkPolicy', 'allow-web-from-anywhere').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: DEFAULT_EXCEPTS } }]);
    expect(find(objects, 'NetworkPolicy', 'allow-to-anywhere').spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.0.0.0/8'] } },
    ]);
  });

  test('allowInternet leaves out every declared pod network too', () => {
    // GIVEN pod networks outside the private ranges
    const app = new TenancyApp({ outdir: tmpdir(), podCidrs: ['198.18.0.0/15', '10.244.0.0/16'] });
    const chart2 = new Chart(app, 'tenancy');
    // WHEN
    new IsolatedTenant(chart2, 'customer1', { egress: { allowInternet: true } });
    const np = find(synthObjects(app), 'NetworkPolicy', 'allow-to-internet');
    // THEN
    expect(np.spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '198.18.0.0/15'] } }],
    }]);
  });

  test('with declared pod networks, only those are excepted, and a private block outside them is a valid grant', () => {
    // GIVEN
    const app = new TenancyApp({ outdir: tmpdir(), podCidrs: ['10.244.0.0/16'] });
    const c = new Chart(app, 'tenancy');
    // WHEN
    const t = new IsolatedTenant(c, 'customer1', { allowExternal: { ports: [Port.HTTP] } });
    t.allowFrom(Peer.ipv4('10.20.0.0/16'), Port.HTTPS);
    const objects = synthObjects(app);
    // THEN the guard, analyzing with the same pod networks, passes
    expect(find(objects, 'NetworkPolicy', 'allow-from-external').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } }]);
    expect(find(objects, 'NetworkPolicy', 'allow-from-10-20-0-0-16').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.20.0.0/16' } }]);
  });

  describe('a block wholly inside a pod network is refused', () => {
    const advice = (cidr: string) => `network plugins match pod addresses against ipBlocks, so it would match pods of every namespace. Grant the tenant or namespace instead (pass the IsolatedTenant, a workload, Peer.tenant() or Peer.namespace()); if no pod has an address in ${cidr}, declare the cluster's pod networks with podCidrs.`;

    test('allowFrom', () => {
      const t = new IsolatedTenant(chart, 'customer1');
      expect(() => t.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.HTTP)).toThrow(
        `[test/customer1] allowFrom(Peer.ipv4('10.0.0.0/8')): block 10.0.0.0/8 lies wholly inside the pod network 10.0.0.0/8: ${advice('10.0.0.0/8')}`);
    });

    test('workload.allowFrom', () => {
      const web = new IsolatedTenant(chart, 'customer1').addWorkload('web', { image: 'nginx', port: 80 });
      expect(() => web.allowFrom(Peer.ipv4('192.168.10.0/24'), Port.HTTP)).toThrow(
        `[test/customer1] allowFrom(Peer.ipv4('192.168.10.0/24')): block 192.168.10.0/24 lies wholly inside the pod network 192.168.0.0/16: ${advice('192.168.10.0/24')}`);
    });

    test('allowTo', () => {
      const t = new IsolatedTenant(chart, 'customer1', { egress: {} });
      expect(() => t.allowTo(Peer.ipv4('100.64.0.0/16'), Port.HTTPS)).toThrow(
        `[test/customer1] allowTo(Peer.ipv4('100.64.0.0/16')): block 100.64.0.0/16 lies wholly inside the pod network 100.64.0.0/10: ${advice('100.64.0.0/16')}`);
    });

    test('allowExternal', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['203.0.113.0/24', '172.16.5.0/24'], ports: [Port.HTTP] } })).toThrow(
        `[test/customer1] allowExternal: block 172.16.5.0/24 lies wholly inside the pod network 172.16.0.0/12: ${advice('172.16.5.0/24')}`);
    });

    test('allowInternet, when a declared pod network covers every address', () => {
      const app = new TenancyApp({ outdir: tmpdir(), podCidrs: ['0.0.0.0/0'] });
      expect(() => new IsolatedTenant(new Chart(app, 'tenancy'), 'customer1', { egress: { allowInternet: true } })).toThrow(
        `[tenancy/customer1] allowInternet: block 0.0.0.0/0 lies wholly inside the pod network 0.0.0.0/0: ${advice('0.0.0.0/0')}`);
    });

    test('a declared pod network decides: 10.20.0.0/16 is refused under the defaults only', () => {
      const t = new IsolatedTenant(chart, 'customer1');
      expect(() => t.allowFrom(Peer.ipv4('10.20.0.0/16'), Port.HTTP)).toThrow(/lies wholly inside the pod network 10\.0\.0\.0\/8/);
    });
  });

  test('property: a written block never overlaps a pod network after its excepts, and a refused one lies inside one', () => {
    const cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
      .map(([addr, len]) => {
        const size = 2 ** (32 - len);
        const start = addr - (addr % size);
        return `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${len}`;
      });
    fc.assert(fc.property(cidr, fc.array(cidr, { minLength: 1, maxLength: 4 }), (block, pods) => {
      const podRanges = pods.map(parseCidr);
      const b = parseCidr(block);
      let out;
      try {
        out = exceptPodNetworks({ cidr: block }, pods, 'test', 'p');
      } catch (e) {
        expect(podRanges.some((p) => b.start >= p.start && b.end <= p.end)).toBe(true);
        return;
      }
      const left = subtractRanges(parseCidr(out.cidr), (out.except ?? []).map(parseCidr));
      for (const l of left) for (const p of podRanges) expect(l.end < p.start || l.start > p.end).toBe(true);
      for (const e of out.except ?? []) expect(parseCidr(e).start >= b.start && parseCidr(e).end <= b.end).toBe(true);
    }), { numRuns: 500 });
  });
});

function synthObjects(app: TenancyApp): any[] {
  const yaml = require('js-yaml');
  return [...app.synthFiles().values()].flatMap((t) => yaml.loadAll(t));
}

describe('the policy writers except the pod networks for any caller', () => {
  test('addRulePolicy (what features such as links call) excepts them and refuses a block inside one', () => {
    // GIVEN
    const t = new IsolatedTenant(newChart(), 'customer1');
    // WHEN
    const np = t.addRulePolicy('allow-from-feature', 'Feature', {}, [{ ipBlock: { cidr: '0.0.0.0/0' }, name: 'anywhere' }], [Port.HTTP]);
    // THEN
    expect((np.toJson() as any).spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: DEFAULT_EXCEPTS } }]);
    expect(() => t.addRulePolicy('allow-from-pods', 'Pods', {}, [{ ipBlock: { cidr: '10.1.0.0/16' }, name: 'pods' }], [Port.HTTP])).toThrow(
      '[test/customer1] policy allow-from-pods: block 10.1.0.0/16 lies wholly inside the pod network 10.0.0.0/8');
  });
});
