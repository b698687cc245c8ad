/**
 * The constructs in a plain cdk8s `App` (not a `TenancyApp`): which file cdk8s's `App.synth()`
 * writes each object into under the app's `yamlOutputType`, so that a tenant's Argo CD
 * Application names those files, and the checks `App.synth()` runs before it writes anything.
 *
 * The behaviour for each of cdk8s's layouts (checked when the app is written with `App.synth()`;
 * `Testing.synth(chart)` and `app.synthYaml()` write no files and are not concerned):
 * - every layout: two objects that cdk8s would write to the same file (FILE_PER_RESOURCE names
 *   files by kind and name only, so two tenants' `deny-from-other-namespaces` collide) fail the
 *   synth, since one would silently overwrite the other;
 * - every layout: a custom resource of this package (Argo CD's AppProject and Application, the
 *   BaselineAdminNetworkPolicy) must be written after its CustomResourceDefinition when the app
 *   defines it (a dependency on the CRD is added, so cdk8s orders it so), or else into a file
 *   holding only custom resources (and CRDs), to be applied once the CRDs are installed; a custom resource
 *   in a file with built-in objects (FILE_PER_APP, or FILE_PER_CHART with it in a tenant's chart)
 *   fails the synth;
 * - a tenant's Argo CD Application includes exactly the files that hold the tenant's namespaced
 *   objects, and the platform's Application those of the cluster-scoped objects (the tenants'
 *   Namespaces included) and of Argo CD's namespace; when such a file also holds other objects
 *   (FILE_PER_APP, FILE_PER_CHART: a tenant's chart holds its Namespace and its Argo CD objects)
 *   the synth fails, since Argo CD would refuse to sync them into the tenant's project, or two
 *   Applications would manage them. FOLDER_PER_CHART_FILE_PER_RESOURCE with one Chart per
 *   tenant, and FILE_PER_RESOURCE with a single tenant, work.
 */
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CUSTOM_RESOURCES_DIR, isCustomResource, TenancyApp } from './app';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import { ClusterScope, namespaceOf } from './placement';
import { tenantNamed, tenantNames } from './tenant-registry';

/** A tenant whose Argo CD Application syncs files of a plain App. */
interface SyncedTenant {
  /** Construct path of the TenantArgoCd, for messages. */
  readonly path: string;
  /** The tenant's name. */
  readonly tenant: string;
  /** The tenant's namespaces (read at synth). */
  readonly namespaces: () => readonly string[];
}

/** The platform's Application in a plain App: what it syncs. */
interface SyncedPlatform {
  /** Construct path of the PlatformArgoCd, for messages. */
  readonly path: string;
  /** Whether the Application syncs an object (cluster-scoped, or in Argo CD's namespace). */
  readonly syncs: (o: ApiObject, clusterScope: ClusterScope) => boolean;
  /** The Application's own objects (its AppProject and itself), which may share its files. */
  readonly own: ReadonlySet<ApiObject>;
}

const checkedApps = new WeakSet<App>();
const syncedTenants = new WeakMap<App, SyncedTenant[]>();
const syncedPlatforms = new WeakMap<App, SyncedPlatform>();

/** The plain cdk8s App a construct is in, or undefined (a TenancyApp, or no App at the root). */
export function plainAppOf(scope: IConstruct): App | undefined {
  const root = scope.node.root;
  return root instanceof App && !(root instanceof TenancyApp) ? root : undefined;
}

/**
 * Makes `App.synth()` of a plain App run the checks above before it writes anything (once per
 * app; nothing for a TenancyApp, which has its own layout).
 */
export function checkPlainAppOnSynth(scope: IConstruct): void {
  const app = plainAppOf(scope);
  if (!app || checkedApps.has(app)) return;
  checkedApps.add(app);
  const synth = app.synth;
  app.synth = function synthChecked(this: App): void {
    const problems = plainAppProblems(app);
    if (problems.length) {
      throw new Error(`Validation failed with the following errors:\n  ${problems.join('\n  ')}`);
    }
    synth.call(app);
  };
}

