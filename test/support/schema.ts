/**
 * Schema validation of emitted objects against the Kubernetes API, with the maintained
 * `kubernetes-models` package:
 *
 * 1. its JSON-schema validators (`new Model(obj).validate()`): types, required fields, formats;
 * 2. its TypeScript types, by type-checking every object as an object literal of the model's
 *    interface: TypeScript's excess-property check turns any unknown field, at any depth,
 *    into an error (the JSON schemas of the API allow unknown fields, the API server drops them
 *    silently — a misspelt `podSelecter` would never reach the cluster).
 */
import * as path from 'path';
import * as ts from 'typescript';
import { CrdSchema, loadCrd, validateAgainstCrd } from './crd-schema';

/** CRDs the project emits objects of, kept as test fixtures (copies of the upstream files). */
const CRD_FILES = [
  path.join(__dirname, '..', 'fixtures', 'crds', 'policy.networking.k8s.io_baselineadminnetworkpolicies.yaml'),
  path.join(__dirname, '..', 'fixtures', 'crds', 'policy.networking.k8s.io_clusternetworkpolicies.standard.yaml'),
];
let crds: CrdSchema[] | undefined;
function crdFor(obj: any): CrdSchema | undefined {
  crds ??= CRD_FILES.map((f) => loadCrd(f));
  return crds.find((c) => obj?.apiVersion === `${c.group}/${c.version}` && obj?.kind === c.kind);
}

interface ModelRef {
  /** Module to import the class and its interface from. */
  readonly module: string;
  readonly kind: string;
}

function modelFor(obj: any): ModelRef {
  const apiVersion: string = obj?.apiVersion;
  const kind: string = obj?.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new Error(`object without apiVersion/kind: ${JSON.stringify(obj).slice(0, 200)}`);
  }
  if (apiVersion === 'argoproj.io/v1alpha1') {
    return { module: `@kubernetes-models/argo-cd/argoproj.io/v1alpha1/${kind}`, kind };
  }
  return { module: `kubernetes-models/${apiVersion}/${kind}`, kind };
}

/**
 * Validates objects; returns one message per problem (`[index kind/name] message`). Objects of
 * the CRDs in `CRD_FILES` are checked against the CRD's schema (unknown fields rejected too).
 */
export function validateObjects(all: any[]): string[] {
  const problems: string[] = [];
  for (const obj of all) {
    const crd = crdFor(obj);
    if (crd) {
      for (const e of validateAgainstCrd(obj, crd)) problems.push(`[${obj.kind}/${obj.metadata?.name}] ${e}`);
    }
  }
  const objects = all.filter((o) => !crdFor(o));
  const label = (i: number) => `[${i} ${objects[i].kind}/${objects[i].metadata?.namespace ? objects[i].metadata.namespace + '/' : ''}${objects[i].metadata?.name}]`;

  // 1. JSON schema.
  const refs = objects.map(modelFor);
  objects.forEach((obj, i) => {
    let Model: any;
    try {
      Model = require(refs[i].module)[refs[i].kind];
    } catch (e) {
      problems.push(`${label(i)} no schema for ${obj.apiVersion} ${obj.kind}`);
      return;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      problems.push(`${label(i)} ${(e as Error).message}`);
    }
  });
  if (problems.length) return problems;

  // 2. Unknown fields, through the models' TypeScript interfaces.
  const imports = new Map<string, string>();
  const lines: string[] = [];
  objects.forEach((obj, i) => {
    const ref = refs[i];
    let alias = imports.get(ref.module);
    if (!alias) {
      alias = `M${imports.size}`;
      imports.set(ref.module, alias);
    }
    lines.push(`export const o${i}: ${alias}.I${ref.kind} = ${JSON.stringify(obj)};`);
  });
  const header = [...imports].map(([mod, alias]) => `import * as ${alias} from '${mod}';`);
  const source = [...header, ...lines].join('\n');
  const root = path.resolve(__dirname, '..', '..');
  const fileName = path.join(root, 'test', '__schema_check__.ts');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) =>
    path.resolve(name) === fileName ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const sf = program.getSourceFile(fileName)!;
  for (const d of ts.getPreEmitDiagnostics(program, sf)) {
    const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : -1;
    const index = line - header.length;
    const where = index >= 0 && index < objects.length ? label(index) : '[schema check]';
    problems.push(`${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return problems;
}
