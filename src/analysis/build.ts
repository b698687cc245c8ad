/**
 * Building the analyzer's model from loaded objects.
 */
import { isClusterPolicyKind } from './cluster-policy';
import { AnalysisInputError } from './errors';
import { asRecord, loc, meta } from './fields';
import { parseCidr } from './ipv4';
import { apiGroup, describeObject, lastWins, objectRef } from './identity';
import { expandLists } from './lists';
import {
  ContainerPort, DEFAULT_POD_CIDRS, Diagnostic, IGNORED_KINDS, LoadedObject, Model, ModelOptions, NAMESPACE_NAME_LABEL,
  NamespaceInfo, Policy, TenantObject, toLoaded, Workload, WORKLOAD_KINDS,
} from './model';
import { parsePolicy } from './netpol';
import { Labels, parseLabels } from './selector';
import { noteTenantObject } from './tenant-objects';
import { unknownNamespaceFields, unknownPolicyFields, unknownWorkloadFields } from './unknown-fields';
import { ClusterPolicyReader } from './validate-cluster-policy';
import { containerPorts, podTemplate, podTemplatePath } from './workloads';

/** A workload or controller: `ns/name[Kind]` and its parts. */
interface WorkloadRef {
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

interface PendingWorkload {
  readonly self: WorkloadRef;
  readonly owner?: WorkloadRef;
  readonly labels: Labels;
  readonly ports: ContainerPort[];
}

function workloadRef(kind: string, namespace: string, name: string): WorkloadRef {
  return { id: `${namespace}/${name}[${kind}]`, kind, namespace, name };
}

/**
 * Builds the model from loaded objects, as the cluster would hold them: lists are expanded, and of the objects
 * that share an identity (group, kind, namespace, name) only the last is kept (`model.duplicates` lists the
 * others). Survivable defects are ignored and reported in `model.warnings`. Throws AnalysisInputError (with file
 * and document index) on input that makes the answer meaningless.
 */
export function buildModel(input: ReadonlyArray<object | LoadedObject>, options: ModelOptions = {}): Model {
  const { objects, duplicates } = lastWins(expandLists(toLoaded(input)));
  const warnings: Diagnostic[] = [];
  const namespaces = new Map<string, NamespaceInfo>();
  const pending: PendingWorkload[] = [];
  const policies = new Map<string, Policy>();
  const notes = new Map<string, string>();
  const tenantObjects: TenantObject[] = [];
  const clusterPolicies = new ClusterPolicyReader();
  const ensureNs = (name: string) => {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, annotations: {}, declared: false });
  };
  for (const lo of objects) {
    const obj = lo.object;
    const kind = obj.kind;
    const ref = objectRef(obj);
    const warn = (d: { field: string; message: string }) => warnings.push({
      message: `${ref ? describeObject(ref) : String(kind)}: ${d.message}`, location: loc(lo), object: ref, field: d.field,
    });
    try {
      if (typeof kind !== 'string' || kind === '') throw new Error('the document has no kind');
      const m = meta(obj);
      const name = typeof m.name === 'string' ? m.name : '';
      const namespace = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
      noteTenantObject(tenantObjects, lo, kind, m);
      if (kind === 'Namespace' && apiGroup(obj.apiVersion) === '') {
        if (!name) throw new Error('Namespace without metadata.name');
        unknownNamespaceFields(obj).forEach(warn);
        const labels = { ...parseLabels(m.labels, 'metadata.labels'), [NAMESPACE_NAME_LABEL]: name };
        namespaces.set(name, { name, labels, annotations: parseLabels(m.annotations, 'metadata.annotations'), declared: true });
      } else if (kind === 'NetworkPolicy' && obj.apiVersion === 'networking.k8s.io/v1') {
        if (!name) throw new Error('NetworkPolicy without metadata.name');
        ensureNs(namespace);
        unknownPolicyFields(obj).forEach(warn);
        const p = parsePolicy(namespace, name, obj, loc(lo));
        policies.set(p.id, p);
      } else if (WORKLOAD_KINDS.has(kind)) {
        if (!name) throw new Error(`${kind} without metadata.name`);
        ensureNs(namespace);
        const tpl = podTemplate(kind, obj);
        const tplPath = podTemplatePath(kind);
        unknownWorkloadFields(obj, kind, tpl, tplPath).forEach(warn);
        if (!tpl) continue;
        const tm = meta(tpl);
        const labels = parseLabels(tm.labels, kind === 'Pod' ? 'metadata.labels' : 'pod template metadata.labels');
        const ports = containerPorts(asRecord(tpl.spec), tplPath === '' ? 'spec' : `${tplPath}.spec`, warn, kind);
        const refs = Array.isArray(m.ownerReferences) ? m.ownerReferences : [];
        const ctl = refs.map(asRecord).find((r) => r && r.controller === true && typeof r.kind === 'string' && typeof r.name === 'string');
        pending.push({
          self: workloadRef(kind, namespace, name),
          owner: ctl ? workloadRef(ctl.kind as string, namespace, ctl.name as string) : undefined,
          labels, ports,
        });
      } else if (isClusterPolicyKind(kind)) {
        clusterPolicies.add(lo);
      } else if (kind === 'Namespace') {
        // a custom resource of kind Namespace: another identity, which must not replace the namespace's labels
        notes.set(`${String(obj.apiVersion)} ${kind}`, `note: ignoring Namespace of apiVersion ${String(obj.apiVersion)} (only core v1 Namespaces are analyzed)`);
      } else if (kind === 'NetworkPolicy') {
        const key = `${String(obj.apiVersion)} ${kind}`;
        notes.set(key, `note: ignoring ${kind} of apiVersion ${String(obj.apiVersion)} (only networking.k8s.io/v1 is analyzed)`); // one per key, where first met
      } else if (!IGNORED_KINDS.has(kind)) {
        notes.set(kind, `note: ignoring kind ${kind} (not known to the analyzer)`);
      }
    } catch (e) {
      if (e instanceof AnalysisInputError) throw e;
      const what = typeof kind === 'string' && kind !== '' ? `${kind} ${String(meta(obj).name ?? '')}`.trim() + ': ' : '';
      throw new AnalysisInputError(`${what}${(e as Error).message}`, loc(lo));
    }
  }
  // Resolve controller chains: a Pod owned by a ReplicaSet owned by a Deployment is the Deployment.
  const ownerOf = new Map<string, WorkloadRef | undefined>();
  for (const p of pending) ownerOf.set(p.self.id, p.owner);
  const resolve = (ref: WorkloadRef): WorkloadRef => {
    let cur = ref;
    for (let i = 0; i < 10; i++) {
      const next = ownerOf.get(cur.id);
      if (next === undefined) return cur;
      cur = next;
    }
    return cur;
  };
  const workloads = new Map<string, { w: Workload; fromOwnedPod: boolean }>();
  for (const p of pending) {
    const { id, kind, namespace, name } = resolve(p.self);
    const w: Workload = { id, kind, namespace, name, labels: p.labels, ports: p.ports };
    const prev = workloads.get(id);
    const fromOwnedPod = id !== p.self.id;
    if (!prev || (prev.fromOwnedPod && !fromOwnedPod)) workloads.set(id, { w, fromOwnedPod });
  }
  // ids are unique (map keys), so two of them are never equal
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
  const cluster = clusterPolicies.finish();
  return {
    namespaces,
    workloads: [...workloads.values()].map((x) => x.w).sort(byId),
    policies: [...policies.values()].sort(byId),
    clusterPolicies: cluster.policies,
    notes: [...notes.values(), ...cluster.notes],
    warnings: [...warnings, ...cluster.warnings],
    duplicates,
    podNetworks: (options.podCidrs ?? DEFAULT_POD_CIDRS).map((c) => parseCidr(c)),
    tenantObjects,
  };
}
