/**
 * Connection sets: for each protocol (TCP, UDP, SCTP), a sorted list of disjoint inclusive port intervals.
 */

/** The protocols a NetworkPolicy can name, sorted by name. */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

/** One of the protocols a NetworkPolicy can name. */
export type Protocol = typeof PROTOCOLS[number];

/** The lowest port a policy can name. */
export const MIN_PORT = 1;
/** The highest port a policy can name. */
export const MAX_PORT = 65535;

/** Sorted, disjoint, non-adjacent inclusive intervals, flattened: `[a0, b0, a1, b1, ...]`. */
export type Intervals = readonly number[];

const FULL: Intervals = Object.freeze([MIN_PORT, MAX_PORT]);
const NONE: Intervals = Object.freeze([]);

/** Union of two interval lists (one of them itself when the other is empty). */
export function unionIntervals(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let lo: number;
    let hi: number;
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      lo = a[i]; hi = a[i + 1]; i += 2;
    } else {
      lo = b[j]; hi = b[j + 1]; j += 2;
    }
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) {
      out[n - 1] = Math.max(out[n - 1], hi);
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** Intersection of two interval lists (one of them itself when the other is every port). */
export function intersectIntervals(a: Intervals, b: Intervals): Intervals {
  if (isFullIntervals(a)) return b;
  if (isFullIntervals(b)) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i], b[j]);
    const hi = Math.min(a[i + 1], b[j + 1]);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1] < b[j + 1]) i += 2; else j += 2;
  }
  return out;
}

