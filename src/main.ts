/**
 * The example app: both scenarios of the product, synthesized into dist/ by `npm run synth`.
 */
import { Chart } from 'cdk8s';
import { DbWebappLink, IsolatedTenant, Port, ServiceType, TenancyApp, TenantIsolation } from './index';

/** Builds the example app into the given app (tests call this too). */
export function buildExampleApp(app: TenancyApp): void {
  const chart = new Chart(app, 'tenancy');

  // Scenario 1: namespace isolation. Each customer is a namespace with nginx behind a NodePort
  // Service; only pods of the same namespace can reach it (policy deny-from-other-namespaces).
  for (const name of ['customer1', 'customer2']) {
    const tenant = new IsolatedTenant(chart, name);
    tenant.addWorkload('nginx', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT });
  }

  // Scenario 2: isolation inside a namespace. Nothing reaches anything (deny-communication),
  // except webapp -> database on TCP 5000 (db-webapp).
  const shop = new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
  const webapp = shop.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
  const database = shop.addWorkload('database', {
    // A stand-in database that listens on 5000 with a stock image.
    image: 'python:3.12-alpine',
    command: ['python', '-m', 'http.server', '5000'],
    port: 5000,
    selectorLabels: { app: 'database' },
  });
  new DbWebappLink(shop, 'db-webapp', { webapp, database, port: Port.tcp(5000) });
}

if (require.main === module) {
  const app = new TenancyApp();
  buildExampleApp(app);
  app.synth();
}
