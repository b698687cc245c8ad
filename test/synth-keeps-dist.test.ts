/**
 * A failing `npm run synth` keeps the committed `dist/` byte-identical: the script runs the app
 * directly (it writes through a staging folder), where `cdk8s synth` deletes its output folder
 * before it runs the app. Tested for real, in a temporary project with this repository's script.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdk8s, cdk8sYaml, PACKAGE_SRC, removeProject, ROOT, run, snapshotDir, tempProject } from './support/project';

/** An app whose synth fails: a link to a workload that does not exist. */
const FAILING_APP = `
import { Chart } from 'cdk8s';
import { DbWebappLink, IsolatedTenant, Port, TenancyApp, TenantIsolation } from ${JSON.stringify(PACKAGE_SRC)};
const app = new TenancyApp();
const shop = new IsolatedTenant(new Chart(app, 'tenancy'), 'shop', { isolation: TenantIsolation.POD });
shop.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
new DbWebappLink(shop, 'link', { webapp: { app: 'webapp' }, database: { app: 'typo' }, port: Port.tcp(5000) });
app.synth();
`;

const SYNTH_SCRIPT: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth;

/** A project with this repository's `synth` script, the failing app as its main, and the repository's dist/ committed. */
function failingProject(): string {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'failing', private: true, scripts: { synth: SYNTH_SCRIPT } }),
    'src/main.ts': FAILING_APP,
    'app.ts': FAILING_APP,
    'cdk8s.yaml': cdk8sYaml(),
  };
  for (const [rel, bytes] of snapshotDir(path.join(ROOT, 'dist'))) files[`dist/${rel}`] = bytes.toString('utf8');
  return tempProject(files);
}

describe('a failing synth keeps dist/', () => {
  let dir = '';
  afterEach(() => removeProject(dir));

  test('npm run synth: fails with the error, dist/ byte-identical, no staging folder left', () => {
    // GIVEN
    expect(SYNTH_SCRIPT).toBe('ts-node --transpile-only src/main.ts');
    dir = failingProject();
    const before = snapshotDir(path.join(dir, 'dist'));
    expect(before.size).toBeGreaterThan(0);

    // WHEN
    const r = run(dir, 'npm', ['run', '--silent', 'synth']);

    // THEN
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('[tenancy/shop/link] database selector {"app":"typo"} matches no workload of tenant "shop"');
    expect(snapshotDir(path.join(dir, 'dist'))).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.ts', 'cdk8s.yaml', 'dist', 'node_modules', 'package.json', 'src', 'tsconfig.json']);
  });

  test('why: cdk8s synth deletes its output folder before it runs the app', () => {
    dir = failingProject();
    const r = cdk8s(dir, 'synth');
    expect(r.code).not.toBe(0);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
