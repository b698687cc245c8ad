/**
 * The result of an analysis: the allowed connections between workloads, external IPv4 ranges and domains.
 */
import { formatRange, Ipv4Range, parseIpv4 } from './ipv4';
import { Model, Workload } from './model';
import { ConnectionSet } from './ports';

/** One side of a connection: a workload, an external IPv4 range, or the addresses of a domain name. */
export interface Endpoint {
  /** `ns/name[Kind]`, `a.b.c.d-e.f.g.h[External]` or `*.example.com[Domain]`. */
  readonly id: string;
  /** The workload kind, `External` or `Domain`. */
  readonly kind: string;
  /** The namespace of a workload. */
  readonly namespace?: string;
  /** The name of a workload, or the domain name of a `Domain`. */
  readonly name?: string;
  /** The addresses of an external range. */
  readonly range?: Ipv4Range;
}

/** An allowed connection set from `src` to `dst` (never empty). */
export interface Connection {
  /** Source. */
  readonly src: Endpoint;
  /** Destination. */
  readonly dst: Endpoint;
  /** What is allowed. */
  readonly conns: ConnectionSet;
}

/** Compares two strings by code unit, for deterministic sorting. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts connections by source id, then destination id (the order of the `txt` lines). */
export function sortConnections(list: Connection[]): Connection[] {
  return list.sort((x, y) => compareStrings(x.src.id, y.src.id) || compareStrings(x.dst.id, y.dst.id));
}

/** The endpoint of a workload. */
export function workloadEndpoint(w: Workload): Endpoint {
  return { id: w.id, kind: w.kind, namespace: w.namespace, name: w.name };
}

/** The endpoint of an external range. */
export function externalEndpoint(range: Ipv4Range): Endpoint {
  return { id: `${formatRange(range)}[External]`, kind: 'External', range };
}

/** The endpoint of the external addresses of a domain name (named by a `domainNames` peer). */
export function domainEndpoint(name: string): Endpoint {
  return { id: `${name}[Domain]`, kind: 'Domain', name };
}

/** Whether an endpoint stands for addresses (an external range or a domain) rather than a workload. */
export function isAddressEndpoint(e: Endpoint): boolean {
  return e.kind === 'External' || e.kind === 'Domain';
}

/** Raw per-segment results, as computed by the engine. */
export interface RawResult {
  /** The external address space divided at every ipBlock boundary, sorted. */
  readonly segments: readonly Ipv4Range[];
  /** Workload pairs: `pairs[dst]` maps source index to connections. */
  readonly pairs: ReadonlyArray<ReadonlyMap<number, ConnectionSet>>;
  /** `fromExternal[dst][segment]`: connections from the segment to workload dst. */
  readonly fromExternal: ReadonlyArray<readonly ConnectionSet[]>;
  /** `toExternal[src][segment]`: connections from workload src to the segment. */
  readonly toExternal: ReadonlyArray<readonly ConnectionSet[]>;
  /** The domain names of the input's `domainNames` peers, sorted: each is a `Domain` endpoint. */
  readonly domains: readonly string[];
  /** `toDomain[src][k]`: connections from workload src to the addresses of `domains[k]`. */
  readonly toDomain: ReadonlyArray<readonly ConnectionSet[]>;
  /** `namedDomains[src]`: the indexes of the domains that src's egress rules name (the ones `reach` lists). */
  readonly namedDomains: ReadonlyArray<readonly number[]>;
}

/**
 * The allowed connections of a set of manifests. Query it with `between`, list it with `connections`.
 */
export class Reachability {
  /**
   * Allowed connections, sorted by source then destination id. For each workload and direction, adjacent
   * external segments with the same connections are merged into one range.
   */
  public readonly connections: readonly Connection[];
  private readonly workloadIndex = new Map<string, number>();

  constructor(
    /** The model the result was computed from. */
    public readonly model: Model,
    /** The engine's per-segment results. */
    public readonly raw: RawResult,
    connections: Connection[],
  ) {
    this.connections = connections;
    model.workloads.forEach((w, i) => this.workloadIndex.set(w.id, i));
  }

