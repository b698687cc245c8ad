/**
 * cdk8s-plus workloads and pods (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) as
 * peers: wherever this package takes a peer or a workload, it takes them too, through their pod
 * selector and namespace.
 *
 * - The selector is the workload's `matchLabels` (the `cdk8s.io/metadata.addr` label cdk8s-plus
 *   adds, and whatever `select()` added, even after the grant), or, for a Pod, Job or CronJob,
 *   the address label of its pods. It is read at synth, so a selector completed after the grant
 *   is honoured; a workload without selector labels, with labels its pods lack, or selecting
 *   with expressions fails synth.
 * - The namespace is the workload's own, or its tenant's when it was created under one.
 *
 * cdk8s-plus reads namespaces when a connection is made (`connections.allowFrom`,
 * `new kplus.NetworkPolicy`), before objects created without one are placed in their tenant's
 * namespace; synth fails when such a policy ended up selecting pods of the wrong namespace.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { AbstractPod } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { addAppCheck, SynthesizedObject } from './app';
import { podTemplate, WORKLOAD_KINDS } from './guard';
import { errorAt, validateLabels } from './names';
import type { PeerConfig } from './peer';
import { namespaceOf } from './placement';
import { namespaceOwner } from './tenant-registry';
import type { ITenant } from './tenant-types';
import { Workload } from './workload';

/** The label cdk8s-plus puts on every pod it defines, unique to the workload (`kplus.Pod.ADDRESS_LABEL`). */
export const KPLUS_ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/** Whether a value is a cdk8s-plus workload or pod (a `kplus.AbstractPod`), of any cdk8s-plus version. */
export function isKplusPods(x: unknown): x is AbstractPod {
  const o = x as Record<string, unknown> | undefined;
  return !!o && typeof o === 'object' && typeof o.toPodSelectorConfig === 'function'
    && typeof o.toNetworkPolicyPeerConfig === 'function' && o.connections !== undefined && o.node !== undefined;
}

/** Whether a value is a cdk8s-plus peer that is not a workload or pod (`Pods.select`, `Namespace`, an IP block). */
export function isOtherKplusPeer(x: unknown): boolean {
  const o = x as Record<string, unknown> | undefined;
  return !!o && typeof o === 'object' && typeof o.toNetworkPolicyPeerConfig === 'function' && !isKplusPods(x);
}

interface KplusWorkloadLike {
  readonly matchLabels: Record<string, string>;
  readonly matchExpressions: Array<{ key: string; operator: string; values?: string[] }>;
}

function isKplusWorkload(x: AbstractPod): x is AbstractPod & KplusWorkloadLike {
  return typeof (x as unknown as { select?: unknown }).select === 'function';
}

/** The object's kind (`Deployment`). */
function kindOf(pods: AbstractPod): string {
  return ApiObject.of(pods).kind;
}

/** Kinds that cdk8s-plus creates without a selector of their own (Jobs get one from Kubernetes). */
const ADDRESSED_KINDS = new Set(['Pod', 'Job', 'CronJob']);

/**
 * The labels that select a cdk8s-plus workload's pods, as they are now: its `matchLabels`, or,
 * for a Pod, Job or CronJob (which cdk8s-plus does not select), the address label of its pods.
 * Throws, without a path, when a workload has none, or selects with expressions too, which a
 * peer of this package cannot carry.
 */
