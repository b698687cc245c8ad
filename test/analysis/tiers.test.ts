/**
 * The tiers, one semantic point per test, each written from the CRD descriptions (test/fixtures/crds/), and the
 * precedence tables: which tier decides a connection.
 */
import { analyze } from '../../src/analysis';
import { ALL_NAMESPACES, anp, banp, cnp, deploy, inNamespaces, netpol, pod, podsWith, reach } from './helpers';

const ALL = 'All Connections';
const NONE = 'No Connections';
const CLIENT = 'shop/client[Pod]';
const WEB = 'shop/web[Pod]';

/** A client and a web pod in `shop`, plus the policies. */
function shop(...policies: object[]) {
  return reach([
    pod('shop', 'client', { app: 'client' }),
    pod('shop', 'web', { app: 'web' }, [{ containerPort: 80, name: 'http' }, { containerPort: 53, name: 'dns', protocol: 'UDP' }]),
    ...policies,
  ]);
}
const webSubject = podsWith({ app: 'web' });
const clientSubject = podsWith({ app: 'client' });
const fromClient = [podsWith({ app: 'client' })];
const toWeb = [podsWith({ app: 'web' })];
/** A NetworkPolicy isolating web for ingress and admitting `from` (none: admits nothing). */
const npWeb = (ingress: object[]) => netpol('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress });

describe('precedence: which tier decides (ingress to web)', () => {
  // Admin tier (ANP): none, Allow, Deny or Pass from client; NetworkPolicy tier: none, isolates and admits client,
  // isolates and admits nobody; Baseline tier (BANP): none, Allow, Deny from client.
  const admin = {
    none: [],
    Allow: [anp('a', 10, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] })],
    Deny: [anp('a', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] })],
    Pass: [anp('a', 10, webSubject, { ingress: [{ action: 'Pass', from: fromClient }] })],
  };
  const np = { none: [], allows: [npWeb([{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }])], denies: [npWeb([])] };
  const baseline = {
    none: [],
    Allow: [banp(webSubject, { ingress: [{ action: 'Allow', from: fromClient }] })],
    Deny: [banp(webSubject, { ingress: [{ action: 'Deny', from: fromClient }] })],
  };
  // The CRDs: Admin Allow/Deny are final ("even if it would otherwise have been denied by NetworkPolicy"); Pass
  // goes "to any NetworkPolicies that select the pod. If the pod is not selected by any NetworkPolicies then
  // execution is passed to any BaselineAdminNetworkPolicies"; "v1.NetworkPolicy always makes a final decision for
  // selected pods"; otherwise the Baseline tier; otherwise "all pods can communicate with each other".
  const table: Array<[keyof typeof admin, keyof typeof np, keyof typeof baseline, string]> = [
    ['none', 'none', 'none', ALL], ['none', 'none', 'Allow', ALL], ['none', 'none', 'Deny', NONE],
    ['none', 'allows', 'none', ALL], ['none', 'allows', 'Allow', ALL], ['none', 'allows', 'Deny', ALL],
    ['none', 'denies', 'none', NONE], ['none', 'denies', 'Allow', NONE], ['none', 'denies', 'Deny', NONE],
    ['Allow', 'none', 'none', ALL], ['Allow', 'none', 'Allow', ALL], ['Allow', 'none', 'Deny', ALL],
    ['Allow', 'allows', 'none', ALL], ['Allow', 'allows', 'Allow', ALL], ['Allow', 'allows', 'Deny', ALL],
    ['Allow', 'denies', 'none', ALL], ['Allow', 'denies', 'Allow', ALL], ['Allow', 'denies', 'Deny', ALL],
    ['Deny', 'none', 'none', NONE], ['Deny', 'none', 'Allow', NONE], ['Deny', 'none', 'Deny', NONE],
    ['Deny', 'allows', 'none', NONE], ['Deny', 'allows', 'Allow', NONE], ['Deny', 'allows', 'Deny', NONE],
    ['Deny', 'denies', 'none', NONE], ['Deny', 'denies', 'Allow', NONE], ['Deny', 'denies', 'Deny', NONE],
    ['Pass', 'none', 'none', ALL], ['Pass', 'none', 'Allow', ALL], ['Pass', 'none', 'Deny', NONE],
    ['Pass', 'allows', 'none', ALL], ['Pass', 'allows', 'Allow', ALL], ['Pass', 'allows', 'Deny', ALL],
    ['Pass', 'denies', 'none', NONE], ['Pass', 'denies', 'Allow', NONE], ['Pass', 'denies', 'Deny', NONE],
  ];
  test.each(table)('admin %s, NetworkPolicy %s, baseline %s: %s', (a, n, b, want) => {
    const { c } = shop(...admin[a], ...np[n], ...baseline[b]);
    expect(c(CLIENT, WEB)).toBe(want);
  });

  test('the same table holds for ClusterNetworkPolicy (Accept, tier Admin and tier Baseline)', () => {
    const admins = { Accept: ALL, Deny: NONE, Pass: ALL };
    for (const [action, want] of Object.entries(admins)) {
      const { c } = shop(cnp('a', 'Admin', 10, webSubject, { ingress: [{ action, from: fromClient }] }), cnp('b', 'Baseline', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }), ...np.allows);
      expect(`${action}: ${c(CLIENT, WEB)}`).toBe(`${action}: ${want}`);
    }
    expect(shop(cnp('b', 'Baseline', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] })).c(CLIENT, WEB)).toBe(NONE);
    expect(shop(cnp('b', 'Baseline', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }), ...np.allows).c(CLIENT, WEB)).toBe(ALL);
  });

  test('Baseline Deny is overridden by any NetworkPolicy that selects the pod, even one about something else', () => {
    // GIVEN a baseline that denies client -> web, and a NetworkPolicy isolating web for ingress that admits a third pod
    const { c } = reach([
      pod('shop', 'client', { app: 'client' }), pod('shop', 'web', { app: 'web' }), pod('shop', 'monitor', { app: 'monitor' }),
      banp(webSubject, { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }),
      npWeb([{ from: [{ podSelector: { matchLabels: { app: 'monitor' } } }] }]),
    ]);
    // THEN the NetworkPolicy decides for web: monitor allowed, client denied (by the NetworkPolicy, not the baseline)
    expect(c('shop/monitor[Pod]', WEB)).toBe(ALL);
    expect(c(CLIENT, WEB)).toBe(NONE);
  });

  test('a NetworkPolicy for ingress does not take the egress side: the baseline still decides egress', () => {
    const { c } = shop(
      banp(webSubject, { egress: [{ action: 'Deny', to: fromClient }] }),
      npWeb([{}]),
    );
    expect(c(WEB, CLIENT)).toBe(NONE);
  });
});

