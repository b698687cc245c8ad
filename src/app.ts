import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ApiObject, App, AppProps } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';
import { CLUSTER_SCOPED_KINDS } from './guard';
import { chartLayout, namespaceLayout } from './output-layout';

/**
 * The order objects are applied in within a namespace's file: the Namespace first, then what
 * confines it (quotas, RBAC, NetworkPolicies), then what runs in it — so that a pod never
 * starts before the policies that protect it.
 */
const KIND_ORDER = [
  'Namespace', 'ResourceQuota', 'LimitRange', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy',
  'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet',
  'Job', 'CronJob', 'Pod',
];

/** The file that holds cluster-scoped objects other than Namespaces (`_` cannot start a namespace name). */
export const CLUSTER_FILE = '_cluster';

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
  /** The file's base name (the namespace, or `_cluster`), under `custom-resources/` for custom resources. */
  readonly file: string;
  /** The object as JSON. */
  readonly manifest: any;
  /** The construct path of the ApiObject. */
  readonly path: string;
}

/** A file the app writes, with its objects in document order. */
export interface OutputFile {
  /** The path below the output folder, with the extension (`customer1.k8s.yaml`). */
  readonly file: string;
  /** The objects, in document order. */
  readonly objects: readonly SynthesizedObject[];
}

/** What the app writes, as `kubectl apply -R -f <outdir>` reads it. */
export interface OutputLayout {
  /** The files, in the order a recursive directory walk meets them (folder by folder, lexical). */
  readonly files: readonly OutputFile[];
  /** Objects written to a file that a later object of the same file name replaced (one file per resource layouts). */
  readonly overwritten: ReadonlyArray<{ readonly object: SynthesizedObject; readonly by: SynthesizedObject; readonly file: string }>;
}

/** A check run over every synthesized object of the app, before anything is written. */
export interface IAppCheck {
  /** Returns error messages; an empty list passes. `output` is what the app writes, file by file. */
  check(objects: SynthesizedObject[], output: OutputLayout): string[];
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
  const list = checks.get(root) ?? [];
  if (list.length === 0) return [];
  const output = outputLayout(root, objects);
  return list.flatMap((c) => c.check(objects, output));
}

/** Every ApiObject under a construct, rendered, with its file, in a stable order. */
export function collectObjects(root: IConstruct): SynthesizedObject[] {
  const out: SynthesizedObject[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const manifest = (c as ApiObject).toJson();
    out.push({ file: fileOf(manifest), manifest, path: c.node.path });
  }
  return out.sort(compareObjects);
}

/**
 * The files the app writes and the objects in each, in the order `kubectl apply -R -f` reads them. A
 * `TenancyApp` (or a construct tree without an App) writes one file per namespace; a cdk8s `App` writes what its
 * `yamlOutputType` says (charts in dependency order, each chart's objects in dependency order).
 */
export function outputLayout(root: IConstruct, objects: readonly SynthesizedObject[]): OutputLayout {
  if (root instanceof App && !(root instanceof TenancyApp)) return chartLayout(root, objects, root.outputFileExtension);
  return namespaceLayout(objects, root instanceof App ? root.outputFileExtension : undefined);
}

function fileOf(manifest: any): string {
  const kind = manifest.kind;
  const meta = manifest.metadata ?? {};
  const base = kind === 'Namespace' ? meta.name
    : meta.namespace ? meta.namespace
      : CLUSTER_SCOPED_KINDS.has(kind) ? CLUSTER_FILE : 'default';
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

/** Serializes documents as YAML: block style, no anchors, no line folding, YAML 1.1-safe quoting. */
export function toYaml(docs: any[]): string {
  return docs.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n');
}

/**
 * Props of a `TenancyApp`: those of a cdk8s `App` (`outdir`, `outputFileExtension`,
 * `resolvers`, `recordConstructMetadata`) but `yamlOutputType`, since the layout is one file per
 * namespace.
 */
export interface TenancyAppProps extends Omit<AppProps, 'yamlOutputType'> {}

/**
 * A cdk8s App that writes one file per namespace (`dist/<namespace>.k8s.yaml`, Namespace
 * first, then policies, then workloads) and `dist/_cluster.k8s.yaml` for other cluster-scoped
 * objects, so `kubectl apply -f dist/` works on a fresh cluster. Custom resources (Argo CD,
 * BaselineAdminNetworkPolicy) go to `dist/custom-resources/`, applied once their CRDs exist.
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
    for (const name of [...byFile.keys()].sort()) {
      files.set(`${name}${this.outputFileExtension}`, toYaml(byFile.get(name)!));
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
    for (const c of this.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const o = c as ApiObject;
      const name = typeof o.name === 'string' ? o.name : undefined;
      const namespace = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : undefined;
      names.add(`${fileOf({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name, namespace } })}${this.outputFileExtension}`);
    }
    return [...names].sort();
  }

  /** All the app's YAML in one string, in file order. */
  public synthYaml(): string {
    return [...this.synthFiles().values()].join('---\n');
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
