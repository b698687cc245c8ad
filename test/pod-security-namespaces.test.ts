import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IsolatedTenant, PodSecurityLevel } from '../src';
import { find, newChart, synth } from './support/util';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/**
 * The Pod Security level of a tenant is chosen (or checked) over every workload of its
 * namespaces, whatever construct made it and wherever it sits in the construct tree.
 */
describe('Pod Security over every workload of the tenant\'s namespaces', () => {
  test('a cdk8s-plus Deployment in the tenant: the level is the strictest its default pod spec passes (baseline)', () => {
    // GIVEN a tenant and a cdk8s-plus Deployment with its defaults (no seccomp profile, no capability dropped)
    const chart = newChart();
    const tenant = new IsolatedTenant(chart, 'customer1');
    new kplus.Deployment(tenant, 'web', { containers: [{ image: 'nginxinc/nginx-unprivileged', portNumber: 8080 }] });
    // WHEN
    const objects = synth(chart);
    // THEN its pods would be refused under restricted, so the namespace enforces baseline
    expect(find(objects, 'Namespace', 'customer1').metadata.labels[ENFORCE]).toBe('baseline');
    expect(tenant.podSecurity.level).toBe(PodSecurityLevel.BASELINE);
  });

  test('hardened, the same Deployment passes restricted', () => {
    const chart = newChart();
    const tenant = new IsolatedTenant(chart, 'customer1');
    const web = new kplus.Deployment(tenant, 'web', { containers: [{ image: 'nginxinc/nginx-unprivileged', portNumber: 8080 }] });
    ApiObject.of(web).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    );
    expect(find(synth(chart), 'Namespace', 'customer1').metadata.labels[ENFORCE]).toBe('restricted');
  });

  test('an explicit restricted level that a cdk8s-plus workload violates fails synth, naming its construct path and the fields', () => {
    // GIVEN
    const chart = newChart();
    const tenant = new IsolatedTenant(chart, 'customer1', { podSecurity: { level: PodSecurityLevel.RESTRICTED } });
    new kplus.Deployment(tenant, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginxinc/nginx-unprivileged', portNumber: 8080 }] });
    // THEN
    expect(() => synth(chart)).toThrow('Validation failed with the following errors:\n  '
      + '[test/customer1/PodSecurity] Deployment "web" (test/customer1/web/Resource) of tenant "customer1" violates Pod Security level "restricted": '
      + 'seccompProfile (pod or container "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"); '
      + 'unrestricted capabilities (container "main" must set securityContext.capabilities.drop=["ALL"]). '
      + 'Set the fields named above (cdk8s-plus has no setting for a seccomp profile nor for dropping ALL capabilities: add them with ApiObject.of(workload).addJsonPatch(JsonPatch.add(...))), '
      + 'or choose level: PodSecurityLevel.BASELINE instead.');
  });

  test('a raw object outside the tenant\'s construct scope, in one of its namespaces, counts', () => {
    // GIVEN a tenant with two namespaces, and a privileged Pod created in the chart, in the second
    const chart = newChart();
    new IsolatedTenant(chart, 'customer1', { extraNamespaces: ['customer1-data'], podSecurity: { level: PodSecurityLevel.BASELINE } });
    new ApiObject(chart, 'debug', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'customer1-data' },
      spec: { containers: [{ name: 'sh', image: 'busybox', securityContext: { privileged: true } }] },
    });
    // THEN
    expect(() => synth(chart)).toThrow('[test/customer1/PodSecurity] Pod "debug" (test/debug) of tenant "customer1" violates Pod Security level "baseline": '
      + 'privileged (container "sh" must not set securityContext.privileged=true). '
      + 'Remove the privileged settings from its pod spec, or choose level: PodSecurityLevel.PRIVILEGED instead.');
  });

  test('a workload under the tenant\'s construct scope but in another namespace does not count', () => {
    // GIVEN a tenant, and under it a cdk8s-plus Deployment that names another namespace
    const chart = newChart();
    const tenant = new IsolatedTenant(chart, 'customer1');
    new kplus.Deployment(tenant, 'elsewhere', { metadata: { namespace: 'shared' }, containers: [{ image: 'nginx' }] });
    // THEN the tenant's namespace has no pod that fails restricted
    expect(find(synth(chart), 'Namespace', 'customer1').metadata.labels[ENFORCE]).toBe('restricted');
    expect(tenant.podSecurity.level).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('a cdk8s-plus workload of another tenant\'s construct scope, placed in this tenant\'s namespace, counts for this one', () => {
    const chart = newChart();
    const a = new IsolatedTenant(chart, 'a');
    const b = new IsolatedTenant(chart, 'b');
    new kplus.Deployment(a, 'web', { metadata: { namespace: 'b' }, containers: [{ image: 'nginx' }] });
    const objects = synth(chart);
    expect(find(objects, 'Namespace', 'a').metadata.labels[ENFORCE]).toBe('restricted');
    expect(find(objects, 'Namespace', 'b').metadata.labels[ENFORCE]).toBe('baseline');
    expect([a.podSecurity.level, b.podSecurity.level]).toEqual([PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE]);
  });
});
