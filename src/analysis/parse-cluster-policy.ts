/**
 * Parsing one AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy into a `ClusterPolicy`,
 * with the checks of its CRD (see `test/fixtures/crds/`). Every check quotes the CRD's schema or description;
 * an object the API would reject throws an `AnalysisInputError` naming the file, document, field and fix.
 */
import {
  ClusterAction, ClusterPeer, ClusterPolicy, ClusterPolicyKind, ClusterPortSpec, ClusterRule, ClusterSubject, Tier,
  WrittenAction,
} from './cluster-policy';
import {
  cidr, DOMAIN_NAME_PATTERN, FieldContext, fields, integer, isSet, list, oneOf, orList, selector, stringSet,
} from './cluster-policy-fields';
import { AnalysisInputError } from './errors';
import { loc, meta, parseProtocol } from './fields';
import { Ipv4Range, unionRanges } from './ipv4';
import { Diagnostic, LoadedObject } from './model';
import { MAX_PORT, MIN_PORT, Protocol } from './ports';

/** What differs between the three kinds, read from their CRDs. */
interface Dialect {
  readonly kind: ClusterPolicyKind;
  /** `an AdminNetworkPolicy`, for messages. */
  readonly a: string;
  readonly specFields: readonly string[];
  /** `maxItems` of `spec.ingress`/`spec.egress`, of `from`/`to`, and of `ports`/`protocols`. */
  readonly maxRules: number;
  readonly maxPeers: number;
  readonly maxPorts: number;
  readonly actions: readonly WrittenAction[];
  readonly ingressPeers: readonly string[];
  /** Egress peers; `nodes` (v1alpha1 and v1alpha2) and `domainNames` (v1alpha2) are experimental-channel fields. */
  readonly egressPeers: readonly string[];
  readonly portsField: 'ports' | 'protocols';
}

const V1ALPHA1 = { maxRules: 100, maxPeers: 100, maxPorts: 100, ingressPeers: ['namespaces', 'pods'], portsField: 'ports' } as const;
const DIALECTS: Record<ClusterPolicyKind, Dialect> = {
  AdminNetworkPolicy: {
    ...V1ALPHA1, kind: 'AdminNetworkPolicy', a: 'an AdminNetworkPolicy', specFields: ['priority', 'subject', 'ingress', 'egress'],
    actions: ['Allow', 'Deny', 'Pass'], egressPeers: ['namespaces', 'pods', 'networks', 'nodes'],
  },
  BaselineAdminNetworkPolicy: {
    ...V1ALPHA1, kind: 'BaselineAdminNetworkPolicy', a: 'a BaselineAdminNetworkPolicy', specFields: ['subject', 'ingress', 'egress'],
    actions: ['Allow', 'Deny'], egressPeers: ['namespaces', 'pods', 'networks', 'nodes'],
  },
  ClusterNetworkPolicy: {
    kind: 'ClusterNetworkPolicy', a: 'a ClusterNetworkPolicy', specFields: ['tier', 'priority', 'subject', 'ingress', 'egress'],
    maxRules: 25, maxPeers: 25, maxPorts: 25, actions: ['Accept', 'Deny', 'Pass'],
    ingressPeers: ['namespaces', 'pods'], egressPeers: ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'], portsField: 'protocols',
  },
};

/** The only name a BaselineAdminNetworkPolicy may have (CEL: `self.metadata.name == 'default'`). */
export const BANP_NAME = 'default';

const PRIORITY_HINT = ' (lower values are evaluated first)';

