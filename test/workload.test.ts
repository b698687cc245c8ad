import { Chart } from 'cdk8s';
import { IsolatedTenant, Protocol, ServiceType } from '../src';
import { find, newChart, synth } from './support/util';

describe('Workload', () => {
  let chart: Chart;
  let tenant: IsolatedTenant;
  beforeEach(() => {
    chart = newChart();
    tenant = new IsolatedTenant(chart, 'customer1');
  });

  test('defaults: ClusterIP, service port = container port, one replica, stable names and labels', () => {
    const w = tenant.addWorkload('nginx', { image: 'nginx', port: 80 });
    const objects = synth(chart);
    expect(objects).toMatchSnapshot();
    const svc = find(objects, 'Service', 'nginx', 'customer1');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    const dep = find(objects, 'Deployment', 'nginx', 'customer1');
    expect(dep.spec.replicas).toBe(1);
    for (const o of [svc, dep]) {
      expect(o.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'nginx',
        'app.kubernetes.io/part-of': 'customer1',
        'app.kubernetes.io/managed-by': 'cdk8s-tenancy',
        'tenancy.cdk8s.io/tenant': 'customer1',
      });
    }
    expect(w.name).toBe('nginx');
    expect(w.namespace).toBe('customer1');
    expect(w.toPeerConfig()).toEqual({ namespaces: ['customer1'], podLabels: { 'app.kubernetes.io/name': 'nginx' }, name: 'nginx' });
  });

  test('pods start with the official nginx image: root allowed, writable root file system, no token', () => {
    tenant.addWorkload('nginx', { image: 'nginx', port: 80 });
    const pod = find(synth(chart), 'Deployment', 'nginx').spec.template.spec;
    const c = pod.containers[0];
    // nginx runs as root and writes to /var/cache/nginx and /var/run: neither may be forbidden.
    expect(pod.securityContext.runAsNonRoot).toBeUndefined();
    expect(c.securityContext.runAsNonRoot).toBeUndefined();
    expect(c.securityContext.readOnlyRootFilesystem).toBeUndefined();
    expect(c.securityContext.runAsUser).toBeUndefined();
    expect(c.securityContext.capabilities).toBeUndefined();
    // but nothing more than it needs
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c.imagePullPolicy).toBeUndefined();
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 80 }, initialDelaySeconds: 2, periodSeconds: 10 });
    expect(c.livenessProbe).toBeUndefined();
  });

  test('runAsNonRoot for images built for it drops every capability', () => {
    tenant.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
    const pod = find(synth(chart), 'Deployment', 'web').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
  });

  test('options: NodePort with fixed node port, LoadBalancer, service port, replicas, named port, selector, env, command', () => {
    tenant.addWorkload('a', { image: 'nginx', port: 8080, portName: 'http', servicePort: 80, serviceType: ServiceType.NODE_PORT, nodePort: 30080, replicas: 3 });
    tenant.addWorkload('b', { image: 'nginx', port: 80, serviceType: ServiceType.LOAD_BALANCER, selectorLabels: { app: 'b' }, podLabels: { tier: 'web' }, env: { Z: '1', A: '2' }, command: ['nginx'], args: ['-g', 'daemon off;'] });
    tenant.addWorkload('dns', { image: 'coredns/coredns', port: 53, protocol: Protocol.UDP, resources: { cpuRequest: '10m', memoryRequest: '16Mi', cpuLimit: '1', memoryLimit: '32Mi' } });
    const objects = synth(chart);
    const a = find(objects, 'Service', 'a');
    expect(a.spec).toEqual({ type: 'NodePort', selector: { 'app.kubernetes.io/name': 'a' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }] });
    const ad = find(objects, 'Deployment', 'a');
    expect(ad.spec.replicas).toBe(3);
    expect(ad.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080, protocol: 'TCP', name: 'http' }]);
    const b = find(objects, 'Service', 'b');
    expect(b.spec.type).toBe('LoadBalancer');
    expect(b.spec.selector).toEqual({ app: 'b' });
    const bd = find(objects, 'Deployment', 'b');
    expect(bd.spec.selector).toEqual({ matchLabels: { app: 'b' } });
    expect(bd.spec.template.metadata.labels).toMatchObject({ app: 'b', tier: 'web', 'app.kubernetes.io/name': 'b' });
    expect(bd.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '2' }, { name: 'Z', value: '1' }]);
    expect(bd.spec.template.spec.containers[0].command).toEqual(['nginx']);
    expect(bd.spec.template.spec.containers[0].args).toEqual(['-g', 'daemon off;']);
    const dns = find(objects, 'Deployment', 'dns').spec.template.spec.containers[0];
    expect(dns.ports).toEqual([{ containerPort: 53, protocol: 'UDP' }]);
    expect(dns.readinessProbe).toBeUndefined();
    expect(dns.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '1', memory: '32Mi' } });
    expect(find(objects, 'Service', 'dns').spec.ports[0].protocol).toBe('UDP');
  });

  describe('bad input', () => {
    test.each([
      [0, '[test/customer1/nginx] container port 0 is out of range: a port is a whole number from 1 to 65535.'],
      [65536, '[test/customer1/nginx] container port 65536 is out of range: a port is a whole number from 1 to 65535.'],
      [80.5, '[test/customer1/nginx] container port 80.5 is out of range: a port is a whole number from 1 to 65535.'],
    ])('container port %p', (port, message) => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port })).toThrow(message);
    });

    test('service port out of range', () => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80, servicePort: 70000 })).toThrow(
        '[test/customer1/nginx] service port 70000 is out of range: a port is a whole number from 1 to 65535.');
    });

    test('invalid workload name', () => {
      expect(() => tenant.addWorkload('Nginx', { image: 'nginx', port: 80 })).toThrow(
        '[test/customer1/Nginx] workload name "Nginx" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "nginx"?');
    });

    test('empty selector labels', () => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80, selectorLabels: {} })).toThrow(
        "[test/customer1/nginx] selectorLabels is an empty label selector, which would select every pod of the namespace. Give at least one label, e.g. { app: 'webapp' }.");
    });

    test('missing image', () => {
      expect(() => tenant.addWorkload('nginx', { image: '', port: 80 })).toThrow(
        '[test/customer1/nginx] image "" is not a container image reference such as "nginx" or "nginx:1.27".');
    });

    test('nodePort on a ClusterIP Service', () => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80, nodePort: 30001 })).toThrow(
        '[test/customer1/nginx] nodePort 30001 is set but the Service type is ClusterIP. Set serviceType: ServiceType.NODE_PORT or drop nodePort.');
    });

    test('nodePort outside the node port range', () => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT, nodePort: 80 })).toThrow(
        '[test/customer1/nginx] nodePort 80 is outside the default node port range 30000-32767.');
    });

    test('invalid port name', () => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80, portName: 'HTTP_PORT' })).toThrow(
        '[test/customer1/nginx] port name "HTTP_PORT" is not a valid port name (IANA service name): 1-15 lower-case letters, digits and \'-\', with at least one letter and no "--".');
    });

    test('negative replicas', () => {
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80, replicas: -1 })).toThrow(
        '[test/customer1/nginx] replicas -1 must be a whole number of at least 0.');
    });

    test('a TCP probe on a UDP port', () => {
      expect(() => tenant.addWorkload('dns', { image: 'coredns/coredns', port: 53, protocol: Protocol.UDP, readinessProbe: true })).toThrow(
        '[test/customer1/dns] a TCP readiness probe cannot check a UDP port. Set readinessProbe: false.');
    });

    test('two workloads with one name', () => {
      tenant.addWorkload('nginx', { image: 'nginx', port: 80 });
      expect(() => tenant.addWorkload('nginx', { image: 'nginx', port: 80 })).toThrow(/There is already a Construct with name 'nginx'/);
    });
  });
});
