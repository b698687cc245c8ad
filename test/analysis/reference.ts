/**
 * A deliberately simple reference evaluator of NetworkPolicies, written from the Kubernetes documentation
 * independently of the engine: it answers one question at a time — may this pod (or external address) open a
 * connection to that pod (or address) on this protocol and port? — by walking every policy.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A pod of the reference model (one per workload). */
export interface RefPod {
  id: string;
  ns: string;
  labels: Record<string, string>;
  ports: Array<{ name?: string; containerPort: number; protocol?: string }>;
}

/** An external IPv4 address, as a number. */
export interface RefIp {
  ip: number;
}

type End = RefPod | RefIp;

function isIp(e: End): e is RefIp {
  return (e as RefIp).ip !== undefined;
}

function ipOf(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

/** Whether `ip` is in `cidr` (IPv4 only; IPv6 never matches). */
export function inCidr(ip: number, cidr: string): boolean {
  if (cidr.includes(':')) return false;
  const [addr, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  const start = ipOf(addr) - (ipOf(addr) % size);
  return ip >= start && ip < start + size;
}

function selectorMatches(sel: any, labels: Record<string, string>): boolean {
  if (sel === undefined || sel === null) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** The reference model of a set of objects (Namespaces, Pods, Deployments, NetworkPolicies). */
export class Reference {
  public readonly pods: RefPod[] = [];
  private readonly namespaces = new Map<string, Record<string, string>>();
  private readonly policies: any[] = [];

  constructor(objects: any[]) {
    for (const o of objects) {
      const ns = o.metadata?.namespace ?? 'default';
      if (o.kind === 'Namespace') this.namespaces.set(o.metadata.name, o.metadata.labels ?? {});
      if (o.kind === 'NetworkPolicy') this.policies.push({ ns, spec: o.spec ?? {} });
      if (o.kind === 'Pod' || o.kind === 'Deployment') {
        const tpl = o.kind === 'Pod' ? o : o.spec.template;
        const ports = (tpl.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []);
        this.pods.push({ id: `${ns}/${o.metadata.name}[${o.kind}]`, ns, labels: tpl.metadata?.labels ?? {}, ports });
      }
    }
  }

  /** Labels of a namespace: its own plus kubernetes.io/metadata.name. */
  public nsLabels(ns: string): Record<string, string> {
    return { ...(this.namespaces.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns };
  }

  private types(spec: any): string[] {
    if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
    return spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  private peerMatches(policyNs: string, peer: any, other: End): boolean {
    if (peer.ipBlock) {
      if (!isIp(other)) return false;
      return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => inCidr(other.ip, e));
    }
    if (isIp(other)) return false;
    const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, this.nsLabels(other.ns)) : other.ns === policyNs;
    return nsOk && selectorMatches(peer.podSelector, other.labels);
  }

  private portMatches(ports: any[] | undefined, protocol: string, port: number, dst: End): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
      if (isIp(dst)) return false;
      return dst.ports.some((cp) => cp.name === p.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
    });
  }

  private sideAllows(dir: 'Ingress' | 'Egress', self: End, other: End, protocol: string, port: number, dst: End): boolean {
    if (isIp(self)) return true;
    const selecting = this.policies.filter((p) => p.ns === self.ns && selectorMatches(p.spec.podSelector, self.labels) && this.types(p.spec).includes(dir));
    if (selecting.length === 0) return true;
    for (const p of selecting) {
      for (const rule of (dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []) {
        const peers = (dir === 'Ingress' ? rule?.from : rule?.to) ?? [];
        const peerOk = peers.length === 0 || peers.some((peer: any) => this.peerMatches(p.ns, peer, other));
        if (peerOk && this.portMatches(rule?.ports, protocol, port, dst)) return true;
      }
    }
    return false;
  }

  /** Whether `src` may connect to `dst` on `protocol`/`port`. */
  public allowed(src: End, dst: End, protocol: string, port: number): boolean {
    if (isIp(src) && isIp(dst)) return false;
    if (!isIp(src) && !isIp(dst) && src.id === dst.id) return false;
    return this.sideAllows('Egress', src, dst, protocol, port, dst) && this.sideAllows('Ingress', dst, src, protocol, port, dst);
  }
}
