/**
 * The package as users get it: `npm pack`, then installed from the tarball into a new project,
 * offline (the project's lock is written from this repository's package-lock.json, so npm needs
 * nothing but its cache), and used there as the README says: an app requiring `cdk8s-tenancy`,
 * the `tenancy` CLI, and `cdk8s synth --validate` with the plugin.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdk8s, removeProject, ROOT, run } from './support/project';

const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/**
 * The entries of the repository's lock that `names` need: their dependencies (but bundled ones),
 * optional ones and peers (but optional peers), recursively, resolved as Node does (nested
 * `node_modules` first, then the parents').
 */
function lockClosure(names: string[]): Record<string, any> {
  const out: Record<string, any> = {};
  const locate = (name: string, from: string): string => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (LOCK.packages[key]) return key;
      if (base === '') throw new Error(`${name} (needed by ${from || 'the project'}) is not in package-lock.json`);
    }
  };
  const visit = (key: string) => {
    if (out[key]) return;
    const entry = LOCK.packages[key];
    const { dev, devOptional, peer, ...rest } = entry;
    out[key] = rest;
    const bundled: string[] = entry.bundleDependencies ?? [];
    const optionalPeers = Object.keys(entry.peerDependenciesMeta ?? {}).filter((d) => entry.peerDependenciesMeta[d].optional);
    const needed = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })
      .filter((d) => !bundled.includes(d) && !optionalPeers.includes(d));
    for (const d of needed) visit(locate(d, key));
  };
  for (const n of names) visit(locate(n, ''));
  return out;
}

/** What a user writes: plain JavaScript requiring the installed package. */
const CONSUMER_APP = `
const { Chart } = require('cdk8s');
const { IsolatedTenant, TenancyApp } = require('cdk8s-tenancy');
const app = new TenancyApp();
const chart = new Chart(app, 'tenancy');
new IsolatedTenant(chart, 'customer1').addWorkload('nginx', { image: 'nginx', port: 80 });
new IsolatedTenant(chart, 'customer2');
app.synth();
`;

describe('npm pack, and the tarball installed into a new project', () => {
  let work = '';
  let tarball = '';
  let files: string[] = [];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-pack-'));
    // Packed from a copy of the sources, so that `prepare` (which compiles the package into lib/)
    // does not rewrite the repository's lib/ while other tests run bin/tenancy.js from it.
    const copy = path.join(work, 'source');
    for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'imports']) {
      fs.cpSync(path.join(ROOT, f), path.join(copy, f), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const r = run(copy, 'npm', ['pack', '--pack-destination', work, '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout)[0];
    tarball = path.join(work, info.filename);
    files = info.files.map((f: { path: string }) => f.path);
  }, 180_000);
  afterAll(() => removeProject(work));

  test('holds the library, its types, the CLI and the docs, and not the example app', () => {
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'bin/tenancy.js', 'lib/src/index.js', 'lib/src/index.d.ts',
      'lib/src/cli/main.js', 'lib/src/plugin/index.js', 'lib/src/analysis/index.js', 'lib/imports/policy.networking.k8s.io.js',
    ]));
    expect(files.filter((f) => /(^|\/)main\.(js|d\.ts)$/.test(f)).sort()).toEqual(['lib/src/cli/main.d.ts', 'lib/src/cli/main.js']);
    expect(files).not.toContain('lib/src/main.js');
    expect(files).not.toContain('lib/src/main.d.ts');
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('dist/'))).toEqual([]);
  });

  test('installs offline and works: an app, the tenancy CLI, cdk8s synth --validate with the README\'s cdk8s.yaml', () => {
    // GIVEN a project depending on the tarball and on the peer dependencies
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-consumer-'));
    try {
      const peers: string[] = Object.keys(PKG.peerDependencies);
      const deps: Record<string, string> = { 'cdk8s-tenancy': `file:${tarball}` };
      for (const p of peers) deps[p] = LOCK.packages[`node_modules/${p}`].version;
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: deps }, null, 2));
      fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({
        name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true,
        packages: {
          '': { name: 'consumer', version: '1.0.0', dependencies: deps },
          'node_modules/cdk8s-tenancy': {
            version: PKG.version, resolved: `file:${tarball}`, license: PKG.license,
            dependencies: PKG.dependencies, peerDependencies: PKG.peerDependencies, bin: PKG.bin, engines: PKG.engines,
          },
          ...lockClosure([...Object.keys(PKG.dependencies), ...peers]),
        },
      }, null, 2));
      fs.writeFileSync(path.join(dir, 'app.js'), CONSUMER_APP);
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
        'language: typescript', 'app: node app.js', 'validations:', '  - package: ./node_modules/cdk8s-tenancy',
        `    version: ${PKG.version}`, '    class: TenancyValidation', '',
      ].join('\n'));

      // WHEN installed without the network
      const install = run(dir, 'npm', ['ci', '--offline', '--no-audit', '--no-fund']);
      expect(install.stderr).not.toMatch(/ERR/);
      if (install.code !== 0) throw new Error(install.stderr + install.stdout);
      expect(install.code).toBe(0);

      // THEN the example app is not there, and the index exports no internals
      const installed = path.join(dir, 'node_modules', 'cdk8s-tenancy');
      expect(fs.existsSync(path.join(installed, 'lib', 'src', 'index.js'))).toBe(true);
      expect(fs.existsSync(path.join(installed, 'lib', 'src', 'main.js'))).toBe(false);
      const exported = run(dir, process.execPath, ['-e', 'console.log(Object.keys(require("cdk8s-tenancy")).sort().join(","))']);
      expect(exported.code).toBe(0);
      const names = exported.stdout.trim().split(',');
      expect(names).toEqual(expect.arrayContaining(['IsolatedTenant', 'TenancyApp', 'TenancyValidation', 'analysis']));
      for (const internal of ['writeFilesAtomically', 'progressReporter', 'parseCidr', 'podSpecOf', 'collectObjects', 'addAppCheck', 'enableIsolationGuard']) {
        expect(names).not.toContain(internal);
      }

      // an app written as the README says synthesizes
      const synth = run(dir, process.execPath, ['app.js']);
      expect(synth.stderr).toBe('');
      expect(synth.code).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['+cluster.k8s.yaml', 'customer1.k8s.yaml', 'customer2.k8s.yaml']);

      // the CLI runs from the compiled build
      const check = run(dir, path.join(dir, 'node_modules', '.bin', 'tenancy'), ['check', 'dist']);
      expect(check).toEqual({ code: 0, stdout: '', stderr: '' });

      // and cdk8s synth --validate loads the plugin from node_modules
      const validate = cdk8s(dir, 'synth', '--validate');
      expect(validate.stderr).toBe('');
      expect(validate.code).toBe(0);
      expect(validate.stdout).toMatch(/Status\s*│\s*success/);
    } finally {
      removeProject(dir);
    }
  }, 180_000);
});
