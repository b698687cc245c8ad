import { Chart } from 'cdk8s';
import { IsolatedTenant, ServiceType } from '../src';
import { formatCpu, formatMemory, parseCpu, parseMemory, parseQuantity, TENANT_QUOTA_DEFAULTS, TenantQuota } from '../src/tenant-extras';
import { validateObjects } from './support/schema';
import { find, newChart, ofKind, synth } from './support/util';

describe('TenantQuota', () => {
  let chart: Chart;
  let tenant: IsolatedTenant;
  beforeEach(() => {
    chart = newChart();
    tenant = new IsolatedTenant(chart, 'customer1');
  });

  test('defaults: a ResourceQuota and a LimitRange in the tenant namespace', () => {
    // WHEN
    new TenantQuota(tenant, 'Quota');
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    const rq = find(objects, 'ResourceQuota', 'tenant-quota', 'customer1');
    expect(rq.apiVersion).toBe('v1');
    expect(rq.spec).toEqual({
      hard: {
        'requests.cpu': '2',
        'requests.memory': '4Gi',
        'limits.cpu': '4',
        'limits.memory': '8Gi',
        'pods': 20,
        'services': 10,
        'services.loadbalancers': 1,
        'services.nodeports': 2,
        'persistentvolumeclaims': 10,
      },
    });
    expect(rq.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'customer1',
      'app.kubernetes.io/managed-by': 'cdk8s-tenancy',
      'tenancy.cdk8s.io/tenant': 'customer1',
    });
    const lr = find(objects, 'LimitRange', 'tenant-limits', 'customer1');
    expect(lr.spec).toEqual({
      limits: [{
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '64Mi' },
        default: { cpu: '500m', memory: '256Mi' },
      }],
    });
    expect(lr.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    expect(ofKind(objects, 'ResourceQuota')).toHaveLength(1);
    expect(ofKind(objects, 'LimitRange')).toHaveLength(1);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('overrides', () => {
    // WHEN
    const q = new TenantQuota(tenant, 'Quota', {
      requestsCpu: '500m', requestsMemory: '1Gi', limitsCpu: '1', limitsMemory: '2Gi',
      pods: 5, services: 3, loadBalancers: 0, nodePorts: 0, persistentVolumeClaims: 0,
      defaultCpuRequest: '50m', defaultMemoryRequest: '32Mi', defaultCpuLimit: '200m', defaultMemoryLimit: '128Mi',
    });
    const objects = synth(chart);

    // THEN
    const rq = find(objects, 'ResourceQuota', 'tenant-quota', 'customer1');
    expect(rq.spec.hard).toEqual({
      'requests.cpu': '500m', 'requests.memory': '1Gi', 'limits.cpu': '1', 'limits.memory': '2Gi',
      'pods': 5, 'services': 3, 'services.loadbalancers': 0, 'services.nodeports': 0, 'persistentvolumeclaims': 0,
    });
    const lr = find(objects, 'LimitRange', 'tenant-limits', 'customer1');
    expect(lr.spec.limits[0].defaultRequest).toEqual({ cpu: '50m', memory: '32Mi' });
    expect(lr.spec.limits[0].default).toEqual({ cpu: '200m', memory: '128Mi' });
    expect(q.values.pods).toBe(5);
    expect(q.resourceQuotas.customer1).toBeDefined();
    expect(q.limitRanges.customer1).toBeDefined();
  });

  test('partial overrides keep the other defaults', () => {
    const q = new TenantQuota(tenant, 'Quota', { pods: 50 });
    expect(q.values).toEqual({ ...TENANT_QUOTA_DEFAULTS, pods: 50 });
  });

  test('every namespace of the tenant gets both objects', () => {
    // GIVEN a tenant of two namespaces
    chart = newChart();
    tenant = new IsolatedTenant(chart, 'customer1', { extraNamespaces: ['customer1-data'] });
    // WHEN
    new TenantQuota(tenant, 'Quota');
    const objects = synth(chart);
    // THEN
    expect(ofKind(objects, 'ResourceQuota').map((o) => o.metadata.namespace).sort()).toEqual(['customer1', 'customer1-data']);
    expect(ofKind(objects, 'LimitRange').map((o) => o.metadata.namespace).sort()).toEqual(['customer1', 'customer1-data']);
  });

  test('a namespace added after the quota is a synth error', () => {
    new TenantQuota(tenant, 'Quota');
    Object.defineProperty(tenant, 'namespaces', { get: () => ['customer1', 'late'] });
    expect(() => synth(chart)).toThrow('[test/customer1/Quota] namespace "late" of tenant "customer1" has no ResourceQuota: it was added after this TenantQuota was created. Create the TenantQuota after all the tenant\'s namespaces.');
  });

  describe('the tenant\'s own objects against its quota, at synth', () => {
    test('workloads within the defaults pass', () => {
      tenant.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true, replicas: 3 });
      tenant.addWorkload('api', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT });
      new TenantQuota(tenant, 'Quota');
      expect(() => synth(chart)).not.toThrow();
    });

    test('pods, counting the rolling-update surge', () => {
      // 4 replicas + ceil(25% of 4) = 5 pods
      tenant.addWorkload('web', { image: 'nginx', port: 80, replicas: 4 });
      new TenantQuota(tenant, 'Quota', { pods: 4 });
      expect(() => synth(chart)).toThrow('[test/customer1/Quota] the objects of namespace "customer1" need 5 pods (counting the extra pods of a rolling update) but the quota\'s pods is 4. Raise pods to at least 5, or remove some.');
    });

    test('node ports and load balancers added after the quota', () => {
      new TenantQuota(tenant, 'Quota', { loadBalancers: 0, nodePorts: 1 });
      tenant.addWorkload('a', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT });
      tenant.addWorkload('b', { image: 'nginx', port: 80, serviceType: ServiceType.LOAD_BALANCER });
      const run = () => synth(chart);
      expect(run).toThrow('[test/customer1/Quota] the objects of namespace "customer1" need 1 LoadBalancer Services but the quota\'s loadBalancers is 0. Raise loadBalancers to at least 1, or remove some.');
      expect(run).toThrow('[test/customer1/Quota] the objects of namespace "customer1" need 2 node ports but the quota\'s nodePorts is 1. Raise nodePorts to at least 2, or remove some.');
    });

    test('memory limits with limit-range defaults applied', () => {
      // 2 replicas + 1 surge = 3 pods x 256Mi (Workload default memory limit) = 768Mi
      tenant.addWorkload('web', { image: 'nginx', port: 80, replicas: 2 });
      new TenantQuota(tenant, 'Quota', { limitsMemory: '512Mi' });
      expect(() => synth(chart)).toThrow('[test/customer1/Quota] the objects of namespace "customer1" need limitsMemory 768Mi (limit-range defaults applied, counting the extra pods of a rolling update) but the quota is 512Mi. Raise limitsMemory to at least 768Mi, or lower the workloads\' resources or replicas.');
    });

    test('CPU limits come from the LimitRange when a container sets none', () => {
      // 1 replica + 1 surge = 2 pods x 500m (LimitRange default CPU limit) = 1 CPU
      tenant.addWorkload('web', { image: 'nginx', port: 80 });
      new TenantQuota(tenant, 'Quota', { limitsCpu: '900m', requestsCpu: '900m' });
      expect(() => synth(chart)).toThrow('[test/customer1/Quota] the objects of namespace "customer1" need limitsCpu 1 (limit-range defaults applied, counting the extra pods of a rolling update) but the quota is 900m. Raise limitsCpu to at least 1, or lower the workloads\' resources or replicas.');
    });

    test('a container request above the default limit it would get', () => {
      tenant.addWorkload('web', { image: 'nginx', port: 80, resources: { cpuRequest: '1' } });
      new TenantQuota(tenant, 'Quota');
      expect(() => synth(chart)).toThrow('[test/customer1/Quota] Deployment "web", container "web": its CPU request 1 is above the CPU limit 500m it gets from the LimitRange (it sets none), so the API server rejects its pods. Give the container a CPU limit or raise defaultCpuLimit.');
    });
  });

  describe('bad input', () => {
    test.each([
      [{ limitsMemory: '128Mi' }, '[test/customer1/Quota] quota limitsMemory 128Mi is below the limit-range defaultMemoryLimit 256Mi: not even one container with the default could start. Raise limitsMemory to at least 256Mi or lower defaultMemoryLimit.'],
      [{ limitsCpu: '200m' }, '[test/customer1/Quota] quota limitsCpu 200m is below the limit-range defaultCpuLimit 500m: not even one container with the default could start. Raise limitsCpu to at least 500m or lower defaultCpuLimit.'],
      [{ requestsCpu: '0.05' }, '[test/customer1/Quota] quota requestsCpu 0.05 is below the limit-range defaultCpuRequest 100m: not even one container with the default could start. Raise requestsCpu to at least 100m or lower defaultCpuRequest.'],
      [{ requestsMemory: '60M' }, '[test/customer1/Quota] quota requestsMemory 60M is below the limit-range defaultMemoryRequest 64Mi: not even one container with the default could start. Raise requestsMemory to at least 64Mi or lower defaultMemoryRequest.'],
      [{ defaultCpuRequest: '1' }, '[test/customer1/Quota] defaultCpuRequest 1 is above defaultCpuLimit 500m: a container\'s request may not exceed its limit. Lower defaultCpuRequest or raise defaultCpuLimit.'],
      [{ defaultMemoryRequest: '512Mi' }, '[test/customer1/Quota] defaultMemoryRequest 512Mi is above defaultMemoryLimit 256Mi: a container\'s request may not exceed its limit. Lower defaultMemoryRequest or raise defaultMemoryLimit.'],
      [{ pods: -1 }, '[test/customer1/Quota] pods -1 must be a whole number of at least 0.'],
      [{ services: 1.5 }, '[test/customer1/Quota] services 1.5 must be a whole number of at least 0.'],
      [{ loadBalancers: 11 }, '[test/customer1/Quota] loadBalancers 11 is above services 10: every load balancer is a Service. Raise services or lower loadBalancers.'],
      [{ nodePorts: 11 }, '[test/customer1/Quota] nodePorts 11 is above services 10: every node port belongs to a Service. Raise services or lower nodePorts.'],
      [{ limitsMemory: '8GB' }, '[test/customer1/Quota] limitsMemory "8GB" is not a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi". Did you mean "8Gi" (binary) or "8G" (decimal)?'],
      [{ defaultMemoryLimit: '256K' }, '[test/customer1/Quota] defaultMemoryLimit "256K" is not a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi". Did you mean "256Ki" (binary) or "256k" (decimal)?'],
      [{ requestsCpu: 'two' }, '[test/customer1/Quota] requestsCpu "two" is not a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi".'],
    ])('%j', (props, message) => {
      expect(() => new TenantQuota(tenant, 'Quota', props)).toThrow(message);
    });

    test('a quota exactly at the default is accepted', () => {
      expect(() => new TenantQuota(tenant, 'Quota', { limitsMemory: '256Mi', limitsCpu: '0.5' })).not.toThrow();
    });
  });
});

