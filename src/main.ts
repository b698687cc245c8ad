/**
 * The example app, synthesized into dist/ by `npm run synth`:
 * - scenario 1: tenants customer1 and customer2, namespace isolation;
 * - scenario 2: shop, isolation inside a namespace (webapp -> database on TCP 5000 only);
 * - acme: a complete tenant using every option (several namespaces, egress isolation, ingress
 *   controller and external clients, a cross-tenant grant, quota, owners, restricted Pod
 *   Security, Argo CD);
 * - what keeps every tenant isolated whatever its owners do: admin-tier isolation for every
 *   tenant, the owners' role without NetworkPolicy writes, the admission policies that protect
 *   the managed objects, the platform's Argo CD application, and the cluster-wide baseline.
 */
import { Chart } from 'cdk8s';
import {
  ClusterBaseline, DbWebappLink, IsolatedTenant, OWNER_ROLE_NAME, OwnerRole, PlatformArgoCd, PodSecurityLevel, Port, ServiceType,
  TenancyApp, TenancySettingsProps, TenantIsolation, TenantProtection,
} from './index';

/** The Git repository Argo CD syncs `dist/` from, in the example. */
export const EXAMPLE_REPO = 'https://git.example.com/platform/tenants.git';

/**
 * The example app's settings (`TenancyApp` props): the ingress controller that acme admits runs
 * in `ingress-nginx`, and Argo CD in `argocd`, which are the platform's, so no tenant may take
 * them. The pod networks are not declared: the defaults (10/8, 172.16/12, 192.168/16, 100.64/10)
 * are assumed.
 */
export const EXAMPLE_SETTINGS: TenancySettingsProps = { platformNamespaces: ['argocd', 'ingress-nginx'] };

/** Builds the example app into the given app, created with `EXAMPLE_SETTINGS` (tests call this too). */
export function buildExampleApp(app: TenancyApp): void {
  const chart = new Chart(app, 'tenancy');

  // Scenario 1: namespace isolation. Each customer is a namespace with nginx behind a NodePort
  // Service; only pods of the same namespace can reach it (policy deny-from-other-namespaces).
  const customers = ['customer1', 'customer2'].map((name) => {
    const tenant = new IsolatedTenant(chart, name, { adminIsolation: {} });
    tenant.addWorkload('nginx', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT });
    return tenant;
  });

  // Scenario 2: isolation inside a namespace. Nothing reaches anything (deny-communication),
  // except webapp -> database on TCP 5000 (db-webapp).
  const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD, adminIsolation: {} });
  const webapp = shop.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
  const database = shop.addWorkload('database', {
    // A stand-in database that listens on 5000 with a stock image.
    image: 'python:3.12-alpine',
    command: ['python', '-m', 'http.server', '5000'],
    port: 5000,
    selectorLabels: { app: 'database' },
  });
  new DbWebappLink(shop, 'db-webapp', { webapp, database, port: Port.tcp(5000) });

  // A complete tenant: two namespaces, egress isolated (DNS and HTTPS to the internet only),
  // reached by the ingress controller and by an office network, with a quota, owners,
  // restricted Pod Security and an Argo CD project and application of its own.
  const acme = new IsolatedTenant(chart, 'acme', {
    extraNamespaces: ['acme-data'],
    egress: { allowInternet: true, internetPorts: [Port.HTTPS] },
    allowIngressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [Port.tcp(8080)] },
    allowExternal: { cidrs: ['203.0.113.0/24'], ports: [Port.tcp(8080)] },
    quota: { pods: 10, loadBalancers: 0, nodePorts: 0 },
    owners: { groups: ['acme-admins'], viewerGroups: ['acme-auditors'], clusterRole: OWNER_ROLE_NAME },
    podSecurity: { level: PodSecurityLevel.RESTRICTED },
    argoCd: { repoURL: EXAMPLE_REPO, targetRevision: 'main', autoSync: true },
    adminIsolation: {},
  });
  const unprivileged = { image: 'nginxinc/nginx-unprivileged:1.27', port: 8080, portName: 'http', runAsNonRoot: true };
  const web = acme.addWorkload('web', { ...unprivileged, replicas: 2 });
  acme.addWorkload('api', unprivileged, 'acme-data');
  // customer1's nginx may call acme's web front end (and nothing else of acme) on 8080.
  web.allowFrom(customers[0].workloads[0], Port.tcp(8080));

  // What owners cannot undo: the owners' role (admin without NetworkPolicy writes), the admission
  // policies that protect what the platform wrote, the platform's Argo CD application (Namespaces
  // and cluster-wide objects, before the tenants' applications), and the safety net below every
  // tenant's policies.
  new OwnerRole(chart, 'owner-role');
  new TenantProtection(chart, 'protection');
  new PlatformArgoCd(chart, 'argocd', { repoURL: EXAMPLE_REPO, targetRevision: 'main', autoSync: true });
  new ClusterBaseline(chart, 'baseline');
}

if (require.main === module) {
  const app = new TenancyApp(EXAMPLE_SETTINGS);
  buildExampleApp(app);
  app.synth();
}