export function kplusSelector(pods: AbstractPod): Record<string, string> {
  const kind = kindOf(pods);
  const workload = isKplusWorkload(pods) ? pods : undefined;
  const expressions = workload?.matchExpressions ?? [];
  if (expressions.length > 0) {
    const shown = expressions.map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(', ')})` : ''}`).join('; ');
    throw new Error(`cdk8s-plus ${kind} selects its pods with expressions (${shown}), which a grant cannot carry: a peer with its labels alone would admit more pods than the workload's. Select its pods by labels only.`);
  }
  const labels = workload?.matchLabels ?? {};
  if (Object.keys(labels).length > 0) {
    const missing = Object.entries(labels).filter(([k, v]) => pods.podMetadata.getLabel(k) !== v);
    if (missing.length > 0) {
      const shown = missing.map(([k, v]) => `${k}=${v}`).join(', ');
      throw new Error(`cdk8s-plus ${kind} selects ${shown}, which its pods do not carry (Kubernetes refuses such a ${kind}, and a policy would select none of its pods). Add ${missing.length > 1 ? 'them' : 'it'} to its pods: ${missing.map(([k, v]) => `podMetadata.addLabel('${k}', '${v}')`).join(', ')}.`);
    }
    return labels;
  }
  if (ADDRESSED_KINDS.has(kind)) {
    const address = pods.podMetadata.getLabel(KPLUS_ADDRESS_LABEL);
    if (!address) throw new Error(`cdk8s-plus ${kind} has no ${KPLUS_ADDRESS_LABEL} pod label, which is how its pods are selected. Do not remove it.`);
    return { [KPLUS_ADDRESS_LABEL]: address };
  }
  throw new Error(`cdk8s-plus ${kind} has no selector labels (created with select: false, and nothing selected since), so its pods cannot be named in a policy. Select them by label, e.g. ${kind.charAt(0).toLowerCase()}${kind.slice(1)}.select(kplus.LabelSelector.of({ labels: { app: '${kplusName(pods)}' } })), with the same label in podMetadata.`);
}

