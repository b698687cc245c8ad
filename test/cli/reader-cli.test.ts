/**
 * How the CLI reads manifests: warnings and duplicates on stderr, last wins in every command, standard input,
 * folders without manifests and Helm templates exit 2.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { useTempDir } from '../support/util';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(argv: string[], stdin?: string): Run {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
    ...(stdin === undefined ? {} : { readStdin: () => stdin }),
  });
  return { code, stdout, stderr };
}

const tmp = useTempDir('tenancy-reader-cli-');
const write = tmp.write;

const TENANT = `apiVersion: v1
kind: Namespace
metadata: { name: customer1, labels: { tenancy.cdk8s.io/tenant: customer1 } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-from-other-namespaces, namespace: customer1 }
spec: { podSelector: {}, policyTypes: [ Ingress ], ingress: [ { from: [ { podSelector: {} } ] } ] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: customer1 }
spec: { containers: [ { name: web, image: nginx, ports: [ { containerPort: 80 } ] } ] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: other }
spec: { containers: [] }
`;

/** A later file that replaces the package's policy with one that admits every namespace. */
const OVERRIDE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-from-other-namespaces, namespace: customer1 }
spec: { podSelector: {}, policyTypes: [ Ingress ], ingress: [ { from: [ { namespaceSelector: {} } ] } ] }
`;

describe('a later object with the same identity replaces the earlier, in every command, with a warning', () => {
  const duplicateWarning = () => `warning: ${path.join(tmp.dir(), 'customer1.yaml')} (document 1, 0-based): NetworkPolicy customer1/deny-from-other-namespaces is overridden by `
    + `${path.join(tmp.dir(), 'zz-extra.yaml')} (document 0, 0-based), a later object with the same identity (networking.k8s.io/NetworkPolicy customer1/deny-from-other-namespaces): `
    + 'the last one wins, as with kubectl apply -f and Argo CD, so the analysis reads only that one\n';

  beforeEach(() => {
    write('customer1.yaml', TENANT);
    write('zz-extra.yaml', OVERRIDE);
  });

  test('check fails on the policy that the cluster keeps', () => {
    expect(run(['check', tmp.dir()])).toEqual({
      code: 1,
      stdout: 'customer1/deny-from-other-namespaces ingress[0] from[0]: admits pods of any namespace on all ports without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)\n',
      stderr: duplicateWarning(),
    });
  });

  test('reach and explain show the flow the cluster allows', () => {
    const r = run(['reach', tmp.dir(), '--focus', 'customer1/web']);
    expect(r.stdout).toContain('other/client[Pod] => customer1/web[Pod] : All Connections\n');
    expect(r.stderr).toBe(duplicateWarning());
    const e = run(['explain', tmp.dir(), '--from', 'other/client', '--to', 'customer1/web', '--port', '80']);
    expect(e.stdout).toContain('port 80/TCP: allowed (egress: allowed by default (no tier decides it); ingress: allowed by customer1/deny-from-other-namespaces ingress[0] (NetworkPolicy tier))\n');
    expect(e.stderr).toBe(duplicateWarning());
  });

  test('diff: the override is a new flow', () => {
    write('old/customer1.yaml', TENANT);
    const r = run(['diff', path.join(tmp.dir(), 'old'), tmp.dir(), '--fail-on-new']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('+ other/client[Pod] => customer1/web[Pod] : All Connections\n');
  });
});

describe('warnings', () => {
  test('one line each on stderr: warning: <file> (document N, 0-based): …; the command still succeeds', () => {
    const f = write('p.yaml', `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [ { name: web, ports: [ { containerPort: http } ] } ] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec: { podSelector: { matchLabels: { app: web } }, ingress: [ { from: [ { podSelector: {} } ] } ], ports: [ { port: 80 } ] }
`);
    const r = run(['reach', f]);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')).toEqual([
      `warning: ${f} (document 0, 0-based): Pod shop/web: spec.containers[0].ports[0].containerPort "http" is not a port number: ports are integers from 1 to 65535; `
      + 'the entry was ignored (it has no name, so no policy port refers to it), and the API server rejects the object, so the cluster would not have it at all',
      `warning: ${f} (document 1, 0-based): NetworkPolicy shop/web: spec.ports is not a field of a NetworkPolicy spec: it belongs in spec.ingress[i].ports (or spec.egress[i].ports). `
      + 'It was ignored: the analysis reads the policy without it, so a rule without ports of its own admits every port; kubectl apply rejects the whole object '
      + '(strict field validation, the default since kubectl 1.27), so the cluster would not have this NetworkPolicy at all',
      '',
    ]);
  });
});

describe('standard input, empty folders and Helm templates', () => {
  test('- reads standard input', () => {
    const r = run(['reach', '-', '--focus', 'customer1/web'], TENANT);
    expect(r).toEqual({ code: 0, stdout: 'customer1/web[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections\ncustomer1/web[Pod] => other/client[Pod] : All Connections\n', stderr: '' });
    expect(run(['check', '-'], TENANT)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a folder without manifests exits 2', () => {
    write('notes.txt', 'x');
    expect(run(['check', tmp.dir()])).toEqual({
      code: 2,
      stdout: '',
      stderr: `tenancy check: no manifests in ${tmp.dir()}: it has no .yaml, .yml or .json file. Check the path (a gate that reads nothing proves nothing)\n`,
    });
  });

  test('empty standard input exits 2', () => {
    expect(run(['check', '-'], '')).toEqual({ code: 2, stdout: '', stderr: 'tenancy check: no Kubernetes objects on standard input (-): it was empty\n' });
  });

  test('a Helm template exits 2 with the advice to render it', () => {
    const f = write('t.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n');
    const r = run(['reach', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tenancy reach: ${f}: looks like an unrendered Helm template (line 4: name: {{ .Release.Namespace }}): render it first, `
      + 'e.g. helm template my-release ./chart > rendered.yaml and read rendered.yaml, or pipe it: helm template my-release ./chart | tenancy check -\n');
  });
});

describe('the README examples of "How manifests are read" and of the guard are real output', () => {
  const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

  test('the duplicate warning on dist/', () => {
    const cwd = process.cwd();
    const root = path.join(__dirname, '..', '..');
    fs.cpSync(path.join(root, 'dist'), path.join(tmp.dir(), 'dist'), { recursive: true });
    write('dist/zz-extra.yaml', OVERRIDE);
    process.chdir(tmp.dir());
    let r: Run;
    try {
      r = run(['check', 'dist/']);
    } finally {
      process.chdir(cwd);
    }
    expect(r.code).toBe(1);
    const line = r.stderr.split('\n')[0];
    expect(line).toMatch(/^warning: dist\/customer1\.k8s\.yaml \(document 0, 0-based\): NetworkPolicy customer1\/deny-from-other-namespaces is overridden by dist\/zz-extra\.yaml/);
    expect(README).toContain(`  ${line}\n`);
  });

  test('the warning for ports at the top of spec', () => {
    const f = write('db-webapp.yaml', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-webapp, namespace: shop }
spec:
  podSelector: { matchLabels: { app: database } }
  ingress: [ { from: [ { podSelector: { matchLabels: { app: webapp } } } ] } ]
  ports: [ { port: 5000 } ]
`);
    const line = run(['check', f]).stderr.split('\n')[0].replace(f, 'db-webapp.yaml');
    expect(README).toContain(`  ${line}\n`);
  });
});
