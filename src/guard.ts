import { IConstruct } from 'constructs';
import { checkTenancy } from './analysis/check';
import { buildModel } from './analysis/build';
import { AnalysisInputError, describeLocation, SourceLocation } from './analysis/errors';
import { describeObject, objectRef } from './analysis/identity';
import { readDocuments } from './analysis/load';
import { Duplicate, LoadedObject, Model } from './analysis/model';
import { addAppCheck, SynthesizedObject } from './app';
import { MANAGED_BY, MANAGED_BY_LABEL } from './labels';
import { namespaceLayout, OutputLayout, outputLayout } from './output-layout';
import { TenancySettings } from './settings';

/*
 * The guard is the one door from the constructs into the analysis: what the constructs need
 * of the analyzer (the label and annotation keys it reads, CIDR and pod-spec parsing, the
 * default pod networks) passes through here, so the analysis never depends on the constructs.
 */
export { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, TENANT_LABEL } from './analysis/check';
export { parseCidr } from './analysis/ipv4';
export { DEFAULT_POD_CIDRS, WORKLOAD_KINDS } from './analysis/model';
export { compareManifestPaths } from './analysis/load';
export { podSpecOf, podTemplate } from './analysis/workloads';

/**
 * The isolation guard: before anything is written, the app's objects are read as `tenancy check` would read the
 * files the app writes (same files, same order, lists expanded, the last of two objects with one identity wins),
 * and synth fails when any pod outside a tenant could reach into it without a grant the tenant declared
 * (`allowFrom`, `allowExternal`, `allowIngressController`), when a tenant's pods could reach beyond its declared
 * egress, when a tenant namespace is not isolated, or when an object of the app replaces, or is replaced by, an
 * object the package wrote.
 *
 * The check is symbolic over the policies, so it also covers pods and namespaces that do not
 * exist yet; only `kubernetes.io/metadata.name` is trusted to pin a namespace, and an ipBlock
 * that overlaps a pod network may match pods of every namespace.
 */
export function enableIsolationGuard(scope: IConstruct): void {
  const root = scope.node.root;
  addAppCheck(scope, 'isolation-guard', { check: (objects) => isolationGuard(objects, TenancySettings.of(root), outputLayout(root, objects)) });
}

/** What the guard needs to know of the cluster. */
export interface IsolationGuardOptions {
  /**
   * The cluster's pod networks (IPv4 CIDRs): an ipBlock that overlaps one may match pods of every namespace.
   * @default DEFAULT_POD_CIDRS
   */
  readonly podCidrs?: readonly string[];
}

/**
 * Whether the package wrote the object (label `app.kubernetes.io/managed-by: cdk8s-tenancy`). Only asked of
 * duplicates, which have an identity, hence metadata.
 */
function isPackageObject(o: Readonly<Record<string, any>>): boolean {
  return o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
}

/**
 * Runs the guard over synthesized objects, laid out in files as `output` says (by default one file per
 * namespace, as `TenancyApp` writes); returns one message per violation, naming the construct, the file and
 * the document.
 */
export function isolationGuard(objects: SynthesizedObject[], options: IsolationGuardOptions = {}, output: OutputLayout = namespaceLayout(objects)): string[] {
  const pathAt = new Map<string, string>();
  const key = (l: SourceLocation) => `${l.file}\u0000${l.docIndex}`;
  const sources = output.files.map((f) => {
    f.objects.forEach((o, i) => pathAt.set(key({ file: f.file, docIndex: i }), o.path));
    return { file: f.file, documents: f.objects.map((o) => o.manifest) };
  });
  const pathOf = (l: SourceLocation) => pathAt.get(key(l)) ?? l.file;
  const at = (l: SourceLocation) => `[${pathOf(l)}] isolation guard: ${describeLocation(l)}`;
  let loaded: LoadedObject[];
  let model: Model;
  try {
    loaded = readDocuments(sources);
    model = buildModel(loaded, { podCidrs: options.podCidrs });
  } catch (e) {
    if (!(e instanceof AnalysisInputError) || !e.location) throw e;
    return [`${at(e.location)}: the app writes an object the analyzer cannot read: ${e.reason}`];
  }
  const out: string[] = [];
  for (const d of model.duplicates) {
    if (isPackageObject(d.keptObject) || isPackageObject(d.overriddenObject)) out.push(overrideMessage(d, pathOf));
  }
  // A violation about a policy or another object has its location; one about a namespace points at its Namespace.
  const namespaceAt = new Map<string, SourceLocation>();
  for (const o of loaded) {
    const ref = objectRef(o.object);
    if (ref?.kind === 'Namespace' && ref.group === '') namespaceAt.set(ref.name, { file: o.file, docIndex: o.docIndex, itemIndex: o.itemIndex });
  }
  // Duplicates are reported above, naming the constructs; the check reports the rest.
  for (const v of checkTenancy(model, { duplicates: false })) {
    const l = v.location ?? namespaceAt.get(v.namespace);
    out.push(l ? `${at(l)}: ${v.message}` : `[${v.namespace}] isolation guard: ${v.message}`);
  }
  return out;
}

/** The error for an object that replaces, or is replaced by, an object the package wrote. */
function overrideMessage(d: Duplicate, pathOf: (l: SourceLocation) => string): string {
  const what = describeObject(d.object);
  const rule = 'kubectl apply and Argo CD keep the last of two objects with the same identity';
  if (isPackageObject(d.keptObject) && isPackageObject(d.overriddenObject)) {
    return `[${pathOf(d.kept)}] isolation guard: ${what} is written twice by cdk8s-tenancy, at [${pathOf(d.overridden)}], ${describeLocation(d.overridden)}, `
      + `and here, ${describeLocation(d.kept)}; ${rule}. Give one of them another name.`;
  }
  const userWins = !isPackageObject(d.keptObject);
  const user = userWins ? d.kept : d.overridden;
  const pkg = userWins ? d.overridden : d.kept;
  const effect = userWins
    ? `yours comes later and replaces the package's, so the cluster would not have the package's ${d.object.kind}`
    : 'the package\'s comes later and replaces yours, so yours would never take effect';
  const fix = d.object.kind === 'Namespace' && d.object.group === ''
    ? `The tenant already writes Namespace ${d.object.name}: remove the other declaration (to give the namespace more labels, use the tenant's namespaceLabels prop)`
    : 'Give your object another metadata.name, or remove it (the objects the package writes are set through the props of its constructs)';
  return `[${pathOf(user)}] isolation guard: ${what} is written twice: here, ${describeLocation(user)}, and by cdk8s-tenancy at [${pathOf(pkg)}], `
    + `${describeLocation(pkg)}; ${rule}: ${effect}. ${fix}.`;
}
