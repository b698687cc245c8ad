/**
 * The README shows real output: its CLI examples are the CLI's output on this repository's dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { main } from '../src/cli/main';
import { IsolatedTenant, Port, TenancyApp } from '../src';
import { buildExampleApp, EXAMPLE_SETTINGS } from '../src/main';
import { tmpdir } from './support/util';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function cli(...argv: string[]): string {
  return cliRun(...argv).stdout;
}

function cliRun(...argv: string[]): { code: number; stdout: string; stderr: string } {
  return cliRunIn(ROOT, ...argv);
}

/** Runs the CLI in `dir`, as `npm run --silent tenancy -- …` run there would. */
function cliRunIn(dir: string, ...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(dir);
  let code: number;
  try {
    code = main(argv, { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; } } });
  } finally {
    process.chdir(cwd);
  }
  return { code, stdout: stdout.replace(/\n$/, ''), stderr: stderr.replace(/\n$/, '') };
}

/** From `marker` (a command line inside a fenced block) to the end of that block. */
function blockFrom(marker: string): string {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  return README.slice(at, README.indexOf('```', at)).replace(/\n$/, '');
}

/** The fenced block that follows `marker` in the README. */
function blockAfter(marker: string): string {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const start = README.indexOf('\n', README.indexOf('```', at)) + 1;
  return README.slice(start, README.indexOf('```', start)).replace(/\n$/, '');
}

describe('README examples match the CLI on dist/', () => {
  test('reach (txt)', () => {
    const block = blockFrom('$ npm run --silent tenancy -- reach dist/\n');
    expect(block).toBe(`$ npm run --silent tenancy -- reach dist/\n${cli('reach', 'dist/')}`);
  });

  test('reach --format mermaid', () => {
    expect(blockAfter('`--format mermaid` (namespaces as subgraphs), the whole example app:')).toBe(cli('reach', 'dist/', '--format', 'mermaid'));
  });

  test('reach --format json and dot, focused', () => {
    expect(blockAfter('`--focus <ns/name>` keeps the pairs where that workload is one side. `--format json`:')).toBe(cli('reach', 'dist/', '--format', 'json', '--focus', 'shop/database'));
    expect(blockAfter('`--format dot` (Graphviz, `dot -Tsvg`):')).toBe(cli('reach', 'dist/', '--format', 'dot', '--focus', 'shop/database'));
  });

  test('reach and explain with cluster-wide policies (examples/tiers.yaml)', () => {
    const reachMarker = '$ npm run --silent tenancy -- reach examples/tiers.yaml\n';
    const explainMarker = '$ npm run --silent tenancy -- explain examples/tiers.yaml --from analytics/job --to shop/web --port 8080/TCP\n';
    expect(blockFrom(reachMarker)).toBe(`${reachMarker}${cli('reach', 'examples/tiers.yaml')}\n${explainMarker}${cli('explain', 'examples/tiers.yaml', '--from', 'analytics/job', '--to', 'shop/web', '--port', '8080/TCP')}`);
  });

  test('reach --exposure, focused on two workloads', () => {
    const marker = '$ npm run --silent tenancy -- reach dist/ --exposure --focus acme/web --focus customer1/nginx\n';
    expect(blockFrom(marker)).toBe(`${marker}${cli('reach', 'dist/', '--exposure', '--focus', 'acme/web', '--focus', 'customer1/nginx')}`);
  });

  test('explain', () => {
    const marker = '$ npm run --silent tenancy -- explain dist/ --from customer1/nginx --to acme/web --port 8080/TCP\n';
    expect(blockFrom(marker)).toBe(`${marker}${cli('explain', 'dist/', '--from', 'customer1/nginx', '--to', 'acme/web', '--port', '8080/TCP')}`);
  });

  test('explain --expect', () => {
    const pass = '$ npm run --silent tenancy -- explain dist/ --from customer2/nginx --to acme/web --port 8080/TCP --expect denied >/dev/null\n';
    const fail = '$ npm run --silent tenancy -- explain dist/ --from customer1/nginx --to acme/web --port 8080/TCP --expect denied >/dev/null\n';
    const passed = cliRun('explain', 'dist/', '--from', 'customer2/nginx', '--to', 'acme/web', '--port', '8080/TCP', '--expect', 'denied');
    const failed = cliRun('explain', 'dist/', '--from', 'customer1/nginx', '--to', 'acme/web', '--port', '8080/TCP', '--expect', 'denied');
    expect(passed.stderr).toBe('');
    expect(blockFrom(pass)).toBe(`${pass}$ echo $?\n${passed.code}\n${fail}${failed.stderr}\n$ echo $?\n${failed.code}`);
  });
});

