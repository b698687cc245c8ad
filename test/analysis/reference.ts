/**
 * A deliberately simple reference evaluator, written from the Kubernetes documentation and the network-policy-api
 * CRD descriptions independently of the engine: it answers one question at a time — may this pod (or external
 * address) open a connection to that pod (or address, or domain) on this protocol and port? — by walking every
 * policy, tier by tier, rule by rule.
 *
 * What the manifests do not give is a `maybe`: pods may have any address in the pod networks, so a CIDR (ipBlock or
 * `networks`) that contains every pod-network address matches a pod, one that contains some of them may match it;
 * IPv6 CIDRs, `nodes` and `domainNames` may match a pod. A rule that may match is taken both ways and the answer is
 * "allowed" when either way allows (the over-approximation the analysis promises).
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

/** The addresses a domain name resolves to (a destination only). */
export interface RefDomain {
  domain: string;
}

type End = RefPod | RefIp | RefDomain;
type Tri = 'yes' | 'no' | 'maybe';

const isIp = (e: End): e is RefIp => (e as RefIp).ip !== undefined;
const isDomain = (e: End): e is RefDomain => (e as RefDomain).domain !== undefined;
const isPod = (e: End): e is RefPod => !isIp(e) && !isDomain(e);

function ipOf(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

/** The first and last address of an IPv4 CIDR (remembered: the same few CIDRs are asked for again and again). */
const boundsOf = new Map<string, [number, number]>();
function bounds(cidr: string): [number, number] {
  let b = boundsOf.get(cidr);
  if (b === undefined) {
    const [addr, len] = cidr.split('/');
    const size = 2 ** (32 - Number(len));
    const start = ipOf(addr) - (ipOf(addr) % size);
    boundsOf.set(cidr, b = [start, start + size - 1]);
  }
  return b;
}

/** Whether `ip` is in `cidr` (IPv4 only; IPv6 never matches an IPv4 address). */
export function inCidr(ip: number, cidr: string): boolean {
  if (cidr.includes(':')) return false;
  const [a, b] = bounds(cidr);
  return ip >= a && ip <= b;
}

/** The pod networks assumed when none are declared. */
export const REF_POD_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

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

/** `*.example.com` matches the names below example.com; an exact name matches itself. */
function domainMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1;
  return pattern === name;
}

const PRIORITY_LAST = 1e9;

/**
 * One concrete cluster the manifests may describe: an address for each pod (by id), and whether `nodes` and
 * `domainNames` peers match the pods and addresses. Given one, the reference answers for that cluster exactly,
 * with no `maybe`.
 */
export interface RefWorld {
  readonly addresses: Readonly<Record<string, number>>;
  readonly unknownPeersMatch: boolean;
}

/** The reference model of a set of objects. */
export class Reference {
  public readonly pods: RefPod[] = [];
  private readonly namespaces = new Map<string, Record<string, string>>();
  private readonly policies: any[] = [];
  private readonly admin: any[] = [];
  private readonly baseline: any[] = [];

  constructor(objects: any[], private readonly podNetworks: readonly string[] = REF_POD_NETWORKS, private readonly world?: RefWorld) {
    for (const o of objects) {
      const ns = o.metadata?.namespace ?? 'default';
      if (o.kind === 'Namespace') this.namespaces.set(o.metadata.name, o.metadata.labels ?? {});
      if (o.kind === 'NetworkPolicy') this.policies.push({ ns, spec: o.spec ?? {} });
      if (o.kind === 'Pod' || o.kind === 'Deployment') {
        const tpl = o.kind === 'Pod' ? o : o.spec.template;
        const ports = (tpl.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []);
        this.pods.push({ id: `${ns}/${o.metadata.name}[${o.kind}]`, ns, labels: tpl.metadata?.labels ?? {}, ports });
      }
      // "Policies with lower priority values have higher precedence"; the BANP has none and comes last.
      const c = { kind: o.kind, name: o.metadata?.name, spec: o.spec, priority: o.spec?.priority ?? PRIORITY_LAST };
      if (o.kind === 'AdminNetworkPolicy' || (o.kind === 'ClusterNetworkPolicy' && o.spec.tier === 'Admin')) this.admin.push(c);
      if (o.kind === 'BaselineAdminNetworkPolicy' || (o.kind === 'ClusterNetworkPolicy' && o.spec.tier === 'Baseline')) this.baseline.push(c);
    }
    // Equal priorities: the analysis documents its order (by name, then kind).
    const order = (a: any, b: any) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
    this.admin.sort(order);
    this.baseline.sort(order);
  }