describe('quantities', () => {
  test('CPU in millicores', () => {
    expect(parseCpu('1')).toBe(1000);
    expect(parseCpu('250m')).toBe(250);
    expect(parseCpu('0.1')).toBe(100);
    expect(parseCpu('1.5')).toBe(1500);
    expect(parseCpu('.5')).toBe(500);
    expect(parseCpu('2k')).toBe(2_000_000);
    expect(parseCpu('1e3')).toBe(1_000_000);
  });

  test('memory in bytes, binary and decimal', () => {
    expect(parseMemory('64Mi')).toBe(64 * 2 ** 20);
    expect(parseMemory('1Gi')).toBe(2 ** 30);
    expect(parseMemory('1Ki')).toBe(1024);
    expect(parseMemory('1k')).toBe(1000);
    expect(parseMemory('1M')).toBe(1e6);
    expect(parseMemory('1G')).toBe(1e9);
    expect(parseMemory('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseMemory('128974848')).toBe(128974848);
    expect(parseMemory('129e6')).toBe(129e6);
    expect(parseMemory('1G')).toBeLessThan(parseMemory('1Gi'));
  });

  test('formatting', () => {
    expect(formatCpu(1500)).toBe('1500m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatMemory(768 * 2 ** 20)).toBe('768Mi');
    expect(formatMemory(2 ** 30)).toBe('1Gi');
    expect(formatMemory(1000)).toBe('1000');
  });

  test('rejected spellings', () => {
    expect(() => parseQuantity('1 Gi', 'x')).toThrow('x "1 Gi" is not a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi".');
    expect(() => parseQuantity('', 'x')).toThrow('x "" is not a Kubernetes quantity');
    expect(() => parseQuantity('-1', 'x')).toThrow('x "-1" is not a Kubernetes quantity');
    expect(() => parseQuantity('1Mib', 'x')).toThrow('x "1Mib" is not a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi". Did you mean "1Mi" (binary) or "1M" (decimal)?');
  });
});
