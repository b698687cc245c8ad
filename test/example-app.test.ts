import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Chart } from 'cdk8s';
import { IsolatedTenant, TenancyApp } from '../src';
import { analyze } from '../src/analysis';
import { buildExampleApp, EXAMPLE_SETTINGS } from '../src/main';
import { validateObjects } from './support/schema';
import { find, listFiles, ofKind, tmpdir } from './support/util';

const DIST = path.join(__dirname, '..', 'dist');

function freshFiles(): Map<string, string> {
  const app = new TenancyApp({ ...EXAMPLE_SETTINGS, outdir: tmpdir() });
  buildExampleApp(app);
  return app.synthFiles();
}

function distObjects(): any[] {
  return listFiles(DIST).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(DIST, f), 'utf8')) as any[]);
}

describe('the example app', () => {
  const files = freshFiles();
  const objects = [...files.values()].flatMap((text) => yaml.loadAll(text) as any[]);

  test('snapshot of the whole app', () => {
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });

  test('dist/ equals a fresh synth (run `npm run synth` and commit dist/ when this fails)', () => {
    expect(listFiles(DIST)).toEqual([...files.keys()].sort());
    for (const [name, text] of files) {
      expect(`${name}:\n${fs.readFileSync(path.join(DIST, name), 'utf8')}`).toBe(`${name}:\n${text}`);
    }
  });

  test('two synths are byte-identical', () => {
    expect(freshFiles()).toEqual(files);
  });

  test('every object in dist/ validates against the Kubernetes API schema, unknown fields included', () => {
    const all = distObjects();
    expect(all.length).toBeGreaterThan(0);
    expect(validateObjects(all)).toEqual([]);
  });

  test('the schema check catches unknown fields and wrong types', () => {
    const bad = JSON.parse(JSON.stringify(distObjects()));
    const np = bad.find((o: any) => o.kind === 'NetworkPolicy');
    np.spec.podSelecter = {};
    const dep = bad.find((o: any) => o.kind === 'Deployment');
    dep.spec.replicas = 'one';
    const problems = validateObjects(bad);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/replicas/);
    delete dep.spec.replicas;
    dep.spec.replicas = 1;
    expect(validateObjects(bad).join('\n')).toMatch(/'"podSelecter"' does not exist in type 'INetworkPolicySpec'/);
    delete np.spec.podSelecter;
    const cnp = bad.find((o: any) => o.kind === 'ClusterNetworkPolicy' && o.metadata.name === 'tenancy-baseline');
    cnp.spec.ingress[0].action = 'Allowed';
    cnp.spec.subjekt = {};
    const crdProblems = validateObjects(bad).join('\n');
    expect(crdProblems).toMatch(/ClusterNetworkPolicy\/tenancy-baseline.*action/);
    expect(crdProblems).toMatch(/ClusterNetworkPolicy\/tenancy-baseline.*subjekt/);
    const application = bad.find((o: any) => o.kind === 'Application');
    delete cnp.spec.subjekt;
    cnp.spec.ingress[0].action = 'Deny';
    application.spec.sourse = application.spec.source;
    expect(validateObjects(bad).join('\n')).toMatch(/sourse/);
  });

  test('no metadata.namespace on cluster-scoped objects; every namespaced object in its file\'s namespace; Namespaces first', () => {
    const topLevel = [...files.keys()].filter((f) => !f.includes('/'));
    expect(topLevel).toEqual(['+cluster.k8s.yaml', 'acme.k8s.yaml', 'acme-data.k8s.yaml', 'customer1.k8s.yaml', 'customer2.k8s.yaml', 'shop.k8s.yaml']);
    // +cluster.k8s.yaml sorts first (kubectl applies a folder in lexical order): the Namespaces, then the other cluster-scoped objects
    const cluster = yaml.loadAll(files.get('+cluster.k8s.yaml')!) as any[];
    expect(cluster.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/acme', 'Namespace/acme-data', 'Namespace/customer1', 'Namespace/customer2', 'Namespace/shop',
      'ClusterRole/tenancy-owner',
      'ValidatingAdmissionPolicy/tenancy-protect-managed-objects', 'ValidatingAdmissionPolicy/tenancy-restrict-network-policies',
      'ValidatingAdmissionPolicyBinding/tenancy-protect-managed-objects', 'ValidatingAdmissionPolicyBinding/tenancy-restrict-network-policies',
    ]);
    for (const d of cluster) expect(d.metadata.namespace).toBeUndefined();
    for (const name of topLevel.slice(1)) {
      const docs = yaml.loadAll(files.get(name)!) as any[];
      const ns = name.replace('.k8s.yaml', '');
      for (const d of docs) expect(d.metadata.namespace).toBe(ns);
      for (const d of docs) expect(d.apiVersion).toMatch(/^(v1|apps\/v1|networking\.k8s\.io\/v1|rbac\.authorization\.k8s\.io\/v1)$/);
    }
    // custom resources, which need their CRDs, are kept out of the top level that `kubectl apply -f dist/` reads
    expect([...files.keys()].filter((f) => f.includes('/'))).toEqual(['custom-resources/+bootstrap.k8s.yaml', 'custom-resources/+cluster.k8s.yaml', 'custom-resources/argocd.k8s.yaml']);
    const cnps = yaml.loadAll(files.get('custom-resources/+cluster.k8s.yaml')!) as any[];
    expect(cnps.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ['ClusterNetworkPolicy', 'tenancy-baseline', undefined],
      ['ClusterNetworkPolicy', 'tenant-acme', undefined],
      ['ClusterNetworkPolicy', 'tenant-customer1', undefined],
      ['ClusterNetworkPolicy', 'tenant-customer2', undefined],
      ['ClusterNetworkPolicy', 'tenant-shop', undefined],
    ]);
    for (const f of ['custom-resources/+bootstrap.k8s.yaml', 'custom-resources/argocd.k8s.yaml']) {
      for (const o of yaml.loadAll(files.get(f)!) as any[]) expect(o.metadata.namespace).toBe('argocd');
    }
  });

  test('every tenant is isolated at the Admin tier, one priority for all, subjects pinned by name', () => {
    for (const [tenant, namespaces] of [['acme', ['acme', 'acme-data']], ['customer1', ['customer1']], ['customer2', ['customer2']], ['shop', ['shop']]] as const) {
      const cnp = find(objects, 'ClusterNetworkPolicy', `tenant-${tenant}`);
      expect(cnp.spec.tier).toBe('Admin');
      expect(cnp.spec.priority).toBe(500);
      const selector = namespaces.length === 1
        ? { matchLabels: { 'kubernetes.io/metadata.name': namespaces[0] } }
        : { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] }] };
      expect(cnp.spec.subject).toEqual({ namespaces: selector });
      expect(cnp.spec.ingress[0]).toEqual({ name: 'pass-from-own-namespaces', action: 'Pass', from: [{ namespaces: selector }] });
      expect(cnp.spec.ingress[cnp.spec.ingress.length - 1]).toEqual({ name: 'deny-from-other-namespaces', action: 'Deny', from: [{ namespaces: {} }] });
      expect(cnp.spec.egress === undefined).toBe(tenant !== 'acme');
    }
    // acme's grants are passed on, on their ports
    expect(find(objects, 'ClusterNetworkPolicy', 'tenant-acme').spec.ingress[1]).toEqual({
      name: 'pass-from-grants-tcp-8080',
      action: 'Pass',
      from: [
        { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'customer1' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nginx' } } } },
        { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } } },
      ],
      protocols: [{ tcp: { destinationPort: { number: 8080 } } }],
    });
  });

  test('owners cannot undo isolation: the owners\' role without NetworkPolicy writes, and the admission policies', () => {
    const role = find(objects, 'ClusterRole', 'tenancy-owner');
    expect(role.rules.some((r: any) => r.resources.includes('networkpolicies') && r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v)))).toBe(false);
    for (const name of ['tenancy-protect-managed-objects', 'tenancy-restrict-network-policies']) {
      const policy = find(objects, 'ValidatingAdmissionPolicy', name);
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(find(objects, 'ValidatingAdmissionPolicyBinding', name).spec).toEqual({
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } },
      });
    }
  });

  describe('scenario 1: customer1 and customer2', () => {
    test.each(['customer1', 'customer2'])('%s', (ns) => {
      expect(find(objects, 'Namespace', ns).metadata.labels['tenancy.cdk8s.io/tenant']).toBe(ns);
      const dep = find(objects, 'Deployment', 'nginx', ns);
      expect(dep.spec.template.spec.containers[0].image).toBe('nginx');
      expect(dep.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
      const svc = find(objects, 'Service', 'nginx', ns);
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
      expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
      const policies = ofKind(objects, 'NetworkPolicy', ns);
      expect(policies.map((p) => p.metadata.name)).toEqual(['deny-from-other-namespaces']);
      expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    });
  });

  describe('acme: a tenant using every option', () => {
    const r = analyze(objects);

    test('two namespaces, restricted Pod Security, quota, owners', () => {
      for (const ns of ['acme', 'acme-data']) {
        const n = find(objects, 'Namespace', ns);
        expect(n.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('acme');
        expect(n.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
        expect(find(objects, 'ResourceQuota', 'tenant-quota', ns).spec.hard).toMatchObject({ pods: 10, 'services.loadbalancers': 0, 'services.nodeports': 0 });
        expect(find(objects, 'LimitRange', 'tenant-limits', ns).spec.limits[0].type).toBe('Container');
        const owners = find(objects, 'RoleBinding', 'tenant-owners', ns);
        expect(owners.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tenancy-owner' });
        expect(owners.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'acme-admins' }]);
        expect(find(objects, 'RoleBinding', 'tenant-viewers', ns).roleRef.name).toBe('view');
        expect(ofKind(objects, 'NetworkPolicy', ns).map((p) => p.metadata.name).sort()).toEqual(ns === 'acme'
          ? ['allow-from-external', 'allow-from-ingress-controller', 'allow-to-internet', 'allow-web-from-customer1-nginx', 'deny-from-other-namespaces', 'restrict-egress']
          : ['allow-from-external', 'allow-from-ingress-controller', 'allow-to-internet', 'deny-from-other-namespaces', 'restrict-egress']);
      }
    });

    test('reachability: free inside the tenant, closed to other tenants but the declared grant', () => {
      expect(r.between('acme/web', 'acme-data/api').isAll()).toBe(true);
      expect(r.between('acme-data/api', 'acme/web').isAll()).toBe(true);
      expect(r.between('customer1/nginx', 'acme/web').toString()).toBe('TCP 8080');
      expect(r.between('customer1/nginx', 'acme-data/api').isEmpty()).toBe(true);
      expect(r.between('customer2/nginx', 'acme/web').isEmpty()).toBe(true);
      expect(r.between('shop/webapp', 'acme/web').isEmpty()).toBe(true);
      expect(r.between('acme/web', 'customer1/nginx').isEmpty()).toBe(true); // acme isolates egress
      expect(r.between('acme/web', '8.8.8.8').toString()).toBe('TCP 443');
      expect(r.between('acme/web', '10.1.2.3').isEmpty()).toBe(true);
      expect(r.between('acme/web', '169.254.169.254').isEmpty()).toBe(true);
      expect(r.between('203.0.113.9', 'acme/web').toString()).toBe('TCP 8080');
      expect(r.between('198.51.100.1', 'acme/web').isEmpty()).toBe(true);
    });

    test('scenario tenants stay exactly isolated', () => {
      expect(r.between('customer1/nginx', 'customer2/nginx').isEmpty()).toBe(true);
      expect(r.between('customer2/nginx', 'customer1/nginx').isEmpty()).toBe(true);
      expect(r.between('shop/webapp', 'shop/database').toString()).toBe('TCP 5000');
      for (const w of r.workloads) {
        if (w.id !== 'shop/webapp[Deployment]') expect(r.between(w.id, 'shop/database').isEmpty()).toBe(true);
      }
      expect(r.between('8.8.8.8', 'shop/database').isEmpty()).toBe(true);
    });

    test('Argo CD: project confined to the tenant\'s namespaces, application syncing exactly its files, sync waves', () => {
      const project = find(objects, 'AppProject', 'acme', 'argocd');
      expect(project.spec.destinations).toEqual([
        { namespace: 'acme', server: 'https://kubernetes.default.svc' },
        { namespace: 'acme-data', server: 'https://kubernetes.default.svc' },
      ]);
      expect(project.spec.sourceRepos).toEqual(['https://git.example.com/platform/tenants.git']);
      expect(project.spec.clusterResourceWhitelist).toEqual([]);
      expect(project.spec.clusterResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
      expect(project.spec.orphanedResources).toEqual({ warn: true });
      const application = find(objects, 'Application', 'acme', 'argocd');
      expect(application.spec.project).toBe('acme');
      expect(application.spec.source).toEqual({ repoURL: 'https://git.example.com/platform/tenants.git', targetRevision: 'main', path: 'dist', directory: { include: '{acme.k8s.yaml,acme-data.k8s.yaml}' } });
      const wave = (o: any) => o.metadata.annotations['argocd.argoproj.io/sync-wave'];
      expect(wave(find(objects, 'Namespace', 'acme'))).toBe('-3');
      expect(wave(find(objects, 'ResourceQuota', 'tenant-quota', 'acme'))).toBe('-2');
      expect(wave(find(objects, 'NetworkPolicy', 'deny-from-other-namespaces', 'acme'))).toBe('-1');
      expect(wave(find(objects, 'Deployment', 'web', 'acme'))).toBe('0');
      // tenants without Argo CD carry no sync waves on their own objects (their Namespaces are the platform's)
      expect(find(objects, 'NetworkPolicy', 'deny-from-other-namespaces', 'customer1').metadata.annotations).toBeUndefined();
      expect(wave(find(objects, 'Namespace', 'customer1'))).toBe('-3');
      // the platform's Application syncs the Namespaces, the cluster-wide objects and the tenants' Argo CD objects
      const platform = find(objects, 'Application', 'tenancy-platform', 'argocd');
      expect(platform.spec.source.directory).toEqual({ recurse: true, include: '{+cluster.k8s.yaml,custom-resources/+cluster.k8s.yaml,custom-resources/argocd.k8s.yaml}' });
      expect(wave(project)).toBe('-1');
      expect(wave(application)).toBe('0');
    });

    test('the cluster baseline denies tenant-to-tenant ingress below the namespace policies', () => {
      const banp = find(objects, 'ClusterNetworkPolicy', 'tenancy-baseline');
      expect(banp.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
      expect(banp.spec.tier).toBe('Baseline');
      expect(banp.metadata.namespace).toBeUndefined();
      expect(banp.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } });
      expect(banp.spec.ingress).toEqual([{ name: 'deny-from-tenant-namespaces', action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } }] }]);
    });
  });

  describe('the example app\'s settings (issue 8)', () => {
    test('ingress-nginx is the platform\'s: no tenant may take the namespace acme admits the controller from', () => {
      const app = new TenancyApp({ ...EXAMPLE_SETTINGS, outdir: tmpdir() });
      buildExampleApp(app);
      expect(() => new IsolatedTenant(app.node.findChild('tenancy') as Chart, 'evil', { extraNamespaces: ['ingress-nginx'] })).toThrow(
        '[tenancy/evil] namespace "ingress-nginx" is declared a platform namespace (platformNamespaces)');
    });

    test('acme declares its egress: DNS and HTTPS to the internet, on both namespaces', () => {
      for (const ns of ['acme', 'acme-data']) {
        expect(JSON.parse(find(objects, 'Namespace', ns).metadata.annotations['tenancy.cdk8s.io/egress-grants'])).toEqual([
          { ports: [{ port: 443, protocol: 'TCP' }], to: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } },
          { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } },
        ]);
      }
      expect(find(objects, 'Namespace', 'customer1').metadata.annotations['tenancy.cdk8s.io/egress-grants']).toBeUndefined();
    });
  });

  test('scenario 2: shop with deny-communication and db-webapp', () => {
    const policies = ofKind(objects, 'NetworkPolicy', 'shop');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['db-webapp', 'deny-communication']);
    expect(find(objects, 'NetworkPolicy', 'deny-communication', 'shop').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(find(objects, 'NetworkPolicy', 'db-webapp', 'shop').spec).toEqual({
      podSelector: { matchLabels: { app: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'webapp' } } }], ports: [{ protocol: 'TCP', port: 5000 }] }],
    });
    expect(find(objects, 'Deployment', 'webapp', 'shop').spec.template.metadata.labels.app).toBe('webapp');
    const db = find(objects, 'Deployment', 'database', 'shop');
    expect(db.spec.template.metadata.labels.app).toBe('database');
    expect(db.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 5000, protocol: 'TCP' }]);
  });
});