  /** Labels of a namespace: its own plus kubernetes.io/metadata.name. */
  public nsLabels(ns: string): Record<string, string> {
    return { ...(this.namespaces.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns };
  }

  /**
   * Whether the addresses `inBlock` (made of the IPv4 `cidrs`) cover every address of the ranges `over`: `yes`,
   * some of them: `maybe`, none: `no`. Membership only changes at CIDR boundaries, so testing the ends of the ranges
   * and every boundary inside them is enough.
   */
  private coverage(cidrs: string[], inBlock: (ip: number) => boolean, over: ReadonlyArray<[number, number]>): Tri {
    let some = false;
    let all = true;
    for (const [lo, hi] of over) {
      const points = [lo, hi];
      for (const c of cidrs) { const [a, b] = bounds(c); points.push(a, a - 1, b, b + 1); }
      for (const p of points) {
        if (p < lo || p > hi) continue;
        if (inBlock(p)) some = true; else all = false;
      }
    }
    return all && some ? 'yes' : some ? 'maybe' : 'no';
  }

  /**
   * Whether addresses match a pod, whose address is some address of the pod networks (`coverage` of the pod
   * networks); IPv6 CIDRs may match it too (a dual-stack pod has an IPv6 address).
   */
  private podAddress(cidrs: string[], inBlock: (ip: number) => boolean, pod: RefPod): Tri {
    if (this.world) return inBlock(this.world.addresses[pod.id]) ? 'yes' : 'no';
    const v4 = cidrs.filter((c) => !c.includes(':'));
    const m = this.coverage(v4, inBlock, this.podNetworks.map(bounds));
    return m === 'yes' || v4.length === cidrs.length ? m : 'maybe';
  }

  /** Whether addresses match a domain's, which may be any address (IPv6 ones too). */
  private domainAddress(cidrs: string[], inBlock: (ip: number) => boolean): Tri {
    const v4 = cidrs.filter((c) => !c.includes(':'));
    const m = this.coverage(v4, inBlock, [[0, 0xffffffff]]);
    return m === 'yes' || v4.length === cidrs.length ? m : 'maybe';
  }

  // --- NetworkPolicy -------------------------------------------------------------------------------------------

  private types(spec: any): string[] {
    if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
    return spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  /** Whether a NetworkPolicy peer may match (rules only add, so `maybe` counts as a match). */
  private npPeerMatches(policyNs: string, peer: any, other: End): boolean {
    if (peer.ipBlock) {
      const except: string[] = peer.ipBlock.except ?? [];
      const inBlock = (ip: number) => inCidr(ip, peer.ipBlock.cidr) && !except.some((e) => inCidr(ip, e));
      if (isIp(other)) return inBlock(other.ip);
      if (isDomain(other)) return this.domainAddress([peer.ipBlock.cidr, ...except], inBlock) !== 'no';
      return this.podAddress([peer.ipBlock.cidr, ...except], inBlock, other) !== 'no';
    }
    if (!isPod(other)) return false;
    const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, this.nsLabels(other.ns)) : other.ns === policyNs;
    return nsOk && selectorMatches(peer.podSelector, other.labels);
  }

  private npPortMatches(ports: any[] | undefined, protocol: string, port: number, dst: End): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
      if (!isPod(dst)) return false;
      return dst.ports.some((cp) => cp.name === p.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
    });
  }

  /** Whether NetworkPolicies select `self` for `dir`, and if so whether one of their rules allows the connection. */
  private networkPolicyTier(dir: 'Ingress' | 'Egress', self: RefPod, other: End, protocol: string, port: number, dst: End): boolean | undefined {
    const selecting = this.policies.filter((p) => p.ns === self.ns && selectorMatches(p.spec.podSelector, self.labels) && this.types(p.spec).includes(dir));
    if (selecting.length === 0) return undefined;
    for (const p of selecting) {
      for (const rule of (dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []) {
        const peers = (dir === 'Ingress' ? rule?.from : rule?.to) ?? [];
        const peerOk = peers.length === 0 || peers.some((peer: any) => this.npPeerMatches(p.ns, peer, other));
        if (peerOk && this.npPortMatches(rule?.ports, protocol, port, dst)) return true;
      }
    }
    return false;
  }

  // --- Cluster-wide policies -----------------------------------------------------------------------------------

  private subjectSelects(subject: any, pod: RefPod): boolean {
    if (subject.namespaces) return selectorMatches(subject.namespaces, this.nsLabels(pod.ns));
    return selectorMatches(subject.pods.namespaceSelector ?? {}, this.nsLabels(pod.ns)) && selectorMatches(subject.pods.podSelector, pod.labels);
  }

  private clusterPeerMatches(peer: any, other: End): Tri {
    if (peer.namespaces || peer.pods) {
      if (!isPod(other)) return 'no';
      return this.subjectSelects(peer, other) ? 'yes' : 'no';
    }
    if (peer.networks) {
      const cidrs: string[] = peer.networks;
      const inBlock = (ip: number) => cidrs.some((c) => inCidr(ip, c));
      if (isIp(other)) return inBlock(other.ip) ? 'yes' : 'no';
      if (isDomain(other)) return this.domainAddress(cidrs, inBlock);
      return this.podAddress(cidrs, inBlock, other);
    }
    const unknown: Tri = this.world ? (this.world.unknownPeersMatch ? 'yes' : 'no') : 'maybe';
    if (peer.nodes) return unknown; // node addresses are not in the manifests
    // domainNames: an external address is not a domain's (domains are endpoints of their own).
    if (isIp(other)) return 'no';
    if (isDomain(other)) return (peer.domainNames as string[]).some((d) => domainMatches(d, other.domain)) ? 'yes' : unknown;
    return unknown;
  }

  /** v1alpha1 `ports` or v1alpha2 `protocols`; unset: every port. A named port matches the destination's container ports of that name. */
  private clusterPortMatches(rule: any, protocol: string, port: number, dst: End): boolean {
    const list = rule.ports ?? rule.protocols;
    if (!list) return true;
    const named = (name: string) => isPod(dst) && dst.ports.some((cp) => cp.name === name && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
    return list.some((p: any) => {
      if (p.namedPort !== undefined) return named(p.namedPort);
      if (p.destinationNamedPort !== undefined) return named(p.destinationNamedPort);
      if (p.portNumber) return (p.portNumber.protocol ?? 'TCP') === protocol && p.portNumber.port === port;
      if (p.portRange) return (p.portRange.protocol ?? 'TCP') === protocol && port >= p.portRange.start && port <= p.portRange.end;
      const proto = p.tcp ? 'TCP' : p.udp ? 'UDP' : 'SCTP';
      const dp = (p.tcp ?? p.udp ?? p.sctp).destinationPort;
      if (proto !== protocol) return false;
      return dp.number !== undefined ? dp.number === port : port >= dp.range.start && port <= dp.range.end;
    });
  }

  /** The rules of a tier that apply to `self` in `dir`, in order: policies by priority, rules as written. */
  private tierRules(tier: any[], dir: 'Ingress' | 'Egress', self: RefPod): any[] {
    return tier.filter((p) => this.subjectSelects(p.spec.subject, self)).flatMap((p) => (dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
  }

  private sideAllows(dir: 'Ingress' | 'Egress', self: End, other: End, protocol: string, port: number, dst: End): boolean {
    if (!isPod(self)) return true; // external addresses are not governed
    const applies = (rule: any) => {
      const levels = ((dir === 'Ingress' ? rule.from : rule.to) as any[]).map((peer) => this.clusterPeerMatches(peer, other));
      const m: Tri = levels.includes('yes') ? 'yes' : levels.includes('maybe') ? 'maybe' : 'no';
      return m !== 'no' && this.clusterPortMatches(rule, protocol, port, dst) ? m : 'no';
    };
    const admin = this.tierRules(this.admin, dir, self);
    const baseline = this.tierRules(this.baseline, dir, self);
    // Below the Admin tier: NetworkPolicies decide for the pods they select, otherwise the Baseline tier, then allow.
    const lower = (): boolean => this.networkPolicyTier(dir, self, other, protocol, port, dst) ?? baselineFrom(0);
    const baselineFrom = (i: number): boolean => {
      if (i === baseline.length) return true; // "all pods can communicate with each other"
      const m = applies(baseline[i]);
      if (m === 'no') return baselineFrom(i + 1);
      const outcome = baseline[i].action !== 'Deny'; // Allow/Accept, or Pass to the default
      return m === 'yes' ? outcome : outcome || baselineFrom(i + 1);
    };
    const adminFrom = (i: number): boolean => {
      if (i === admin.length) return lower();
      const m = applies(admin[i]);
      if (m === 'no') return adminFrom(i + 1);
      const action = admin[i].action;
      const outcome = action === 'Pass' ? lower() : action !== 'Deny';
      return m === 'yes' ? outcome : outcome || adminFrom(i + 1);
    };
    return adminFrom(0);
  }

  /** Whether `src` may connect to `dst` on `protocol`/`port`. */
  public allowed(src: RefPod | RefIp, dst: End, protocol: string, port: number): boolean {
    if (!isPod(src) && !isPod(dst)) return false;
    if (isPod(src) && isPod(dst) && src.id === dst.id) return false;
    return this.sideAllows('Egress', src, dst, protocol, port, dst) && this.sideAllows('Ingress', dst, src, protocol, port, dst);
  }
}
