/**
 * The reachability engine: which workloads and external ranges may connect to which, per protocol and port.
 *
 * The work is driven by destinations: a connection needs ingress allowed at the destination, so for each
 * destination only the sources its ingress rules name are visited (all sources for an unisolated destination),
 * and each is then checked against the source's egress rules. Rule targets are computed once per rule through
 * label indexes, so the cost follows the number of allowed pairs, not the square of the number of workloads.
 */
import { Ipv4Range, MAX_IPV4 } from './ipv4';
import { buildModel } from './build';
import { LoadedObject, Model, ModelOptions, Peer, Policy, Rule, Workload } from './model';
import { namespaceLabels, ruleConnections, ruleHasNamedPort } from './match';
import { ConnectionSet } from './ports';
import {
  Connection, Endpoint, externalEndpoint, RawResult, Reachability, sortConnections, workloadEndpoint,
} from './reachability';
import { Selector } from './selector';

/** Options of `analyze`. */
export interface AnalyzeOptions extends ModelOptions {
  /**
   * More addresses at which to divide the external address space (each starts a segment), e.g. to compare two
   * analyses segment by segment.
   * @default - only the ipBlock boundaries of the input
   */
  readonly extraBoundaries?: readonly number[];
}

interface Targets {
  /** Every workload and every external address. */
  readonly all: boolean;
  /** Workload indexes, sorted, unique. */
  readonly workloads: readonly number[];
  /** Membership of `workloads`. */
  readonly set: ReadonlySet<number>;
  /** External segment indexes, sorted, unique. */
  readonly segments: readonly number[];
}

interface RuleRef {
  readonly rule: Rule;
  readonly targets: Targets;
  /** The rule's connections when they do not depend on the destination. */
  readonly fixed?: ConnectionSet;
}

/** The start addresses of the segments: 0 and every ipBlock boundary. */
export function segmentBoundaries(model: Model, extra: readonly number[] = []): number[] {
  const starts = new Set<number>([0, ...extra]);
  const visit = (peers: readonly Peer[] | undefined) => {
    for (const p of peers ?? []) {
      if (p.type !== 'ipBlock') continue;
      for (const b of p.boundaries) {
        starts.add(b.start);
        if (b.end < MAX_IPV4) starts.add(b.end + 1);
      }
    }
  };
  for (const pol of model.policies) {
    for (const r of pol.ingress) visit(r.peers);
    for (const r of pol.egress) visit(r.peers);
  }
  return [...starts].sort((a, b) => a - b);
}

function toSegments(starts: readonly number[]): Ipv4Range[] {
  return starts.map((s, i) => ({ start: s, end: i + 1 < starts.length ? starts[i + 1] - 1 : MAX_IPV4 }));
}

/** Selection of namespaces and workloads by label selectors, through label indexes, with caching. */
class Selection {
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
    out = candidates.filter((n) => sel.matches(namespaceLabels(this.model, n)));
    this.nsCache.set(sel.key, out);
    return out;
  }

  /** Workload indexes a pod peer of a policy in `policyNs` matches, sorted. */
  public podPeer(policyNs: string, podSelector: Selector | undefined, namespaceSelector: Selector | undefined): number[] {
    const key = `${namespaceSelector ? namespaceSelector.key : `=${policyNs}`}\u0003${podSelector?.key ?? ''}`;
    let out = this.peerCache.get(key);
    if (out) return out;
    const pods = podSelector ?? Selector.ALL;
    const nsList = namespaceSelector ? this.namespaces(namespaceSelector) : [policyNs];
    let scanCost = 0;
    for (const n of nsList) scanCost += this.workloadsByNs.get(n)?.length ?? 0;
    const bucket = smallestBucket(pods, this.workloadsByLabel);
    out = [];
    if (bucket && bucket.length < scanCost) {
      const nsSet = new Set(nsList);
      for (const i of bucket) {
        const w = this.model.workloads[i];
        if (nsSet.has(w.namespace) && pods.matches(w.labels)) out.push(i);
      }
    } else {
      for (const n of nsList) for (const i of this.workloadsByNs.get(n) ?? []) if (pods.matches(this.model.workloads[i].labels)) out.push(i);
      out.sort((a, b) => a - b);
    }
    this.peerCache.set(key, out);
    return out;
  }

  /** Workload indexes a policy selects. */
  public selectedBy(policy: Policy): number[] {
    return this.podPeer(policy.namespace, policy.podSelector, undefined);
  }
}

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