/** The ports of `a` that are not in `b` (`a` itself when either is empty). */
export function subtractIntervals(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i];
    const hi = a[i + 1];
    while (j < b.length && b[j + 1] < lo) j += 2;
    let k = j;
    while (k < b.length && b[k] <= hi && lo <= hi) {
      if (b[k] > lo) out.push(lo, b[k] - 1);
      lo = Math.max(lo, b[k + 1] + 1);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

/** Whether normalized intervals are every port (one interval from the first to the last port). */
function isFullIntervals(a: Intervals): boolean {
  return a[0] === MIN_PORT && a[1] === MAX_PORT;
}

function equalIntervals(a: Intervals, b: Intervals): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Renders intervals as `80,8080-8090`. */
export function formatIntervals(a: Intervals): string {
  const parts: string[] = [];
  for (let i = 0; i < a.length; i += 2) parts.push(a[i] === a[i + 1] ? String(a[i]) : `${a[i]}-${a[i + 1]}`);
  return parts.join(',');
}

/**
 * An immutable set of connections: for each protocol, the allowed ports.
 */
export class ConnectionSet {
  /** No connection at all. */
  public static readonly NONE = new ConnectionSet(NONE, NONE, NONE);
  /** Every port of every protocol. */
  public static readonly ALL = new ConnectionSet(FULL, FULL, FULL);

  /** All ports of one protocol. */
  public static allOf(protocol: Protocol): ConnectionSet {
    return ConnectionSet.of(protocol, MIN_PORT, MAX_PORT);
  }

  /** The ports `from`..`to` (inclusive) of one protocol. */
  public static of(protocol: Protocol, from: number, to: number = from): ConnectionSet {
    const r: Intervals = [from, to];
    return new ConnectionSet(protocol === 'SCTP' ? r : NONE, protocol === 'TCP' ? r : NONE, protocol === 'UDP' ? r : NONE);
  }

  /** Builds a set from per-protocol lists of `[from, to]` pairs (any order, may overlap). */
  public static fromRanges(ranges: Partial<Record<Protocol, Array<[number, number]>>>): ConnectionSet {
    let out = ConnectionSet.NONE;
    for (const p of PROTOCOLS) for (const [a, b] of ranges[p] ?? []) out = out.union(ConnectionSet.of(p, a, b));
    return out;
  }

  private constructor(
    /** SCTP ports. */
    public readonly sctp: Intervals,
    /** TCP ports. */
    public readonly tcp: Intervals,
    /** UDP ports. */
    public readonly udp: Intervals,
  ) {}

  /** The intervals of one protocol. */
  public ports(protocol: Protocol): Intervals {
    return protocol === 'TCP' ? this.tcp : protocol === 'UDP' ? this.udp : this.sctp;
  }

  /** Connections in either set. */
  public union(o: ConnectionSet): ConnectionSet {
    if (o === ConnectionSet.NONE) return this;
    if (this === ConnectionSet.NONE) return o;
    return ConnectionSet.make(unionIntervals(this.sctp, o.sctp), unionIntervals(this.tcp, o.tcp), unionIntervals(this.udp, o.udp));
  }

  /** Connections in both sets. */
  public intersect(o: ConnectionSet): ConnectionSet {
    if (o === ConnectionSet.ALL) return this;
    if (this === ConnectionSet.ALL) return o;
    return ConnectionSet.make(intersectIntervals(this.sctp, o.sctp), intersectIntervals(this.tcp, o.tcp), intersectIntervals(this.udp, o.udp));
  }

  /** Connections in this set and not in `o`. */
  public subtract(o: ConnectionSet): ConnectionSet {
    if (o === ConnectionSet.NONE) return this;
    return ConnectionSet.make(subtractIntervals(this.sctp, o.sctp), subtractIntervals(this.tcp, o.tcp), subtractIntervals(this.udp, o.udp));
  }

  /** Whether no connection is allowed. */
  public isEmpty(): boolean {
    return this.sctp.length === 0 && this.tcp.length === 0 && this.udp.length === 0;
  }

  /** Whether every port of every protocol is allowed. */
  public isAll(): boolean {
    return isFullIntervals(this.sctp) && isFullIntervals(this.tcp) && isFullIntervals(this.udp);
  }

  /** Whether `port` of `protocol` is allowed. */
  public has(protocol: Protocol, port: number): boolean {
    const a = this.ports(protocol);
    for (let i = 0; i < a.length; i += 2) {
      if (port < a[i]) return false;
      if (port <= a[i + 1]) return true;
    }
    return false;
  }

  /** Whether every connection of this set is also in `o`. */
  public isSubsetOf(o: ConnectionSet): boolean {
    return this.subtract(o).isEmpty();
  }

  /** Whether both sets allow the same connections. */
  public equals(o: ConnectionSet): boolean {
    return equalIntervals(this.sctp, o.sctp) && equalIntervals(this.tcp, o.tcp) && equalIntervals(this.udp, o.udp);
  }

  /** `All Connections`, `No Connections`, or e.g. `TCP 80,8080-8090,UDP 53` (protocols sorted by name). */
  public toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const a = this.ports(p);
      if (a.length > 0) parts.push(`${p} ${formatIntervals(a)}`);
    }
    return parts.join(',');
  }

  /** `{"TCP":[[80,80]],...}`: the protocols with some port, sorted by name. */
  public toJSON(): Partial<Record<Protocol, Array<[number, number]>>> {
    const out: Partial<Record<Protocol, Array<[number, number]>>> = {};
    for (const p of PROTOCOLS) {
      const a = this.ports(p);
      if (a.length === 0) continue;
      const list: Array<[number, number]> = [];
      for (let i = 0; i < a.length; i += 2) list.push([a[i], a[i + 1]]);
      out[p] = list;
    }
    return out;
  }

  private static make(sctp: Intervals, tcp: Intervals, udp: Intervals): ConnectionSet {
    if (sctp.length === 0 && tcp.length === 0 && udp.length === 0) return ConnectionSet.NONE;
    if (isFullIntervals(sctp) && isFullIntervals(tcp) && isFullIntervals(udp)) return ConnectionSet.ALL;
    return new ConnectionSet(sctp, tcp, udp);
  }
}
