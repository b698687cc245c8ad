/**
 * Parsing NetworkPolicies (networking.k8s.io/v1) into the analyzer's model.
 */
import { SourceLocation } from './errors';
import { asRecord, parsePortNumber, parseProtocol } from './fields';
import { Ipv4Range, isIpv6, parseCidr, subtractRanges } from './ipv4';
import { Peer, Policy, PortSpec, Rule } from './model';
import { parseSelector } from './selector';
import { emptyPeerHint } from './unknown-fields';

/** Parses a rule's `ports` list; undefined means every port. */
export function parsePorts(raw: unknown, what: string): PortSpec[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  if (raw.length === 0) return undefined;
  return raw.map((p, i) => {
    const w = `${what}[${i}]`;
    const r = asRecord(p);
    if (!r) throw new Error(`${w} must be a map`);
    const protocol = parseProtocol(r.protocol, `${w}.protocol`);
    let port: number | string | undefined;
    if (r.port !== undefined && r.port !== null) {
      if (typeof r.port === 'string') {
        if (r.port === '' || /^\d+$/.test(r.port)) throw new Error(`${w}.port ${JSON.stringify(r.port)} is neither a port number nor a port name`);
        port = r.port;
      } else {
        port = parsePortNumber(r.port, `${w}.port`);
      }
    }
    let endPort: number | undefined;
    if (r.endPort !== undefined && r.endPort !== null) {
      endPort = parsePortNumber(r.endPort, `${w}.endPort`);
      if (typeof port !== 'number') throw new Error(`${w}.endPort needs a numeric port`);
      if (endPort < port) throw new Error(`${w}.endPort ${endPort} is less than port ${port}`);
    }
    return { protocol, port, endPort };
  });
}

/** Parses a rule's `from`/`to` list; undefined means every peer. */
export function parsePeers(raw: unknown, what: string): Peer[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  if (raw.length === 0) return undefined;
  return raw.map((p, i): Peer => {
    const w = `${what}[${i}]`;
    const r = asRecord(p);
    if (!r) throw new Error(`${w} must be a map`);
    const hasPod = r.podSelector !== undefined && r.podSelector !== null;
    const hasNs = r.namespaceSelector !== undefined && r.namespaceSelector !== null;
    if (r.ipBlock !== undefined && r.ipBlock !== null) {
      if (hasPod || hasNs) throw new Error(`${w}: ipBlock cannot be combined with podSelector or namespaceSelector`);
      const b = asRecord(r.ipBlock);
      if (!b) throw new Error(`${w}.ipBlock must be a map with a cidr`);
      const cidr = b.cidr;
      const exceptRaw = b.except ?? [];
      if (!Array.isArray(exceptRaw)) throw new Error(`${w}.ipBlock.except must be a list`);
      const except = exceptRaw.map((e) => String(e));
      if (typeof cidr === 'string' && isIpv6(cidr)) return { type: 'ipBlock', cidr, except, ranges: [], boundaries: [] };
      let range: Ipv4Range;
      try { range = parseCidr(cidr); } catch (e) { throw new Error(`${w}.ipBlock.cidr: ${(e as Error).message}`); }
      const ex: Ipv4Range[] = [];
      exceptRaw.forEach((e, j) => {
        if (typeof e === 'string' && isIpv6(e)) return;
        try { ex.push(parseCidr(e)); } catch (err) { throw new Error(`${w}.ipBlock.except[${j}]: ${(err as Error).message}`); }
      });
      return { type: 'ipBlock', cidr: cidr as string, except, ranges: subtractRanges(range, ex), boundaries: [range, ...ex] };
    }
    if (!hasPod && !hasNs) throw new Error(`${w} must set podSelector, namespaceSelector or ipBlock${emptyPeerHint(r, w)}`);
    return {
      type: 'pods',
      podSelector: hasPod ? parseSelector(r.podSelector, `${w}.podSelector`) : undefined,
      namespaceSelector: hasNs ? parseSelector(r.namespaceSelector, `${w}.namespaceSelector`) : undefined,
    };
  });
}

/** Parses a policy's `ingress` or `egress` rules. */
export function parseRules(raw: unknown, peerField: 'from' | 'to', what: string): Rule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  return raw.map((r, i) => {
    const w = `${what}[${i}]`;
    if (r === null || r === undefined) return {};
    const rule = asRecord(r);
    if (!rule) throw new Error(`${w} must be a map`);
    return { peers: parsePeers(rule[peerField], `${w}.${peerField}`), ports: parsePorts(rule.ports, `${w}.ports`) };
  });
}

/** Parses the spec of a NetworkPolicy. Throws an Error naming the field at fault. */
export function parsePolicy(namespace: string, name: string, obj: Record<string, unknown>, location: SourceLocation): Policy {
  const spec = asRecord(obj.spec) ?? {};
  const podSelector = parseSelector(spec.podSelector, 'spec.podSelector');
  const ingress = parseRules(spec.ingress, 'from', 'spec.ingress');
  const egress = parseRules(spec.egress, 'to', 'spec.egress');
  let isolatesIngress: boolean;
  let isolatesEgress: boolean;
  const types = spec.policyTypes;
  if (Array.isArray(types) && types.length > 0) {
    types.forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') throw new Error(`spec.policyTypes[${i}] ${JSON.stringify(t)} must be Ingress or Egress`);
    });
    isolatesIngress = types.includes('Ingress');
    isolatesEgress = types.includes('Egress');
  } else if (types !== undefined && types !== null && !Array.isArray(types)) {
    throw new Error('spec.policyTypes must be a list');
  } else {
    isolatesIngress = true;
    isolatesEgress = egress.length > 0;
  }
  return { id: `${namespace}/${name}`, namespace, name, podSelector, isolatesIngress, isolatesEgress, ingress, egress, location };
}