/**
 * Registers a tenant's Argo CD Application in a plain App and returns its `source.directory`:
 * the files holding the tenant's objects, relative to the synced folder, computed at synth.
 */
export function syncedDirectory(scope: IConstruct, tenant: string, namespaces: () => readonly string[]): () => { include: string; recurse?: boolean } {
  const app = plainAppOf(scope)!;
  checkPlainAppOnSynth(scope);
  const list = syncedTenants.get(app) ?? [];
  syncedTenants.set(app, list);
  const entry: SyncedTenant = { path: scope.node.path, tenant, namespaces };
  list.push(entry);
  return () => {
    const files = filesOfTenant(cdk8sOutputFiles(app), entry, ClusterScope.of(app));
    return {
      include: `{${[...files.keys()].join(',')}}`,
      ...([...files.keys()].some((f) => f.includes('/')) ? { recurse: true } : {}),
    };
  };
}

/**
 * Registers the platform's Argo CD Application in a plain App and returns its `source.directory`:
 * the files holding the objects it syncs, relative to the synced folder, computed at synth.
 */
export function syncedPlatformDirectory(scope: IConstruct, own: ReadonlySet<ApiObject>, syncs: SyncedPlatform['syncs']): () => { include: string; recurse?: boolean } {
  const app = plainAppOf(scope)!;
  checkPlainAppOnSynth(scope);
  const entry: SyncedPlatform = { path: scope.node.path, syncs, own };
  syncedPlatforms.set(app, entry);
  return () => {
    const files = filesOfPlatform(cdk8sOutputFiles(app), entry, ClusterScope.of(app));
    return {
      include: `{${[...files.keys()].join(',')}}`,
      ...([...files.keys()].some((f) => f.includes('/')) ? { recurse: true } : {}),
    };
  };
}

/**
 * The file (relative to the output folder) that cdk8s's `App.synth()` writes each object of a
 * plain App into, for the app's `yamlOutputType`; objects in the order cdk8s writes them.
 */
