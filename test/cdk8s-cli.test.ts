/**
 * The package with the real cdk8s CLI, in temporary projects: `cdk8s synth --validate` with the
 * package's validation plugin, `--stdout`, and `--format helm`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { main } from '../src/cli/main';
import { listFiles } from './support/util';
import { cdk8s, cdk8sYaml, PACKAGE_SRC, removeProject, tempProject } from './support/project';

/** An app of two tenants (one with Argo CD, so the platform's too) and the cluster baseline, with TenancyApp. */
const TENANTS_APP = `
import { Chart } from 'cdk8s';
import { ClusterBaseline, IsolatedTenant, PlatformArgoCd, TenancyApp } from ${JSON.stringify(PACKAGE_SRC)};
const app = new TenancyApp();
const chart = new Chart(app, 'tenancy');
new IsolatedTenant(chart, 'customer1').addWorkload('nginx', { image: 'nginx', port: 80 });
new IsolatedTenant(chart, 'acme', { argoCd: { repoURL: 'https://git.example.com/platform/tenants.git' } });
new PlatformArgoCd(chart, 'argocd', { repoURL: 'https://git.example.com/platform/tenants.git' });
new ClusterBaseline(chart, 'baseline');
app.synth();
`;

/**
 * A plain cdk8s app, without this package's constructs (so without the synth-time guard): a
 * tenant Namespace whose hand-written policy admits every namespace on port 9113.
 */
const LEAKING_APP = `
import { ApiObject, App, Chart } from 'cdk8s';
const app = new App();
const chart = new Chart(app, 'hand-written');
new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'customer1', labels: { 'tenancy.cdk8s.io/tenant': 'customer1' } } });
new ApiObject(chart, 'deny', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-from-other-namespaces', namespace: 'customer1' },
  spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] } });
new ApiObject(chart, 'leak', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-monitoring', namespace: 'customer1' },
  spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'monitoring' } } }], ports: [{ port: 9113 }] }] } });
app.synth();
`;

/** Loads the plugin from the TypeScript sources (an installed package loads its compiled build). */
const PLUGIN_SHIM = `require('ts-node').register({ transpileOnly: true, compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true } });
module.exports = require(${JSON.stringify(path.join(PACKAGE_SRC, 'plugin'))});
`;

const VALIDATIONS = `validations:
  - package: ./plugin.js
    version: 0.1.0
    class: TenancyValidation
`;

function tenancyCheck(dir: string): { code: number; lines: string[] } {
  let out = '';
  const code = main(['check', dir], { stdout: { write: (t: string) => { out += t; } }, stderr: { write: () => undefined } });
  return { code, lines: out.split('\n').filter((l) => l !== '') };
}

describe('cdk8s synth --validate with the TenancyValidation plugin', () => {
  let dir = '';
  afterEach(() => removeProject(dir));

  test('passes on a clean app', () => {
    // GIVEN
    dir = tempProject({ 'app.ts': TENANTS_APP, 'plugin.js': PLUGIN_SHIM, 'cdk8s.yaml': cdk8sYaml(VALIDATIONS) });
    // WHEN
    const r = cdk8s(dir, 'synth', '--validate');
    // THEN
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Performing validations');
    expect(r.stdout).toMatch(/Status\s*│\s*success/);
    expect(tenancyCheck(path.join(dir, 'dist'))).toEqual({ code: 0, lines: [] });
  });

  test('fails on a violation, with the messages of tenancy check', () => {
    // GIVEN
    dir = tempProject({ 'app.ts': LEAKING_APP, 'plugin.js': PLUGIN_SHIM, 'cdk8s.yaml': cdk8sYaml(VALIDATIONS) });
    // WHEN
    const r = cdk8s(dir, 'synth', '--validate');
    // THEN
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Validation failed. See above reports for details');
    const check = tenancyCheck(path.join(dir, 'dist'));
    expect(check.code).toBe(1);
    expect(check.lines).toEqual(['customer1/allow-monitoring ingress[0] from[0]: admits pods of any namespace on TCP 9113 without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)']);
    // printed as they are, then in the report with the policy and its file
    const stdout = r.stdout.split('\n');
    for (const line of check.lines) expect(stdout).toContain(line);
    expect(r.stdout).toMatch(/Status\s*│\s*failure/);
    expect(r.stdout).toContain('tenancy-isolation (1 occurrences)');
    expect(r.stdout).toContain(`Recommendation: ${check.lines[0]}`);
    expect(r.stdout).toContain('- Construct Path: hand-written/leak');
    expect(r.stdout).toContain('- Manifest Path: dist/hand-written.k8s.yaml');
    expect(r.stdout).toContain('- Resource Name: allow-monitoring');
  });
});

