/**
 * The README shows real output: its CLI examples are the CLI's output on this repository's dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../src/cli/main';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function cli(...argv: string[]): string {
  return cliRun(...argv).stdout;
}

function cliRun(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
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

describe('README examples of bad input are the constructs\' messages', () => {
  /** The message a build produces, at construction or at synth, without the synth preamble. */
  function errorOf(build: (chart: any) => void): string {
    const { Chart } = require('cdk8s');
    const { TenancyApp } = require('../src');
    const app = new TenancyApp({ outdir: require('os').tmpdir() });
    try {
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
});