describe('the Admin tier', () => {
  test('lower priority values are evaluated first ("Policies with lower priority values have higher precedence")', () => {
    const deny = (p: number) => anp('deny', p, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] });
    const allow = (p: number) => anp('allow', p, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] });
    expect(shop(deny(10), allow(20)).c(CLIENT, WEB)).toBe(NONE);
    expect(shop(deny(20), allow(10)).c(CLIENT, WEB)).toBe(ALL);
    expect(shop(deny(1000), allow(0), npWeb([])).c(CLIENT, WEB)).toBe(ALL);
  });

  test('within a policy, "a rule that appears at the top [...] would take the highest precedence"', () => {
    const rules = (first: string, second: string) => anp('a', 10, webSubject, { ingress: [{ action: first, from: fromClient }, { action: second, from: fromClient }] });
    expect(shop(rules('Deny', 'Allow')).c(CLIENT, WEB)).toBe(NONE);
    expect(shop(rules('Allow', 'Deny')).c(CLIENT, WEB)).toBe(ALL);
  });

  test('AdminNetworkPolicies and Admin-tier ClusterNetworkPolicies share one priority scale', () => {
    const { c } = shop(
      anp('z-allow', 20, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] }),
      cnp('a-deny', 'Admin', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }),
    );
    expect(c(CLIENT, WEB)).toBe(NONE);
    const swapped = shop(
      anp('z-allow', 5, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] }),
      cnp('a-deny', 'Admin', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }),
    );
    expect(swapped.c(CLIENT, WEB)).toBe(ALL);
  });

  test('same priority: the analysis takes the policies by name (the API leaves the order to the plugin, with a warning)', () => {
    const { c, r } = shop(
      anp('b-allow', 10, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] }),
      anp('a-deny', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }),
    );
    expect(c(CLIENT, WEB)).toBe(NONE);
    expect(r.model.warnings.map((w) => w.message).join('\n')).toContain('has the same priority as AdminNetworkPolicy a-deny');
  });

  test('Pass skips the rest of the Admin tier, other policies included ("skip any remaining ANP rules")', () => {
    const { c } = shop(
      anp('pass', 10, webSubject, { ingress: [{ action: 'Pass', from: fromClient }, { action: 'Allow', from: fromClient }] }),
      anp('deny', 20, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }),
      npWeb([]),
    );
    // Neither the Allow below the Pass nor the later Deny applies: the NetworkPolicy decides (it admits nothing).
    expect(c(CLIENT, WEB)).toBe(NONE);
  });

  test('a rule decides per port: the connections it does not cover go on to the next rule', () => {
    const { c } = shop(
      anp('a', 10, webSubject, {
        ingress: [
          { action: 'Deny', from: fromClient, ports: [{ portNumber: { port: 80 } }] },
          { action: 'Pass', from: fromClient, ports: [{ portRange: { start: 8000, end: 8999 } }] },
          { action: 'Allow', from: fromClient, ports: [{ portNumber: { port: 53, protocol: 'UDP' } }] },
          { action: 'Deny', from: [ALL_NAMESPACES] },
        ],
      }),
      npWeb([{ ports: [{ port: 8080 }, { port: 80 }] }]),
    );
    // 80 denied by the Admin tier although the NetworkPolicy admits it; 8000-8999 passed, of which the
    // NetworkPolicy admits 8080; UDP 53 allowed; everything else denied by the last rule.
    expect(c(CLIENT, WEB)).toBe('TCP 8080,UDP 53');
  });

  test('Admin Allow overrides a NetworkPolicy that denies ("even if it would otherwise have been denied by NetworkPolicy")', () => {
    const { c } = shop(anp('a', 10, webSubject, { ingress: [{ action: 'Allow', from: fromClient, ports: [{ portNumber: { port: 80 } }] }] }), npWeb([]));
    expect(c(CLIENT, WEB)).toBe('TCP 80');
  });

  test('a policy applies only to the pods its subject selects', () => {
    const { c } = shop(anp('a', 10, podsWith({ app: 'other' }), { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }));
    expect(c(CLIENT, WEB)).toBe(ALL);
  });

  test('"ANPs with no ingress rules do not affect ingress traffic" (and likewise for egress)', () => {
    const { c } = shop(anp('a', 10, webSubject, { egress: [{ action: 'Deny', to: [ALL_NAMESPACES] }] }));
    expect(c(CLIENT, WEB)).toBe(ALL);
    expect(c(WEB, CLIENT)).toBe(NONE);
  });
});

