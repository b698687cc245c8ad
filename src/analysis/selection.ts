/**
 * Selection of namespaces and workloads by label selectors, through label indexes, with caching: the engine asks
 * once per selector, whatever the number of rules and subjects that use it.
 */
import { namespaceLabels } from './match';
import { Model } from './model';
import { Selector } from './selector';

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

/** The smallest candidate list implied by a selector's pinned keys, or undefined when no key is pinned. */
function smallestBucket<T>(sel: Selector, index: Map<string, T[]>): T[] | undefined {
  let best: T[] | undefined;
  for (const r of sel.requirements) {
    if (r.operator !== 'In') continue;
    let list: T[];
    if (r.values.length === 1) {
      list = index.get(`${r.key}\u0000${r.values[0]}`) ?? [];
    } else {
      list = [];
      for (const v of r.values) for (const x of index.get(`${r.key}\u0000${v}`) ?? []) list.push(x);
    }
    if (!best || list.length < best.length) best = list;
  }
  return best;
}

/** Selection of namespaces and workloads (by index into `model.workloads`) by label selectors. */
export class Selection {
  /** The namespaces and workloads tested against a selector so far: the work the indexes and caches save. */
  public scanned = 0;
  private readonly nsNames: string[];
  private readonly nsByLabel = new Map<string, string[]>();
  private readonly nsCache = new Map<string, string[]>();
  private readonly workloadsByNs = new Map<string, number[]>();
  private readonly workloadsByLabel = new Map<string, number[]>();
  private readonly peerCache = new Map<string, number[]>();

  constructor(private readonly model: Model) {
    const names = new Set<string>(model.namespaces.keys());
    model.workloads.forEach((w, i) => {
      names.add(w.namespace);
      push(this.workloadsByNs, w.namespace, i);
      for (const [k, v] of Object.entries(w.labels)) push(this.workloadsByLabel, `${k}\u0000${v}`, i);
    });
    this.nsNames = [...names].sort();
    for (const n of this.nsNames) {
      for (const [k, v] of Object.entries(namespaceLabels(model, n))) push(this.nsByLabel, `${k}\u0000${v}`, n);
    }
  }

  /** Namespaces (with a Namespace object or a workload) that `sel` matches. */
  public namespaces(sel: Selector): string[] {
    let out = this.nsCache.get(sel.key);
    if (out) return out;
    const candidates = smallestBucket(sel, this.nsByLabel) ?? this.nsNames;
    this.scanned += candidates.length;
    out = candidates.filter((n) => sel.matches(namespaceLabels(this.model, n)));
    this.nsCache.set(sel.key, out);
    return out;
  }

  /**
   * Workload indexes, sorted, of the pods that `podSelector` (absent: all) selects in the namespaces that
   * `namespaceSelector` selects, or in `policyNs` when `namespaceSelector` is absent (a NetworkPolicy peer with a
   * podSelector only; `policyNs` is then required).
   */
  public pods(policyNs: string | undefined, podSelector: Selector | undefined, namespaceSelector: Selector | undefined): number[] {
    const key = `${namespaceSelector ? namespaceSelector.key : `=${policyNs}`}\u0003${podSelector?.key ?? ''}`;
    let out = this.peerCache.get(key);
    if (out) return out;
    const pods = podSelector ?? Selector.ALL;
    const nsList = namespaceSelector ? this.namespaces(namespaceSelector) : [policyNs as string];
    let scanCost = 0;
    for (const n of nsList) scanCost += this.workloadsByNs.get(n)?.length ?? 0;
    const bucket = smallestBucket(pods, this.workloadsByLabel);
    out = [];
    if (bucket && bucket.length < scanCost) {
      this.scanned += bucket.length;
      const nsSet = new Set(nsList);
      for (const i of bucket) {
        const w = this.model.workloads[i];
        if (nsSet.has(w.namespace) && pods.matches(w.labels)) out.push(i);
      }
      out.sort((a, b) => a - b); // a bucket of several `In` values is a concatenation
    } else {
      this.scanned += scanCost;
      for (const n of nsList) for (const i of this.workloadsByNs.get(n) ?? []) if (pods.matches(this.model.workloads[i].labels)) out.push(i);
      out.sort((a, b) => a - b);
    }
    this.peerCache.set(key, out);
    return out;
  }
}
