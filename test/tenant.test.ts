import { Chart } from 'cdk8s';
import { IsolatedTenant, Peer, Port, ServiceType, TenantIsolation, GRANTS_ANNOTATION } from '../src';
import { find, newChart, ofKind, synth } from './support/util';

describe('IsolatedTenant', () => {
  let chart: Chart;
  beforeEach(() => { chart = newChart(); });

  test('scenario 1: namespace, nginx Deployment and NodePort Service, deny-from-other-namespaces', () => {
    // GIVEN
    const tenant = new IsolatedTenant(chart, 'customer1');
    // WHEN
    tenant.addWorkload('nginx', { image: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT });
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    const ns = find(objects, 'Namespace', 'customer1');
    expect(ns.apiVersion).toBe('v1');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    expect(ns.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-tenancy');
    expect(ns.metadata.labels['app.kubernetes.io/part-of']).toBe('customer1');
    expect(ns.metadata.annotations[GRANTS_ANNOTATION]).toBe('[]');
    // Pod Security: the official nginx runs as root, so the strictest level it passes is baseline
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(tenant.podSecurity.level).toBe('baseline');

    const np = find(objects, 'NetworkPolicy', 'deny-from-other-namespaces', 'customer1');
    expect(np.apiVersion).toBe('networking.k8s.io/v1');
    expect(np.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    });

    const svc = find(objects, 'Service', 'nginx', 'customer1');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'nginx' });

    const dep = find(objects, 'Deployment', 'nginx', 'customer1');
    expect(dep.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'nginx' } });
    expect(dep.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('nginx');
    expect(dep.spec.template.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    expect(dep.spec.template.spec.containers[0].image).toBe('nginx');
    expect(dep.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);

    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/nginx', 'Namespace/customer1', 'NetworkPolicy/deny-from-other-namespaces', 'Service/nginx',
    ]);
    // no cdk8s hash suffix anywhere in names
    for (const o of objects) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
  });

  test('the tenant name defaults to the id and can be given', () => {
    new IsolatedTenant(chart, 'Customer', { name: 'customer9' });
    const objects = synth(chart);
    expect(find(objects, 'Namespace', 'customer9').metadata.name).toBe('customer9');
    expect(find(objects, 'NetworkPolicy', 'deny-from-other-namespaces').metadata.namespace).toBe('customer9');
  });

  test('POD isolation writes deny-communication (no rules) and no deny-from-other-namespaces', () => {
    new IsolatedTenant(chart, 'shop', { isolation: TenantIsolation.POD });
    const objects = synth(chart);
    const np = find(objects, 'NetworkPolicy', 'deny-communication', 'shop');
    expect(np.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(np.spec.ingress).toBeUndefined();
    expect(ofKind(objects, 'NetworkPolicy')).toHaveLength(1);
  });

  describe('opt-ins for the traffic deny-from-other-namespaces cuts', () => {
    test('none by default', () => {
      new IsolatedTenant(chart, 'customer1');
      expect(ofKind(synth(chart), 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['deny-from-other-namespaces']);
    });

    test('allowIngressController admits the controller namespace by kubernetes.io/metadata.name and pod labels', () => {
      new IsolatedTenant(chart, 'customer1', {
        allowIngressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [Port.tcp(80)] },
      });
      const objects = synth(chart);
      const np = find(objects, 'NetworkPolicy', 'allow-from-ingress-controller', 'customer1');
      expect(np.spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
          }],
          ports: [{ protocol: 'TCP', port: 80 }],
        }],
      });
      expect(JSON.parse(find(objects, 'Namespace', 'customer1').metadata.annotations[GRANTS_ANNOTATION])).toEqual([
        { from: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }, ports: [{ port: 80, protocol: 'TCP' }] },
      ]);
    });

    test('allowIngressController without pod labels or ports admits the whole namespace on every port', () => {
      new IsolatedTenant(chart, 'customer1', { allowIngressController: { namespace: 'ingress-nginx' } });
      const np = find(synth(chart), 'NetworkPolicy', 'allow-from-ingress-controller');
      expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }]);
    });

    test('allowExternal admits CIDR blocks on the given ports only', () => {
      new IsolatedTenant(chart, 'customer1', {
        allowExternal: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'], ports: [Port.tcp(80), Port.tcp(443)] },
      });
      const objects = synth(chart);
      const np = find(objects, 'NetworkPolicy', 'allow-from-external', 'customer1');
      expect(np.spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          // the given except, and the pod networks assumed by default (DEFAULT_POD_CIDRS)
          from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'] } }],
          ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }],
        }],
      });
      expect(JSON.parse(find(objects, 'Namespace', 'customer1').metadata.annotations[GRANTS_ANNOTATION])).toEqual([
        { from: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'] }, ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] },
      ]);
    });

    test('allowExternal with several blocks gives each its own excepts', () => {
      new IsolatedTenant(chart, 'customer1', {
        allowExternal: { cidrs: ['198.51.100.0/24', '203.0.113.0/24'], except: ['203.0.113.128/25'], ports: [Port.tcp(80)] },
      });
      const np = find(synth(chart), 'NetworkPolicy', 'allow-from-external');
      expect(np.spec.ingress[0].from).toEqual([
        { ipBlock: { cidr: '198.51.100.0/24' } },
        { ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } },
      ]);
    });
  });

  test('allowFrom another tenant names it by kubernetes.io/metadata.name and records the grant', () => {
    const a = new IsolatedTenant(chart, 'customer1');
    const b = new IsolatedTenant(chart, 'customer2');
    a.allowFrom(b, Port.tcp(8080));
    const objects = synth(chart);
    const np = find(objects, 'NetworkPolicy', 'allow-from-customer2', 'customer1');
    expect(np.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer2' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    expect(JSON.parse(find(objects, 'Namespace', 'customer1').metadata.annotations[GRANTS_ANNOTATION])).toEqual([
      { from: { namespace: 'customer2' }, ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(find(objects, 'Namespace', 'customer2').metadata.annotations[GRANTS_ANNOTATION]).toBe('[]');
  });

  test('allowFrom a workload of another tenant admits only its pods', () => {
    const a = new IsolatedTenant(chart, 'customer1');
    const b = new IsolatedTenant(chart, 'customer2');
    const api = b.addWorkload('api', { image: 'nginx', port: 80 });
    a.allowFrom(api, Port.named('http'));
    const np = find(synth(chart), 'NetworkPolicy', 'allow-from-customer2-api', 'customer1');
    expect(np.spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer2' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      }],
      ports: [{ protocol: 'TCP', port: 'http' }],
    }]);
  });

  describe('bad input', () => {
    test.each([
      ['Customer1', 'tenant name "Customer1" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "customer1"?'],
      ['customer_1', 'tenant name "customer_1" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "customer-1"?'],
      ['-a', 'tenant name "-a" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "a"?'],
      ['a'.repeat(64), `tenant name "${'a'.repeat(64)}" is 64 characters long; the limit is 63 (RFC 1123 label). Use a shorter name.`],
    ])('invalid tenant name %s', (name, message) => {
      expect(() => new IsolatedTenant(chart, 'T', { name })).toThrow(`[test/T] ${message}`);
    });

    test('a 63-character name is fine', () => {
      expect(() => new IsolatedTenant(chart, 'T', { name: 'a'.repeat(63) })).not.toThrow();
    });

    test('duplicate tenant', () => {
      new IsolatedTenant(chart, 'customer1');
      const other = new Chart(chart.node.scope as any, 'other');
      expect(() => new IsolatedTenant(other, 'customer1')).toThrow(
        '[other/customer1] tenant "customer1" is already defined at test/customer1: tenant and namespace names must be unique in an app. Rename one of them.');
    });

    test('allowExternal without ports', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { allowExternal: { ports: [] } })).toThrow(
        '[test/customer1] allowExternal needs the pod ports external clients may reach, e.g. { ports: [Port.tcp(80)] }.');
    });

    test('allowExternal with a CIDR without mask', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['10.0.0.1'], ports: [Port.HTTP] } })).toThrow(
        '[test/customer1] CIDR mask is missing in allowExternal CIDR "10.0.0.1". Did you mean "10.0.0.1/32"?');
    });

    test('allowExternal with an except outside every block', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { allowExternal: { cidrs: ['10.0.0.0/8'], except: ['192.168.0.0/16'], ports: [Port.HTTP] } })).toThrow(
        '[test/customer1] allowExternal.except "192.168.0.0/16" is inside none of the admitted blocks (10.0.0.0/8): it would exclude nothing. Fix the address or drop it.');
    });

    test('ingress controller namespace invalid', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { allowIngressController: { namespace: 'Ingress_Nginx' } })).toThrow(
        '[test/customer1] namespace name "Ingress_Nginx" is not a valid RFC 1123 label');
    });

    test('ingress controller with an empty pod selector', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { allowIngressController: { namespace: 'ingress-nginx', podLabels: {} } })).toThrow(
        "[test/customer1] Peer.namespace('ingress-nginx') pod labels is an empty label selector, which would select every pod of the namespace. Give at least one label, e.g. { app: 'webapp' }.");
    });

    test('two allowances with the same policy name', () => {
      const a = new IsolatedTenant(chart, 'customer1');
      a.allowFrom(Peer.namespace('monitoring'), Port.tcp(9090));
      expect(() => a.allowFrom(Peer.namespace('monitoring'), Port.tcp(9091))).toThrow(
        'NetworkPolicy "allow-from-monitoring" already exists in namespace "customer1" (defined at test/customer1/AllowFrom-monitoring). Give this one another name.');
    });

    test('invalid namespace label', () => {
      expect(() => new IsolatedTenant(chart, 'customer1', { namespaceLabels: { 'bad key!': 'x' } })).toThrow(
        '[test/customer1] label key "bad key!" is invalid');
    });
  });
});