/** Segment indexes covered by ranges (each range starts and ends on segment boundaries). */
function segmentsOf(segments: readonly Ipv4Range[], ranges: readonly Ipv4Range[]): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid].start <= r.start) lo = mid; else hi = mid - 1;
    }
    for (let i = lo; i < segments.length && segments[i].start <= r.end; i++) out.push(i);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * Analyzes Kubernetes objects (plain objects or the result of `loadManifests`) and returns who can reach whom.
 * Throws AnalysisInputError on malformed input.
 */
export function analyze(objects: ReadonlyArray<object | LoadedObject>, options: AnalyzeOptions = {}): Reachability {
  return analyzeModel(buildModel(objects, options), options);
}

/** Analyzes an already built model. */
export function analyzeModel(model: Model, options: AnalyzeOptions = {}): Reachability {
  const raw = computeRaw(model, options);
  return new Reachability(model, raw, present(model, raw));
}

function computeRaw(model: Model, options: AnalyzeOptions): RawResult {
  const ws = model.workloads;
  const n = ws.length;
  const segments = toSegments(segmentBoundaries(model, options.extraBoundaries));
  const nSeg = segments.length;
  const sel = new Selection(model);
  const allSegs = segments.map((_, i) => i);
  const emptySet: ReadonlySet<number> = new Set();
  const ALL_TARGETS: Targets = { all: true, workloads: [], set: emptySet, segments: allSegs };

  const targetsOf = (policy: Policy, rule: Rule): Targets => {
    if (!rule.peers) return ALL_TARGETS;
    const wl = new Set<number>();
    const ranges: Ipv4Range[] = [];
    for (const p of rule.peers) {
      if (p.type === 'ipBlock') ranges.push(...p.ranges);
      else for (const i of sel.podPeer(policy.namespace, p.podSelector, p.namespaceSelector)) wl.add(i);
    }
    const list = [...wl].sort((a, b) => a - b);
    return { all: false, workloads: list, set: wl, segments: segmentsOf(segments, ranges) };
  };
  const refOf = (policy: Policy, rule: Rule): RuleRef => ({
    rule,
    targets: targetsOf(policy, rule),
    fixed: ruleHasNamedPort(rule) ? undefined : ruleConnections(rule, undefined),
  });
  const conns = (r: RuleRef, dst: Workload | undefined) => r.fixed ?? ruleConnections(r.rule, dst);

  // Which rules apply to each workload.
  const ingressRules: RuleRef[][] = Array.from({ length: n }, () => []);
  const egressRules: RuleRef[][] = Array.from({ length: n }, () => []);
  const ingressIsolated = new Uint8Array(n);
  const egressIsolated = new Uint8Array(n);
  for (const policy of model.policies) {
    if (!policy.isolatesIngress && !policy.isolatesEgress) continue;
    const selected = sel.selectedBy(policy);
    if (selected.length === 0) continue;
    const ing = policy.isolatesIngress ? policy.ingress.map((r) => refOf(policy, r)) : [];
    const egr = policy.isolatesEgress ? policy.egress.map((r) => refOf(policy, r)) : [];
    for (const i of selected) {
      if (policy.isolatesIngress) { ingressIsolated[i] = 1; ingressRules[i].push(...ing); }
      if (policy.isolatesEgress) { egressIsolated[i] = 1; egressRules[i].push(...egr); }
    }
  }

  // Egress-isolated sources that may reach a destination, for destinations not isolated for ingress.
  const egressToAll: number[] = [];
  const egressTo: number[][] = Array.from({ length: n }, () => []);
  const openSources: number[] = [];
  for (let s = 0; s < n; s++) {
    if (!egressIsolated[s]) { openSources.push(s); continue; }
    let toAll = false;
    const seen = new Set<number>();
    for (const r of egressRules[s]) {
      if (r.targets.all) { toAll = true; break; }
      for (const d of r.targets.workloads) seen.add(d);
    }
    if (toAll) egressToAll.push(s);
    else for (const d of seen) egressTo[d].push(s);
  }
  const egressConn = (s: number, d: number): ConnectionSet => {
    if (!egressIsolated[s]) return ConnectionSet.ALL;
    let c = ConnectionSet.NONE;
    for (const r of egressRules[s]) if (r.targets.all || r.targets.set.has(d)) c = c.union(conns(r, ws[d]));
    return c;
  };

  const pairs: Array<Map<number, ConnectionSet>> = [];
  const fromExternal: ConnectionSet[][] = [];
  const toExternal: ConnectionSet[][] = [];
  const acc: ConnectionSet[] = new Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const allExt = () => new Array<ConnectionSet>(nSeg).fill(ConnectionSet.ALL);
  const noExt = () => new Array<ConnectionSet>(nSeg).fill(ConnectionSet.NONE);

  for (let d = 0; d < n; d++) {
    const dst = ws[d];
    const out = new Map<number, ConnectionSet>();
    if (!ingressIsolated[d]) {
      for (const s of openSources) if (s !== d) out.set(s, ConnectionSet.ALL);
      const visit = (s: number) => {
        if (s === d || out.has(s)) return;
        const c = egressConn(s, d);
        if (!c.isEmpty()) out.set(s, c);
      };
      for (const s of egressToAll) visit(s);
      for (const s of egressTo[d]) visit(s);
      fromExternal.push(allExt());
    } else {
      const touched: number[] = [];
      const ext = noExt();
      for (const r of ingressRules[d]) {
        const c = conns(r, dst);
        if (c.isEmpty()) continue;
        const add = (s: number) => {
          if (stamp[s] !== d) { stamp[s] = d; acc[s] = c; touched.push(s); } else { acc[s] = acc[s].union(c); }
        };
        if (r.targets.all) for (let s = 0; s < n; s++) add(s);
        else for (const s of r.targets.workloads) add(s);
        for (const g of r.targets.segments) ext[g] = ext[g].union(c);
      }
      touched.sort((a, b) => a - b);
      for (const s of touched) {
        if (s === d) continue;
        const c = egressIsolated[s] ? acc[s].intersect(egressConn(s, d)) : acc[s];
        if (!c.isEmpty()) out.set(s, c);
      }
      fromExternal.push(ext);
    }
    pairs.push(out);
  }

  for (let s = 0; s < n; s++) {
    if (!egressIsolated[s]) { toExternal.push(allExt()); continue; }
    const ext = noExt();
    for (const r of egressRules[s]) {
      const c = conns(r, undefined);
      if (c.isEmpty()) continue;
      for (const g of r.targets.segments) ext[g] = ext[g].union(c);
    }
    toExternal.push(ext);
  }
  return { segments, pairs, fromExternal, toExternal };
}

