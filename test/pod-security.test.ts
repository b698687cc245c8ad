import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IsolatedTenant } from '../src';
import { PodSecurity, PodSecurityLevel, PodSecurityOptions, podSecurityViolations } from '../src/tenant-extras';
import { validateObjects } from './support/schema';
import { find, newChart, synth } from './support/util';

const PSA = 'pod-security.kubernetes.io';

/** A pod spec that passes `restricted`. */
function restrictedPod(): any {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app',
      image: 'nginxinc/nginx-unprivileged',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
  };
}

function psaLabels(ns: any): Record<string, string> {
  return Object.fromEntries(Object.entries(ns.metadata.labels as Record<string, string>).filter(([k]) => k.startsWith(PSA)));
}

describe('PodSecurity', () => {
  let chart: Chart;
  let tenant: IsolatedTenant;
  /** A fresh tenant `customer1` with these Pod Security options (the tenant always has its PodSecurity). */
  function reset(podSecurity: PodSecurityOptions = {}, extraNamespaces?: string[]): PodSecurity {
    chart = newChart();
    tenant = new IsolatedTenant(chart, 'customer1', { podSecurity, extraNamespaces });
    return tenant.podSecurity;
  }
  beforeEach(() => { reset(); });

  test('restricted by default when every workload can run under it', () => {
    // GIVEN
    tenant.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
    // WHEN
    const psa = tenant.podSecurity;
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    expect(psa.level).toBe(PodSecurityLevel.RESTRICTED);
    expect(psaLabels(find(objects, 'Namespace', 'customer1'))).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
    // the tenant labels are still there
    expect(find(objects, 'Namespace', 'customer1').metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    expect(validateObjects(objects)).toEqual([]);
  });

  test('restricted by default for a tenant without workloads', () => {
    const psa = tenant.podSecurity;
    expect(psa.level).toBe(PodSecurityLevel.RESTRICTED);
    expect(psaLabels(find(synth(chart), 'Namespace', 'customer1'))[`${PSA}/enforce`]).toBe('restricted');
  });

  test('baseline by default when a workload cannot run restricted, decided at synth', () => {
    // GIVEN the tenant (and its PodSecurity) first, then a workload running as root (official nginx)
    const psa = tenant.podSecurity;
    tenant.addWorkload('nginx', { image: 'nginx', port: 80 });
    // WHEN
    const objects = synth(chart);
    // THEN
    expect(psa.level).toBe(PodSecurityLevel.BASELINE);
    expect(psaLabels(find(objects, 'Namespace', 'customer1'))).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
  });

  test('explicit levels and version', () => {
    const psa = reset({
      level: PodSecurityLevel.PRIVILEGED, audit: PodSecurityLevel.BASELINE, warn: PodSecurityLevel.BASELINE, version: 'v1.30',
    });
    tenant.addWorkload('nginx', { image: 'nginx', port: 80 });
    const objects = synth(chart);
    expect(psa.level).toBe(PodSecurityLevel.PRIVILEGED);
    expect(psaLabels(find(objects, 'Namespace', 'customer1'))).toEqual({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/audit': 'baseline',
      'pod-security.kubernetes.io/audit-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'baseline',
      'pod-security.kubernetes.io/warn-version': 'v1.30',
    });
  });

  test('labels on every namespace of the tenant', () => {
    reset({ level: PodSecurityLevel.BASELINE }, ['customer1-data']);
    const objects = synth(chart);
    expect(psaLabels(find(objects, 'Namespace', 'customer1-data'))[`${PSA}/enforce`]).toBe('baseline');
    expect(psaLabels(find(objects, 'Namespace', 'customer1'))[`${PSA}/enforce`]).toBe('baseline');
  });

  describe('bad input', () => {
    test('a Namespace added after the construct', () => {
      const late = new k8s.KubeNamespace(tenant, 'Late', { metadata: { name: 'customer1-late' } });
      Object.defineProperty(tenant, 'namespaceObjects', { get: () => [tenant.namespaceObject, late] });
      expect(() => synth(chart)).toThrow('[test/customer1/PodSecurity] Namespace "customer1-late" of tenant "customer1" has no Pod Security labels: it was added after this PodSecurity was created. Create the PodSecurity after all the tenant\'s namespaces.');
    });


    test('an explicit restricted level that a workload violates: synth error naming it, the checks and the fix', () => {
      reset({ level: PodSecurityLevel.RESTRICTED });
      tenant.addWorkload('nginx', { image: 'nginx', port: 80, runAsNonRoot: false });
      expect(() => synth(chart)).toThrow(
        '[test/customer1/PodSecurity] Deployment "nginx" (test/customer1/nginx/Deployment) of tenant "customer1" violates Pod Security level "restricted": '
        + 'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true); '
        + 'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]). '
        + 'Run it as non-root with dropped capabilities (for a Workload: runAsNonRoot: true, with an image built for it, e.g. nginxinc/nginx-unprivileged on port 8080), '
        + 'or choose level: PodSecurityLevel.BASELINE instead.',
      );
    });

    test('an explicit baseline level that a pod violates', () => {
      reset({ level: PodSecurityLevel.BASELINE });
      new k8s.KubePod(tenant, 'Debug', {
        metadata: { name: 'debug', namespace: 'customer1' },
        spec: { hostNetwork: true, containers: [{ name: 'sh', image: 'busybox', securityContext: { privileged: true } }] },
      });
      expect(() => synth(chart)).toThrow(
        '[test/customer1/PodSecurity] Pod "debug" (test/customer1/Debug) of tenant "customer1" violates Pod Security level "baseline": '
        + 'host namespaces (hostNetwork=true); privileged (container "sh" must not set securityContext.privileged=true). '
        + 'Remove the privileged settings from its pod spec, or choose level: PodSecurityLevel.PRIVILEGED instead.',
      );
    });

    test('without a level, a pod that fails baseline asks for an explicit choice', () => {
      new k8s.KubePod(tenant, 'Debug', {
        metadata: { name: 'debug', namespace: 'customer1' },
        spec: { containers: [{ name: 'sh', image: 'busybox', ports: [{ containerPort: 80, hostPort: 80 }] }] },
      });
      expect(() => synth(chart)).toThrow(
        '[test/customer1/PodSecurity] Pod "debug" (test/customer1/Debug) of tenant "customer1" violates Pod Security level "baseline": '
        + 'hostPort (container "sh" uses hostPort 80). '
        + 'Remove the privileged settings from its pod spec, or choose level: PodSecurityLevel.PRIVILEGED explicitly.',
      );
    });

    test.each([
      [{ version: 'v1' }, '[test/customer1/PodSecurity] version "v1" is not a Pod Security Standards version: use "latest" or a Kubernetes minor version such as "v1.30".'],
      [{ version: '1.30' }, '[test/customer1/PodSecurity] version "1.30" is not a Pod Security Standards version: use "latest" or a Kubernetes minor version such as "v1.30".'],
      [{ level: 'strict' as PodSecurityLevel }, '[test/customer1/PodSecurity] level "strict" is not one of PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED.'],
      [{ warn: 'Restricted' as PodSecurityLevel }, '[test/customer1/PodSecurity] warn "Restricted" is not one of PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED.'],
    ])('%j', (props, message) => {
      expect(() => reset(props)).toThrow(message);
    });
  });
});

describe('podSecurityViolations', () => {
  const R = PodSecurityLevel.RESTRICTED;
  const B = PodSecurityLevel.BASELINE;

  test('a hardened pod passes every level', () => {
    expect(podSecurityViolations(restrictedPod(), R)).toEqual([]);
    expect(podSecurityViolations(restrictedPod(), B)).toEqual([]);
    expect(podSecurityViolations(restrictedPod(), PodSecurityLevel.PRIVILEGED)).toEqual([]);
  });

  test('container-level runAsNonRoot and seccomp count as well as pod-level', () => {
    const pod = {
      containers: [{
        name: 'app', image: 'x',
        securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' }, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
      }],
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'tok', projected: { sources: [] } }],
    };
    expect(podSecurityViolations(pod, R)).toEqual([]);
  });

  test('the Workload defaults pass baseline, and restricted with runAsNonRoot', () => {
    const chart = newChart();
    const t = new IsolatedTenant(chart, 't');
    const root = t.addWorkload('root', { image: 'nginx', port: 80 });
    const nonRoot = t.addWorkload('nonroot', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
    const spec = (w: typeof root) => w.deployment.toJson().spec.template.spec;
    expect(podSecurityViolations(spec(root), B)).toEqual([]);
    expect(podSecurityViolations(spec(root), R)).toEqual([
      'runAsNonRoot != true (pod or container "root" must set securityContext.runAsNonRoot=true)',
      'unrestricted capabilities (container "root" must set securityContext.capabilities.drop=["ALL"])',
    ]);
    expect(podSecurityViolations(spec(nonRoot), R)).toEqual([]);
  });

  test('restricted checks, one by one', () => {
    const pod = {
      securityContext: { runAsUser: 0 },
      initContainers: [{ name: 'init', image: 'x' }],
      containers: [{ name: 'app', image: 'x', securityContext: { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' }, capabilities: { add: ['NET_RAW'] } } }],
      volumes: [{ name: 'nfs', nfs: { server: 'n', path: '/' } }],
    };
    expect(podSecurityViolations(pod, R)).toEqual([
      'non-default capabilities (container "app" must not include "NET_RAW" in securityContext.capabilities.add)',
      'seccompProfile (container "app" must not set securityContext.seccompProfile.type to "Unconfined")',
      'restricted volume types (volume "nfs" uses nfs)',
      'allowPrivilegeEscalation != false (containers "init", "app" must set securityContext.allowPrivilegeEscalation=false)',
      'runAsNonRoot != true (pod or containers "init", "app" must set securityContext.runAsNonRoot=true)',
      'runAsUser=0 (pod must not set runAsUser=0)',
      'seccompProfile (pod or containers "init", "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
      'unrestricted capabilities (containers "init", "app" must set securityContext.capabilities.drop=["ALL"])',
      'unrestricted capabilities (container "app" must not add capabilities other than "NET_BIND_SERVICE")',
    ]);
  });

  test('baseline checks, one by one', () => {
    const pod = {
      hostNetwork: true, hostPID: true, hostIPC: true,
      securityContext: { seccompProfile: { type: 'Unconfined' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }], seLinuxOptions: { user: 'root' } },
      containers: [{
        name: 'app', image: 'x',
        ports: [{ containerPort: 80, hostPort: 8080 }],
        securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'CHOWN'] }, procMount: 'Unmasked', windowsOptions: { hostProcess: true } },
      }],
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
    };
    expect(podSecurityViolations(pod, B)).toEqual([
      'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)',
      'privileged (container "app" must not set securityContext.privileged=true)',
      'non-default capabilities (container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
      'hostPath volumes ("root")',
      'hostPort (container "app" uses hostPort 8080)',
      'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
      'seLinuxOptions (only the types container_t, container_init_t, container_kvm_t and container_engine_t may be set, and no user or role)',
      'procMount (container "app" must not set securityContext.procMount to anything but "Default")',
      'forbidden sysctls (kernel.msgmax)',
      'hostProcess (pod or containers must not set securityContext.windowsOptions.hostProcess=true)',
    ]);
    // restricted includes every baseline check
    const restricted = podSecurityViolations(pod, R);
    for (const v of podSecurityViolations(pod, B)) expect(restricted).toContain(v);
  });

  test('hostPort 0 and the baseline capability set are allowed at baseline', () => {
    const pod = { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 0 }], securityContext: { capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } } }] };
    expect(podSecurityViolations(pod, B)).toEqual([]);
  });
});
