import { IConstruct } from 'constructs';
import { checkTenancy } from './analysis/check';
import { AnalysisInputError, describeLocation } from './analysis/errors';
import { LoadedObject } from './analysis/model';
import { addAppCheck, SynthesizedObject } from './app';
import { TenancySettings } from './settings';

/*
 * The guard is the one door from the constructs into the analysis: what the constructs need
 * of the analyzer (the label and annotation keys it reads, CIDR and pod-spec parsing, the
 * default pod networks) passes through here, so the analysis never depends on the constructs.
 */
export { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, TENANT_LABEL } from './analysis/check';
export { parseCidr } from './analysis/ipv4';
export { DEFAULT_POD_CIDRS, WORKLOAD_KINDS } from './analysis/model';
export { podSpecOf, podTemplate } from './analysis/workloads';

/**
 * The isolation guard: before anything is written, the app's own objects are analyzed with
 * the same checker as `tenancy check`, and synth fails when any pod outside a tenant could
 * reach into it without a grant the tenant declared (`allowFrom`, `allowExternal`,
 * `allowIngressController`), when a tenant's pods could reach beyond its declared egress, when a tenant
 * namespace is not isolated, or when an object of the package is overridden.
 *
 * The check is symbolic over the policies, so it also covers pods and namespaces that do not
 * exist yet; only `kubernetes.io/metadata.name` is trusted to pin a namespace, and an ipBlock
 * that overlaps a pod network may match pods of every namespace.
 */
export function enableIsolationGuard(scope: IConstruct): void {
  const root = scope.node.root;
  addAppCheck(scope, 'isolation-guard', { check: (objects) => isolationGuard(objects, TenancySettings.of(root)) });
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
 * Runs the guard over synthesized objects, in the order they are written (two objects of one identity always
 * go to the same file, so the later one wins, as on the cluster); returns one message per violation, naming
 * the construct.
 */
export function isolationGuard(objects: SynthesizedObject[], options: IsolationGuardOptions = {}): string[] {
  const pathOf = new Map<string, string>();
  for (const o of objects) if (o.manifest.kind === 'Namespace') pathOf.set(o.manifest.metadata?.name, o.path);
  const loaded = objects.map((o): LoadedObject => ({ object: o.manifest, file: o.path, docIndex: -1 }));
  let violations;
  try {
    violations = checkTenancy(loaded, { podCidrs: options.podCidrs });
  } catch (e) {
    if (!(e instanceof AnalysisInputError) || !e.location) throw e;
    return [`[${e.location.file}] isolation guard: ${e.message.slice(describeLocation(e.location).length + 2)}`];
  }
  return violations.map((v) => {
    const where = v.location?.file ?? pathOf.get(v.namespace) ?? v.namespace;
    return `[${where}] isolation guard: ${v.message}`;
  });
}