export function cdk8sOutputFiles(app: App): Map<ApiObject, string> {
  const dependant = resolveChartDependencies(app);
  const byChart = new Map<Chart, ApiObject[]>();
  for (const c of app.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const chart = Chart.of(c);
    const list = byChart.get(chart) ?? [];
    list.push(c as ApiObject);
    byChart.set(chart, list);
  }
  const ext = app.outputFileExtension;
  const out = new Map<ApiObject, string>();
  app.charts.forEach((chart, i) => {
    const chartName = dependant ? `${String(i).padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart);
    for (const o of byChart.get(chart) ?? []) {
      switch (app.yamlOutputType) {
        case YamlOutputType.FILE_PER_APP: out.set(o, `app${ext}`); break;
        case YamlOutputType.FILE_PER_RESOURCE: out.set(o, resourceFile(o, ext)); break;
        case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: out.set(o, `${chartName}/${resourceFile(o, ext)}`); break;
        default: out.set(o, `${chartName}${ext}`);
      }
    }
  });
  return out;
}

/** cdk8s's name for a file of one object: `Kind.name`, without characters outside `[0-9a-zA-Z-_.]`. */
function resourceFile(o: ApiObject, ext: string): string {
  return `${o.kind}.${o.metadata.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;
}

/**
 * The chart-level dependencies cdk8s's `App.synth()` adds before it orders and names the charts
 * (a chart depends on its nested charts and on the charts its constructs depend on), added the
 * same way, so that `app.charts` is the order cdk8s writes. Returns whether any chart depends on
 * another: cdk8s then prefixes chart file and folder names with their index (`0000-`).
 */
function resolveChartDependencies(app: App): boolean {
  let dependant = false;
  const all = app.node.findAll();
  for (const c of all) {
    if (!(c instanceof Chart)) continue;
    for (const child of c.node.children) {
      if (child instanceof Chart) { c.node.addDependency(child); dependant = true; }
    }
  }
  for (const c of all) {
    for (const dep of c.node.dependencies) {
      const from = chartOf(c);
      const to = chartOf(dep);
      if (from && to && from !== to) { from.node.addDependency(to); dependant = true; }
    }
  }
  return dependant;
}

function chartOf(c: IConstruct): Chart | undefined {
  try { return Chart.of(c); } catch { return undefined; }
}

/**
 * The tenant's files, each with the objects in it that are not the tenant's. An object is the
 * tenant's when it goes into one of its namespaces (placement.ts: its own namespace, or the one
 * of the nearest scope that sets one). Its Namespaces are not: like every cluster-scoped object,
 * they are the platform's Application's (platform-argocd.ts), and the tenant's project may sync
 * nothing cluster-scoped.
 */
function filesOfTenant(files: Map<ApiObject, string>, t: SyncedTenant, clusterScope: ClusterScope): Map<string, ApiObject[]> {
  const namespaces = new Set(t.namespaces());
  return filesOf(files, (o) => {
    const ns = namespaceOf(o, clusterScope);
    return ns !== undefined && namespaces.has(ns);
  });
}

/** The platform's files, each with the objects in it that its Application does not sync. */
function filesOfPlatform(files: Map<ApiObject, string>, p: SyncedPlatform, clusterScope: ClusterScope): Map<string, ApiObject[]> {
  const foreign = filesOf(files, (o) => p.syncs(o, clusterScope));
  for (const [file, objects] of foreign) foreign.set(file, objects.filter((o) => !p.own.has(o)));
  return foreign;
}

/** The files holding an object that is `mine`, each with the objects in it that are not, sorted by name. */
function filesOf(files: Map<ApiObject, string>, mine: (o: ApiObject) => boolean): Map<string, ApiObject[]> {
  const out = new Map<string, ApiObject[]>();
  for (const [o, file] of files) if (mine(o) && !out.has(file)) out.set(file, []);
  for (const [o, file] of files) if (!mine(o)) out.get(file)?.push(o);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function describe(o: ApiObject): string {
  const ns = namespaceOf(o);
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.name}`;
}

function layoutName(app: App): string {
  return YamlOutputType[app.yamlOutputType] ?? String(app.yamlOutputType);
}

const FIX = `use TenancyApp (one file per namespace, custom resources in ${CUSTOM_RESOURCES_DIR}/)`;

/** Every problem of a plain App's layout, one message each (see the file's comment). */
export function plainAppProblems(app: App): string[] {
  orderAfterCrds(app);
  const files = cdk8sOutputFiles(app);
  const layout = layoutName(app);
  const problems: string[] = [];

  const byFile = new Map<string, ApiObject[]>();
  for (const [o, file] of files) byFile.set(file, [...(byFile.get(file) ?? []), o]);
  const perResource = app.yamlOutputType === YamlOutputType.FILE_PER_RESOURCE || app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
  for (const [file, objects] of byFile) {
    if (!perResource || objects.length < 2) continue;
    problems.push(`[${objects[1].node.path}] ${describe(objects[1])} and ${describe(objects[0])} (${objects[0].node.path}) would both be written to ${file}: cdk8s's ${layout} layout names files by kind and name only, so one would overwrite the other. Give each tenant a Chart of its own with FOLDER_PER_CHART_FILE_PER_RESOURCE, or ${FIX}.`);
  }

  const crds = crdFiles(files);
  for (const [o, file] of files) {
    if (!isCustomResource({ apiVersion: o.apiVersion }) || o.metadata.getLabel(MANAGED_BY_LABEL) !== MANAGED_BY) continue;
    const crdFile = crds.get(`${groupOf(o.apiVersion)}/${o.kind}`);
    if (crdFile !== undefined) {
      if (crdFile === file || crdFile < file) continue;
      problems.push(`[${o.node.path}] custom resource ${describe(o)} would be written to ${file}, before its CustomResourceDefinition in ${crdFile}. Put the CRD in a chart the custom resource's chart depends on, or ${FIX}.`);
      continue;
    }
    // a file of custom resources (and CustomResourceDefinitions) is applied once the CRDs are installed
    const builtIn = byFile.get(file)!.filter((x) => !isCustomResource({ apiVersion: x.apiVersion }) && x.kind !== 'CustomResourceDefinition');
    if (builtIn.length === 0) continue;
    // A tenant writes its custom resources in its own chart, beside its Namespace: only the layout can part them.
    const tenant = tenantNames(app).map((n) => tenantNamed(app, n)).find((t) => t !== undefined && o.node.scopes.includes(t));
    const apart = tenant
      ? `Tenant "${tenant.name}" writes it in its own chart, so give it a file of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE (one file per object)`
      : 'Create it in a Chart of its own (a file of custom resources, applied once the CRDs are installed)';
    problems.push(`[${o.node.path}] custom resource ${describe(o)} would be written to ${file} together with built-in objects (${list(builtIn)}), while this app does not define its CustomResourceDefinition: applied from that file on a cluster without the CRD (kubectl apply, an Argo CD sync), it fails. ${apart}, or ${FIX}.`);
  }

  const clusterScope = ClusterScope.of(app);
  for (const t of syncedTenants.get(app) ?? []) {
    for (const [file, foreign] of filesOfTenant(files, t, clusterScope)) {
      if (foreign.length === 0) continue;
      problems.push(`[${t.path}] tenant "${t.tenant}"'s Argo CD Application would sync ${file}, which also holds objects outside the tenant's namespaces (${list(foreign)}): Argo CD refuses to sync them in the tenant's project. With cdk8s's ${layout} layout, give each tenant a Chart of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE, or ${FIX}.`);
    }
  }
  const platform = syncedPlatforms.get(app);
  if (platform) {
    for (const [file, foreign] of filesOfPlatform(files, platform, clusterScope)) {
      if (foreign.length === 0) continue;
      problems.push(`[${platform.path}] the platform's Argo CD Application would sync ${file}, which also holds objects of tenant namespaces (${list(foreign)}): two Applications would manage them. With cdk8s's ${layout} layout, give each tenant a Chart of its own with yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE, or ${FIX}.`);
    }
  }
  return problems;
}

function list(objects: ApiObject[]): string {
  const shown = objects.slice(0, 3).map(describe).join(', ');
  return objects.length > 3 ? `${shown} and ${objects.length - 3} more` : shown;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** `group/Kind` of each CustomResourceDefinition in the app → its file. */
function crdFiles(files: Map<ApiObject, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [o, file] of files) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.toJson().spec ?? {};
    if (typeof spec.group === 'string' && typeof spec.names?.kind === 'string') out.set(`${spec.group}/${spec.names.kind}`, file);
  }
  return out;
}

/**
 * Every custom resource of the app whose CustomResourceDefinition the app defines depends on
 * that CRD, so cdk8s writes it after (later in the same file, or in a later chart).
 */
function orderAfterCrds(app: App): void {
  const crds = new Map<string, ApiObject>();
  const objects = app.node.findAll().filter((c) => ApiObject.isApiObject(c)) as ApiObject[];
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.toJson().spec ?? {};
    if (typeof spec.group === 'string' && typeof spec.names?.kind === 'string') crds.set(`${spec.group}/${spec.names.kind}`, o);
  }
  if (crds.size === 0) return;
  for (const o of objects) {
    const crd = crds.get(`${groupOf(o.apiVersion)}/${o.kind}`);
    if (crd && crd !== o) o.node.addDependency(crd);
  }
}
