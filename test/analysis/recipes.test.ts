/**
 * The recipes of ahmetb/kubernetes-network-policy-recipes (Apache-2.0), 01–12 and 14, restated as scenarios:
 * setup, the policy as the recipe applies it (YAML), and the outcome a reader observes on a cluster.
 */
import { loadAll } from 'js-yaml';
import { deploy, ns, pod, reach } from './helpers';

const ALL = 'All Connections';
const NONE = 'No Connections';

/** Parses YAML documents into objects. */
function yaml(text: string): object[] {
  return loadAll(text) as object[];
}

describe('01 deny all traffic to an application', () => {
  const policy = yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-deny-all }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [] }
`);
  const setup = [deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]), pod('default', 'client'), pod('other', 'client')];

  test('any pod ↛ web', () => {
    const { c } = reach([...setup, ...policy]);
    expect(c('default/client[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('other/client[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('1.2.3.4', 'default/web[Deployment]')).toBe(NONE);
  });

  test('adding a policy that admits some traffic to web admits it (policies add up)', () => {
    const { c } = reach([...setup, ...policy, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: allow-client }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [ { ports: [ { port: 80 } ] } ] }
`)]);
    expect(c('default/client[Pod]', 'default/web[Deployment]')).toBe('TCP 80');
  });
});

describe('02 limit traffic to an application', () => {
  test('unlabelled pod ↛ apiserver; app=bookstore,role=frontend → apiserver', () => {
    const { c } = reach([
      deploy('default', 'apiserver', { app: 'bookstore', role: 'api' }, [{ containerPort: 80 }]),
      pod('default', 'plain'), pod('default', 'frontend', { app: 'bookstore', role: 'frontend' }),
      ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api-allow }
spec:
  podSelector: { matchLabels: { app: bookstore, role: api } }
  ingress: [ { from: [ { podSelector: { matchLabels: { app: bookstore } } } ] } ]
`)]);
    expect(c('default/plain[Pod]', 'default/apiserver[Deployment]')).toBe(NONE);
    expect(c('default/frontend[Pod]', 'default/apiserver[Deployment]')).toBe(ALL);
  });
});

describe('02a allow all traffic to an application', () => {
  test('any pod, any namespace, and outside the cluster → web, despite web-deny-all', () => {
    const { c } = reach([
      deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]), pod('default', 'a'), pod('far', 'b'),
      ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-deny-all }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [] }
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-all, namespace: default }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [ {} ] }
`)]);
    expect(c('default/a[Pod]', 'default/web[Deployment]')).toBe(ALL);
    expect(c('far/b[Pod]', 'default/web[Deployment]')).toBe(ALL);
    expect(c('198.51.100.7', 'default/web[Deployment]')).toBe(ALL);
  });
});

describe('03 deny all non-whitelisted ingress in a namespace', () => {
  test('every pod of default admits nothing; egress is untouched', () => {
    const { c } = reach([
      pod('default', 'a'), pod('default', 'b'), pod('other', 'c'),
      ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: default-deny-all, namespace: default }
spec: { podSelector: {}, ingress: [] }
`)]);
    expect(c('default/a[Pod]', 'default/b[Pod]')).toBe(NONE);
    expect(c('other/c[Pod]', 'default/a[Pod]')).toBe(NONE);
    expect(c('1.1.1.1', 'default/a[Pod]')).toBe(NONE);
    expect(c('default/a[Pod]', 'other/c[Pod]')).toBe(ALL);
    expect(c('default/a[Pod]', '1.1.1.1')).toBe(ALL);
  });
});

describe('04 deny traffic from other namespaces', () => {
  test('pod in foo ↛ web.default; pod in default → web.default', () => {
    const { c } = reach([
      ns('foo'), deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]), pod('foo', 'client'), pod('default', 'client'),
      ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  namespace: default
  name: deny-from-other-namespaces
spec:
  podSelector:
    matchLabels:
  ingress:
  - from:
    - podSelector: {}
`)]);
    expect(c('foo/client[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('default/client[Pod]', 'default/web[Deployment]')).toBe(ALL);
  });
});

describe('05 allow traffic to an application from all namespaces', () => {
  const setup = [ns('secondary'), deploy('default', 'web', { app: 'web' }), pod('secondary', 'client'), pod('third', 'client')];

  test('pod in secondary (and any other namespace) → web.default', () => {
    const { c } = reach([...setup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-all-namespaces, namespace: default }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress: [ { from: [ { namespaceSelector: {} } ] } ]
`)]);
    expect(c('secondary/client[Pod]', 'default/web[Deployment]')).toBe(ALL);
    expect(c('third/client[Pod]', 'default/web[Deployment]')).toBe(ALL);
  });

  test('a rule with no from at all has the same effect', () => {
    const { c } = reach([...setup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-all-namespaces, namespace: default }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [ {} ] }
`)]);
    expect(c('secondary/client[Pod]', 'default/web[Deployment]')).toBe(ALL);
    expect(c('third/client[Pod]', 'default/web[Deployment]')).toBe(ALL);
  });
});