describe('README examples of the CLI on edited trees', () => {
  test('diff, after customer1.allowFrom(customer2, Port.tcp(80))', () => {
    // GIVEN this repository's dist/ as old-dist/, and the example app with that grant as dist/
    const dir = tmpdir();
    fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'old-dist'), { recursive: true });
    const app = new TenancyApp({ ...EXAMPLE_SETTINGS, outdir: path.join(dir, 'dist') });
    buildExampleApp(app);
    const chart = app.node.findChild('tenancy') as Chart;
    (chart.node.findChild('customer1') as IsolatedTenant).allowFrom(chart.node.findChild('customer2') as IsolatedTenant, Port.tcp(80));
    app.synth();
    // WHEN
    const txt = cliRunIn(dir, 'diff', 'old-dist/', 'dist/');
    const md = cliRunIn(dir, 'diff', 'old-dist/', 'dist/', '--format', 'md');
    // THEN
    const marker = '$ npm run --silent tenancy -- diff old-dist/ dist/\n';
    expect(txt.code).toBe(0);
    expect(blockFrom(marker)).toBe(`${marker}${txt.stdout}\n$ npm run --silent tenancy -- diff old-dist/ dist/ --format md`);
    expect(README).toContain(`\`\`\`\n\n${md.stdout}\n`);
    expect(cliRunIn(dir, 'diff', 'old-dist/', 'dist/', '--fail-on-new').code).toBe(1);
  });

  test('check, on dist/ and on dist/ with an owner\'s policy added', () => {
    // GIVEN dist/, and edited-dist/: dist/ plus the README's allow-monitoring.yaml
    const dir = tmpdir();
    fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'edited-dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'edited-dist', 'allow-monitoring.yaml'), `${blockAfter('`edited-dist/` is `dist/` plus')}\n`);
    const topLevel = fs.readdirSync(path.join(dir, 'edited-dist')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `edited-dist/${f}`);
    // WHEN
    const clean = cliRunIn(dir, 'check', 'dist/');
    const edited = cliRunIn(dir, 'check', 'edited-dist/');
    const withoutTiers = cliRunIn(dir, 'check', ...topLevel);
    // THEN
    expect([clean.stderr, edited.stderr, withoutTiers.stderr]).toEqual(['', '', '']);
    expect([clean.code, edited.code, withoutTiers.code]).toEqual([0, 1, 1]);
    expect(topLevel).toContain('edited-dist/allow-monitoring.yaml');
    const marker = '$ npm run --silent tenancy -- check dist/\n';
    expect(blockFrom(marker)).toBe(`${marker}$ echo $?\n${clean.code}\n`
      + `$ npm run --silent tenancy -- check edited-dist/\n${edited.stdout}\n$ echo $?\n${edited.code}\n`
      + `$ npm run --silent tenancy -- check edited-dist/*.yaml\n${withoutTiers.stdout}`);
  });
});

