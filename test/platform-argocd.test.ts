import * as fs from 'fs';
import * as path from 'path';
import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { Chart } from 'cdk8s';
import { IsolatedTenant, TenancyApp } from '../src';
import {
  ClusterBaseline, OWNER_ROLE_NAME, OwnerRole, PLATFORM_NAME, PlatformArgoCd, TenantArgoCd, TenantProtection,
} from '../src/tenant-extras';
import { validateObjects } from './support/schema';
import { find, newChart, readDir, synth, synthApp, tmpdir } from './support/util';

const WAVE = 'argocd.argoproj.io/sync-wave';
const REPO = 'https://github.com/acme/platform.git';

/** Two tenants with Argo CD, owners bound to the package's role, protection, baseline and admin isolation. */
function build(chart: Chart): void {
  new OwnerRole(chart, 'OwnerRole');
  for (const name of ['customer1', 'customer2']) {
    new IsolatedTenant(chart, name, { owners: { groups: [`${name}-admins`], clusterRole: OWNER_ROLE_NAME }, adminIsolation: {}, argoCd: { repoURL: REPO, autoSync: true } });
  }
  new ClusterBaseline(chart, 'Baseline');
  new TenantProtection(chart, 'Protection');
  new PlatformArgoCd(chart, 'Platform', { repoURL: REPO, targetRevision: 'main', autoSync: true });
}

