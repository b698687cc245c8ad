/**
 * Issue 10, the proof through the analyzer: with admin-tier isolation on, nothing a tenant's owner can do with
 * NetworkPolicies in the tenant's namespaces opens a flow across a tenant boundary beyond the declared grants.
 *
 * The input is the example app's committed output (`dist/`, read with the project's reader) and, in a second
 * population, probe pods besides: one in each tenant namespace (labels no policy names), the platform's ingress
 * controller (which acme admits; dist/ does not hold it) and a pod in a namespace outside every tenant that forges
 * the controller's labels. The tenant of a namespace is its Namespace's label `tenancy.cdk8s.io/tenant`.
 *
 * A boundary flow is an allowed connection between two workloads whose namespaces belong to different tenants, or
 * of which exactly one belongs to a tenant. External addresses are not part of the claim: the Admin tier denies
 * other namespaces and the pod networks, not addresses outside the cluster (README, "What `admin` lets owners do
 * to isolation").
 *
 * The claim, under every owner attack of `support/owner-attacks.ts` (one at a time and all together, in the
 * namespaces of one tenant or of all) and after deleting `deny-from-other-namespaces` (every copy, then each):
 * every boundary flow is one of the unmodified input, on the same ports, or is admitted by a grant that the
 * destination's Namespace declares (`tenancy.cdk8s.io/ingress-grants`), on the granted ports. The second part
 * is not empty: the admin tier passes a declared grant to the whole tenant on the grant's ports (`AdminIsolation`,
 * src/admin-isolation.ts: which of its pods admit it is the NetworkPolicies' choice — pod labels in its namespaces
 * are the owner's anyway), so acme's owner can let customer1's nginx, granted acme's web on TCP 8080, reach
 * every other pod of acme on TCP 8080 — and nothing more. The tests name those flows exactly.
 *
 * The control shows the proof is not vacuous: without the tenants' admin-tier ClusterNetworkPolicies, the same
 * attacks open boundary flows (named exactly where they are few).
 */
import * as path from 'path';
import { TENANT_LABEL } from '../src';
import { analyze, Connection, ConnectionSet, GRANTS_ANNOTATION, LoadedObject, loadManifests, Protocol } from '../src/analysis';
import { ownerAttacks } from './support/owner-attacks';

type Obj = Record<string, any>;
type Input = ReadonlyArray<LoadedObject | Obj>;
const body = (o: LoadedObject | Obj): Obj => ('object' in o && 'file' in o ? (o.object as Obj) : o);
const meta = (o: LoadedObject | Obj): Obj => body(o).metadata ?? {};

const DIST_OBJECTS = loadManifests([path.join(__dirname, '..', 'dist')]);
const NAMESPACES = DIST_OBJECTS.filter((o) => body(o).kind === 'Namespace').map(meta);

/** Namespace → tenant, from the Namespaces of dist/. */
const TENANT_OF = new Map<string, string>(NAMESPACES.filter((m) => typeof m.labels?.[TENANT_LABEL] === 'string').map((m) => [m.name, m.labels[TENANT_LABEL]]));
const TENANTS = [...new Set(TENANT_OF.values())].sort();
const namespacesOf = (tenant: string) => [...TENANT_OF].filter(([, t]) => t === tenant).map(([ns]) => ns).sort();

function pod(namespace: string, name: string, labels: Record<string, string>): Obj {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'main', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] },
  };
}

