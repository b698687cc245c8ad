/**
 * An example app written only with cdk8s-plus workloads and this package's tenants (no
 * `addWorkload`), for the end-to-end test.
 */
import { ApiObject, Chart, Cron, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DbWebappLink, IsolatedTenant, PodSecurityLevel, Port, TenancyApp, TenantIsolation } from '../src';

/**
 * Hardens a cdk8s-plus workload of one container for Pod Security `restricted`: the
 * `RuntimeDefault` seccomp profile and every capability dropped, which cdk8s-plus 27 has no
 * setting for (it runs as non-root without privilege escalation by default).
 */
export function restricted(workload: kplus.Deployment | kplus.StatefulSet): void {
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
  );
}

/** Builds the example into `app`. */
export function buildKplusApp(app: TenancyApp): void {
  const chart = new Chart(app, 'tenancy');

  // shop: a store front and its cache, free inside the tenant, egress isolated (DNS only).
  const shop = new IsolatedTenant(chart, 'shop', { egress: {} });
  // (named namespace: cdk8s-plus reads it when the connection to payments below is made)
  const storefront = new kplus.Deployment(shop, 'storefront', {
    metadata: { name: 'storefront', namespace: 'shop' },
    containers: [{ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080 }],
  });
  new kplus.Service(shop, 'storefront-service', {
    metadata: { name: 'storefront' },
    selector: storefront,
    ports: [{ port: 80, targetPort: 8080 }],
  });
  const cache = new kplus.StatefulSet(shop, 'cache', {
    metadata: { name: 'cache' },
    containers: [{ image: 'redis:7', portNumber: 6379 }],
  });

  new kplus.DaemonSet(shop, 'log-agent', {
    metadata: { name: 'log-agent' },
    containers: [{ image: 'fluent/fluent-bit:3.0' }],
  });
  // A raw object under the tenant, without a namespace, goes into the tenant's namespace too.
  new ApiObject(shop, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { currency: 'EUR' } });

  // payments: isolation inside the namespace; only api -> ledger on 5432; restricted Pod Security.
  const payments = new IsolatedTenant(chart, 'payments', {
    isolation: TenantIsolation.POD,
    podSecurity: { level: PodSecurityLevel.RESTRICTED },
  });
  const api = new kplus.Deployment(payments, 'api', {
    metadata: { name: 'api', namespace: 'payments' },
    containers: [{ image: 'registry.example.com/payments-api:1.0', portNumber: 8443}],
  });
  const ledger = new kplus.StatefulSet(payments, 'ledger', {
    metadata: { name: 'ledger' },
    containers: [{ image: 'registry.example.com/ledger:1.0', portNumber: 5432}],
  });
  restricted(api);
  restricted(ledger);
  new DbWebappLink(payments, 'api-ledger', { webapp: api, database: ledger, port: Port.tcp(5432) });

  // batch: a nightly job, egress isolated.
  const batch = new IsolatedTenant(chart, 'batch', { egress: {} });
  const nightly = new kplus.CronJob(batch, 'nightly', {
    metadata: { name: 'nightly' },
    schedule: Cron.daily(),
    containers: [{ image: 'registry.example.com/reports:1.0' }],
  });

  // A pod outside any tenant's construct scope, in batch's namespace: it is batch's all the same.
  new kplus.Pod(chart, 'toolbox', {
    metadata: { name: 'toolbox', namespace: 'batch' },
    containers: [{ image: 'busybox:1.36', command: ['sleep', 'infinity'] }],
  });

  // Grants between tenants, with cdk8s-plus workloads as peers.
  payments.allowFrom(storefront, Port.tcp(8443));
  // cdk8s-plus's own connection agrees with the declared grant: the guard accepts its policies.
  api.connections.allowFrom(storefront);
  payments.allowFrom(nightly, Port.tcp(5432));
  // batch may send to shop's cache, but shop never admits it: no flow.
  batch.allowTo(cache, Port.tcp(6379));
}