describe('both sides', () => {
  test('a connection needs egress allowed at the source and ingress at the destination', () => {
    const egressDeny = anp('e', 10, clientSubject, { egress: [{ action: 'Deny', to: toWeb }] });
    const ingressAllow = anp('i', 10, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] });
    expect(shop(egressDeny, ingressAllow).c(CLIENT, WEB)).toBe(NONE);
    const egressAllow = anp('e', 10, clientSubject, { egress: [{ action: 'Allow', to: toWeb }] });
    const ingressDeny = anp('i', 10, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] });
    expect(shop(egressAllow, ingressDeny).c(CLIENT, WEB)).toBe(NONE);
    expect(shop(egressAllow, ingressAllow).c(CLIENT, WEB)).toBe(ALL);
  });

  test('CNP Accept on egress: "No further egress ClusterNetworkPolicy or NetworkPolicy rules will be processed but any ingress rules at the destination do apply"', () => {
    const accept = cnp('a', 'Admin', 10, clientSubject, { egress: [{ action: 'Accept', to: toWeb }] });
    const clientEgressIsolated = netpol('shop', 'client', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'] });
    expect(shop(accept, clientEgressIsolated).c(CLIENT, WEB)).toBe(ALL);
    expect(shop(accept, clientEgressIsolated, npWeb([])).c(CLIENT, WEB)).toBe(NONE);
  });

  test('the tiers of the two sides are independent: an Admin Deny at the source, whatever the destination allows', () => {
    const { c } = shop(
      anp('deny-egress', 50, clientSubject, { egress: [{ action: 'Deny', to: [ALL_NAMESPACES], ports: [{ portNumber: { port: 80 } }] }] }),
      anp('allow-ingress', 0, webSubject, { ingress: [{ action: 'Allow', from: fromClient }] }),
    );
    expect(c(CLIENT, WEB)).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  });
});

