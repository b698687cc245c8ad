import { IConstruct } from 'constructs';
import { buildModel } from './analysis/build';
import { checkTenancy } from './analysis/check';
import { addAppCheck, SynthesizedObject } from './app';
import { TenancySettings } from './settings';

/*
 * The guard is the one door from the constructs into the analysis: what the constructs need
 * of the analyzer (the label and annotation keys it reads, CIDR and pod-spec parsing, the
 * default pod networks) passes through here, so the analysis never depends on the constructs.
 */
export { GRANTS_ANNOTATION, TENANT_LABEL } from './analysis/check';
export { parseCidr } from './analysis/ipv4';
export { DEFAULT_POD_CIDRS, WORKLOAD_KINDS } from './analysis/model';
export { podSpecOf, podTemplate } from './analysis/workloads';

/**
 * The isolation guard: before anything is written, the app's own objects are analyzed with
 * the same checker as `tenancy check`, and synth fails when any pod outside a tenant could
 * reach into it without a grant the tenant declared (`allowFrom`, `allowExternal`,
 * `allowIngressController`), or when a tenant namespace is not isolated for ingress.
 *
 * The check is symbolic over the policies, so it also covers pods and namespaces that do not
 * exist yet; only `kubernetes.io/metadata.name` is trusted to pin a namespace.
 */
export function enableIsolationGuard(scope: IConstruct): void {
  const root = scope.node.root;
  addAppCheck(scope, 'isolation-guard', { check: (objects) => isolationGuard(objects, TenancySettings.of(root)) });
}

/** What the guard needs to know of the cluster. */
export interface IsolationGuardOptions {
  /**
   * The cluster's pod networks.
   * @default DEFAULT_POD_CIDRS
   */
  readonly podCidrs?: readonly string[];
}

/** Runs the guard over synthesized objects; returns one message per violation, naming the construct. */
export function isolationGuard(objects: SynthesizedObject[], options: IsolationGuardOptions = {}): string[] {
  const pathOf = new Map<string, string>();
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind === 'Namespace') pathOf.set(`ns:${m.metadata?.name}`, o.path);
    if (m.kind === 'NetworkPolicy') pathOf.set(`np:${m.metadata?.namespace ?? 'default'}/${m.metadata?.name}`, o.path);
  }
  return checkTenancy(buildModel(objects.map((o) => o.manifest), { podCidrs: options.podCidrs })).map((v) => {
    const where = (v.policy && pathOf.get(`np:${v.policy}`)) ?? pathOf.get(`ns:${v.namespace}`) ?? v.namespace;
    return `[${where}] isolation guard: ${v.message}`;
  });
}