/** What is wrong with a cdk8s-plus workload's selector, if anything. */
export function kplusSelectorProblem(pods: AbstractPod): string | undefined {
  try {
    validateLabels(kplusSelector(pods));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A short name for a cdk8s-plus workload, for policy names: its `metadata.name` when given,
 * else its construct id as a DNS label (`Web` → `web`).
 */
export function kplusName(pods: AbstractPod): string {
  const obj = ApiObject.of(pods);
  if (obj.name !== Chart.of(obj).generateObjectName(obj)) return obj.name;
  const id = pods.node.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 40).replace(/-$/, '');
  return id || 'pods';
}

/** The namespace a cdk8s-plus workload's pods run in: its own, or its tenant's. */
export function kplusNamespace(pods: AbstractPod): string | undefined {
  return namespaceOf(ApiObject.of(pods));
}

const validated = new WeakSet<IConstruct>();

/**
 * A cdk8s-plus workload or pod as a peer: its namespace now, its selector at synth. `path` is
 * the construct the peer is given to, for messages.
 */
export function kplusPeerConfig(pods: AbstractPod, path: string): PeerConfig {
  const namespace = kplusNamespace(pods);
  const kind = kindOf(pods);
  if (namespace === undefined) {
    throw errorAt(path, `cdk8s-plus ${kind} ${pods.node.path} has no namespace, so it cannot be a peer. Create it under a tenant (new kplus.${kind}(tenant, '${pods.node.id}', ...)), or give it metadata: { namespace: '...' }.`);
  }
  if (!validated.has(pods)) {
    validated.add(pods);
    pods.node.addValidation({
      validate: () => {
        const problem = kplusSelectorProblem(pods);
        return problem ? [problem] : [];
      },
    });
  }
  const config = { name: kplusName(pods), namespaces: [namespace] } as PeerConfig;
  // The selector is read when the policy and the grant are rendered, at synth. A selector that
  // cannot be used fails validation (above); should the objects be rendered before that (the
  // app's checks render everything first), the peer stays the workload's own pods, by address.
  Object.defineProperty(config, 'podLabels', {
    enumerable: true,
    get: () => {
      try {
        return kplusSelector(pods);
      } catch {
        return { [KPLUS_ADDRESS_LABEL]: pods.podMetadata.getLabel(KPLUS_ADDRESS_LABEL) ?? '' };
      }
    },
  });
  return config;
}

/** One workload's pods as a peer: its name, its namespace, and its name qualified for another namespace. */
export interface WorkloadPeer {
  /** The workload's short name (`web`). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its name as seen from another namespace (`customer1-web`). */
  readonly qualifiedName: string;
}

/** The workload a peer is, when it is one: this package's `Workload` or a cdk8s-plus workload or pod. */
export function workloadPeer(peer: unknown): WorkloadPeer | undefined {
  if (Workload.isWorkload(peer)) {
    return { name: peer.name, namespace: peer.namespace, qualifiedName: `${peer.tenant}-${peer.name}` };
  }
  if (isKplusPods(peer)) {
    const namespace = kplusNamespace(peer);
    if (namespace === undefined) return undefined;
    const name = kplusName(peer);
    return { name, namespace, qualifiedName: `${namespace}-${name}` };
  }
  return undefined;
}

/**
 * The tenant a workload peer belongs to: the one that owns its namespace (a cdk8s-plus workload
 * may be created anywhere and name its namespace), when the peer is of `grantor`'s app. When no
 * tenant owns it yet, synth fails if one defined later isolates egress: the grant could not
 * write that tenant's egress side.
 */
export function workloadPeerTenant<T extends ITenant>(grantor: ITenant, peer: unknown, workload: WorkloadPeer, name: string): T | undefined {
  if ((peer as Partial<IConstruct>).node?.root !== grantor.node.root) return undefined;
  const owner = namespaceOwner<T>(grantor, workload.namespace);
  if (!owner) {
    grantor.node.addValidation({
      validate: () => {
        const later = namespaceOwner(grantor, workload.namespace);
        return later?.isolatesEgress
          ? [`allowFrom(${name}): tenant "${later.name}" isolates egress but was defined after this grant, so its egress side was not written. Define it first.`]
          : [];
      },
    });
  }
  return owner;
}

/**
 * Makes every synth of the app check that NetworkPolicies select cdk8s-plus pods in the
 * namespace they run in (once per app).
 */
export function enableAddressCheck(scope: IConstruct): void {
  addAppCheck(scope, 'kplus-address-check', { check: addressCheck });
}

/**
 * NetworkPolicies whose pod selector (or a peer's, without a namespace selector) names
 * cdk8s-plus pods by their address label in a namespace where they do not run: cdk8s-plus made
 * the policy before the workload was placed in its tenant's namespace, and the policy would
 * select nothing.
 */
export function addressCheck(objects: SynthesizedObject[]): string[] {
  const home = new Map<string, { namespace: string; path: string }>();
  for (const o of objects) {
    const m = o.manifest;
    if (!WORKLOAD_KINDS.has(m.kind)) continue;
    const address = (podTemplate(m.kind, m)?.metadata as any)?.labels?.[KPLUS_ADDRESS_LABEL];
    if (typeof address === 'string') home.set(address, { namespace: m.metadata?.namespace ?? 'default', path: o.path });
  }
  const out: string[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind !== 'NetworkPolicy') continue;
    const namespace = m.metadata?.namespace ?? 'default';
    const check = (selector: any, where: string) => {
      const pods = home.get(selector?.matchLabels?.[KPLUS_ADDRESS_LABEL]);
      if (!pods || pods.namespace === namespace) return;
      out.push(`[${o.path}] NetworkPolicy "${namespace}/${m.metadata?.name}" ${where} selects the pods of ${pods.path} in namespace "${namespace}", but they run in "${pods.namespace}", so it selects nothing. cdk8s-plus read the workload's namespace before it was placed in its tenant's namespace: create the workload with metadata: { namespace: '${pods.namespace}' }, or replace the connection by tenant.allowFrom(...), which writes both sides.`);
    };
    check(m.spec?.podSelector, 'spec.podSelector');
    for (const [direction, key] of [['ingress', 'from'], ['egress', 'to']] as const) {
      (m.spec?.[direction] ?? []).forEach((rule: any, i: number) => (rule?.[key] ?? []).forEach((peer: any, j: number) => {
        if (peer && !peer.namespaceSelector && !peer.ipBlock) check(peer.podSelector, `${direction}[${i}].${key}[${j}].podSelector`);
      }));
    }
  }
  return out;
}
