import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ApiObject, App, AppProps } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';
import { helmSafeName, isHelmTemplatesDir } from './output';
import { ClusterScope, namespaceOf, placeObjects } from './placement';
import { TenancySettings, TenancySettingsProps } from './settings';

/**
 * The order objects are applied in within a file: Namespaces first (in the cluster file), then
 * what confines a namespace (quotas, RBAC, NetworkPolicies), then what runs in it — so that a
 * pod never starts before the policies that protect it.
 */
const KIND_ORDER = [
  'Namespace', 'ResourceQuota', 'LimitRange', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy',
  'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet',
  'Job', 'CronJob', 'Pod',
];

/**
 * The file that holds the Namespaces and every other cluster-scoped object. `kubectl apply -f
 * dist/` applies a folder's files in lexical order, and `+` sorts before every character a
 * namespace name can start with (digits included), so the Namespaces exist before the files of
 * the objects in them are applied.
 */
export const CLUSTER_FILE = '+cluster';

/** Objects placed in a file other than their namespace's (`placeInFile`). */
const fileOverrides = new WeakMap<IConstruct, string>();

/**
 * Puts an object into a file of its own choosing instead of its namespace's (the base name,
 * without the extension; under `custom-resources/` for custom resources). The platform's Argo
 * CD bootstrap uses it, so that what bootstraps Argo CD is not in the files it syncs.
 */
export function placeInFile(obj: ApiObject, base: string): void {
  fileOverrides.set(obj, base);
}

/**
 * The sub-folder for custom resources (Argo CD, AdminNetworkPolicy, …): they need their CRDs
 * installed first, so they stay out of the top level, which `kubectl apply -f dist/` applies on
 * a fresh cluster (it does not recurse without `-R`).
 */
export const CUSTOM_RESOURCES_DIR = 'custom-resources';

/** API groups built into Kubernetes; anything else is a custom resource. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io',
  'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
]);

/** Whether an object is a custom resource (its API group is not built into Kubernetes). */
export function isCustomResource(manifest: any): boolean {
  const apiVersion: string = manifest?.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return !BUILT_IN_GROUPS.has(group);
}

/** A synthesized object with the file it goes into. */
export interface SynthesizedObject {
  /** The file's base name (the namespace, or `+cluster`), under `custom-resources/` for custom resources. */
  readonly file: string;
  /** The object as JSON. */
  readonly manifest: any;
  /** The construct path of the ApiObject. */
  readonly path: string;
}

/** A check run over every synthesized object of the app, before anything is written. */
export interface IAppCheck {
  /** Returns error messages; an empty list passes. `root` is the app's root construct. */
  check(objects: SynthesizedObject[], root: IConstruct): string[];
}

const checks = new WeakMap<IConstruct, IAppCheck[]>();

/**
 * Registers a check that every synth of the app runs over all its objects (the isolation
 * guard uses it). With a plain cdk8s `App` it runs as a validation of the app's root.
 */
export function addAppCheck(scope: IConstruct, id: string, check: IAppCheck): void {
  const root = scope.node.root;
  let list = checks.get(root);
  if (!list) {
    list = [];
    checks.set(root, list);
    if (!(root instanceof TenancyApp)) {
      root.node.addValidation({ validate: () => runChecks(root, collectObjects(root)) });
    }
  }
  if (!(list as Array<IAppCheck & { id?: string }>).some((c) => c.id === id)) {
    list.push(Object.assign(check, { id }));
  }
}

function runChecks(root: IConstruct, objects: SynthesizedObject[]): string[] {
  return (checks.get(root) ?? []).flatMap((c) => c.check(objects, root));
}

/**
 * Every ApiObject under a construct, rendered, with its file, in a stable order. Objects are
 * placed first (see `placeObjects`): a tenant's default namespace, none on cluster-scoped kinds.
 */
export function collectObjects(root: IConstruct): SynthesizedObject[] {
  placeObjects(root);
  const clusterScope = ClusterScope.of(root);
  const out: SynthesizedObject[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const manifest = (c as ApiObject).toJson();
    out.push({ file: fileOf(manifest, clusterScope.has(c), fileOverrides.get(c)), manifest, path: c.node.path });
  }
  return out.sort(compareObjects);
}

/**
 * The file an ApiObject goes to, with the extension, from its kind, API version and namespace
 * (nothing is rendered but the app's CRDs, so it can be called while other objects render).
 */