  /** Workloads, sorted by id. */
  public get workloads(): readonly Workload[] {
    return this.model.workloads;
  }

  /** Notes about ignored input (unknown kinds). */
  public get notes(): readonly string[] {
    return this.model.notes;
  }

  /**
   * Finds a workload by `ns/name[Kind]`, or by `ns/name` when exactly one workload has that name.
   * Returns undefined when there is none; throws when `ns/name` is ambiguous.
   */
  public findWorkload(ref: string): Workload | undefined {
    const i = this.workloadIndex.get(ref);
    if (i !== undefined) return this.model.workloads[i];
    if (ref.endsWith(']')) return undefined;
    const matches = this.model.workloads.filter((w) => `${w.namespace}/${w.name}` === ref);
    if (matches.length > 1) throw new Error(`"${ref}" is ambiguous: ${matches.map((w) => w.id).join(', ')}`);
    return matches[0];
  }

  /**
   * The connections allowed from `src` to `dst`. Each is a workload reference (`ns/name[Kind]` or `ns/name`),
   * an IPv4 address, or an external range `a.b.c.d-e.f.g.h` (optionally suffixed `[External]`; the result is
   * what every address of the range is allowed); `dst` may also be a domain of the input (`*.example.com[Domain]`).
   * A workload to itself, external to external, or from a domain, is `NONE`. Throws for an unknown workload or
   * domain.
   */
  public between(src: string, dst: string): ConnectionSet {
    const k = this.domainIndex(dst);
    if (k !== undefined) {
      if (this.domainIndex(src) !== undefined) return ConnectionSet.NONE;
      const from = this.resolve(src);
      return typeof from === 'number' ? this.raw.toDomain[from][k] : ConnectionSet.NONE;
    }
    if (this.domainIndex(src) !== undefined) return ConnectionSet.NONE;
    const s = this.resolve(src);
    const d = this.resolve(dst);
    if (typeof s === 'number' && typeof d === 'number') {
      if (s === d) return ConnectionSet.NONE;
      return this.raw.pairs[d].get(s) ?? ConnectionSet.NONE;
    }
    if (typeof s === 'number' && typeof d !== 'number') return this.overSegments(d, (seg) => this.raw.toExternal[s][seg]);
    if (typeof s !== 'number' && typeof d === 'number') return this.overSegments(s, (seg) => this.raw.fromExternal[d][seg]);
    return ConnectionSet.NONE;
  }

  private overSegments(r: Ipv4Range, f: (seg: number) => ConnectionSet): ConnectionSet {
    let out = ConnectionSet.ALL;
    const segs = this.raw.segments;
    for (let i = 0; i < segs.length; i++) {
      if (segs[i].end < r.start || segs[i].start > r.end) continue;
      out = out.intersect(f(i));
    }
    return out;
  }

  /** The index of a `name[Domain]` reference in `raw.domains`; undefined when `ref` is not one; throws for an unknown domain. */
  public domainIndex(ref: string): number | undefined {
    if (!ref.endsWith('[Domain]')) return undefined;
    const k = this.raw.domains.indexOf(ref.slice(0, -'[Domain]'.length));
    if (k < 0) throw new Error(`no domain "${ref}" in the input (domains: ${this.raw.domains.join(', ') || 'none'})`);
    return k;
  }

  private resolve(ref: string): number | Ipv4Range {
    const text = ref.replace(/\[External\]$/, '');
    const ip = parseIpv4(text);
    if (ip !== undefined) return { start: ip, end: ip };
    const m = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (m) {
      const a = parseIpv4(m[1]);
      const b = parseIpv4(m[2]);
      if (a !== undefined && b !== undefined && a <= b) return { start: a, end: b };
    }
    const w = this.findWorkload(ref);
    if (!w) throw new Error(`no workload "${ref}" in the input`);
    return this.workloadIndex.get(w.id)!;
  }
}
