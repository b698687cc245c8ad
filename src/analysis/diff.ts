/**
 * Differences in connectivity between two sets of manifests.
 */
import { analyzeModel, mergeSegments, segmentBoundaries } from './engine';
import { endpointJson } from './formats';
import { buildModel } from './build';
import { LoadedObject } from './model';
import { ConnectionSet } from './ports';
import { compareStrings, domainEndpoint, Endpoint, externalEndpoint, Reachability, workloadEndpoint } from './reachability';

/** How the connectivity of a pair changed. */
export type ChangeKind = 'added' | 'removed' | 'changed';

/** One pair whose connectivity differs. */
export interface DiffEntry {
  /** `added` (nothing before), `removed` (nothing after) or `changed`. */
  readonly change: ChangeKind;
  /** Source. */
  readonly src: Endpoint;
  /** Destination. */
  readonly dst: Endpoint;
  /** Connections before (NONE when added). */
  readonly before: ConnectionSet;
  /** Connections after (NONE when removed). */
  readonly after: ConnectionSet;
}

type Input = Reachability | ReadonlyArray<object | LoadedObject>;

/**
 * The pairs whose allowed connections differ between `before` and `after`, sorted by source then destination.
 * External ranges are compared on the address space divided at the ipBlock and `networks` boundaries of both
 * inputs; domains as `reach` lists them.
 */
export function diff(before: Input, after: Input): DiffEntry[] {
  const mOld = before instanceof Reachability ? before.model : buildModel(before);
  const mNew = after instanceof Reachability ? after.model : buildModel(after);
  const bounds = [...segmentBoundaries(mOld), ...segmentBoundaries(mNew)];
  const rOld = analyzeModel(mOld, { extraBoundaries: bounds });
  const rNew = analyzeModel(mNew, { extraBoundaries: bounds });
  const out: DiffEntry[] = [];
  const push = (src: Endpoint, dst: Endpoint, b: ConnectionSet, a: ConnectionSet) => {
    if (b.equals(a)) return;
    out.push({ change: b.isEmpty() ? 'added' : a.isEmpty() ? 'removed' : 'changed', src, dst, before: b, after: a });
  };

  // Workload pairs.
  const pairMap = (r: Reachability) => {
    const m = new Map<string, { src: Endpoint; dst: Endpoint; c: ConnectionSet }>();
    const ws = r.model.workloads;
    r.raw.pairs.forEach((row, d) => {
      for (const [s, c] of row) m.set(`${ws[s].id}\u0000${ws[d].id}`, { src: workloadEndpoint(ws[s]), dst: workloadEndpoint(ws[d]), c });
    });
    return m;
  };
  const pOld = pairMap(rOld);
  const pNew = pairMap(rNew);
  for (const [k, v] of pOld) push(v.src, v.dst, v.c, pNew.get(k)?.c ?? ConnectionSet.NONE);
  for (const [k, v] of pNew) if (!pOld.has(k)) push(v.src, v.dst, ConnectionSet.NONE, v.c);

  // External ranges: both analyses share the same segments.
  const segments = rOld.raw.segments;
  const ids = new Map<string, { ep: Endpoint; o?: number; n?: number }>();
  rOld.model.workloads.forEach((w, i) => ids.set(w.id, { ep: workloadEndpoint(w), o: i }));
  rNew.model.workloads.forEach((w, i) => {
    const e = ids.get(w.id);
    if (e) e.n = i; else ids.set(w.id, { ep: workloadEndpoint(w), n: i });
  });
  const side = (r: Reachability, i: number | undefined, g: number, inbound: boolean) =>
    i === undefined ? ConnectionSet.NONE : (inbound ? r.raw.fromExternal[i][g] : r.raw.toExternal[i][g]);
  for (const e of ids.values()) {
    for (const inbound of [true, false]) {
      const o = (g: number) => side(rOld, e.o, g, inbound);
      const nw = (g: number) => side(rNew, e.n, g, inbound);
      for (const [a, b] of mergeSegments(segments.length, (x, y) => o(x).equals(o(y)) && nw(x).equals(nw(y)))) {
        const ext = externalEndpoint({ start: segments[a].start, end: segments[b].end });
        if (inbound) push(ext, e.ep, o(a), nw(a)); else push(e.ep, ext, o(a), nw(a));
      }
    }
  }

  // Domains: what `reach` lists (a domain for the workloads whose egress rules name it).
  const listed = (r: Reachability, i: number | undefined, name: string) => {
    const k = r.raw.domains.indexOf(name);
    return i === undefined || k < 0 || !r.raw.namedDomains[i].includes(k) ? ConnectionSet.NONE : r.raw.toDomain[i][k];
  };
  const domains = [...new Set([...rOld.raw.domains, ...rNew.raw.domains])].sort();
  for (const e of ids.values()) {
    for (const name of domains) push(e.ep, domainEndpoint(name), listed(rOld, e.o, name), listed(rNew, e.n, name));
  }
  return out.sort((x, y) => compareStrings(x.src.id, y.src.id) || compareStrings(x.dst.id, y.dst.id));
}

/** The output formats of `tenancy diff`. */
export const DIFF_FORMATS = ['txt', 'json', 'md'] as const;

/** One of the output formats of `tenancy diff`. */
export type DiffFormat = typeof DIFF_FORMATS[number];

const SIGN: Record<ChangeKind, string> = { added: '+', removed: '-', changed: '~' };

/**
 * Renders a diff. txt: `+ SRC => DST : CONNS` (added), `- SRC => DST : CONNS` (removed),
 * `~ SRC => DST : BEFORE -> AFTER` (changed); json: `{"added":[...],"removed":[...],"changed":[...]}`; md: a table.
 */
export function formatDiff(entries: readonly DiffEntry[], format: DiffFormat): string {
  const conns = (e: DiffEntry) => e.change === 'added' ? e.after.toString() : e.change === 'removed' ? e.before.toString()
    : `${e.before.toString()} -> ${e.after.toString()}`;
  if (format === 'txt') return entries.map((e) => `${SIGN[e.change]} ${e.src.id} => ${e.dst.id} : ${conns(e)}\n`).join('');
  if (format === 'json') {
    const pick = (k: ChangeKind) => entries.filter((e) => e.change === k).map((e) => ({
      src: endpointJson(e.src), dst: endpointJson(e.dst),
      ...(k === 'added' ? { ports: e.after.toJSON() } : k === 'removed' ? { ports: e.before.toJSON() } : { before: e.before.toJSON(), after: e.after.toJSON() }),
    }));
    return `${JSON.stringify({ added: pick('added'), removed: pick('removed'), changed: pick('changed') })}\n`;
  }
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  let out = '| Change | Source | Destination | Before | After |\n| --- | --- | --- | --- | --- |\n';
  for (const e of entries) {
    out += `| ${e.change} | ${cell(e.src.id)} | ${cell(e.dst.id)} | ${e.before.isEmpty() ? '' : cell(e.before.toString())} | ${e.after.isEmpty() ? '' : cell(e.after.toString())} |\n`;
  }
  return out;
}