export function outputFileOf(obj: ApiObject, extension = '.k8s.yaml', clusterScope: ClusterScope = ClusterScope.of(obj.node.root)): string {
  const name = typeof obj.name === 'string' ? obj.name : undefined;
  const ns = namespaceOf(obj, clusterScope);
  const namespace = typeof ns === 'string' ? ns : undefined;
  return `${fileOf({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, namespace } }, clusterScope.has(obj), fileOverrides.get(obj))}${extension}`;
}

/** The file (base name) an object goes to; see `TenancyApp`. */
function fileOf(manifest: any, clusterScoped: boolean, override?: string): string {
  const meta = manifest.metadata ?? {};
  const base = override ?? (meta.namespace ? meta.namespace : clusterScoped ? CLUSTER_FILE : 'default');
  return isCustomResource(manifest) ? `${CUSTOM_RESOURCES_DIR}/${base}` : base;
}

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

function compareObjects(a: SynthesizedObject, b: SynthesizedObject): number {
  return cmp(a.file, b.file)
    || kindRank(a.manifest.kind) - kindRank(b.manifest.kind)
    || cmp(a.manifest.kind, b.manifest.kind)
    || cmp(a.manifest.metadata?.name ?? '', b.manifest.metadata?.name ?? '')
    || cmp(a.path, b.path);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Serializes documents as YAML: block style, no anchors, no line folding, YAML 1.1-safe quoting.
 * Every document starts with `---`, so files concatenated in any order (`cdk8s synth --stdout`
 * prints every file of the output folder one after the other) are still multi-document YAML.
 */
export function toYaml(docs: any[]): string {
  return docs.map((d) => `---\n${yaml.dump(d, { noRefs: true, lineWidth: -1 })}`).join('');
}

/**
 * Props of a `TenancyApp`: those of a cdk8s `App` (`outdir`, `outputFileExtension`,
 * `resolvers`, `recordConstructMetadata`) but `yamlOutputType`, since the layout is one file per
 * namespace; and the app's settings (`podCidrs`, `platformNamespaces`: see `TenancySettings`).
 */
export interface TenancyAppProps extends Omit<AppProps, 'yamlOutputType'>, TenancySettingsProps {}

/**
 * A cdk8s App that writes `dist/+cluster.k8s.yaml` (the Namespaces, then every other
 * cluster-scoped object) and one file per namespace (`dist/<namespace>.k8s.yaml`: quotas and
 * RBAC, then policies, then workloads). `+` sorts before any namespace name, so
 * `kubectl apply -f dist/` creates the Namespaces first and works on a fresh cluster; and a
 * tenant's files hold only namespaced objects, which its Argo CD project may sync. Custom
 * resources (Argo CD, ClusterNetworkPolicy) go to `dist/custom-resources/`, applied once their
 * CRDs exist.
 * Every file starts with `---` (`cdk8s synth --stdout` concatenates them); in the `templates/`
 * folder of `cdk8s synth --format helm`, a file whose name starts with `_` is renamed (Helm
 * renders no template whose name starts with `_`; `+cluster` needs no renaming).
 *
 * It synthesizes in one pass — every construct is validated once and every object rendered
 * once — where cdk8s's `App.synth` re-validates the whole app for every chart. Files are
 * written to a staging folder and moved into place only when everything succeeded, so a failed
 * synth leaves no half-written output.
 */
export class TenancyApp extends App {
  private readonly recordMetadata: boolean;

  constructor(props: TenancyAppProps = {}) {
    if ((props as AppProps).yamlOutputType !== undefined) {
      throw new Error('TenancyApp writes one file per namespace and does not take yamlOutputType. Leave it out, or use a cdk8s App for another layout (the constructs work in any App).');
    }
    super(props);
    if (props.podCidrs !== undefined || props.platformNamespaces !== undefined) {
      new TenancySettings(this, 'TenancySettings', { podCidrs: props.podCidrs, platformNamespaces: props.platformNamespaces });
    }
    // as cdk8s's App reads it (the cdk8s CLI sets the variable for validation plugins)
    this.recordMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
  }

  /** Validates the app, runs its checks and returns the files it would write (name → YAML). */
  public synthFiles(): Map<string, string> {
    const errors: string[] = [];
    for (const c of this.node.findAll()) {
      for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    }
    if (errors.length) {
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }
    const objects = collectObjects(this);
    const problems = runChecks(this, objects);
    if (problems.length) {
      throw new Error(`Validation failed with the following errors:\n  ${problems.join('\n  ')}`);
    }
    const byFile = new Map<string, any[]>();
    for (const o of objects) {
      const list = byFile.get(o.file) ?? [];
      list.push(o.manifest);
      byFile.set(o.file, list);
    }
    const files = new Map<string, string>();
    const helm = isHelmTemplatesDir(this.outdir);
    for (const name of [...byFile.keys()].sort()) {
      files.set(`${helm ? helmSafeName(name) : name}${this.outputFileExtension}`, toYaml(byFile.get(name)!));
    }
    if (this.recordMetadata) {
      // What cdk8s writes for validation plugins (`cdk8s synth --validate`): object name -> construct path.
      const resources: Record<string, { path: string }> = {};
      for (const o of objects) resources[o.manifest.metadata?.name] = { path: o.path };
      files.set('construct-metadata.json', JSON.stringify({ version: '1.0.0', resources }));
    }
    return files;
  }

  /**
   * Writes the app's files into `outdir`, replacing it whole only when synthesis succeeded.
   *
   * Creating thousands of files is mostly kernel time on some file systems (seconds per 10,000
   * new inodes on a fresh ext4 volume), so with many files a worker thread creates them, empty,
   * in the staging folder while this thread validates and renders; the contents are written
   * into them afterwards.
   */
  public synth(): void {
    const planned = this.plannedFiles();
    const staging = stagingDir(this.outdir);
    const precreate = planned.length >= PRECREATE_MIN_FILES ? precreateFiles(staging, planned) : undefined;
    let files: Map<string, string>;
    try {
      files = this.synthFiles();
    } catch (e) {
      precreate?.();
      fs.rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    precreate?.();
    writeFilesAtomically(this.outdir, files, progressReporter(files.size), precreate ? planned : undefined);
  }

  /** The files synth will write, from the objects' kinds and namespaces (nothing is rendered). */
  private plannedFiles(): string[] {
    const names = new Set<string>();
    const helm = isHelmTemplatesDir(this.outdir);
    const clusterScope = ClusterScope.of(this);
    for (const c of this.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const file = outputFileOf(c as ApiObject, '', clusterScope);
      names.add(`${helm ? helmSafeName(file) : file}${this.outputFileExtension}`);
    }
    return [...names].sort();
  }

  /** All the app's YAML in one string, in file order (every document starts with `---`). */
  public synthYaml(): string {
    return [...this.synthFiles().values()].join('');
  }
}

/**
 * A one-line progress report on stderr for long synths (more than 300 files), off when stderr
 * is not a TTY or when `CI` is set. @internal
 */
export function progressReporter(total: number): ((done: number) => void) | undefined {
  if (total <= 300 || !process.stderr.isTTY || process.env.CI) return undefined;
  return (done) => {
    if (done % 500 === 0 || done === total) {
      process.stderr.write(`\rcdk8s-tenancy: wrote ${done}/${total} namespace files${done === total ? '\n' : ''}`);
    }
  };
}

/** With this many files or more, `TenancyApp.synth` creates them in a worker thread. */
const PRECREATE_MIN_FILES = 200;

function stagingDir(outdir: string): string {
  return `${path.resolve(outdir)}.staging-${process.pid}`;
}

/**
 * Starts a worker thread that creates `names` (empty) in a new `staging` folder; returns a
 * function that blocks until it is done.
 */
function precreateFiles(staging: string, names: string[]): () => void {
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(`
    const { workerData } = require('worker_threads');
    const fs = require('fs');
    const path = require('path');
    const state = workerData.state;
    try {
      for (const name of workerData.names) {
        const file = path.join(workerData.staging, name);
        if (name.includes('/')) fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.closeSync(fs.openSync(file, 'w'));
      }
    } catch (e) {
      // the main thread writes whatever is missing
    }
    Atomics.store(state, 0, 1);
    Atomics.notify(state, 0);
  `, { eval: true, workerData: { staging, names, state } });
  worker.unref();
  return () => {
    Atomics.wait(state, 0, 0);
  };
}

/**
 * Writes files into a staging folder beside `outdir`, then swaps it in. `precreated` lists
 * files already created (empty) in the staging folder; those not written are removed.
 */
export function writeFilesAtomically(outdir: string, files: Map<string, string>, progress?: (done: number) => void, precreated?: string[]): void {
  const abs = path.resolve(outdir);
  const staging = stagingDir(outdir);
  const old = `${abs}.old-${process.pid}`;
  if (!precreated) {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
  }
  try {
    for (const name of precreated ?? []) {
      if (!files.has(name)) fs.rmSync(path.join(staging, name), { force: true });
    }
    let done = 0;
    for (const [name, text] of files) {
      const file = path.join(staging, name);
      if (name.includes('/')) fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      progress?.(++done);
    }
    if (fs.existsSync(abs)) fs.renameSync(abs, old);
    fs.renameSync(staging, abs);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}
