/**
 * Object identity and the cluster's rule for repeated identities: an object is its API group, kind, namespace
 * and name, and when the input holds an identity more than once, the last occurrence is the one the cluster
 * keeps (`kubectl apply -f <dir>` applies files in lexical order and documents in order; Argo CD keeps the last).
 */
import { loc, meta } from './fields';
import { CLUSTER_SCOPED_KINDS, Duplicate, LoadedObject, ObjectRef } from './model';

/** The API group of an `apiVersion` (`''` for the core group `v1`). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The identity of an object, or undefined when it has none (no kind, or no `metadata.name`): namespaced kinds
 * without `metadata.namespace` are in `default`; cluster-scoped kinds have no namespace.
 */
export function objectRef(obj: Readonly<Record<string, unknown>>): ObjectRef | undefined {
  const kind = obj.kind;
  const m = meta(obj as Record<string, unknown>);
  if (typeof kind !== 'string' || kind === '' || typeof m.name !== 'string' || m.name === '') return undefined;
  const group = apiGroup(obj.apiVersion);
  if (CLUSTER_SCOPED_KINDS.has(kind)) return { group, kind, name: m.name };
  const namespace = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
  return { group, kind, namespace, name: m.name };
}

/** `group/kind namespace/name`, or `group/kind name` for a cluster-scoped object (`/Namespace customer1`). */
export function identityKey(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** `NetworkPolicy customer1/web` or `Namespace customer1`: how messages name an object. */
export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/**
 * Applies the objects in order, as the cluster would: for each identity only the last occurrence is kept, at the
 * position of that last occurrence. Objects without an identity are all kept. Returns the kept objects and one
 * Duplicate per overridden occurrence (in input order).
 */
export function lastWins(objects: readonly LoadedObject[]): { objects: LoadedObject[]; duplicates: Duplicate[] } {
  const keys = objects.map((o) => {
    const ref = objectRef(o.object);
    return ref && { ref, key: identityKey(ref) };
  });
  const lastIndex = new Map<string, number>();
  keys.forEach((k, i) => { if (k) lastIndex.set(k.key, i); });
  const kept: LoadedObject[] = [];
  const duplicates: Duplicate[] = [];
  objects.forEach((o, i) => {
    const k = keys[i];
    const last = k ? lastIndex.get(k.key)! : i;
    if (last === i) {
      kept.push(o);
      return;
    }
    const winner = objects[last];
    duplicates.push({
      identity: k!.key,
      object: k!.ref,
      kept: loc(winner),
      overridden: loc(o),
      keptObject: winner.object,
      overriddenObject: o.object,
    });
  });
  return { objects: kept, duplicates };
}
