import * as fs from 'fs';
import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IsolatedTenant, TenancyApp, TenantIsolation } from '../src';
import { PlatformArgoCd, TenantArgoCd, TenantOwners, TenantQuota } from '../src/tenant-extras';
import { validateObjects } from './support/schema';
import { find, ofKind, readDir, synth, synthApp, tmpdir } from './support/util';

const WAVE = 'argocd.argoproj.io/sync-wave';
const REPO = 'https://github.com/acme/platform.git';

describe('TenantArgoCd', () => {
  let chart: Chart;
  let tenant: IsolatedTenant;
  beforeEach(() => {
    // In a TenancyApp, whose files are one per namespace (plain Apps: test/plain-app.test.ts).
    chart = new Chart(new TenancyApp({ outdir: tmpdir() }), 'test');
    tenant = new IsolatedTenant(chart, 'customer1');
  });
  /** The platform's Argo CD, which every tenant's needs. */
  const platform = (props: { argoNamespace?: string; server?: string } = {}) => new PlatformArgoCd(chart, 'Platform', { repoURL: REPO, ...props });

  test('an AppProject confined to the tenant namespace and an Application for its file', () => {
    // GIVEN
    platform();
    tenant.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
    // WHEN
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    const objects = synth(chart);

    // THEN
    expect(objects).toMatchSnapshot();
    const project = find(objects, 'AppProject', 'customer1', 'argocd');
    expect(project.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'customer1' }]);
    expect(project.spec.sourceRepos).toEqual([REPO]);
    // no cluster-scoped object at all: the Namespace comes from the platform's Application
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.clusterResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
    expect(project.spec.namespaceResourceBlacklist).toBeUndefined();
    expect(project.spec.orphanedResources).toEqual({ warn: true });
    expect(project.spec.roles).toBeUndefined();
    expect(project.spec.sourceNamespaces).toBeUndefined();
    expect(project.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');

    const app = find(objects, 'Application', 'customer1', 'argocd');
    expect(app.spec).toEqual({
      project: 'customer1',
      source: { repoURL: REPO, targetRevision: 'HEAD', path: 'dist', directory: { include: '{customer1.k8s.yaml}' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'customer1' },
    });
    expect(app.spec.syncPolicy).toBeUndefined();
    expect(app.metadata.labels['tenancy.cdk8s.io/tenant']).toBe('customer1');
    // the Argo CD objects are synced by the platform's Application, after the Namespaces and cluster-wide objects
    expect(project.metadata.annotations).toEqual({ [WAVE]: '-1' });
    expect(app.metadata.annotations).toEqual({ [WAVE]: '0' });
    expect(Number(find(objects, 'Namespace', 'customer1').metadata.annotations[WAVE])).toBeLessThan(-1);

    // the maintained models accept both
    expect(() => new AppProject(project).validate()).not.toThrow();
    expect(() => new Application(app).validate()).not.toThrow();
    expect(validateObjects([project, app])).toEqual([]);
  });

  test('sync waves: Namespace, then quota/limits/RBAC, then policies, then workloads — objects added later too', () => {
    // GIVEN the Argo CD constructs first
    platform();
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    // WHEN everything else is added after it
    new TenantQuota(tenant, 'Quota');
    new TenantOwners(tenant, 'Owners', { groups: ['devs'] });
    tenant.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
    const objects = synth(chart);

    // THEN
    const wave = (kind: string, name: string) => find(objects, kind, name).metadata.annotations?.[WAVE];
    expect(wave('Namespace', 'customer1')).toBe('-3');
    expect(wave('ResourceQuota', 'tenant-quota')).toBe('-2');
    expect(wave('LimitRange', 'tenant-limits')).toBe('-2');
    expect(wave('RoleBinding', 'tenant-owners')).toBe('-2');
    expect(wave('NetworkPolicy', 'deny-from-other-namespaces')).toBe('-1');
    expect(wave('Deployment', 'web')).toBe('0');
    expect(wave('Service', 'web')).toBe('0');
    // every object of the tenant has a wave, and none runs before its protection
    const tenantObjects = objects.filter((o) => o.kind !== 'AppProject' && o.kind !== 'Application');
    for (const o of tenantObjects) expect(o.metadata.annotations?.[WAVE]).toMatch(/^-?\d$/);
    const maxWave = (kinds: string[]) => Math.max(...tenantObjects.filter((o) => kinds.includes(o.kind)).map((o) => Number(o.metadata.annotations[WAVE])));
    const minWave = (kinds: string[]) => Math.min(...tenantObjects.filter((o) => kinds.includes(o.kind)).map((o) => Number(o.metadata.annotations[WAVE])));
    expect(maxWave(['Namespace'])).toBeLessThan(minWave(['ResourceQuota', 'LimitRange', 'RoleBinding']));
    expect(maxWave(['ResourceQuota', 'LimitRange', 'RoleBinding'])).toBeLessThan(minWave(['NetworkPolicy']));
    expect(maxWave(['NetworkPolicy'])).toBeLessThan(minWave(['Deployment', 'Service']));
    // the Namespace keeps its other annotations
    expect(find(objects, 'Namespace', 'customer1').metadata.annotations['tenancy.cdk8s.io/ingress-grants']).toBe('[]');
  });

  test('the models\' validators do reject a broken body (so the checks above are real)', () => {
    platform();
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    const app = find(synth(chart), 'Application', 'customer1');
    const { project: _dropped, ...specWithoutProject } = app.spec;
    expect(_dropped).toBe('customer1');
    expect(() => new Application({ ...app, spec: specWithoutProject }).validate()).toThrow(/project/);
    expect(() => new AppProject({ ...find(synth(chart), 'AppProject', 'customer1'), spec: { sourceRepos: 'x' } } as any).validate()).toThrow(/sourceRepos/);
  });

  test('objects in the tenant namespace but outside the tenant construct get waves too', () => {
    new k8s.KubeConfigMap(chart, 'Settings', { metadata: { name: 'settings', namespace: 'customer1' }, data: { a: 'b' } });
    new k8s.KubeRoleBinding(chart, 'Extra', {
      metadata: { name: 'extra', namespace: 'customer1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'x', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    platform();
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    const objects = synth(chart);
    expect(find(objects, 'ConfigMap', 'settings').metadata.annotations[WAVE]).toBe('0');
    expect(find(objects, 'RoleBinding', 'extra').metadata.annotations[WAVE]).toBe('-2');
  });

  test('another tenant\'s objects get no wave from this one (its Namespace is the platform\'s)', () => {
    const other = new IsolatedTenant(chart, 'customer2');
    platform();
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'deny-from-other-namespaces', 'customer2').metadata.annotations).toBeUndefined();
    expect(find(objects, 'Namespace', 'customer2').metadata.annotations[WAVE]).toBe('-3');
    expect(other.namespace).toBe('customer2');
  });

  test('synthesizing twice is idempotent', () => {
    platform();
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    expect(synth(chart)).toEqual(synth(chart));
  });

  test('overrides and auto-sync', () => {
    platform({ argoNamespace: 'gitops', server: 'https://prod.example.com:6443' });
    new TenantArgoCd(tenant, 'ArgoCd', {
      repoURL: REPO, targetRevision: 'v1.2.0', path: 'manifests/dist', argoNamespace: 'gitops',
      server: 'https://prod.example.com:6443', autoSync: true,
    });
    const objects = synth(chart);
    const project = find(objects, 'AppProject', 'customer1', 'gitops');
    expect(project.spec.destinations).toEqual([{ server: 'https://prod.example.com:6443', namespace: 'customer1' }]);
    const app = find(objects, 'Application', 'customer1', 'gitops');
    expect(app.spec.source).toEqual({ repoURL: REPO, targetRevision: 'v1.2.0', path: 'manifests/dist', directory: { include: '{customer1.k8s.yaml}' } });
    expect(app.spec.destination).toEqual({ server: 'https://prod.example.com:6443', namespace: 'customer1' });
    expect(app.spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true } });
    expect(() => new Application(app).validate()).not.toThrow();
  });

  test('several namespaces: a destination each and a brace list of files', () => {
    Object.defineProperty(tenant, 'namespaces', { get: () => ['customer1', 'customer1-data'] });
    platform();
    new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
    const objects = synth(chart);
    expect(find(objects, 'AppProject', 'customer1').spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'customer1' },
      { server: 'https://kubernetes.default.svc', namespace: 'customer1-data' },
    ]);
    expect(find(objects, 'Application', 'customer1').spec.source.directory).toEqual({ include: '{customer1.k8s.yaml,customer1-data.k8s.yaml}' });
  });

  test('with TenancyApp: the include names exactly the tenant\'s file, the Argo CD objects go to custom-resources/argocd.k8s.yaml', () => {
    const outdir = synthApp((app) => {
      const c = new Chart(app, 'platform');
      new PlatformArgoCd(c, 'Platform', { repoURL: REPO });
      const t1 = new IsolatedTenant(c, 'customer1');
      t1.addWorkload('web', { image: 'nginxinc/nginx-unprivileged', port: 8080, runAsNonRoot: true });
      new TenantArgoCd(t1, 'ArgoCd', { repoURL: REPO });
      const t2 = new IsolatedTenant(c, 'customer2', { isolation: TenantIsolation.POD });
      new TenantArgoCd(t2, 'ArgoCd', { repoURL: REPO });
    });
    const files = readDir(outdir);
    expect([...files.keys()]).toEqual(['+cluster.k8s.yaml', 'custom-resources/+bootstrap.k8s.yaml', 'custom-resources/argocd.k8s.yaml', 'customer1.k8s.yaml', 'customer2.k8s.yaml']);
    // the tenants' files hold no cluster-scoped object, which their projects could not sync
    for (const ns of ['customer1', 'customer2']) {
      for (const o of files.get(`${ns}.k8s.yaml`)!) expect(o.metadata.namespace).toBe(ns);
    }
    const argo = files.get('custom-resources/argocd.k8s.yaml')!;
    for (const app of ofKind(argo, 'Application')) {
      const include: string = app.spec.source.directory.include;
      const names = include.slice(1, -1).split(',');
      expect(names).toEqual([`${app.metadata.name}.k8s.yaml`]);
      for (const n of names) expect(fs.existsSync(`${outdir}/${n}`)).toBe(true);
    }
    // in the tenant's file, waves never decrease (TenancyApp orders by kind the same way)
    const waves = files.get('customer1.k8s.yaml')!.map((o) => Number(o.metadata.annotations[WAVE]));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(validateObjects(argo)).toEqual([]);
  });

  describe('bad input', () => {
    test('no PlatformArgoCd in the app: nothing would sync the tenant\'s Namespace', () => {
      new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
      expect(() => synth(chart)).toThrow(`[test/customer1/ArgoCd] tenant "customer1"'s Namespaces are synced by the platform's Argo CD Application, and this app has none: the tenant's project may create no cluster-scoped object. Add new PlatformArgoCd(chart, 'argocd', { repoURL: '${REPO}' }) once in the app.`);
    });

    test('another Argo CD namespace or cluster than the platform\'s', () => {
      platform();
      new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO, argoNamespace: 'gitops' });
      expect(() => synth(chart)).toThrow('[test/customer1/ArgoCd] argoNamespace "gitops" and server "https://kubernetes.default.svc" must be those of the PlatformArgoCd at test/Platform ("argocd", "https://kubernetes.default.svc"), which syncs this tenant\'s Namespaces, AppProject and Application. Use the same values.');
    });

    test('a namespace added after the construct', () => {
      platform();
      new TenantArgoCd(tenant, 'ArgoCd', { repoURL: REPO });
      Object.defineProperty(tenant, 'namespaces', { get: () => ['customer1', 'customer1-late'] });
      expect(() => synth(chart)).toThrow('[test/customer1/ArgoCd] namespace "customer1-late" of tenant "customer1" is missing from the AppProject\'s destinations and the Application\'s files: added after this TenantArgoCd was created. Create the TenantArgoCd after all the tenant\'s namespaces.');
    });


    test.each([
      [{ repoURL: '' }, '[test/customer1/ArgoCd] repoURL "" is not a repository URL. Give the Git repository that holds the synthesized files, e.g. "https://github.com/acme/platform.git".'],
      [{ repoURL: 'https://x y' }, '[test/customer1/ArgoCd] repoURL "https://x y" is not a repository URL. Give the Git repository that holds the synthesized files, e.g. "https://github.com/acme/platform.git".'],
      [{ repoURL: REPO, argoNamespace: 'customer1' }, '[test/customer1/ArgoCd] argoNamespace "customer1" is a namespace of tenant "customer1": the tenant would control its own AppProject. Use Argo CD\'s own namespace, e.g. "argocd".'],
      [{ repoURL: REPO, argoNamespace: 'Argo' }, '[test/customer1/ArgoCd] argoNamespace "Argo" is not a valid RFC 1123 label: use lower-case letters, digits and \'-\', starting and ending with a letter or digit. Did you mean "argo"?'],
      [{ repoURL: REPO, server: 'kubernetes.default.svc' }, '[test/customer1/ArgoCd] server "kubernetes.default.svc" is not a Kubernetes API URL such as "https://kubernetes.default.svc".'],
      [{ repoURL: REPO, path: '/dist' }, '[test/customer1/ArgoCd] path "/dist" must be a folder relative to the repository root, e.g. "dist".'],
      [{ repoURL: REPO, path: '../other' }, '[test/customer1/ArgoCd] path "../other" must be a folder relative to the repository root, e.g. "dist".'],
      [{ repoURL: REPO, targetRevision: '' }, '[test/customer1/ArgoCd] targetRevision "" is not a Git revision such as "HEAD", "main" or "v1.2.0".'],
    ])('%j', (props, message) => {
      expect(() => new TenantArgoCd(tenant, 'ArgoCd', props)).toThrow(message);
    });
  });
});