describe('06 allow all traffic from a namespace', () => {
  test('pod in dev ↛ web; pod in prod → web; pod in default ↛ web', () => {
    const { c } = reach([
      ns('dev', { purpose: 'testing' }), ns('prod', { purpose: 'production' }),
      deploy('default', 'web', { app: 'web' }), pod('dev', 'client'), pod('prod', 'client'), pod('default', 'client'),
      ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-prod }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress: [ { from: [ { namespaceSelector: { matchLabels: { purpose: production } } } ] } ]
`)]);
    expect(c('dev/client[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('prod/client[Pod]', 'default/web[Deployment]')).toBe(ALL);
    expect(c('default/client[Pod]', 'default/web[Deployment]')).toBe(NONE);
  });
});

describe('07 allow traffic from some pods in another namespace', () => {
  const setup = [
    ns('other', { team: 'operations' }), deploy('default', 'web', { app: 'web' }),
    pod('default', 'plain'), pod('default', 'mon', { type: 'monitoring' }), pod('other', 'plain'), pod('other', 'mon', { type: 'monitoring' }),
  ];
  const outcome = (c: (s: string, d: string) => string) => ['default/plain', 'default/mon', 'other/plain', 'other/mon']
    .filter((p) => c(`${p}[Pod]`, 'default/web[Deployment]') === ALL);

  test('AND: only the monitoring pod of the operations namespace → web', () => {
    const { c } = reach([...setup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-all-ns-monitoring, namespace: default }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { team: operations } }
          podSelector: { matchLabels: { type: monitoring } }
`)]);
    expect(outcome(c)).toEqual(['other/mon']);
  });

  test('OR (two list items): only the unlabelled pod in default stays blocked', () => {
    const { c } = reach([...setup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-all-ns-monitoring, namespace: default }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { team: operations } }
        - podSelector: { matchLabels: { type: monitoring } }
`)]);
    expect(outcome(c)).toEqual(['default/mon', 'other/plain', 'other/mon']);
  });
});

describe('08 allow traffic from external clients', () => {
  const setup = [deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } }];

  test('external clients (any address) → web', () => {
    const { r, c } = reach([...setup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-external }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [ {} ] }
`)]);
    expect(c('0.0.0.0', 'default/web[Deployment]')).toBe(ALL);
    expect(c('255.255.255.255', 'default/web[Deployment]')).toBe(ALL);
    expect(r.connections.filter((x) => x.src.kind === 'External').map((x) => `${x.src.id} ${x.conns}`)).toEqual(['0.0.0.0-255.255.255.255[External] All Connections']);
  });

  test('variant: only port 80, from anywhere', () => {
    const { c } = reach([...setup, pod('default', 'client'), ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-allow-external }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [ { ports: [ { port: 80 } ] } ] }
`)]);
    expect(c('8.8.8.8', 'default/web[Deployment]')).toBe('TCP 80');
    expect(c('default/client[Pod]', 'default/web[Deployment]')).toBe('TCP 80');
  });
});

describe('09 allow traffic only to a port', () => {
  const run = (portYaml: string) => reach([
    deploy('default', 'apiserver', { app: 'apiserver' }, [{ containerPort: 8000 }, { containerPort: 5000, name: 'api-port' }]),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'apiserver' }, spec: { ports: [{ port: 8001, targetPort: 8000 }, { port: 5001, targetPort: 5000 }] } },
    pod('default', 'plain'), pod('default', 'mon', { role: 'monitoring' }),
    ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api-allow-5000 }
spec:
  podSelector: { matchLabels: { app: apiserver } }
  ingress: [ { ports: [ { port: ${portYaml} } ], from: [ { podSelector: { matchLabels: { role: monitoring } } } ] } ]
`)]).c;

  test('unlabelled pod ↛ apiserver; role=monitoring → apiserver on 5000 only (pod ports, never Service ports)', () => {
    const c = run('5000');
    expect(c('default/plain[Pod]', 'default/apiserver[Deployment]')).toBe(NONE);
    expect(c('default/mon[Pod]', 'default/apiserver[Deployment]')).toBe('TCP 5000');
  });

  test('named variant: port api-port behaves the same', () => {
    const c = run('api-port');
    expect(c('default/plain[Pod]', 'default/apiserver[Deployment]')).toBe(NONE);
    expect(c('default/mon[Pod]', 'default/apiserver[Deployment]')).toBe('TCP 5000');
  });
});

