/**
 * `diff` between two sets of manifests and `explain` of one connection.
 */
import { analyze, diff, explain, formatDiff, formatExplanation, Reachability } from '../../src/analysis';
import { deploy, netpol, pod } from './helpers';

const base = [
  deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]),
  deploy('default', 'db', { app: 'db' }, [{ containerPort: 5432 }]),
  netpol('default', 'db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] }),
  netpol('default', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 80 }] }] }),
];

describe('diff', () => {
  test('no change, no entry', () => {
    expect(diff(base, base)).toEqual([]);
  });

  test('added, removed and changed pairs, with external ranges compared on common boundaries', () => {
    const after = [
      deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]),
      deploy('default', 'db', { app: 'db' }, [{ containerPort: 5432 }]),
      pod('default', 'debug'),
      netpol('default', 'db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 5432 }, { port: 5433 }] }] }),
      netpol('default', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ port: 80 }] }] }),
    ];
    const entries = diff(base, after);
    expect(formatDiff(entries, 'txt')).toBe([
      '+ 0.0.0.0-255.255.255.255[External] => default/debug[Pod] : All Connections',
      '- 10.0.0.0-10.0.255.255[External] => default/web[Deployment] : TCP 80',
      '- 10.2.0.0-10.255.255.255[External] => default/web[Deployment] : TCP 80',
      '+ default/debug[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      '+ default/debug[Pod] => default/db[Deployment] : TCP 5432-5433',
      // web admits 10.1.0.0/16, inside the pod network 10.0.0.0/8: the new pod may have an address there.
      '+ default/debug[Pod] => default/web[Deployment] : TCP 80',
      '~ default/web[Deployment] => default/db[Deployment] : TCP 5432 -> TCP 5432-5433',
      '+ default/web[Deployment] => default/debug[Pod] : All Connections',
      '',
    ].join('\n'));
    const json = JSON.parse(formatDiff(entries, 'json'));
    expect(json.changed).toEqual([{
      src: { kind: 'Deployment', namespace: 'default', name: 'web' }, dst: { kind: 'Deployment', namespace: 'default', name: 'db' },
      before: { TCP: [[5432, 5432]] }, after: { TCP: [[5432, 5433]] },
    }]);
    expect(json.added).toHaveLength(5);
    expect(json.removed).toHaveLength(2);
    expect(json.removed[0]).toEqual({ src: { kind: 'External', range: '10.0.0.0-10.0.255.255' }, dst: { kind: 'Deployment', namespace: 'default', name: 'web' }, ports: { TCP: [[80, 80]] } });
    expect(formatDiff(entries, 'md').split('\n')[3]).toBe('| removed | 10.0.0.0-10.0.255.255[External] | default/web[Deployment] | TCP 80 |  |');
  });

  test('accepts analyses as well as objects', () => {
    const open = base.slice(0, 2);
    expect(diff(analyze(base), analyze(open))).toEqual(diff(base, open));
    expect(formatDiff(diff(base, open), 'txt')).toContain('~ 10.0.0.0-10.255.255.255[External] => default/web[Deployment] : TCP 80 -> All Connections\n');
  });
});

describe('explain', () => {
  let r!: Reachability;
  beforeEach(() => { r = analyze(base); });

  test('names, per tier, the policies and the rule that allows', () => {
    const e = explain(r, 'default/web', 'default/db[Deployment]', { protocol: 'TCP', port: 5432 });
    expect(e.allowed.toString()).toBe('TCP 5432');
    expect(e.ingress.policies).toEqual(['default/db']);
    expect(formatExplanation(e)).toBe([
      'from default/web[Deployment] to default/db[Deployment]',
      'egress from default/web[Deployment]:',
      '  Admin tier: no policy with egress rules selects it; passes on All Connections',
      '  NetworkPolicy tier: not isolated (no NetworkPolicy with Egress in policyTypes selects it); passes on All Connections',
      '  Baseline tier: no policy with egress rules selects it; passes on All Connections',
      '  default (no tier decides it): allows All Connections',
      '  allowed: All Connections',
      'ingress to default/db[Deployment]:',
      '  Admin tier: no policy with ingress rules selects it; passes on All Connections',
      '  NetworkPolicy tier: isolated by default/db',
      '    default/db ingress[0]: from[0] podSelector app=web matches; allows TCP 5432',
      '    NetworkPolicy tier allows TCP 5432 of what it receives (All Connections), and denies the rest',
      '  Baseline tier: not reached (a NetworkPolicy isolates it)',
      '  allowed: TCP 5432',
      'result: TCP 5432',
      'port 5432/TCP: allowed (egress: allowed by default (no tier decides it); ingress: allowed by default/db ingress[0] (NetworkPolicy tier))',
      '',
    ].join('\n'));
  });

  test('says why nothing allows, and names an ipBlock that may admit pods as an assumption', () => {
    const e = explain(r, 'default/db', 'default/web', { protocol: 'TCP', port: 80 });
    expect(e.allowed.isEmpty()).toBe(true);
    const text = formatExplanation(e);
    expect(text).toContain('  NetworkPolicy tier: isolated by default/db\n    default/db: no egress rules (admits nothing)\n    NetworkPolicy tier allows No Connections of what it receives (All Connections), and denies the rest\n');
    expect(text).toContain('    default/web ingress[0]: from[0] ipBlock 10.0.0.0/8 may match (assumed: it overlaps the pod networks, and the pod\'s address is not in the manifests); assumed to allow TCP 80\n');
    expect(text).toContain('port 80/TCP: denied (egress: denied by the NetworkPolicy tier (isolated by default/db; no rule allows it); ingress: allowed by default/web ingress[0] (NetworkPolicy tier, assuming its peer matches))\n');
  });

  test('external sources by address', () => {
    expect(explain(r, '10.1.2.3', 'default/web').allowed.toString()).toBe('TCP 80');
    expect(formatExplanation(explain(r, '11.0.0.1', 'default/web'))).toContain('result: No Connections');
  });

  test('unknown workloads are an error', () => {
    expect(() => explain(r, 'default/nope', 'default/web')).toThrow('no workload "default/nope" in the input');
  });
});
