import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DbWebappLink, GRANTS_ANNOTATION, IsolatedTenant, Port, TenantIsolation } from '../src';
import { find, newChart, synth } from './support/util';

const ADDR = 'cdk8s.io/metadata.addr';
const nsSelector = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

describe('cdk8s-plus workloads as peers', () => {
  let chart: Chart;
  let acme: IsolatedTenant;
  let customer1: IsolatedTenant;
  beforeEach(() => {
    chart = newChart();
    acme = new IsolatedTenant(chart, 'acme');
    customer1 = new IsolatedTenant(chart, 'customer1', { egress: {} });
  });

  test('tenant.allowFrom(deployment): its selector and namespace, the grant, and its egress side', () => {
    // GIVEN a cdk8s-plus Deployment of customer1, which isolates egress
    const client = new kplus.Deployment(customer1, 'client', { containers: [{ image: 'curlimages/curl' }] });
    // WHEN acme admits it
    acme.allowFrom(client, Port.tcp(8080));
    // THEN
    const objects = synth(chart);
    const address = { [ADDR]: 'test-customer1-client-c8623013' };
    expect(find(objects, 'NetworkPolicy', 'allow-from-customer1-client', 'acme').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: nsSelector('customer1'), podSelector: { matchLabels: address } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(JSON.parse(find(objects, 'Namespace', 'acme').metadata.annotations[GRANTS_ANNOTATION]))
      .toEqual([{ from: { namespace: 'customer1', podLabels: address }, ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(find(objects, 'NetworkPolicy', 'allow-client-to-acme', 'customer1').spec).toEqual({
      podSelector: { matchLabels: address },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: nsSelector('acme') }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    // the Deployment itself went into its tenant's namespace
    expect(objects.find((o) => o.kind === 'Deployment').metadata.namespace).toBe('customer1');
  });

  test('the selector is read at synth: labels selected after the grant are honoured', () => {
    // GIVEN a Deployment that selects nothing yet
    const client = new kplus.Deployment(customer1, 'client', { select: false, containers: [{ image: 'curlimages/curl' }] });
    // WHEN acme admits it, and its selector is set afterwards
    acme.allowFrom(client);
    client.select(kplus.LabelSelector.of({ labels: { app: 'client' } }));
    client.podMetadata.addLabel('app', 'client');
    // THEN the policy, the grant and the egress side use the selector as it is at synth
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-from-customer1-client', 'acme').spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { app: 'client' } });
    expect(JSON.parse(find(objects, 'Namespace', 'acme').metadata.annotations[GRANTS_ANNOTATION])).toEqual([{ from: { namespace: 'customer1', podLabels: { app: 'client' } } }]);
    expect(find(objects, 'NetworkPolicy', 'allow-client-to-acme', 'customer1').spec.podSelector).toEqual({ matchLabels: { app: 'client' } });
  });

  test('allowTo(workload): the egress policy and the egress grant read the selector at synth too', () => {
    // GIVEN customer1 (egress isolated) allowed to reach a Deployment of acme whose selector is completed later
    const web = new kplus.Deployment(acme, 'web', { select: false, containers: [{ image: 'nginx', portNumber: 8080 }] });
    customer1.allowTo(web, Port.tcp(8080));
    web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    web.podMetadata.addLabel('app', 'web');
    // THEN
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-to-web', 'customer1').spec.egress)
      .toEqual([{ to: [{ namespaceSelector: nsSelector('acme'), podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(JSON.parse(find(objects, 'Namespace', 'customer1').metadata.annotations['tenancy.cdk8s.io/egress-grants']))
      .toContainEqual({ to: { namespace: 'acme', podLabels: { app: 'web' } }, ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test('a workload without selector labels fails synth, naming it and the fix', () => {
    const client = new kplus.Deployment(customer1, 'client', { select: false, containers: [{ image: 'curlimages/curl' }] });
    acme.allowFrom(client);
    expect(() => synth(chart)).toThrow('Validation failed with the following errors:\n  [test/customer1/client] cdk8s-plus Deployment has no selector labels (created with select: false, and nothing selected since), so its pods cannot be named in a policy. Select them by label, e.g. deployment.select(kplus.LabelSelector.of({ labels: { app: \'client\' } })), with the same label in podMetadata.');
  });

  test('a workload that selects labels its pods do not carry is refused', () => {
    const client = new kplus.Deployment(customer1, 'client', { containers: [{ image: 'curlimages/curl' }] });
    client.select(kplus.LabelSelector.of({ labels: { app: 'client' } }));
    acme.allowFrom(client);
    expect(() => synth(chart)).toThrow('[test/customer1/client] cdk8s-plus Deployment selects app=client, which its pods do not carry (Kubernetes refuses such a Deployment, and a policy would select none of its pods). Add it to its pods: podMetadata.addLabel(\'app\', \'client\').');
  });

  test('a workload that also selects with expressions is refused: a grant by its labels alone would admit more', () => {
    const client = new kplus.Deployment(customer1, 'client', { containers: [{ image: 'curlimages/curl' }] });
    client.select(kplus.LabelSelector.of({ expressions: [kplus.LabelExpression.in('tier', ['front', 'edge'])] }));
    acme.allowFrom(client);
    expect(() => synth(chart)).toThrow('[test/customer1/client] cdk8s-plus Deployment selects its pods with expressions (tier In (front, edge)), which a grant cannot carry: a peer with its labels alone would admit more pods than the workload\'s. Select its pods by labels only.');
  });

  test.each([
    ['StatefulSet', (s: Chart | IsolatedTenant) => new kplus.StatefulSet(s, 'peer', { containers: [{ image: 'redis', portNumber: 6379 }] }), 'test-customer1-peer-c84000b0'],
    ['DaemonSet', (s: Chart | IsolatedTenant) => new kplus.DaemonSet(s, 'peer', { containers: [{ image: 'fluent-bit' }] }), 'test-customer1-peer-c84000b0'],
    ['Job', (s: Chart | IsolatedTenant) => new kplus.Job(s, 'peer', { containers: [{ image: 'busybox' }] }), 'test-customer1-peer-c84000b0'],
    ['CronJob', (s: Chart | IsolatedTenant) => new kplus.CronJob(s, 'peer', { schedule: Cron.daily(), containers: [{ image: 'busybox' }] }), 'test-customer1-peer-c84000b0'],
    ['Pod', (s: Chart | IsolatedTenant) => new kplus.Pod(s, 'peer', { containers: [{ image: 'busybox' }] }), 'test-customer1-peer-c84000b0'],
  ])('a %s is a peer by the address label of its pods', (kind, make, address) => {
    // GIVEN a cdk8s-plus object of that kind in customer1
    const peer = make(customer1);
    // WHEN acme admits it
    acme.allowFrom(peer as any, Port.tcp(443));
    // THEN the policy names its pods, which carry that label
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-from-customer1-peer', 'acme').spec.ingress[0].from)
      .toEqual([{ namespaceSelector: nsSelector('customer1'), podSelector: { matchLabels: { [ADDR]: address } } }]);
    const obj = objects.find((o) => o.kind === kind);
    const template = kind === 'Pod' ? obj : kind === 'CronJob' ? obj.spec.jobTemplate.spec.template : obj.spec.template;
    expect(template.metadata.labels[ADDR]).toBe(address);
    expect(obj.metadata.namespace).toBe('customer1');
  });

  test('workload.allowFrom and allowTo take cdk8s-plus workloads; an explicit metadata.name names the policies', () => {
    // GIVEN a Workload of acme and a cdk8s-plus Deployment named "client" of customer1
    const web = acme.addWorkload('web', { image: 'nginx', port: 80 });
    const client = new kplus.Deployment(customer1, 'Client', { metadata: { name: 'client' }, containers: [{ image: 'curlimages/curl' }] });
    // WHEN
    web.allowFrom(client, Port.tcp(80));
    customer1.allowTo(web, Port.tcp(80));
    // THEN
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-web-from-customer1-client', 'acme').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(find(objects, 'NetworkPolicy', 'allow-client-to-acme-web', 'customer1').spec.podSelector).toEqual({ matchLabels: { [ADDR]: 'test-customer1-Client-c83e1b65' } });
    expect(find(objects, 'NetworkPolicy', 'allow-to-web', 'customer1').spec.egress[0].to)
      .toEqual([{ namespaceSelector: nsSelector('acme'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }]);
  });

  test('a workload outside any tenant names its namespace; the tenant that owns it writes the egress side', () => {
    // GIVEN a Deployment created in the chart, in customer1's namespace
    const client = new kplus.Deployment(chart, 'client', { metadata: { namespace: 'customer1' }, containers: [{ image: 'curlimages/curl' }] });
    // WHEN acme admits it
    acme.allowFrom(client);
    // THEN customer1 (which isolates egress) lets it out
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'allow-client-to-acme', 'customer1').spec.podSelector).toEqual({ matchLabels: { [ADDR]: 'test-client-c8515119' } });
  });

  test('a peer in the namespace of a tenant defined after the grant, which isolates egress, fails synth', () => {
    const client = new kplus.Deployment(chart, 'client', { metadata: { namespace: 'later' }, containers: [{ image: 'curlimages/curl' }] });
    acme.allowFrom(client);
    new IsolatedTenant(chart, 'later', { egress: {} });
    expect(() => synth(chart)).toThrow('[test/acme] allowFrom(client): tenant "later" isolates egress but was defined after this grant, so its egress side was not written. Define it first.');
  });

  test('a workload without a namespace, outside any tenant, is refused', () => {
    const client = new kplus.Deployment(chart, 'client', { containers: [{ image: 'curlimages/curl' }] });
    expect(() => acme.allowFrom(client)).toThrow('[test/acme] cdk8s-plus Deployment test/client has no namespace, so it cannot be a peer. Create it under a tenant (new kplus.Deployment(tenant, \'client\', ...)), or give it metadata: { namespace: \'...\' }.');
  });

  test('other cdk8s-plus peers are refused with the package\'s equivalent', () => {
    const pods = kplus.Pods.select(chart, 'frontends', { labels: { app: 'front' } });
    expect(() => acme.allowFrom(pods as any)).toThrow('[test/acme] construct test/frontends is a cdk8s-plus peer but not a workload or a pod: of cdk8s-plus, workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob) and Pods are accepted. For pods by label use Peer.pods({...}) or Peer.namespace(\'ns\', {...}), for addresses Peer.ipv4(\'...\').');
  });
});

describe('cdk8s-plus workloads in a DbWebappLink', () => {
  test('webapp and database as cdk8s-plus workloads', () => {
    // GIVEN a tenant isolating pods, with a cdk8s-plus Deployment and StatefulSet
    const chart = newChart();
    const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    const web = new kplus.Deployment(shop, 'web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    const db = new kplus.StatefulSet(shop, 'db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    // WHEN
    const link = new DbWebappLink(shop, 'link', { webapp: web, database: db, port: Port.tcp(5432) });
    // THEN
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'db-webapp', 'shop').spec).toEqual({
      podSelector: { matchLabels: { [ADDR]: 'test-shop-db-c820e751' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { [ADDR]: 'test-shop-web-c886f3c8' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    expect(link.databaseSelector).toEqual({ [ADDR]: 'test-shop-db-c820e751' });
    expect(link.webappSelector).toEqual({ [ADDR]: 'test-shop-web-c886f3c8' });
  });

  test('labels that match no workload list the cdk8s-plus ones', () => {
    const chart = newChart();
    const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    const db = new kplus.StatefulSet(shop, 'db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    new DbWebappLink(shop, 'link', { webapp: { app: 'webap' }, database: db, port: Port.tcp(5432) });
    expect(() => synth(chart)).toThrow('[test/shop/link] webapp selector {"app":"webap"} matches no workload of tenant "shop" in namespace "shop" (workloads: test-shop-db-c812440c {"cdk8s.io/metadata.addr":"test-shop-db-c820e751"}). Fix the labels or add the workload.');
  });

  test('a cdk8s-plus workload of another namespace is refused', () => {
    const chart = newChart();
    const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    const db = new kplus.StatefulSet(shop, 'db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    const web = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'other' }, containers: [{ image: 'nginx' }] });
    expect(() => new DbWebappLink(shop, 'link', { webapp: web, database: db, port: Port.tcp(5432) }))
      .toThrow('[test/shop/link] webapp "web" is in namespace other but the link is in "shop": a DbWebappLink joins workloads of one namespace. To admit traffic from another namespace, use tenant.allowFrom(web, port).');
  });
});

describe('cdk8s-plus network constructs between tenants', () => {
  function twoTenants(explicitNamespaces: boolean) {
    const chart = newChart();
    const acme = new IsolatedTenant(chart, 'acme');
    const customer1 = new IsolatedTenant(chart, 'customer1');
    const ns = (n: string) => (explicitNamespaces ? { metadata: { namespace: n } } : {});
    const web = new kplus.Deployment(acme, 'web', { ...ns('acme'), containers: [{ image: 'nginx', portNumber: 8080 }] });
    const client = new kplus.Deployment(customer1, 'client', { ...ns('customer1'), containers: [{ image: 'curlimages/curl' }] });
    return { chart, acme, customer1, web, client };
  }

  test('connections.allowFrom across tenants is refused by the guard, which says how to declare it', () => {
    // GIVEN cdk8s-plus connections between workloads of two tenants
    const { chart, web, client } = twoTenants(true);
    // WHEN
    web.connections.allowFrom(client);
    // THEN
    expect(() => synth(chart)).toThrow('Validation failed with the following errors:\n  [] [test/acme/web/AllowIngressc86230136082237b8373e8241529d28c355567e7f8/Resource] isolation guard: test.k8s.yaml (document 3, 0-based): acme/allowingressc86230136082237b8373e8241529d28c3-c8d1e636 ingress[0] from[0]: admits pods matching cdk8s.io/metadata.addr=test-customer1-client-c8623013 of namespace customer1 on TCP 8080 without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)');
  });

  test('…and accepted once the tenant declares the grant', () => {
    const { chart, acme, web, client } = twoTenants(true);
    web.connections.allowFrom(client);
    acme.allowFrom(client, Port.tcp(8080));
    const objects = synth(chart);
    // cdk8s-plus wrote both sides: ingress in acme, egress in customer1
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('allow')).map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'acme/allow-from-customer1-client',
      'acme/allowingressc86230136082237b8373e8241529d28c3-c8d1e636',
      'customer1/allowegresscustomer1c86230136082237b8373e8241-c8154322',
    ]);
  });

  test('a kplus.NetworkPolicy across tenants is refused the same way', () => {
    const { chart, acme, web, client } = twoTenants(true);
    new kplus.NetworkPolicy(acme, 'np', { selector: web, ingress: { rules: [{ peer: client, ports: [kplus.NetworkPolicyPort.tcp(8080)] }] } });
    expect(() => synth(chart)).toThrow('[] [test/acme/np/Resource] isolation guard: test.k8s.yaml (document 3, 0-based): acme/test-acme-np-c82a4ba1 ingress[0] from[0]: admits pods matching cdk8s.io/metadata.addr=test-customer1-client-c8623013 of namespace customer1 on TCP 8080 without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)');
  });

  test('connections made before the workloads had a namespace fail synth instead of selecting nothing', () => {
    // GIVEN workloads created under their tenants without a namespace: cdk8s-plus reads it (undefined) at once
    const { chart, acme, web, client } = twoTenants(false);
    web.connections.allowFrom(client);
    acme.allowFrom(client, Port.tcp(8080));
    // THEN
    expect(() => synth(chart)).toThrow('Validation failed with the following errors:\n'
      + '  [] [test/acme/web/AllowEgressundefinedc86230136082237b8373e8241529d28c355567e7f8/Resource] NetworkPolicy "acme/allowegressundefinedc86230136082237b8373e8241-c870790d" spec.podSelector selects the pods of test/customer1/client/Resource in namespace "acme", but they run in "customer1", so it selects nothing. cdk8s-plus read the workload\'s namespace before it was placed in its tenant\'s namespace: create the workload with metadata: { namespace: \'customer1\' }, or replace the connection by tenant.allowFrom(...), which writes both sides.\n'
      + '  [] [test/acme/web/AllowIngressc86230136082237b8373e8241529d28c355567e7f8/Resource] NetworkPolicy "acme/allowingressc86230136082237b8373e8241529d28c3-c8d1e636" ingress[0].from[0].podSelector selects the pods of test/customer1/client/Resource in namespace "acme", but they run in "customer1", so it selects nothing. cdk8s-plus read the workload\'s namespace before it was placed in its tenant\'s namespace: create the workload with metadata: { namespace: \'customer1\' }, or replace the connection by tenant.allowFrom(...), which writes both sides.');
  });

  test('connections inside a tenant need no namespace: every policy lands in the tenant\'s', () => {
    const chart = newChart();
    const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    const web = new kplus.Deployment(shop, 'web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    const db = new kplus.Deployment(shop, 'db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    db.connections.allowFrom(web);
    const objects = synth(chart);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.namespace)).toEqual(['shop', 'shop', 'shop']);
    expect(Testing.synth(chart).length).toBe(objects.length);
  });
});