describe('the Baseline tier', () => {
  test('Baseline-tier ClusterNetworkPolicies by priority, then the BaselineAdminNetworkPolicy', () => {
    const { c } = shop(
      banp(webSubject, { ingress: [{ action: 'Allow', from: fromClient }] }),
      cnp('z', 'Baseline', 900, webSubject, { ingress: [{ action: 'Deny', from: fromClient, protocols: [{ tcp: { destinationPort: { number: 80 } } }] }] }),
      cnp('y', 'Baseline', 100, webSubject, { ingress: [{ action: 'Accept', from: fromClient, protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 81 } } } }] }] }),
    );
    // y (100) accepts 80-81 first; z (900) denies 80 (already decided); the BANP allows the rest.
    expect(c(CLIENT, WEB)).toBe(ALL);
    const noBanp = shop(
      cnp('z', 'Baseline', 900, webSubject, { ingress: [{ action: 'Deny', from: fromClient }] }),
      cnp('y', 'Baseline', 100, webSubject, { ingress: [{ action: 'Accept', from: fromClient, protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 81 } } } }] }] }),
    );
    expect(noBanp.c(CLIENT, WEB)).toBe('TCP 80-81');
  });

  test('a Baseline-tier Pass hands the connection to the default, which allows it', () => {
    const { c } = shop(
      cnp('p', 'Baseline', 10, webSubject, { ingress: [{ action: 'Pass', from: fromClient, protocols: [{ tcp: { destinationPort: { number: 80 } } }] }] }),
      cnp('d', 'Baseline', 20, webSubject, { ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }] }),
    );
    expect(c(CLIENT, WEB)).toBe('TCP 80');
  });

  test('an Admin Pass reaches the Baseline tier for a pod that no NetworkPolicy selects', () => {
    const { c } = shop(
      anp('a', 10, webSubject, { ingress: [{ action: 'Pass', from: fromClient }] }),
      banp(webSubject, { ingress: [{ action: 'Deny', from: fromClient, ports: [{ portNumber: { port: 80 } }] }] }),
    );
    expect(c(CLIENT, WEB)).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  });
});

describe('the package\'s per-tenant Admin policy and its baseline', () => {
  const tenant = (t: string) => cnp(`tenant-${t}`, 'Admin', 50, inNamespaces(t), {
    ingress: [{ name: 'pass-own', action: 'Pass', from: [inNamespaces(t)] }, { name: 'deny-others', action: 'Deny', from: [ALL_NAMESPACES] }],
  });
  const objects = [
    deploy('a', 'web', { app: 'web' }), deploy('b', 'web', { app: 'web' }), deploy('a', 'api', { app: 'api' }),
    tenant('a'), tenant('b'),
    // A NetworkPolicy in b that admits everyone: the Admin tier still denies other tenants.
    netpol('b', 'allow-all', { podSelector: {}, ingress: [{}] }),
  ];

  test('a tenant protected at the Admin tier stays protected whatever NetworkPolicies appear in its namespaces', () => {
    const r = analyze(objects);
    expect(r.between('a/web[Deployment]', 'b/web[Deployment]').toString()).toBe(NONE);
    expect(r.between('b/web[Deployment]', 'a/web[Deployment]').toString()).toBe(NONE);
    expect(r.between('a/api[Deployment]', 'a/web[Deployment]').toString()).toBe(ALL);
    // External sources are not pods: the namespaces peer does not match them; the NetworkPolicy admits them.
    expect(r.between('8.8.8.8', 'b/web[Deployment]').toString()).toBe(ALL);
  });
});
