/**
 * Symbolic connection sets: numeric ports, plus named ports that cannot be resolved because the destination's
 * container ports are unknown (pods that may exist later, or a namespace's pods in general).
 */
import { ContainerPort, PortSpec } from '../model';
import { ConnectionSet, MAX_PORT, MIN_PORT, Protocol } from '../ports';
import { compareStrings } from '../reachability';

/** A named port of a protocol, unresolved. */
export interface NamedPort {
  /** Protocol. */
  readonly protocol: Protocol;
  /** The container port name. */
  readonly name: string;
}

/** Where named ports resolve: the destination's container ports, or `unknown` (they stay symbolic). */
export type PortContext = readonly ContainerPort[] | 'unknown';

const key = (n: NamedPort) => `${n.protocol}/${n.name}`;

/**
 * An immutable over-approximation of a set of connections: `numeric` ports, plus named ports that may stand
 * for any port of their protocol. A named port is dropped wherever its whole protocol is already included.
 */
export class SymPorts {
  /** No connection. */
  public static readonly NONE = new SymPorts(ConnectionSet.NONE, []);
  /** Every connection. */
  public static readonly ALL = new SymPorts(ConnectionSet.ALL, []);

  /** The connections a rule's `ports` admit (undefined = every port), resolving named ports in `ctx`. */
  public static of(ports: readonly PortSpec[] | undefined, ctx: PortContext): SymPorts {
    if (!ports) return SymPorts.ALL;
    let numeric = ConnectionSet.NONE;
    const named: NamedPort[] = [];
    for (const p of ports) {
      if (typeof p.port !== 'string') {
        numeric = numeric.union(ConnectionSet.of(p.protocol, p.port ?? MIN_PORT, p.endPort ?? p.port ?? MAX_PORT));
      } else if (ctx === 'unknown') {
        named.push({ protocol: p.protocol, name: p.port });
      } else {
        for (const cp of ctx) if (cp.name === p.port && cp.protocol === p.protocol) numeric = numeric.union(ConnectionSet.of(cp.protocol, cp.port));
      }
    }
    return SymPorts.make(numeric, named);
  }

  /** Exactly the numeric connections `c`. */
  public static numeric(c: ConnectionSet): SymPorts {
    return SymPorts.make(c, []);
  }

  private static make(numeric: ConnectionSet, named: readonly NamedPort[]): SymPorts {
    const seen = new Map<string, NamedPort>();
    for (const n of named) if (!coversProtocol(numeric, n.protocol)) seen.set(key(n), n);
    if (seen.size === 0) return numeric.isEmpty() ? SymPorts.NONE : numeric.isAll() ? SymPorts.ALL : new SymPorts(numeric, []);
    return new SymPorts(numeric, [...seen.values()].sort((a, b) => compareStrings(key(a), key(b))));
  }

  private constructor(
    /** The numeric connections. */
    public readonly numeric: ConnectionSet,
    /** Named ports not resolved, sorted by protocol and name; none of a protocol `numeric` fully includes. */
    public readonly named: readonly NamedPort[],
  ) {}

  /** Whether there is no connection. */
  public isEmpty(): boolean {
    return this.numeric.isEmpty() && this.named.length === 0;
  }

  /** Whether every connection is included. */
  public isAll(): boolean {
    return this.numeric.isAll();
  }

  /** Connections in either. */
  public union(o: SymPorts): SymPorts {
    if (o.isEmpty() || this.isAll()) return this;
    if (this.isEmpty() || o.isAll()) return o;
    return SymPorts.make(this.numeric.union(o.numeric), [...this.named, ...o.named]);
  }

  /**
   * Connections that may be in both (over-approximated: a named port stays wherever its protocol has a port
   * on the other side, since it may resolve to that port).
   */
  public intersect(o: SymPorts): SymPorts {
    if (this.isAll()) return o;
    if (o.isAll()) return this;
    const named = [
      ...this.named.filter((n) => hasProtocol(o, n.protocol)),
      ...o.named.filter((n) => hasProtocol(this, n.protocol)),
    ];
    return SymPorts.make(this.numeric.intersect(o.numeric), named);
  }

  /**
   * Connections of this set that are surely not in `o`, over-approximated: a named port of `o` removes only
   * the same name, never numeric ports (it may resolve to any of them, or to none).
   */
  public subtract(o: SymPorts): SymPorts {
    if (o.isEmpty() || this.isEmpty()) return this;
    const names = new Set(o.named.map(key));
    return SymPorts.make(this.numeric.subtract(o.numeric), this.named.filter((n) => !names.has(key(n)) && !coversProtocol(o.numeric, n.protocol)));
  }

  /** Whether every connection of this set is surely in `o`. */
  public isSubsetOf(o: SymPorts): boolean {
    return this.subtract(o).isEmpty();
  }

  /** Whether both stand for the same connections. */
  public equals(o: SymPorts): boolean {
    return this === o || (this.numeric.equals(o.numeric) && this.named.length === o.named.length && this.named.every((n, i) => key(n) === key(o.named[i])));
  }

  /** `All Connections`, `No Connections`, or e.g. `TCP 80,UDP 53,TCP port named metrics`. */
  public toString(): string {
    if (this.named.length === 0) return this.numeric.toString();
    const parts = this.numeric.isEmpty() ? [] : [this.numeric.toString()];
    for (const n of this.named) parts.push(`${n.protocol} port named ${n.name}`);
    return parts.join(',');
  }

  /** The check's wording: `all ports`, or the same as `toString`. */
  public describe(): string {
    return this.isAll() ? 'all ports' : this.toString();
  }
}

function coversProtocol(c: ConnectionSet, p: Protocol): boolean {
  const a = c.ports(p);
  return a[0] === MIN_PORT && a[1] === MAX_PORT;
}

function hasProtocol(s: SymPorts, p: Protocol): boolean {
  return s.numeric.ports(p).length > 0 || s.named.some((n) => n.protocol === p);
}