describe('README examples of bad input are the constructs\' messages', () => {
  /** The message a build produces, at construction or at synth, without the synth preamble. */
  function errorOf(build: (chart: any) => void, props: object = {}): string {
    const { Chart } = require('cdk8s');
    const { TenancyApp } = require('../src');
    try {
      const app = new TenancyApp({ outdir: require('os').tmpdir(), ...props });
      build(new Chart(app, 'tenancy'));
      app.synthFiles();
    } catch (e) {
      return (e as Error).message.replace(/^Validation failed with the following errors:\n {2}/, '');
    }
    return '(no error)';
  }

  test('what owners cannot undo', () => {
    const { IsolatedTenant } = require('../src');
    const { BaselineApi, ClusterBaseline, TenantProtection } = require('../src/tenant-extras');
    const messages = [
      errorOf((c) => new IsolatedTenant(c, 'acme', { adminIsolation: { priority: 1001 } })),
      errorOf((c) => new TenantProtection(c, 'protection', { deployers: ['system:serviceaccount:argocd'] })),
      errorOf((c) => { new IsolatedTenant(c, 'acme', { adminIsolation: {} }); new ClusterBaseline(c, 'baseline', { api: BaselineApi.LEGACY_BASELINE_ADMIN_NETWORK_POLICY }); }),
      errorOf((c) => { new IsolatedTenant(c, 'acme'); new TenantProtection(c, 'protection'); }),
    ];
    const block = blockAfter('And for what owners cannot undo:');
    expect(block.split('\n')).toEqual(messages);
  });

  test('bad input fails closed', () => {
    const { DbWebappLink, Peer, TenantIsolation } = require('../src');
    const shop = (c: any) => new IsolatedTenant(c, 'shop', { isolation: TenantIsolation.POD });
    const messages = [
      errorOf((c) => new IsolatedTenant(c, 'Customer1')),
      errorOf((c) => { new IsolatedTenant(c, 'customer1'); new IsolatedTenant(c, 'other', { name: 'customer1' }); }),
      errorOf((c) => new IsolatedTenant(c, 'customer1').addWorkload('nginx', { image: 'nginx', port: 70000 })),
      errorOf((c) => {
        const s = shop(c);
        s.addWorkload('webapp', { image: 'nginx', port: 80, selectorLabels: { app: 'webapp' } });
        s.addWorkload('database', { image: 'db', port: 5000, selectorLabels: { app: 'database' } });
        new DbWebappLink(s, 'link', { webapp: { app: 'webap' }, database: { app: 'database' }, port: Port.tcp(5000) });
      }),
      errorOf((c) => {
        const webapp = new IsolatedTenant(c, 'customer1').addWorkload('webapp', { image: 'nginx', port: 80 });
        const s = shop(c);
        new DbWebappLink(s, 'link', { webapp, database: s.addWorkload('database', { image: 'db', port: 5000 }), port: Port.tcp(5000) });
      }),
      errorOf((c) => new IsolatedTenant(c, 'kube-system')),
      errorOf((c) => new IsolatedTenant(c, 'evil', { extraNamespaces: ['ingress-nginx'] }), { platformNamespaces: ['ingress-nginx'] }),
      errorOf((c) => new IsolatedTenant(c, 'customer1').allowFrom(Peer.ipv4('10.20.0.0/16'))),
      errorOf((c) => { new IsolatedTenant(c, 'evil', { extraNamespaces: ['ingress-nginx'] }); new IsolatedTenant(c, 'customer2', { allowIngressController: { namespace: 'ingress-nginx' } }); }),
      errorOf((c) => { new IsolatedTenant(c, 'customer1'); new IsolatedTenant(c, 'customer2').allowFrom(Peer.namespace('custmer1')); }),
      errorOf((c) => { new IsolatedTenant(c, 'customer1'); new IsolatedTenant(c, 'customer2').allowFrom(Peer.tenant('custmer1')); }),
      errorOf((c) => new IsolatedTenant(c, 'acme', { owners: { groups: ['system:authenticated'] } })),
      errorOf(() => undefined, { podCidrs: [] }),
    ];
    const block = blockAfter('Every mistake throws (or fails synth) with the construct path and the fix; nothing is written:');
    expect(block.split('\n')).toEqual(messages);
  });

  test('Pod Security and a plain App\'s layout', () => {
    const kplus = require('cdk8s-plus-27');
    const { App, Chart: PlainChart } = require('cdk8s');
    const { ClusterBaseline, PodSecurityLevel } = require('../src');
    const podSecurity = errorOf((c) => {
      const acme = new IsolatedTenant(c, 'acme', { podSecurity: { level: PodSecurityLevel.RESTRICTED } });
      new kplus.Deployment(acme, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080 }] });
    });
    expect(blockAfter('(`runAsNonRoot: true` with an image built for it')).toBe(podSecurity);
    const app = new App({ outdir: tmpdir() });
    const chart = new PlainChart(app, 'tenancy');
    new IsolatedTenant(chart, 'customer1');
    new ClusterBaseline(chart, 'baseline');
    let plain = '(no error)';
    try {
      app.synth();
    } catch (e) {
      plain = (e as Error).message.replace(/^Validation failed with the following errors:\n {2}/, '');
    }
    expect(blockAfter('Each failure names the construct and says to use `TenancyApp`:')).toBe(plain);
  });
});
