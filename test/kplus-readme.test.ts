/**
 * The README's section "cdk8s-plus workloads" stays true: its example compiles as written
 * (imports included), synthesizes, and writes the policy it shows; its messages are the real ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as yaml from 'js-yaml';
import * as ts from 'typescript';
import * as tenancy from '../src';
import { find, readDir, tmpdir } from './support/util';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## cdk8s-plus workloads\n'), README.indexOf('## The output, and GitOps\n'));

/** The fenced blocks of the section with the given language (`''` for none), unindented. */
function blocks(lang: string): string[] {
  const out: string[] = [];
  let open: { lang: string; indent: number; lines: string[] } | undefined;
  for (const line of SECTION.split('\n')) {
    const fence = /^( *)```(\w*)$/.exec(line);
    if (fence && !open) {
      open = { lang: fence[2], indent: fence[1].length, lines: [] };
    } else if (fence && open) {
      if (open.lang === lang) out.push(open.lines.map((l) => l.slice(open!.indent)).join('\n') + '\n');
      open = undefined;
    } else if (open) {
      open.lines.push(line);
    }
  }
  return out;
}

/** Type-checks a snippet as if it were a file of a project that installed this package. */
function typeErrors(code: string): string[] {
  const file = path.join(ROOT, 'test', '__readme_kplus__.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, esModuleInterop: true, skipLibCheck: true,
    noUnusedLocals: true, types: ['node'], baseUrl: ROOT, paths: { 'cdk8s-tenancy': ['src/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, language, ...rest) => (name === file
    ? ts.createSourceFile(name, code, language)
    : getSourceFile.call(host, name, language, ...rest));
  const fileExists = host.fileExists;
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Runs a snippet with `cdk8s-tenancy` resolved to this repository's sources, its output in `outdir`. */
function run(code: string, outdir: string): void {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, esModuleInterop: true } }).outputText;
  const saved = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    new Function('require', 'exports', js)((name: string) => (name === 'cdk8s-tenancy' ? tenancy : require(name)), {});
  } finally {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = saved;
  }
}

describe('README: cdk8s-plus workloads', () => {
  const [example, patch] = blocks('ts');

  test('the example compiles as written', () => {
    expect(example).toMatch(/^import \{ Chart \} from 'cdk8s';\nimport \* as kplus from 'cdk8s-plus-27';\nimport \{ [^}]+ \} from 'cdk8s-tenancy';\n/);
    expect(typeErrors(example)).toEqual([]);
  }, 60000);

  test('it synthesizes, and writes the policy shown', () => {
    // GIVEN / WHEN the example runs
    const outdir = path.join(tmpdir(), 'dist');
    run(example, outdir);
    // THEN
    const files = readDir(outdir);
    expect([...files.keys()]).toEqual(['+cluster.k8s.yaml', 'payments.k8s.yaml', 'shop.k8s.yaml']);
    const objects = [...files.values()].flat();
    const shown = yaml.load(blocks('yaml')[0]) as any;
    const written = find(objects, 'NetworkPolicy', 'allow-from-shop-storefront', 'payments');
    expect(written).toMatchObject(shown);
    expect(written.spec).toEqual(shown.spec);
    expect(find(objects, 'NetworkPolicy', 'allow-storefront-to-payments', 'shop').spec.podSelector).toEqual(shown.spec.ingress[0].from[0].podSelector);
    expect(find(objects, 'NetworkPolicy', 'db-webapp', 'payments').spec.podSelector.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'tenancy-payments-ledger-c8d52ddc' });
  });

  test('the JSON patch for restricted compiles, and makes a cdk8s-plus Deployment pass restricted', () => {
    expect(patch).toBe("ApiObject.of(api).addJsonPatch(\n"
      + "  JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),\n"
      + "  JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),\n);\n");
    const app = new tenancy.TenancyApp({ outdir: tmpdir() });
    const chart = new (require('cdk8s').Chart)(app, 'tenancy');
    const payments = new tenancy.IsolatedTenant(chart, 'payments', { podSecurity: { level: tenancy.PodSecurityLevel.RESTRICTED } });
    const api = new kplus.Deployment(payments, 'api', { containers: [{ image: 'registry.example.com/payments-api:1.0', portNumber: 8443 }] });
    new Function('ApiObject', 'JsonPatch', 'api', patch)(ApiObject, JsonPatch, api);
    expect(() => app.synthFiles()).not.toThrow();
  });

  test('the messages quoted are the real ones', () => {
    // the guard's refusal of a cdk8s-plus connection across tenants
    const app = new tenancy.TenancyApp({ outdir: tmpdir() });
    const chart = new (require('cdk8s').Chart)(app, 'tenancy');
    const shop = new tenancy.IsolatedTenant(chart, 'shop');
    const payments = new tenancy.IsolatedTenant(chart, 'payments');
    const storefront = new kplus.Deployment(shop, 'storefront', { metadata: { namespace: 'shop' }, containers: [{ image: 'nginx', portNumber: 8080 }] });
    const api = new kplus.Deployment(payments, 'api', { metadata: { namespace: 'payments' }, containers: [{ image: 'api', portNumber: 8443 }] });
    api.connections.allowFrom(storefront);
    const quoted = blocks('')[0].trim().split('…');
    let message = '';
    try {
      app.synthFiles();
    } catch (e) {
      message = (e as Error).message;
    }
    let at = 0;
    for (const part of quoted) {
      at = message.indexOf(part, at);
      expect(at).toBeGreaterThanOrEqual(0);
    }
  });

  test('the fragments quoted are the real ones', () => {
    const failure = (build: (shop: tenancy.IsolatedTenant, payments: tenancy.IsolatedTenant) => void): string => {
      const app = new tenancy.TenancyApp({ outdir: tmpdir() });
      const chart = new (require('cdk8s').Chart)(app, 'tenancy');
      build(new tenancy.IsolatedTenant(chart, 'shop'), new tenancy.IsolatedTenant(chart, 'payments'));
      try {
        app.synthFiles();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(SECTION).toContain('(`[tenancy/shop/storefront] cdk8s-plus Deployment has no selector labels …`)');
    expect(failure((shop, payments) => {
      payments.allowFrom(new kplus.Deployment(shop, 'storefront', { select: false, containers: [{ image: 'nginx' }] }));
    })).toContain('[tenancy/shop/storefront] cdk8s-plus Deployment has no selector labels ');
    const fragment = '(`… selects the pods of tenancy/shop/storefront/Resource in namespace "payments", but\n  they run in "shop" …`)';
    expect(SECTION).toContain(fragment);
    expect(failure((shop, payments) => {
      const storefront = new kplus.Deployment(shop, 'storefront', { containers: [{ image: 'nginx', portNumber: 8080 }] });
      new kplus.Deployment(payments, 'api', { containers: [{ image: 'api', portNumber: 8443 }] }).connections.allowFrom(storefront);
    })).toContain(' selects the pods of tenancy/shop/storefront/Resource in namespace "payments", but they run in "shop", ');
  });
});