describe('cdk8s synth --stdout', () => {
  let dir = '';
  afterEach(() => removeProject(dir));

  test('prints multi-document YAML (every file starts with ---) and leaves dist/ alone', () => {
    // GIVEN a project with a committed dist/
    dir = tempProject({ 'app.ts': TENANTS_APP, 'cdk8s.yaml': cdk8sYaml(), 'dist/kept.k8s.yaml': '---\nkept: true\n' });
    // WHEN
    const r = cdk8s(dir, 'synth', '--stdout');
    // THEN
    expect(r.code).toBe(0);
    const docs = yaml.loadAll(r.stdout) as any[];
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`).sort();
    expect(kinds).toEqual([
      'AppProject/argocd/acme', 'AppProject/argocd/tenancy-platform', 'Application/argocd/acme', 'Application/argocd/tenancy-platform',
      'ClusterNetworkPolicy//tenancy-baseline', 'Deployment/customer1/nginx', 'Namespace//acme', 'Namespace//customer1',
      'NetworkPolicy/acme/deny-from-other-namespaces', 'NetworkPolicy/customer1/deny-from-other-namespaces', 'Service/customer1/nginx',
    ]);
    // with `output:` in cdk8s.yaml the CLI would delete that folder even with --stdout
    expect(listFiles(path.join(dir, 'dist'))).toEqual(['kept.k8s.yaml']);
  });
});

describe('cdk8s synth --format helm', () => {
  let dir = '';
  afterEach(() => removeProject(dir));

  test('every template parses, Helm renders them all, and the Application points at the templates', () => {
    // GIVEN
    dir = tempProject({ 'app.ts': TENANTS_APP, 'cdk8s.yaml': cdk8sYaml() });
    // WHEN
    const r = cdk8s(dir, 'synth', '--format', 'helm', '--chart-version', '1.0.0');
    // THEN
    expect(r.code).toBe(0);
    const chart = path.join(dir, 'dist');
    expect(yaml.load(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8'))).toMatchObject({ apiVersion: 'v2', version: '1.0.0' });
    const templates = listFiles(path.join(chart, 'templates'));
    expect(templates).toEqual(['+cluster.k8s.yaml', 'acme.k8s.yaml', 'custom-resources/+bootstrap.k8s.yaml', 'custom-resources/+cluster.k8s.yaml', 'custom-resources/argocd.k8s.yaml', 'customer1.k8s.yaml']);
    const objects: any[] = [];
    for (const t of templates) {
      // Helm renders no manifest from a template whose name starts with `_` (a partial)
      expect(path.basename(t).startsWith('_')).toBe(false);
      const text = fs.readFileSync(path.join(chart, 'templates', t), 'utf8');
      // nothing Helm's template language would interpret
      expect(text).not.toContain('{{');
      expect(text.startsWith('---\n')).toBe(true);
      for (const d of yaml.loadAll(text) as any[]) {
        expect(typeof d.apiVersion).toBe('string');
        expect(typeof d.kind).toBe('string');
        objects.push(d);
      }
    }
    expect(objects.map((o) => o.kind)).toContain('ClusterNetworkPolicy');
    const application = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'acme');
    expect(application.spec.source.path).toBe('dist/templates');
    expect(application.spec.source.directory.include).toBe('{acme.k8s.yaml}');
    const platform = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'tenancy-platform');
    expect(platform.spec.source.path).toBe('dist/templates');
    expect(platform.spec.source.directory).toEqual({ recurse: true, include: '{+cluster.k8s.yaml,custom-resources/+cluster.k8s.yaml,custom-resources/argocd.k8s.yaml}' });
    expect(templates).toContain('acme.k8s.yaml');
  });
});