describe('PlatformArgoCd', () => {
  test('an AppProject and an Application that sync the Namespaces, the cluster-wide objects and the tenants\' Argo CD objects, in that order', () => {
    // GIVEN a TenancyApp (plain Apps: test/plain-app.test.ts)
    const chart = new Chart(new TenancyApp({ outdir: tmpdir() }), 'test');
    // WHEN
    build(chart);
    const objects = synth(chart);

    // THEN
    const project = find(objects, 'AppProject', PLATFORM_NAME, 'argocd');
    const app = find(objects, 'Application', PLATFORM_NAME, 'argocd');
    expect([project, app]).toMatchSnapshot();
    expect(project.spec.sourceRepos).toEqual([REPO]);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    // exactly the kinds the app writes, nothing more
    expect(project.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
      { group: 'policy.networking.k8s.io', kind: 'ClusterNetworkPolicy' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: 'argoproj.io', kind: 'AppProject' }, { group: 'argoproj.io', kind: 'Application' }]);
    expect(project.spec.roles).toBeUndefined();
    expect(app.spec).toEqual({
      project: PLATFORM_NAME,
      source: {
        repoURL: REPO, targetRevision: 'main', path: 'dist',
        directory: { recurse: true, include: '{+cluster.k8s.yaml,custom-resources/+cluster.k8s.yaml,custom-resources/argocd.k8s.yaml}' },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    // the bootstrap objects carry no wave (they are applied by hand, not synced)
    expect(project.metadata.annotations).toBeUndefined();
    expect(app.metadata.annotations).toBeUndefined();

    // waves: Namespaces, then cluster-wide objects, then tenant projects, then tenant applications
    const wave = (kind: string, name: string, ns?: string) => Number(find(objects, kind, name, ns).metadata.annotations[WAVE]);
    expect(wave('Namespace', 'customer1')).toBe(-3);
    for (const [kind, name] of [['ClusterRole', OWNER_ROLE_NAME], ['ClusterNetworkPolicy', 'tenant-customer1'], ['ClusterNetworkPolicy', 'tenancy-baseline'],
      ['ValidatingAdmissionPolicy', 'tenancy-protect-managed-objects'], ['ValidatingAdmissionPolicyBinding', 'tenancy-restrict-network-policies']]) {
      expect([kind, name, wave(kind, name)]).toEqual([kind, name, -2]);
    }
    expect(wave('AppProject', 'customer1', 'argocd')).toBe(-1);
    expect(wave('Application', 'customer1', 'argocd')).toBe(0);
    // the tenants' own objects keep the tenant waves
    expect(wave('NetworkPolicy', 'deny-from-other-namespaces', 'customer1')).toBe(-1);

    expect(() => new AppProject(project).validate()).not.toThrow();
    expect(() => new Application(app).validate()).not.toThrow();
    expect(validateObjects(objects)).toEqual([]);
  });

  test('with TenancyApp: the bootstrap file is apart, every file the platform includes exists, and the two Applications split the files between them', () => {
    const outdir = synthApp((a) => build(new Chart(a, 'platform')));
    const files = readDir(outdir);
    expect([...files.keys()]).toEqual([
      '+cluster.k8s.yaml', 'custom-resources/+bootstrap.k8s.yaml', 'custom-resources/+cluster.k8s.yaml', 'custom-resources/argocd.k8s.yaml',
      'customer1.k8s.yaml', 'customer2.k8s.yaml',
    ]);
    expect(files.get('custom-resources/+bootstrap.k8s.yaml')!.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`AppProject/${PLATFORM_NAME}`, `Application/${PLATFORM_NAME}`]);
    const applications = [...files.get('custom-resources/+bootstrap.k8s.yaml')!, ...files.get('custom-resources/argocd.k8s.yaml')!].filter((o) => o.kind === 'Application');
    const includedBy = new Map<string, string>();
    for (const app of applications) {
      for (const f of (app.spec.source.directory.include as string).slice(1, -1).split(',')) {
        expect(fs.existsSync(path.join(outdir, f))).toBe(true);
        expect(includedBy.get(f)).toBeUndefined(); // no file synced by two Applications
        includedBy.set(f, app.metadata.name);
      }
    }
    // every file but the bootstrap is synced by exactly one Application
    expect([...includedBy.keys()].sort()).toEqual([...files.keys()].filter((f) => f !== 'custom-resources/+bootstrap.k8s.yaml').sort());
    // the platform's files hold only cluster-scoped objects and Argo CD's; the tenants', only their namespaced objects
    for (const [file, docs] of files) {
      const owner = includedBy.get(file);
      for (const d of docs) {
        if (owner === PLATFORM_NAME) expect(d.metadata.namespace === undefined || d.metadata.namespace === 'argocd').toBe(true);
        else if (owner) expect(d.metadata.namespace).toBe(owner);
      }
    }
  });

  describe('bad input', () => {
    test('a second PlatformArgoCd', () => {
      const chart = newChart();
      new PlatformArgoCd(chart, 'Platform', { repoURL: REPO });
      expect(() => new PlatformArgoCd(chart, 'Again', { repoURL: REPO })).toThrow('[test/Again] a PlatformArgoCd is already defined at test/Platform: one Application syncs the platform\'s objects. Remove this one.');
    });

    test.each([
      [{ repoURL: '' }, '[test/Platform] repoURL "" is not a repository URL. Give the Git repository that holds the synthesized files, e.g. "https://github.com/acme/platform.git".'],
      [{ repoURL: REPO, argoNamespace: 'Argo' }, '[test/Platform] argoNamespace "Argo" is not a valid RFC 1123 label'],
      [{ repoURL: REPO, path: '../x' }, '[test/Platform] path "../x" must be a folder relative to the repository root, e.g. "dist".'],
    ])('%j', (props, message) => {
      expect(() => new PlatformArgoCd(newChart(), 'Platform', props)).toThrow(message);
    });

    test('Argo CD\'s namespace taken by a tenant', () => {
      const chart = newChart();
      new IsolatedTenant(chart, 'gitops');
      new PlatformArgoCd(chart, 'Platform', { repoURL: REPO, argoNamespace: 'gitops' });
      expect(() => synth(chart)).toThrow('[test/Platform] argoNamespace "gitops" is a namespace of tenant "gitops" (test/gitops): its owners would control every AppProject and Application of the platform. Use Argo CD\'s own namespace, and declare it the platform\'s (platformNamespaces).');
    });

    test('a tenant Argo CD without the platform\'s fails synth (see TenantArgoCd)', () => {
      const chart = newChart();
      new TenantArgoCd(new IsolatedTenant(chart, 'customer1'), 'ArgoCd', { repoURL: REPO });
      expect(() => synth(chart)).toThrow(/this app has none/);
    });
  });
});