/** Parses a cluster-wide policy of the apiVersion the analyzer reads. Throws AnalysisInputError on bad input. */
export function parseClusterPolicy(lo: LoadedObject, kind: ClusterPolicyKind): { policy: ClusterPolicy; warnings: Diagnostic[] } {
  const obj = lo.object;
  const name = meta(obj).name;
  const location = loc(lo);
  if (typeof name !== 'string' || name === '') throw new AnalysisInputError(`${kind} without metadata.name`, location);
  const ctx: FieldContext = { location, subject: `${kind} ${name}`, warnings: [] };
  try {
    const d = DIALECTS[kind];
    const root = fields(ctx, obj, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status'], d.a);
    if (kind === 'BaselineAdminNetworkPolicy' && name !== BANP_NAME) {
      throw new Error(`metadata.name must be "${BANP_NAME}" (the API says "Only one baseline admin network policy with metadata.name="default" can be created in the cluster"): rename it to ${BANP_NAME}`);
    }
    if (!isSet(root.spec)) throw new Error('spec is required');
    const spec = fields(ctx, root.spec, 'spec', d.specFields, `the spec of ${d.a}`);
    const tier = kind === 'AdminNetworkPolicy' ? 'Admin' : kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : parseTier(spec.tier);
    let priority: number | undefined;
    if (kind !== 'BaselineAdminNetworkPolicy') {
      if (!isSet(spec.priority)) throw new Error(`spec.priority is required: use an integer from 0 to 1000${PRIORITY_HINT}`);
      priority = integer(spec.priority, 'spec.priority', 0, 1000, PRIORITY_HINT);
    }
    if (!isSet(spec.subject)) throw new Error('spec.subject is required: set namespaces or pods');
    const subject = parsePodsSelection(ctx, d, spec.subject, 'spec.subject', 'the subject');
    const ingress = parseRules(ctx, d, spec.ingress, 'ingress');
    const egress = parseRules(ctx, d, spec.egress, 'egress');
    const policy: ClusterPolicy = { id: `${kind}/${name}`, kind, name, tier, priority, subject, ingress, egress, location };
    return { policy, warnings: ctx.warnings };
  } catch (e) {
    if (e instanceof AnalysisInputError) throw e;
    throw new AnalysisInputError(`${ctx.subject}: ${(e as Error).message}`, location);
  }
}

function parseTier(v: unknown): Tier {
  if (!isSet(v)) throw new Error('spec.tier is required: use Admin or Baseline');
  if (v !== 'Admin' && v !== 'Baseline') throw new Error(`spec.tier ${JSON.stringify(v)} is not a tier: use Admin or Baseline`);
  return v;
}

/** `spec.subject`, or a `pods` peer: `namespaces` or `pods` (v1alpha1 requires both selectors of `pods`). */
function parsePodsSelection(ctx: FieldContext, d: Dialect, raw: unknown, what: string, desc: string): ClusterSubject {
  const r = fields(ctx, raw, what, ['namespaces', 'pods'], desc);
  const which = oneOf(r, what, ['namespaces', 'pods'], raw);
  if (which === 'namespaces') return { namespaceSelector: selector(ctx, r.namespaces, `${what}.namespaces`) };
  return parsePods(ctx, d, r.pods, `${what}.pods`);
}

function parsePods(ctx: FieldContext, d: Dialect, raw: unknown, what: string): ClusterSubject {
  const p = fields(ctx, raw, what, ['namespaceSelector', 'podSelector'], 'pods');
  const v1alpha1 = d.kind !== 'ClusterNetworkPolicy';
  if (!isSet(p.podSelector)) throw new Error(`${what}.podSelector is required: use {} for every pod`);
  if (v1alpha1 && !isSet(p.namespaceSelector)) throw new Error(`${what}.namespaceSelector is required: use {} for every namespace`);
  // v1alpha2: "NamespaceSelector [...] if empty, it selects all Namespaces"; unset is empty (a cluster-scoped
  // object has no namespace of its own to default to).
  const namespaceSelector = selector(ctx, isSet(p.namespaceSelector) ? p.namespaceSelector : {}, `${what}.namespaceSelector`);
  return { namespaceSelector, podSelector: selector(ctx, p.podSelector, `${what}.podSelector`) };
}

function parseRules(ctx: FieldContext, d: Dialect, raw: unknown, direction: 'ingress' | 'egress'): ClusterRule[] {
  if (!isSet(raw)) return [];
  const what = `spec.${direction}`;
  const items = list(raw, what, { min: 0, max: d.maxRules, unit: 'rule', limitBy: d.a, tooMany: 'split them across several policies' });
  return items.map((item, index) => parseRule(ctx, d, item, direction, index));
}

function parseRule(ctx: FieldContext, d: Dialect, raw: unknown, direction: 'ingress' | 'egress', index: number): ClusterRule {
  const w = `spec.${direction}[${index}]`;
  const peerField = direction === 'ingress' ? 'from' : 'to';
  const r = fields(ctx, raw, w, ['name', 'action', peerField, d.portsField], `${d.a} ${direction} rule`);
  let name: string | undefined;
  if (isSet(r.name)) {
    if (typeof r.name !== 'string') throw new Error(`${w}.name must be a string`);
    if (r.name.length > 100) throw new Error(`${w}.name is ${r.name.length} characters long: the API allows at most 100`);
    name = r.name;
  }
  const writtenAction = parseAction(d, r.action, `${w}.action`);
  const action: ClusterAction = writtenAction === 'Accept' ? 'Allow' : writtenAction;
  if (!isSet(r[peerField])) throw new Error(`${w}.${peerField} is required: list at least one peer (namespaces: {} matches every pod)`);
  const peerItems = list(r[peerField], `${w}.${peerField}`, {
    min: 1, max: d.maxPeers, unit: 'peer', limitBy: `${d.a} rule`, empty: 'list one (namespaces: {} matches every pod)', tooMany: 'split the rule',
  });
  const allowedPeers = direction === 'ingress' ? d.ingressPeers : d.egressPeers;
  const peers = peerItems.map((p, i) => parsePeer(ctx, d, p, `${w}.${peerField}[${i}]`, allowedPeers, direction));
  let ports: ClusterPortSpec[] | undefined;
  if (isSet(r[d.portsField])) {
    const pw = `${w}.${d.portsField}`;
    const unit = d.portsField === 'ports' ? 'port' : 'protocol';
    const portItems = list(r[d.portsField], pw, {
      min: 1, max: d.maxPorts, unit, limitBy: `${d.a} rule`, empty: `remove ${d.portsField} to match every port`, tooMany: 'split the rule',
    });
    ports = portItems.map((p, i) => (d.portsField === 'ports' ? parsePortV1alpha1(ctx, p, `${pw}[${i}]`) : parseProtocolV1alpha2(ctx, p, `${pw}[${i}]`)));
    const named = ports.findIndex((p) => typeof p.port === 'string');
    const nonPod = peers.findIndex((p) => p.type !== 'pods');
    if (named >= 0 && nonPod >= 0) {
      // Experimental-channel CEL rule of the egress rule; the description of the named port says the same.
      throw new Error(`${pw}[${named}] is a named port but ${w}.${peerField}[${nonPod}] is a ${peers[nonPod].type} peer (the API says "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames"): use port numbers, or move that peer to a rule of its own`);
    }
  }
  return { index, name, action, writtenAction, peers, ports };
}

function parseAction(d: Dialect, v: unknown, what: string): WrittenAction {
  if (typeof v === 'string' && (d.actions as readonly string[]).includes(v)) return v as WrittenAction;
  const use = `use ${orList(d.actions)}`;
  if (!isSet(v)) throw new Error(`${what} is required: ${use}`);
  let hint = '';
  if (v === 'Accept' && d.kind !== 'ClusterNetworkPolicy') hint = ' (Accept is the ClusterNetworkPolicy spelling)';
  else if (v === 'Allow' && d.kind === 'ClusterNetworkPolicy') hint = ' (Allow is the v1alpha1 spelling)';
  else if (v === 'Pass' && d.kind === 'BaselineAdminNetworkPolicy') hint = ' (there is no tier below the baseline to pass to)';
  throw new Error(`${what} ${JSON.stringify(v)} is not an action of ${d.a}: ${use}${hint}`);
}

function parsePeer(ctx: FieldContext, d: Dialect, raw: unknown, what: string, allowed: readonly string[], direction: string): ClusterPeer {
  const r = fields(ctx, raw, what, allowed, `${d.a} ${direction} peer`);
  const which = oneOf(r, what, allowed, raw);
  const v = r[which];
  const w = `${what}.${which}`;
  switch (which) {
    case 'namespaces':
      return { type: 'pods', namespaceSelector: selector(ctx, v, w) };
    case 'pods':
      return { type: 'pods', ...parsePods(ctx, d, v, w) };
    case 'nodes':
      return { type: 'nodes', nodeSelector: selector(ctx, v, w) };
    case 'networks': {
      const cidrs = stringSet(list(v, w, { min: 1, max: 25, unit: 'CIDR', limitBy: 'a networks peer', empty: 'list one, or remove the peer', tooMany: 'split the peer' }), w);
      const ranges: Ipv4Range[] = [];
      const ipv6: string[] = [];
      cidrs.forEach((c, i) => {
        const range = cidr(c, `${w}[${i}]`);
        if (range) ranges.push(range); else ipv6.push(c);
      });
      return { type: 'networks', cidrs, ranges: unionRanges(ranges), ipv6 };
    }
    default: {
      const domainNames = stringSet(list(v, w, { min: 1, max: 25, unit: 'domain name', limitBy: 'a domainNames peer', empty: 'list one, or remove the peer', tooMany: 'split the peer' }), w);
      domainNames.forEach((n, i) => {
        if (!DOMAIN_NAME_PATTERN.test(n)) {
          throw new Error(`${w}[${i}] ${JSON.stringify(n)} is not a domain name: use an exact name (kubernetes.io) or a wildcard prefix (*.kubernetes.io)`);
        }
      });
      return { type: 'domainNames', domainNames };
    }
  }
}

/** A v1alpha1 `ports` entry: `portNumber`, `namedPort` (experimental channel) or `portRange`. */
function parsePortV1alpha1(ctx: FieldContext, raw: unknown, what: string): ClusterPortSpec {
  const r = fields(ctx, raw, what, ['portNumber', 'namedPort', 'portRange'], 'a port');
  const which = oneOf(r, what, ['portNumber', 'namedPort', 'portRange'], raw);
  const w = `${what}.${which}`;
  if (which === 'namedPort') return { port: namedPort(r.namedPort, w) };
  if (which === 'portNumber') {
    const p = fields(ctx, r.portNumber, w, ['port', 'protocol'], 'portNumber');
    if (!isSet(p.port)) throw new Error(`${w}.port is required`);
    return { protocol: parseProtocol(p.protocol, `${w}.protocol`), port: portNumber(p.port, `${w}.port`) };
  }
  const p = fields(ctx, r.portRange, w, ['start', 'end', 'protocol'], 'portRange');
  // "End defines a network port that is the end of a port range, the End value must be greater than Start."
  return { protocol: parseProtocol(p.protocol, `${w}.protocol`), ...portRange(p, w, 'the CRD says "the End value must be greater than Start"') };
}

/** A v1alpha2 `protocols` entry: `tcp`, `udp`, `sctp` (each with a `destinationPort`) or `destinationNamedPort`. */
function parseProtocolV1alpha2(ctx: FieldContext, raw: unknown, what: string): ClusterPortSpec {
  const r = fields(ctx, raw, what, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], 'a protocol');
  const which = oneOf(r, what, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], raw);
  const w = `${what}.${which}`;
  if (which === 'destinationNamedPort') return { port: namedPort(r.destinationNamedPort, w) };
  const protocol = which.toUpperCase() as Protocol;
  const t = fields(ctx, r[which], w, ['destinationPort'], which);
  if (!isSet(t.destinationPort)) {
    throw new Error(`${w}.destinationPort is required (the API rejects an empty ${which}): set number, or range (start 1, end 65535 for every port)`);
  }
  const dp = fields(ctx, t.destinationPort, `${w}.destinationPort`, ['number', 'range'], 'destinationPort');
  const kind = oneOf(dp, `${w}.destinationPort`, ['number', 'range'], t.destinationPort);
  const pw = `${w}.destinationPort.${kind}`;
  if (kind === 'number') return { protocol, port: portNumber(dp.number, pw) };
  const range = fields(ctx, dp.range, pw, ['start', 'end'], 'range');
  return { protocol, ...portRange(range, pw, 'the API says "Start port must be less than End port"') };
}

function namedPort(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`${what} must be a container port name, got ${JSON.stringify(v)}`);
  return v;
}

function portNumber(v: unknown, what: string): number {
  return integer(v, what, MIN_PORT, MAX_PORT);
}

function portRange(r: Record<string, unknown>, what: string, quote: string): { port: number; endPort: number } {
  if (!isSet(r.start)) throw new Error(`${what}.start is required`);
  if (!isSet(r.end)) throw new Error(`${what}.end is required`);
  const start = portNumber(r.start, `${what}.start`);
  const end = portNumber(r.end, `${what}.end`);
  if (start >= end) {
    throw new Error(`${what}: start ${start} must be less than end ${end} (${quote}): ${start === end ? 'for one port, use a port number' : 'swap them'}`);
  }
  return { port: start, endPort: end };
}
