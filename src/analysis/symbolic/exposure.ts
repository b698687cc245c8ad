/**
 * Exposure analysis: for each workload, what it admits from (ingress) and may reach among (egress) peers that
 * are not in the input — pods and namespaces that may exist now or later, described by their labels or names,
 * and external addresses — and which workloads no policy protects. It uses the symbolic evaluator of the check.
 */
import { Ipv4Range, MAX_IPV4 } from '../ipv4';
import { Model, Workload } from '../model';
import { compareStrings } from '../reachability';
import { Direction, SymbolicEvaluator } from './evaluator';
import { PodsRegion, Region, regionWithin } from './region';
import { regionText } from './render';
import { namespacesNamed } from './selectors';
import { SymPorts } from './sym-ports';

/** One exposure: a workload and a peer region, with the connections between them. */
export interface ExposureEntry {
  /** The workload. */
  readonly workload: Workload;
  /** The region of peers (sources for ingress, destinations for egress). */
  readonly peer: Region;
  /** The readable text of the peer. */
  readonly peerText: string;
  /** The connections every member of the region has with the workload. */
  readonly ports: SymPorts;
}

/** The exposure of a set of workloads. */
export interface Exposure {
  /** What each workload admits from peers not in the input, sorted by workload id then peer text. */
  readonly ingress: readonly ExposureEntry[];
  /** What each workload may reach among peers not in the input, sorted likewise. */
  readonly egress: readonly ExposureEntry[];
  /** Workloads that no NetworkPolicy isolates and no cluster-wide policy selects, per direction, sorted by id. */
  readonly unprotected: Readonly<Record<Direction, readonly Workload[]>>;
}

/** The region of one workload's pods: its namespace by name, its pod labels and container ports. */
export function workloadRegion(w: Workload): PodsRegion {
  return { kind: 'pods', namespaces: { selector: namespacesNamed([w.namespace]) }, pods: { labels: w.labels }, ports: w.ports };
}

/** The exposure of every workload of `model` (or of `only`, a subset of its workloads). */
export function analyzeExposure(model: Model, only?: readonly Workload[], ev: SymbolicEvaluator = new SymbolicEvaluator(model)): Exposure {
  const workloads = only ?? model.workloads;
  const out = { ingress: [] as ExposureEntry[], egress: [] as ExposureEntry[], unprotected: { ingress: [] as Workload[], egress: [] as Workload[] } };
  for (const w of workloads) {
    for (const direction of ['ingress', 'egress'] as const) {
      const subject = workloadRegion(w);
      if (ev.isolation(direction, subject) === 'no' && !ev.tiersMayApply(direction, subject)) out.unprotected[direction].push(w);
      out[direction].push(...exposureOf(ev, direction, w, subject));
    }
  }
  const byWorkload = (a: ExposureEntry, b: ExposureEntry) => compareStrings(a.workload.id, b.workload.id) || compareStrings(a.peerText, b.peerText);
  const byId = (a: Workload, b: Workload) => compareStrings(a.id, b.id);
  return {
    ingress: out.ingress.sort(byWorkload),
    egress: out.egress.sort(byWorkload),
    unprotected: { ingress: out.unprotected.ingress.sort(byId), egress: out.unprotected.egress.sort(byId) },
  };
}

function exposureOf(ev: SymbolicEvaluator, direction: Direction, w: Workload, subject: PodsRegion): ExposureEntry[] {
  const entries = new Map<string, { peer: Region; ports: SymPorts }>();
  const add = (peer: Region, ports: SymPorts) => {
    if (ports.isEmpty()) return;
    const text = regionText(peer);
    const e = entries.get(text);
    entries.set(text, { peer, ports: e ? e.ports.union(ports) : ports });
  };
  // External addresses below the first cut are in no candidate: never allowed (an open subject has 0.0.0.0/0).
  const cuts = new Set<number>();
  for (const c of ev.candidates(direction, subject)) {
    const r = c.region;
    if (r.kind === 'external') {
      for (const x of r.ranges) { cuts.add(x.start); if (x.end < MAX_IPV4) cuts.add(x.end + 1); }
    } else {
      add(r, ev.uniform(direction, subject, r));
    }
  }
  // External addresses: evaluated segment by segment, adjacent segments with the same connections merged.
  const starts = [...cuts].sort((a, b) => a - b);
  let run: { range: Ipv4Range; ports: SymPorts } | undefined;
  const flush = () => { if (run) add({ kind: 'external', ranges: [run.range] }, run.ports); };
  starts.forEach((start, i) => {
    const range = { start, end: i + 1 < starts.length ? starts[i + 1] - 1 : MAX_IPV4 };
    const ports = ev.uniform(direction, subject, { kind: 'external', ranges: [range] });
    if (run && run.ports.equals(ports)) run = { range: { start: run.range.start, end: range.end }, ports };
    else { flush(); run = { range, ports }; }
  });
  flush();
  // Drop an entry that another one includes, region and connections.
  const list = [...entries.entries()].map(([text, e]) => ({ text, ...e }));
  return list
    .filter((e) => !list.some((o) => o !== e && regionWithin(e.peer, o.peer) && e.ports.isSubsetOf(o.ports) && !(regionWithin(o.peer, e.peer) && o.ports.isSubsetOf(e.ports) && o.text > e.text)))
    .map((e) => ({ workload: w, peer: e.peer, peerText: e.text, ports: e.ports }));
}
