/**
 * The `tenancy` CLI, run in-process with captured output, and once through bin/tenancy.js.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { APP_JSON, APP_TXT, APP_YAML } from '../analysis/fixture';
import { useTempDir } from '../support/util';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(...argv: string[]): Run {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; } } });
  return { code, stdout, stderr };
}

const tmp = useTempDir('tenancy-cli-');
const write = tmp.write;

const TENANT = (name: string, annotations = '') => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: { tenancy.cdk8s.io/tenant: ${name} }
${annotations}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-from-other-namespaces, namespace: ${name} }
spec: { podSelector: {}, policyTypes: [ Ingress ], ingress: [ { from: [ { podSelector: {} } ] } ] }
`;

describe('help and usage', () => {
  test('--help prints the commands and exits 0; no command exits 2', () => {
    const h = run('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('reach <paths...>');
    expect(run().code).toBe(2);
  });

  test.each(['reach', 'diff', 'explain', 'check'])('%s --help', (cmd) => {
    const h = run(cmd, '--help');
    expect(h.code).toBe(0);
    expect(h.stdout.startsWith(`Usage: tenancy ${cmd}`)).toBe(true);
  });

  test('usage errors exit 2 with a message', () => {
    const cases: Array<[string[], string]> = [
      [['frobnicate'], 'tenancy: unknown command "frobnicate"'],
      [['reach'], 'tenancy reach: reach needs at least one file or directory'],
      [['reach', '.', '--format', 'xml'], 'tenancy reach: --format must be one of txt, json, md, mermaid, dot, got "xml"'],
      [['reach', '.', '--colour'], 'tenancy reach: unknown option --colour'],
      [['reach', '.', '--focus'], 'tenancy reach: option --focus needs a value'],
      [['diff', 'a'], 'tenancy diff: diff needs exactly two paths (old and new), got 1'],
      [['explain', '.', '--from', 'a/b'], 'tenancy explain: explain needs --from and --to'],
      [['explain', '.', '--from', 'a/b', '--to', 'c/d', '--port', '80/ICMP'], 'tenancy explain: --port must look like 80/TCP (port 1-65535, protocol TCP, UDP or SCTP), got "80/ICMP"'],
    ];
    for (const [argv, message] of cases) {
      const r = run(...argv);
      expect([argv.join(' '), r.code, r.stderr.split('\n')[0]]).toEqual([argv.join(' '), 2, message]);
      expect(r.stdout).toBe('');
    }
  });
});

describe('reach', () => {
  test('txt is exact', () => {
    write('app.yaml', APP_YAML);
    expect(run('reach', tmp.dir())).toEqual({ code: 0, stdout: APP_TXT, stderr: '' });
  });

  test('json is exact', () => {
    write('app.yaml', APP_YAML);
    expect(run('reach', tmp.dir(), '--format', 'json')).toEqual({ code: 0, stdout: APP_JSON, stderr: '' });
  });

  test('md, mermaid and dot', () => {
    write('app.yaml', APP_YAML);
    expect(run('reach', tmp.dir(), '--format=md').stdout.split('\n')[0]).toBe('| Source | Destination | Connections |');
    expect(run('reach', tmp.dir(), '--format', 'mermaid').stdout).toContain('  subgraph ns_default["default"]\n');
    expect(run('reach', tmp.dir(), '--format', 'dot').stdout).toContain('  subgraph cluster_ns_default {\n');
  });

  test('--focus with or without [Kind]; an unknown workload is a usage error', () => {
    write('app.yaml', APP_YAML);
    const want = 'default/frontend[Deployment] => default/backend[Deployment] : TCP 8080-8090,9090,UDP 53\n';
    expect(run('reach', tmp.dir(), '--focus', 'default/backend').stdout).toBe(want);
    expect(run('reach', tmp.dir(), '--focus', 'default/backend[Deployment]').stdout).toBe(want);
    const bad = run('reach', tmp.dir(), '--focus', 'default/nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('tenancy reach: --focus: no workload "default/nope" in the input');
  });

  test('--output writes a file', () => {
    write('in/app.yaml', APP_YAML);
    const out = path.join(tmp.dir(), 'reach.txt');
    expect(run('reach', path.join(tmp.dir(), 'in'), '--output', out)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(out, 'utf8')).toBe(APP_TXT);
  });

  test('unknown kinds get one note on stderr each', () => {
    write('app.yaml', `${APP_YAML}---\napiVersion: x/v1\nkind: Widget\nmetadata: { name: a }\n---\napiVersion: x/v1\nkind: Widget\nmetadata: { name: b }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\n`);
    const r = run('reach', tmp.dir());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(APP_TXT);
    expect(r.stderr).toBe('note: ignoring kind Widget (not known to the analyzer)\n');
  });
});

describe('bad input exits 2 with file and document index, without a stack trace', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['invalid YAML', `${APP_YAML}---\nkind: Pod\nmetadata: {\n`, /bad\.yaml \(document 4, 0-based\): invalid YAML: /],
    ['no kind', `${APP_YAML}---\napiVersion: v1\nmetadata: { name: x }\n`, /bad\.yaml \(document 4, 0-based\): the document has no kind/],
    ['bad selector', `${APP_YAML}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: { matchExpressions: [ { key: a, operator: Is } ] } }\n`, /\(document 4, 0-based\): NetworkPolicy p: spec\.podSelector\.matchExpressions\[0\] has unknown operator "Is"/],
    ['bad CIDR', `${APP_YAML}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.0.0/8 } } ] } ] }\n`, /\(document 4, 0-based\): NetworkPolicy p: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: malformed CIDR "10\.0\.0\/8"/],
    ['port out of range', `${APP_YAML}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: {}, ingress: [ { ports: [ { port: 65536 } ] } ] }\n`, /\(document 4, 0-based\): NetworkPolicy p: spec\.ingress\[0\]\.ports\[0\]\.port 65536 is out of range/],
  ];
  test.each(cases)('%s', (_name, text, message) => {
    write('bad.yaml', text);
    for (const cmd of [['reach', tmp.dir()], ['check', tmp.dir()], ['diff', tmp.dir(), tmp.dir()]]) {
      const r = run(...cmd);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  test('a missing path', () => {
    const r = run('reach', path.join(tmp.dir(), 'nope'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: `tenancy reach: cannot read ${path.join(tmp.dir(), 'nope')}: no such file or directory\n` });
  });
});

describe('diff', () => {
  test('lists changes and exits 0; --fail-on-new exits 1 only when a flow was added', () => {
    const before = write('old/app.yaml', APP_YAML);
    write('new/app.yaml', APP_YAML.replace('{ port: 9090 }, ', '{ port: 9090 }, { port: 9443 }, '));
    const r = run('diff', path.dirname(before), path.join(tmp.dir(), 'new'));
    expect(r).toEqual({ code: 0, stdout: '~ default/frontend[Deployment] => default/backend[Deployment] : TCP 8080-8090,9090,UDP 53 -> TCP 8080-8090,9090,9443,UDP 53\n', stderr: '' });
    expect(run('diff', path.join(tmp.dir(), 'old'), path.join(tmp.dir(), 'new'), '--fail-on-new').code).toBe(1);
    expect(run('diff', path.join(tmp.dir(), 'new'), path.join(tmp.dir(), 'old'), '--fail-on-new').code).toBe(0);
    expect(run('diff', path.join(tmp.dir(), 'old'), path.join(tmp.dir(), 'old'), '--fail-on-new')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(run('diff', path.join(tmp.dir(), 'old'), path.join(tmp.dir(), 'new'), '--format', 'json').stdout).changed).toHaveLength(1);
  });
});

describe('explain', () => {
  test('shows the policies and rules for a pair', () => {
    write('app.yaml', APP_YAML);
    const r = run('explain', tmp.dir(), '--from', 'default/frontend', '--to', 'default/backend', '--port', '9090/TCP');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ingress to default/backend[Deployment]:\n  Admin tier: no policy with ingress rules selects it; passes on All Connections\n  NetworkPolicy tier: isolated by default/backend-from-frontend\n');
    expect(r.stdout).toContain('port 9090/TCP: allowed (egress: allowed by default (no tier decides it); ingress: allowed by default/backend-from-frontend ingress[0] (NetworkPolicy tier))\n');
    const blocked = run('explain', tmp.dir(), '--from', 'default/backend', '--to', 'default/frontend', '--port', '8080');
    expect(blocked.stdout).toContain('port 8080/TCP: denied (egress: denied by the NetworkPolicy tier (isolated by default/backend-from-frontend; no rule allows it); ingress: allowed by default/frontend-public ingress[0] (NetworkPolicy tier))\n');
  });

  test('--expect is a gate: exit 0 when the answer is the expected one, 1 with what was expected and found', () => {
    // GIVEN frontend -> backend is allowed on TCP 8080-8090, 9090 and UDP 53; backend -> frontend not at all
    write('app.yaml', APP_YAML);
    const ask = (...argv: string[]) => run('explain', tmp.dir(), ...argv);

    // WHEN / THEN with a port: about that port
    const ok = ask('--from', 'default/frontend', '--to', 'default/backend', '--port', '9090/TCP', '--expect', 'allowed');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('port 9090/TCP: allowed (');
    expect(ok.stderr).toBe('');
    expect(ask('--from', 'default/frontend', '--to', 'default/backend', '--port', '9091', '--expect', 'denied').code).toBe(0);
    const wrongPort = ask('--from', 'default/frontend', '--to', 'default/backend', '--port', '9091', '--expect', 'allowed');
    expect(wrongPort.code).toBe(1);
    expect(wrongPort.stdout).toContain('port 9091/TCP: denied');
    expect(wrongPort.stderr).toBe('tenancy explain: expected port 9091/TCP from default/frontend[Deployment] to default/backend[Deployment] to be allowed, found denied\n');
    expect(ask('--from', 'default/frontend', '--to', 'default/backend', '--port', '9090', '--expect', 'denied').stderr)
      .toBe('tenancy explain: expected port 9090/TCP from default/frontend[Deployment] to default/backend[Deployment] to be denied, found allowed\n');

    // WHEN / THEN without a port: "allowed" means some connection
    expect(ask('--from', 'default/frontend', '--to', 'default/backend', '--expect', 'allowed').code).toBe(0);
    expect(ask('--from', 'default/backend', '--to', 'default/frontend', '--expect', 'denied').code).toBe(0);
    const none = ask('--from', 'default/backend', '--to', 'default/frontend', '--expect', 'allowed');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('tenancy explain: expected some connection from default/backend[Deployment] to default/frontend[Deployment] to be allowed, found none (No Connections)\n');
    const some = ask('--from', 'default/frontend', '--to', 'default/backend', '--expect', 'denied');
    expect(some.code).toBe(1);
    expect(some.stderr).toBe('tenancy explain: expected no connection from default/frontend[Deployment] to default/backend[Deployment], found TCP 8080-8090,9090,UDP 53 allowed\n');
  });

  test('--expect takes allowed or denied only (exit 2)', () => {
    write('app.yaml', APP_YAML);
    const r = run('explain', tmp.dir(), '--from', 'default/frontend', '--to', 'default/backend', '--expect', 'open');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('tenancy explain: --expect must be one of allowed, denied, got "open"');
  });

  test('an unknown workload exits 2', () => {
    write('app.yaml', APP_YAML);
    const r = run('explain', tmp.dir(), '--from', 'default/x', '--to', 'default/backend');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('tenancy explain: no workload "default/x" in the input');
  });
});

describe('check', () => {
  test('exit 0 when clean', () => {
    write('t.yaml', TENANT('customer1') + '---\n' + TENANT('customer2'));
    expect(run('check', tmp.dir())).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('exit 1 with one line per violation', () => {
    write('t.yaml', `${TENANT('customer1')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-x, namespace: customer1 }
spec:
  podSelector: {}
  ingress: [ { from: [ { podSelector: {} }, { namespaceSelector: {} } ], ports: [ { port: 80 } ] } ]
---
apiVersion: v1
kind: Namespace
metadata: { name: customer2, labels: { tenancy.cdk8s.io/tenant: customer2 } }
`);
    expect(run('check', tmp.dir())).toEqual({
      code: 1,
      stdout: 'customer1/allow-x ingress[0] from[1]: admits pods of any namespace on TCP 80 without a declared grant (declare it with tenant.allowFrom(...) or remove the rule)\n'
        + 'namespace customer2 is not isolated for ingress: no policy selects every pod with Ingress in policyTypes\n',
      stderr: '',
    });
  });

  test('declared grants are honoured', () => {
    write('t.yaml', `${TENANT('customer1', "  annotations:\n    tenancy.cdk8s.io/ingress-grants: '[{\"from\":{\"namespace\":\"monitoring\"},\"ports\":[{\"protocol\":\"TCP\",\"port\":9090}]}]'\n")}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-monitoring, namespace: customer1 }
spec:
  podSelector: {}
  ingress: [ { from: [ { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } } } ], ports: [ { port: 9090 } ] } ]
`);
    expect(run('check', tmp.dir())).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('--pod-cidr (every command that analyzes)', () => {
  const CORP = `${TENANT('customer1', "  annotations:\n    tenancy.cdk8s.io/ingress-grants: '[{\"from\":{\"cidr\":\"10.0.0.0/8\"}}]'\n")}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: corp, namespace: customer1 }
spec: { podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.1.0.0/16 } } ] } ] }
`;

  test('check: an ipBlock inside a default pod network fails; declared pod networks replace the defaults', () => {
    write('t.yaml', CORP);
    expect(run('check', tmp.dir())).toEqual({
      code: 1,
      stdout: 'customer1/corp ingress[0] from[0]: admits pods of every namespace on all ports: ipBlock 10.1.0.0/16 overlaps the pod network 10.0.0.0/8, and network plugins match pod addresses against ipBlocks; no grant can cover pods of every namespace: grant the tenant or namespace instead (tenant.allowFrom(...)), or narrow the CIDR or add excepts for the pod networks\n',
      stderr: '',
    });
    expect(run('check', tmp.dir(), '--pod-cidr', '192.168.0.0/16', '--pod-cidr=172.16.0.0/12')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(run('check', tmp.dir(), '--pod-cidr', '10.1.128.0/17').stdout).toContain('overlaps the pod network 10.1.128.0/17,');
  });

  test('reach, diff and explain take it too; a bad value is a usage error', () => {
    write('t.yaml', CORP);
    expect(run('reach', tmp.dir(), '--pod-cidr', '192.168.0.0/16').code).toBe(0);
    expect(run('diff', tmp.dir(), tmp.dir(), '--pod-cidr', '192.168.0.0/16')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(run('explain', tmp.dir(), '--from', '10.1.0.1', '--to', '10.1.0.2', '--pod-cidr', '192.168.0.0/16').code).toBe(0);
    for (const argv of [['reach', tmp.dir()], ['diff', tmp.dir(), tmp.dir()], ['explain', tmp.dir(), '--from', 'a/b', '--to', 'c/d']]) {
      const r = run(...argv, '--pod-cidr', 'x');
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, `tenancy ${argv[0]}: --pod-cidr: malformed CIDR "x": expected a.b.c.d/n`]);
    }
    const cases: Array<[string, string]> = [
      ['10.0.0.1', 'tenancy check: --pod-cidr: CIDR mask is missing in IPv4: "10.0.0.1". Did you mean "10.0.0.1/32"?'],
      ['10.0.0/8', 'tenancy check: --pod-cidr: malformed CIDR "10.0.0/8": expected a.b.c.d/n with n from 0 to 32'],
      ['fd00::/8', 'tenancy check: --pod-cidr fd00::/8: IPv6 pod networks are not modelled (every IPv6 ipBlock is assumed to match pods); give IPv4 CIDRs'],
    ];
    for (const [value, message] of cases) {
      const r = run('check', tmp.dir(), '--pod-cidr', value);
      expect([r.code, r.stderr.split('\n')[0], r.stdout]).toEqual([2, message, '']);
    }
    expect(run('check', tmp.dir(), '--pod-cidr').stderr.split('\n')[0]).toBe('tenancy check: option --pod-cidr needs a value');
  });
});

describe('reach --focus (repeatable) and --exposure', () => {
  test('several workloads', () => {
    write('app.yaml', APP_YAML);
    expect(run('reach', tmp.dir(), '--focus', 'default/backend', '--focus=default/frontend').stdout).toBe(APP_TXT);
    expect(run('reach', tmp.dir(), '--focus', 'default/backend', '--focus', 'default/backend[Deployment]').stdout)
      .toBe('default/frontend[Deployment] => default/backend[Deployment] : TCP 8080-8090,9090,UDP 53\n');
  });

  test('a bare name lists the ns/name forms that exist; a wrong namespace suggests them', () => {
    write('app.yaml', `${APP_YAML}---
apiVersion: v1
kind: Pod
metadata: { name: backend, namespace: other }
spec: { containers: [ { name: c, image: x } ] }
`);
    const bare = run('reach', tmp.dir(), '--focus', 'backend');
    expect([bare.code, bare.stderr.split('\n')[0]]).toEqual([2, 'tenancy reach: --focus: "backend" has no namespace; give one of default/backend, other/backend']);
    const wrong = run('reach', tmp.dir(), '--focus', 'prod/backend[Deployment]');
    expect(wrong.stderr.split('\n')[0]).toBe('tenancy reach: --focus: no workload "prod/backend[Deployment]" in the input; did you mean default/backend, other/backend?');
    expect(run('reach', tmp.dir(), '--focus', 'nothing').stderr.split('\n')[0]).toBe('tenancy reach: --focus: no workload "nothing" in the input');
  });

  test('--exposure adds the exposure of the focused workloads', () => {
    write('app.yaml', APP_YAML);
    expect(run('reach', tmp.dir(), '--exposure', '--focus', 'default/backend')).toEqual({
      code: 0,
      stderr: '',
      stdout: `default/frontend[Deployment] => default/backend[Deployment] : TCP 8080-8090,9090,UDP 53

Ingress exposure (what each workload admits from peers not in the input):
default/backend[Deployment] <= default/[pods with app=frontend] : TCP 8080-8090,9090,UDP 53

Egress exposure (what each workload may reach among peers not in the input):
(none)

Workloads no policy protects:
(none)
`,
    });
    expect(run('reach', tmp.dir(), '--exposure', '--exposure').stderr).toBe('');
    expect(run('reach', tmp.dir(), '--exposure=yes').stderr.split('\n')[0]).toBe('tenancy reach: option --exposure takes no value');
  });
});

describe('check on a committed tree', () => {
  test('a tenant Namespace removed while its policies remain', () => {
    write('t.yaml', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-from-other-namespaces, namespace: customer1, labels: { tenancy.cdk8s.io/tenant: customer1 } }
spec: { podSelector: {}, policyTypes: [ Ingress ], ingress: [ { from: [ { podSelector: {} } ] } ] }
`);
    const r = run('check', tmp.dir());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`namespace customer1 has objects of tenant customer1, e.g. NetworkPolicy deny-from-other-namespaces (${path.join(tmp.dir(), 't.yaml')} (document 0, 0-based)), but no Namespace object, so nothing declares its isolation: restore the Namespace with label tenancy.cdk8s.io/tenant: customer1, or remove the tenant's objects\n`);
  });
});

test('bin/tenancy.js runs the CLI', () => {
  write('app.yaml', APP_YAML);
  const bin = path.join(__dirname, '..', '..', 'bin', 'tenancy.js');
  const r = spawnSync(process.execPath, [bin, 'reach', tmp.dir()], { encoding: 'utf8', timeout: 60000 });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(APP_TXT);
  expect(r.status).toBe(0);
  const bad = spawnSync(process.execPath, [bin, 'reach', path.join(tmp.dir(), 'missing')], { encoding: 'utf8', timeout: 60000 });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toBe(`tenancy reach: cannot read ${path.join(tmp.dir(), 'missing')}: no such file or directory\n`);
});
