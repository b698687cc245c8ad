import { k8s } from 'cdk8s-plus-27';
import { validatePort, validatePortName } from './names';

/** A network protocol that NetworkPolicy ports can name. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** The JSON form of a port in a declared grant (see `GRANTS_ANNOTATION`). */
export interface PortSpec {
  readonly protocol: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

/**
 * A port (or range of ports) of one protocol, as a NetworkPolicy rule sees it: the port the
 * destination pod listens on, never a Service port.
 *
 * @example Port.tcp(5000)
 * @example Port.tcpRange(8000, 8080)
 * @example Port.named('metrics')
 */
export class Port {
  /** TCP 80. */
  public static readonly HTTP = Port.tcp(80);
  /** TCP 443. */
  public static readonly HTTPS = Port.tcp(443);
  /** UDP 53 (DNS). */
  public static readonly DNS_UDP = Port.udp(53);
  /** TCP 53 (DNS over TCP, for large answers). */
  public static readonly DNS_TCP = Port.tcp(53);

  /** One TCP port. */
  public static tcp(port: number): Port {
    validatePort(port, 'TCP port');
    return new Port(Protocol.TCP, port);
  }

  /** One UDP port. */
  public static udp(port: number): Port {
    validatePort(port, 'UDP port');
    return new Port(Protocol.UDP, port);
  }

  /** One SCTP port. */
  public static sctp(port: number): Port {
    validatePort(port, 'SCTP port');
    return new Port(Protocol.SCTP, port);
  }

  /** An inclusive range of TCP ports (`endPort`, Kubernetes 1.25+). */
  public static tcpRange(from: number, to: number): Port {
    return Port.range(Protocol.TCP, from, to);
  }

  /** An inclusive range of UDP ports. */
  public static udpRange(from: number, to: number): Port {
    return Port.range(Protocol.UDP, from, to);
  }

  /** An inclusive range of ports of a protocol. */
  public static range(protocol: Protocol, from: number, to: number): Port {
    validatePort(from, `${protocol} range start`);
    validatePort(to, `${protocol} range end`);
    if (to < from) {
      throw new Error(`${protocol} port range ${from}-${to} ends before it starts: give the lower port first, e.g. Port.range(${protocol}, ${to}, ${from}).`);
    }
    return from === to ? new Port(protocol, from) : new Port(protocol, from, to);
  }

  /**
   * A named container port (`ports[].name` of the destination pods). A name that no
   * destination container declares admits nothing.
   */
  public static named(name: string, protocol: Protocol = Protocol.TCP): Port {
    validatePortName(name, 'named port');
    return new Port(protocol, name);
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port(Protocol.TCP);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port(Protocol.UDP);
  }

  private constructor(
    /** The protocol. */
    public readonly protocol: Protocol,
    /** The port number or name; undefined for every port of the protocol. */
    public readonly port?: number | string,
    /** The last port of a range. */
    public readonly endPort?: number,
  ) {}

  /** A short human form: `TCP 5000`, `TCP 8000-8080`, `TCP metrics`, `TCP (all)`. */
  public toString(): string {
    if (this.port === undefined) return `${this.protocol} (all)`;
    return this.endPort !== undefined ? `${this.protocol} ${this.port}-${this.endPort}` : `${this.protocol} ${this.port}`;
  }

  /** @internal */
  public _toKube(): k8s.NetworkPolicyPort {
    return {
      protocol: this.protocol,
      ...(this.port !== undefined ? { port: typeof this.port === 'number' ? k8s.IntOrString.fromNumber(this.port) : k8s.IntOrString.fromString(this.port) } : {}),
      ...(this.endPort !== undefined ? { endPort: this.endPort } : {}),
    };
  }

  /** @internal */
  public _toSpec(): PortSpec {
    return {
      protocol: this.protocol,
      ...(this.port !== undefined ? { port: this.port } : {}),
      ...(this.endPort !== undefined ? { endPort: this.endPort } : {}),
    };
  }
}
