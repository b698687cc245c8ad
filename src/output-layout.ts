/**
 * The files an app writes, as `kubectl apply -R -f <outdir>` reads them: the layout of a `TenancyApp` (one file
 * per namespace) and of a cdk8s `App` (per its `yamlOutputType`), so the guard reads what is written.
 */
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { OutputFile, OutputLayout, SynthesizedObject } from './app';
import { compareManifestPaths } from './guard';

/** The layout of a `TenancyApp`: one file per namespace (`SynthesizedObject.file` plus the extension). */
export function namespaceLayout(objects: readonly SynthesizedObject[], extension = '.k8s.yaml'): OutputLayout {
  const byFile = new Map<string, SynthesizedObject[]>();
  for (const o of objects) {
    const name = `${o.file}${extension}`;
    const list = byFile.get(name);
    if (list) list.push(o); else byFile.set(name, [o]);
  }
  return { files: sortFiles([...byFile].map(([file, list]) => ({ file, objects: list }))), overwritten: [] };
}

function sortFiles(files: OutputFile[]): OutputFile[] {
  return files.sort((a, b) => compareManifestPaths(a.file, b.file));
}

/** The layout of a plain cdk8s App, as `App.synth` writes it. */
export function chartLayout(app: App, objects: readonly SynthesizedObject[], ext: string): OutputLayout {
  const byPath = new Map(objects.map((o) => [o.path, o]));
  const indexed = hasDependantCharts(app);
  const charts = app.charts.map((chart, i) => ({
    name: `${indexed ? `${String(i).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`,
    objects: new DependencyGraph(chart.node).topology()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
      .map((c) => byPath.get(c.node.path)!),
  }));
  const resourceFile = (o: SynthesizedObject) => `${o.manifest.kind}.${o.manifest.metadata?.name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      return { files: charts.length ? [{ file: `app${ext}`, objects: charts.flatMap((c) => c.objects) }] : [], overwritten: [] };
    case YamlOutputType.FILE_PER_RESOURCE:
      return perResource(charts.flatMap((c) => c.objects.map((o) => ({ file: `${resourceFile(o)}${ext}`, o }))));
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      return perResource(charts.flatMap((c) => c.objects.map((o) => ({ file: `${c.name}/${resourceFile(o)}${ext}`, o }))));
    default:
      return { files: sortFiles(charts.map((c) => ({ file: `${c.name}${ext}`, objects: c.objects }))), overwritten: [] };
  }
}

/** One object per file, written in order: a later object with the same file name replaces the earlier. */
function perResource(writes: Array<{ file: string; o: SynthesizedObject }>): OutputLayout {
  const last = new Map<string, SynthesizedObject>();
  const overwritten: Array<{ object: SynthesizedObject; by: SynthesizedObject; file: string }> = [];
  for (const w of writes) last.set(w.file, w.o);
  for (const w of writes) if (last.get(w.file) !== w.o) overwritten.push({ object: w.o, by: last.get(w.file)!, file: w.file });
  return { files: sortFiles([...last].map(([file, o]) => ({ file, objects: [o] }))), overwritten };
}

/** Whether cdk8s names chart files with an index (`0000-chart`): nested charts or dependencies across charts. */
function hasDependantCharts(app: App): boolean {
  return app.node.findAll().some((c) => (c instanceof Chart && c.node.children.some((x) => x instanceof Chart))
    || c.node.dependencies.some((dep) => {
      const from = chartOf(c);
      const to = chartOf(dep);
      return from !== undefined && to !== undefined && from !== to;
    }));
}

function chartOf(c: IConstruct): Chart | undefined {
  for (let x: IConstruct | undefined = c; x; x = x.node.scope) if (x instanceof Chart) return x;
  return undefined;
}