describe('10 several selectors (OR)', () => {
  test('app=inventory,role=web → db:6379; app=other ↛ db', () => {
    const { c } = reach([
      deploy('default', 'db', { app: 'bookstore', role: 'db' }, [{ containerPort: 6379 }]),
      pod('default', 'inventory', { app: 'inventory', role: 'web' }), pod('default', 'other', { app: 'other' }),
      ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: redis-allow-services }
spec:
  podSelector: { matchLabels: { app: bookstore, role: db } }
  ingress:
    - from:
        - podSelector: { matchLabels: { app: bookstore, role: search } }
        - podSelector: { matchLabels: { app: bookstore, role: api } }
        - podSelector: { matchLabels: { app: inventory, role: web } }
`)]);
    expect(c('default/inventory[Pod]', 'default/db[Deployment]')).toBe(ALL);
    expect(c('default/other[Pod]', 'default/db[Deployment]')).toBe(NONE);
  });
});

const dnsSetup = [
  ns('kube-system'), deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, name: 'dns-tcp' }]),
  deploy('default', 'web', { app: 'web' }, [{ containerPort: 80 }]), pod('default', 'foo', { app: 'foo' }), pod('other', 'any'),
];
const FOO_DNS_ONLY = `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: foo-deny-external-egress }
spec:
  podSelector: { matchLabels: { app: foo } }
  policyTypes: [ Egress ]
  egress:
    - to:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
          podSelector: { matchLabels: { k8s-app: kube-dns } }
      ports: [ { port: 53, protocol: UDP }, { port: 53, protocol: TCP } ]
`;

describe('11 deny egress from an application', () => {
  test('app=foo ↛ web, ↛ external, ↛ kube-dns', () => {
    const { c } = reach([...dnsSetup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: foo-deny-egress }
spec: { podSelector: { matchLabels: { app: foo } }, policyTypes: [ Egress ], egress: [] }
`)]);
    expect(c('default/foo[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('default/foo[Pod]', '8.8.8.8')).toBe(NONE);
    expect(c('default/foo[Pod]', 'kube-system/coredns[Deployment]')).toBe(NONE);
    expect(c('default/web[Deployment]', 'default/foo[Pod]')).toBe(ALL);
  });

  test('second version: app=foo → kube-dns on UDP 53 and TCP 53 only; still ↛ web and ↛ external', () => {
    const { c } = reach([...dnsSetup, ...yaml(FOO_DNS_ONLY)]);
    expect(c('default/foo[Pod]', 'kube-system/coredns[Deployment]')).toBe('TCP 53,UDP 53');
    expect(c('default/foo[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('default/foo[Pod]', '8.8.8.8')).toBe(NONE);
  });
});

describe('12 deny all non-whitelisted egress from a namespace', () => {
  const policy = `
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: default-deny-all-egress, namespace: default }
spec: { podSelector: {}, policyTypes: [ Egress ], egress: [] }
`;

  test('no pod of default can send anything, DNS included', () => {
    const { c } = reach([...dnsSetup, ...yaml(policy)]);
    expect(c('default/foo[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('default/web[Deployment]', 'kube-system/coredns[Deployment]')).toBe(NONE);
    expect(c('default/web[Deployment]', '1.1.1.1')).toBe(NONE);
    expect(c('other/any[Pod]', 'default/web[Deployment]')).toBe(ALL);
  });

  test('unless another policy allows it', () => {
    const { c } = reach([...dnsSetup, ...yaml(policy), ...yaml(FOO_DNS_ONLY)]);
    expect(c('default/foo[Pod]', 'kube-system/coredns[Deployment]')).toBe('TCP 53,UDP 53');
    expect(c('default/web[Deployment]', 'kube-system/coredns[Deployment]')).toBe(NONE);
  });
});

describe('14 deny external egress', () => {
  test('the YAML as it stands: app=foo → kube-dns on 53 only, ↛ web, ↛ external', () => {
    const { c } = reach([...dnsSetup, ...yaml(FOO_DNS_ONLY)]);
    expect(c('default/foo[Pod]', 'kube-system/coredns[Deployment]')).toBe('TCP 53,UDP 53');
    expect(c('default/foo[Pod]', 'default/web[Deployment]')).toBe(NONE);
    expect(c('default/foo[Pod]', 'other/any[Pod]')).toBe(NONE);
    expect(c('default/foo[Pod]', '8.8.8.8')).toBe(NONE);
  });

  test('the older variant: app=foo → any pod in any namespace, → UDP/TCP 53 anywhere, ↛ external on other ports', () => {
    const { r, c } = reach([...dnsSetup, ...yaml(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: foo-deny-external-egress }
spec:
  podSelector: { matchLabels: { app: foo } }
  policyTypes: [ Egress ]
  egress:
    - ports: [ { port: 53, protocol: UDP }, { port: 53, protocol: TCP } ]
    - to: [ { namespaceSelector: {} } ]
`)]);
    expect(c('default/foo[Pod]', 'default/web[Deployment]')).toBe(ALL);
    expect(c('default/foo[Pod]', 'other/any[Pod]')).toBe(ALL);
    expect(c('default/foo[Pod]', 'kube-system/coredns[Deployment]')).toBe(ALL);
    expect(c('default/foo[Pod]', '8.8.8.8')).toBe('TCP 53,UDP 53');
    expect(r.connections.filter((x) => x.src.id === 'default/foo[Pod]' && x.dst.kind === 'External').map((x) => `${x.dst.id} : ${x.conns}`))
      .toEqual(['0.0.0.0-255.255.255.255[External] : TCP 53,UDP 53']);
  });
});