const PROBES: Obj[] = [
  pod('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  pod('outsider', 'forger', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  ...[...TENANT_OF.keys()].sort().map((ns) => pod(ns, 'probe', { role: 'probe' })),
];

const WITH_PROBES = [...DIST_OBJECTS, ...PROBES];

/** Which side of a tenant boundary a namespace is on: its tenant, or itself when it has none. */
const side = (ns: string) => TENANT_OF.get(ns) ?? `outside:${ns}`;

/** A boundary flow, with the pod labels of its source. */
interface Flow extends Connection {
  readonly srcLabels: Readonly<Record<string, string>>;
}

/** The boundary flows between workloads. */
function boundaryFlows(objects: Input): Flow[] {
  const r = analyze(objects);
  return r.connections.filter((c) => c.src.namespace !== undefined && c.dst.namespace !== undefined
    && side(c.src.namespace) !== side(c.dst.namespace) && (TENANT_OF.has(c.src.namespace) || TENANT_OF.has(c.dst.namespace)))
    .map((c) => ({ ...c, srcLabels: r.findWorkload(c.src.id)!.labels }));
}
const line = (c: Connection) => `${c.src.id} => ${c.dst.id} : ${c.conns.toString()}`;
const lines = (objects: Input) => boundaryFlows(objects).map(line);

/** The boundary flows of `objects` that are not flows of `base` (new pairs, or pairs on more ports). */
function opened(base: Input, objects: Input): Flow[] {
  const before = new Set(lines(base));
  return boundaryFlows(objects).filter((c) => !before.has(line(c)));
}

/**
 * Whether a grant the destination's Namespace declares admits the flow: the grant's namespace is the source's, its
 * pod labels are the source's, and the flow's ports are within the grant's (numbered ports: the example has no
 * named ones).
 */
function declared(c: Flow): boolean {
  const annotation = NAMESPACES.find((m) => m.name === c.dst.namespace)?.annotations?.[GRANTS_ANNOTATION];
  if (annotation === undefined) return false;
  let ports = ConnectionSet.NONE;
  for (const g of JSON.parse(annotation) as Array<{ from: Obj; ports?: Array<{ protocol: Protocol; port: number; endPort?: number }> }>) {
    if (g.from.namespace !== c.src.namespace) continue;
    if (!Object.entries(g.from.podLabels ?? {}).every(([k, v]) => c.srcLabels[k] === v)) continue;
    ports = ports.union(g.ports ? g.ports.reduce((s, p) => s.union(ConnectionSet.of(p.protocol, p.port, p.endPort ?? p.port)), ConnectionSet.NONE) : ConnectionSet.ALL);
  }
  return c.conns.isSubsetOf(ports);
}

/** The tenants' admin-tier ClusterNetworkPolicies. */
const isTenantAdminPolicy = (o: LoadedObject | Obj) => body(o).kind === 'ClusterNetworkPolicy' && body(o).spec?.tier === 'Admin';

const INGRESS_ATTACKS = ['ingress: [{}]', 'from: [{ namespaceSelector: {} }]'];
const ATTACK_KINDS = ownerAttacks('x').map((a) => a.what);
const attacks = (kinds: string[], tenants: string[]) =>
  tenants.flatMap(namespacesOf).flatMap((ns) => ownerAttacks(ns).filter((a) => kinds.includes(a.what)).map((a) => a.policy));

/** Every attack, and all of them, in the namespaces of one tenant, and of every tenant. */
const ATTACK_CASES: Array<[string, string, string[], string[]]> = [];
for (const kinds of [...ATTACK_KINDS.map((k) => [k]), ATTACK_KINDS]) {
  for (const tenants of [...TENANTS.map((t) => [t]), TENANTS]) {
    ATTACK_CASES.push([kinds.length === 1 ? kinds[0] : 'every attack', tenants.length === 1 ? tenants[0] : 'every tenant', kinds, tenants]);
  }
}
const EVERY_ATTACK = attacks(ATTACK_KINDS, TENANTS);

const DENY = 'deny-from-other-namespaces';
const DENY_COPIES = DIST_OBJECTS.filter((o) => body(o).kind === 'NetworkPolicy' && meta(o).name === DENY).map((o) => meta(o).namespace as string).sort();
const without = (objects: Input, namespaces: readonly string[]) =>
  objects.filter((o) => !(body(o).kind === 'NetworkPolicy' && meta(o).name === DENY && namespaces.includes(meta(o).namespace)));

/** What an ingress attack in acme's namespaces opens under admin isolation: customer1's nginx to acme's other pods, on the granted port. */
const GRANT_WIDENING: Record<string, string[]> = {
  'dist/ as written': ['customer1/nginx[Deployment] => acme-data/api[Deployment] : TCP 8080'],
  'dist/ with probe pods': [
    'customer1/nginx[Deployment] => acme-data/api[Deployment] : TCP 8080',
    'customer1/nginx[Deployment] => acme-data/probe[Pod] : TCP 8080',
    'customer1/nginx[Deployment] => acme/probe[Pod] : TCP 8080',
  ],
};

describe('the example app\'s tenants and flows', () => {
  test('the tenants, their namespaces, their admin-tier policies, and the copies of deny-from-other-namespaces', () => {
    expect([...TENANT_OF].sort()).toEqual([['acme', 'acme'], ['acme-data', 'acme'], ['customer1', 'customer1'], ['customer2', 'customer2'], ['shop', 'shop']]);
    expect(DIST_OBJECTS.filter(isTenantAdminPolicy).map((o) => meta(o).name).sort()).toEqual(['tenant-acme', 'tenant-customer1', 'tenant-customer2', 'tenant-shop']);
    expect(DENY_COPIES).toEqual(['acme', 'acme-data', 'customer1', 'customer2']);
    expect(ATTACK_KINDS).toEqual([...INGRESS_ATTACKS, 'egress: [{}]']);
    expect(ATTACK_CASES).toHaveLength(20);
  });

  test('unmodified, the boundary flows are the declared grants and the egress of the tenants that do not isolate it', () => {
    expect(lines(DIST_OBJECTS)).toEqual(['customer1/nginx[Deployment] => acme/web[Deployment] : TCP 8080']);
    const egress = (src: string) => [`${src} => ingress-nginx/controller[Pod] : All Connections`, `${src} => outsider/forger[Pod] : All Connections`];
    expect(lines(WITH_PROBES)).toEqual([
      'customer1/nginx[Deployment] => acme/web[Deployment] : TCP 8080',
      ...egress('customer1/nginx[Deployment]'), ...egress('customer1/probe[Pod]'),
      ...egress('customer2/nginx[Deployment]'), ...egress('customer2/probe[Pod]'),
      'ingress-nginx/controller[Pod] => acme-data/api[Deployment] : TCP 8080',
      'ingress-nginx/controller[Pod] => acme-data/probe[Pod] : TCP 8080',
      'ingress-nginx/controller[Pod] => acme/probe[Pod] : TCP 8080',
      'ingress-nginx/controller[Pod] => acme/web[Deployment] : TCP 8080',
      ...egress('shop/database[Deployment]'), ...egress('shop/probe[Pod]'), ...egress('shop/webapp[Deployment]'),
    ]);
  });
});

describe.each([['dist/ as written', DIST_OBJECTS], ['dist/ with probe pods', WITH_PROBES]] as Array<[string, Input]>)(
  'with admin isolation, %s: no owner attack opens a boundary flow beyond the declared grants', (population, objects) => {
    test.each(ATTACK_CASES)('%s in the namespaces of %s', (_what, _where, kinds, tenants) => {
      // GIVEN the unmodified input; WHEN the owners add the attack
      const attacked = [...objects, ...attacks(kinds, tenants)];
      const added = opened(objects, attacked);
      // THEN every flow it adds is a declared grant of the destination, on the granted ports
      expect(added.filter((c) => !declared(c)).map(line)).toEqual([]);
      const widens = tenants.includes('acme') && kinds.some((k) => INGRESS_ATTACKS.includes(k));
      expect(added.map(line)).toEqual(widens ? GRANT_WIDENING[population] : []);
    });

    test.each([['every copy', DENY_COPIES], ...DENY_COPIES.map((ns) => [ns, [ns]])] as Array<[string, string[]]>)(`deleting ${DENY}: %s`, (_which, namespaces) => {
      expect(lines(without(objects, namespaces))).toEqual(lines(objects));
    });

    test('deleting every copy of it and adding every attack everywhere', () => {
      const attacked = [...without(objects, DENY_COPIES), ...EVERY_ATTACK];
      const added = opened(objects, attacked);
      expect(added.filter((c) => !declared(c)).map(line)).toEqual([]);
      expect(added.map(line)).toEqual(GRANT_WIDENING[population]);
    });
  });

describe('with admin isolation, the declared grants still flow under every attack, on the granted port only', () => {
  const r = analyze([...without(WITH_PROBES, DENY_COPIES), ...EVERY_ATTACK]);

  test('customer1\'s nginx -> acme\'s web (web.allowFrom(customer1 nginx, TCP 8080))', () => {
    expect(r.between('customer1/nginx', 'acme/web').toString()).toBe('TCP 8080');
    // acme-data declares the same grant (grants are recorded per tenant): its api, closed before, opens on 8080 only
    expect(analyze(WITH_PROBES).between('customer1/nginx', 'acme-data/api').toString()).toBe('No Connections');
    expect(r.between('customer1/nginx', 'acme-data/api').toString()).toBe('TCP 8080');
    // customer1's other pods have no grant
    expect(r.between('customer1/probe', 'acme/web').toString()).toBe('No Connections');
  });

  test('the ingress controller -> acme\'s web and acme-data\'s api (allowIngressController, TCP 8080)', () => {
    expect(r.between('ingress-nginx/controller', 'acme/web').toString()).toBe('TCP 8080');
    expect(r.between('ingress-nginx/controller', 'acme-data/api').toString()).toBe('TCP 8080');
    // the controller's labels, forged outside ingress-nginx, admit nothing
    expect(r.between('outsider/forger', 'acme/web').toString()).toBe('No Connections');
  });

  test('the office network -> acme\'s web (allowExternal 203.0.113.0/24, TCP 8080)', () => {
    expect(r.between('203.0.113.0-203.0.113.255', 'acme/web').has('TCP', 8080)).toBe(true);
  });
});

describe('the control: without the tenants\' admin-tier policies, the same attacks open boundary flows', () => {
  const objects = WITH_PROBES.filter((o) => !isTenantAdminPolicy(o));
  const added = (attacked: Input) => opened(objects, attacked).map(line);

  test('without attacks, the NetworkPolicies alone give the same boundary flows as with the admin tier', () => {
    expect(objects).toHaveLength(WITH_PROBES.length - 4);
    expect(lines(objects)).toEqual(lines(WITH_PROBES));
  });

  test('ingress: [{}] in customer1 opens it to the other tenants and to the outsiders, on every port', () => {
    const into = (src: string) => [`${src} => customer1/nginx[Deployment] : All Connections`, `${src} => customer1/probe[Pod] : All Connections`];
    expect(added([...objects, ...attacks(['ingress: [{}]'], ['customer1'])])).toEqual([
      // (acme's pods isolate their egress: restrict-egress keeps them in)
      ...into('customer2/nginx[Deployment]'), ...into('customer2/probe[Pod]'),
      ...into('ingress-nginx/controller[Pod]'), ...into('outsider/forger[Pod]'),
      ...into('shop/database[Deployment]'), ...into('shop/probe[Pod]'), ...into('shop/webapp[Deployment]'),
    ]);
  });

  test('egress: [{}] in acme lets its pods out to the namespaces outside every tenant', () => {
    const out = (src: string) => [`${src} => ingress-nginx/controller[Pod] : All Connections`, `${src} => outsider/forger[Pod] : All Connections`];
    expect(added([...objects, ...attacks(['egress: [{}]'], ['acme'])])).toEqual([
      ...out('acme-data/api[Deployment]'), ...out('acme-data/probe[Pod]'), ...out('acme/probe[Pod]'), ...out('acme/web[Deployment]'),
    ]);
  });

  test('every attack everywhere opens every boundary pair on every port, the declared grant included', () => {
    const attacked = [...objects, ...EVERY_ATTACK];
    const ids = analyze(attacked).workloads.map((w) => w.id);
    const boundaryPairs = ids.flatMap((a) => ids.filter((b) => side(a.split('/')[0]) !== side(b.split('/')[0])
      && (TENANT_OF.has(a.split('/')[0]) || TENANT_OF.has(b.split('/')[0]))).map((b) => `${a} => ${b} : All Connections`));
    expect(boundaryPairs).toHaveLength(11 * 10 - 4 * 3 - 2 - 2 - 3 * 2 + 2 * 11 * 2); // 11 tenant pods, 2 outside
    expect(lines(attacked)).toEqual(boundaryPairs.sort());
    const got = added(attacked);
    expect(got).toContain('customer2/nginx[Deployment] => customer1/nginx[Deployment] : All Connections');
    expect(got).toContain('acme/web[Deployment] => shop/database[Deployment] : All Connections');
    expect(got).toContain('customer1/nginx[Deployment] => acme/web[Deployment] : All Connections');
  });

  test.each(ATTACK_CASES)('%s in the namespaces of %s', (what, where, kinds, tenants) => {
    // egress: [{}] changes nothing in a tenant that does not isolate egress: its pods could reach out already
    const noop = what === 'egress: [{}]' && !['acme', 'every tenant'].includes(where);
    const got = added([...objects, ...attacks(kinds, tenants)]);
    if (noop) expect(got).toEqual([]); else expect(got.length).toBeGreaterThan(0);
  });

  test.each([
    ['customer1', ['customer1']],
    ['customer2', ['customer2']],
  ])(`deleting ${DENY} in %s opens it to the namespaces outside every tenant (the baseline still denies the other tenants)`, (ns, namespaces) => {
    expect(added(without(objects, namespaces))).toEqual([
      `ingress-nginx/controller[Pod] => ${ns}/nginx[Deployment] : All Connections`, `ingress-nginx/controller[Pod] => ${ns}/probe[Pod] : All Connections`,
      `outsider/forger[Pod] => ${ns}/nginx[Deployment] : All Connections`, `outsider/forger[Pod] => ${ns}/probe[Pod] : All Connections`,
    ]);
  });

  test(`deleting ${DENY} in acme or acme-data opens nothing: acme's other ingress policies still select its pods`, () => {
    expect(added(without(objects, ['acme', 'acme-data']))).toEqual([]);
  });
});