/**
 * Lists the connections, sorted. For each workload and direction, adjacent external segments with the same
 * connections are merged into one range.
 */
function present(model: Model, raw: RawResult): Connection[] {
  const n = model.workloads.length;
  const eps = model.workloads.map(workloadEndpoint);
  const extEps = new Map<string, Endpoint>();
  const ext = (a: number, b: number): Endpoint => {
    const key = `${a}-${b}`;
    let e = extEps.get(key);
    if (!e) extEps.set(key, e = externalEndpoint({ start: raw.segments[a].start, end: raw.segments[b].end }));
    return e;
  };
  const out: Connection[] = [];
  for (let w = 0; w < n; w++) {
    for (const [s, c] of raw.pairs[w]) out.push({ src: eps[s], dst: eps[w], conns: c });
    const inbound = raw.fromExternal[w];
    for (const [a, b] of mergeSegments(inbound.length, (x, y) => inbound[x].equals(inbound[y]))) {
      if (!inbound[a].isEmpty()) out.push({ src: ext(a, b), dst: eps[w], conns: inbound[a] });
    }
    const outbound = raw.toExternal[w];
    for (const [a, b] of mergeSegments(outbound.length, (x, y) => outbound[x].equals(outbound[y]))) {
      if (!outbound[a].isEmpty()) out.push({ src: eps[w], dst: ext(a, b), conns: outbound[a] });
    }
  }
  return sortConnections(out);
}

/** Groups `0..count-1` into runs of adjacent indexes that `same` says are equivalent: `[first, last]` pairs. */
export function mergeSegments(count: number, same: (a: number, b: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const last = out[out.length - 1];
    if (last && same(last[0], i)) last[1] = i; else out.push([i, i]);
  }
  return out;
}

