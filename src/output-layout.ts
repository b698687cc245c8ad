/**
 * The files an app writes, as `kubectl apply -R -f <outdir>` reads them: the layout of a `TenancyApp` (one file
 * per namespace) and of a cdk8s `App` (per its `yamlOutputType`), so the guard reads what is written.
 */
import { ApiObject, App, Chart, DependencyGraph, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SynthesizedObject, TenancyApp } from './app';
import { compareManifestPaths } from './guard';
import { helmSafeName, isHelmTemplatesDir } from './output';
import { cdk8sOutputFiles } from './plain-app';

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
}

/**
 * The files the app writes and the objects in each, in the order `kubectl apply -R -f` reads them. A
 * `TenancyApp` (or a construct tree without an App) writes one file per namespace; a cdk8s `App` writes what its
 * `yamlOutputType` says (charts in dependency order, each chart's objects in dependency order).
 */
export function outputLayout(root: IConstruct, objects: readonly SynthesizedObject[]): OutputLayout {
  if (root instanceof App && !(root instanceof TenancyApp)) return chartLayout(root, objects);
  if (!(root instanceof App)) return namespaceLayout(objects);
  const helm = isHelmTemplatesDir(root.outdir);
  return namespaceLayout(objects, (base) => `${helm ? helmSafeName(base) : base}${root.outputFileExtension}`);
}

/**
 * The layout of a `TenancyApp`: one file per `SynthesizedObject.file`, named by `fileName` (by default the base
 * name and `.k8s.yaml`), objects in the order given.
 */
export function namespaceLayout(objects: readonly SynthesizedObject[], fileName: (base: string) => string = (base) => `${base}.k8s.yaml`): OutputLayout {
  const byFile = new Map<string, SynthesizedObject[]>();
  for (const o of objects) {
    const name = fileName(o.file);
    const list = byFile.get(name);
    if (list) list.push(o); else byFile.set(name, [o]);
  }
  return { files: sortFiles([...byFile].map(([file, list]) => ({ file, objects: list }))) };
}

function sortFiles(files: OutputFile[]): OutputFile[] {
  return files.sort((a, b) => compareManifestPaths(a.file, b.file));
}

/**
 * The layout of a plain cdk8s App, as `App.synth` writes it: the file of each object as `cdk8sOutputFiles` names
 * it (which also orders the charts as cdk8s does), each chart's objects in cdk8s's dependency order.
 */
export function chartLayout(app: App, objects: readonly SynthesizedObject[]): OutputLayout {
  const fileOf = cdk8sOutputFiles(app);
  const byPath = new Map(objects.map((o) => [o.path, o]));
  const writes: Array<{ file: string; o: SynthesizedObject }> = [];
  for (const chart of app.charts) {
    for (const c of new DependencyGraph(chart.node).topology()) {
      if (ApiObject.isApiObject(c) && Chart.of(c) === chart) writes.push({ file: fileOf.get(c)!, o: byPath.get(c.node.path)! });
    }
  }
  // with one file per resource, a later object written to the same file name replaces the earlier (plain-app.ts
  // refuses such an app at App.synth)
  const perResource = app.yamlOutputType === YamlOutputType.FILE_PER_RESOURCE || app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
  const byFile = new Map<string, SynthesizedObject[]>();
  for (const w of writes) {
    const list = perResource ? undefined : byFile.get(w.file);
    if (list) list.push(w.o); else byFile.set(w.file, [w.o]);
  }
  return { files: sortFiles([...byFile].map(([file, list]) => ({ file, objects: list }))) };
}
