/**
 * Declared grants (the `tenancy.cdk8s.io/ingress-grants` and `…/egress-grants` annotations of tenant
 * Namespaces) as symbolic regions, and the parts of a region on which no grant covers some ports.
 */
import { Ipv4Range, isIpv6, parseCidr, subtractRanges, unionRanges } from '../ipv4';
import { NAMESPACE_NAME_LABEL } from '../model';
import { parsePorts } from '../netpol';
import { parseLabels, Selector } from '../selector';
import { ExternalRegion, pinnedNamespaces, PodsRegion, Region, regionWithin } from './region';
import { namespacesExcept, namespacesNamed } from './selectors';
import { SymPorts } from './sym-ports';

/** A declared grant: a region and the ports it may use. */
export interface Grant {
  /** Who is admitted (ingress) or may be reached (egress). */
  readonly region: Region;
  /** On which ports. */
  readonly ports: SymPorts;
}

/**
 * Parses a grants annotation (a JSON array of `{"<peerKey>": {"namespace", "podLabels"?} | {"cidr", "except"?},
 * "ports"?: [...]}`). Malformed entries are reported through `problem` and grant nothing (fail closed).
 */
export function parseGrants(text: string | undefined, annotation: string, peerKey: 'from' | 'to', problem: (message: string) => void): Grant[] {
  if (text === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    problem(`has a malformed ${annotation} annotation (${(e as Error).message}); no grant is honoured`);
    return [];
  }
  if (!Array.isArray(raw)) {
    problem(`has a malformed ${annotation} annotation (not a JSON array); no grant is honoured`);
    return [];
  }
  const out: Grant[] = [];
  raw.forEach((g, i) => {
    try {
      out.push(parseGrant(g, peerKey));
    } catch (e) {
      problem(`${annotation}[${i}] is ignored: ${(e as Error).message}`);
    }
  });
  return out;
}

function parseGrant(g: unknown, peerKey: 'from' | 'to'): Grant {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) throw new Error('not an object');
  const { [peerKey]: peer, ports, ...rest } = g as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw new Error(`unknown field ${Object.keys(rest).sort().join(', ')}`);
  const sym = SymPorts.of(parsePorts(ports, 'ports'), 'unknown');
  if (typeof peer !== 'object' || peer === null || Array.isArray(peer)) throw new Error(`${peerKey} must be an object`);
  const f = peer as Record<string, unknown>;
  const keys = Object.keys(f).sort().join(',');
  if (keys === 'namespace' || keys === 'namespace,podLabels') {
    if (typeof f.namespace !== 'string' || f.namespace === '') throw new Error(`${peerKey}.namespace must be a namespace name`);
    const labels = parseLabels(f.podLabels, `${peerKey}.podLabels`);
    const pods = new Selector(Object.entries(labels).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })));
    return { region: { kind: 'pods', namespaces: { selector: namespacesNamed([f.namespace]) }, pods: { selector: pods } }, ports: sym };
  }
  if (keys === 'cidr' || keys === 'cidr,except') {
    if (typeof f.cidr !== 'string') throw new Error(`${peerKey}.cidr must be a CIDR`);
    const except = f.except === undefined ? [] : f.except;
    if (!Array.isArray(except)) throw new Error(`${peerKey}.except must be a list of CIDRs`);
    if (isIpv6(f.cidr)) return { region: { kind: 'external6', cidr: f.cidr, except: except.map(String) }, ports: sym };
    const ranges = subtractRanges(parseCidr(f.cidr), except.filter((e) => !isIpv6(String(e))).map(parseCidr));
    return { region: { kind: 'external', ranges }, ports: sym };
  }
  throw new Error(`${peerKey} must be {"namespace"[,"podLabels"]} or {"cidr"[,"except"]}, got keys ${keys || '(none)'}`);
}

/** The grants implied by a tenant's own namespaces: every pod there, every port. */
export function ownNamespaces(names: Iterable<string>): Grant[] {
  return [...names].map((n) => ({ region: { kind: 'pods', namespaces: { selector: namespacesNamed([n]) }, pods: { selector: Selector.ALL } }, ports: SymPorts.ALL }));
}

/** A part of a region that no grant covers on `ports`. */
export interface Uncovered {
  /** The part. */
  readonly region: Region;
  /** The ports on which it is not covered. */
  readonly ports: SymPorts;
  /** For pods of namespaces pinned by name: those names, sorted. */
  readonly namespaces?: readonly string[];
}

/** The parts of `region` that no grant covers, with the ports left uncovered (grouped by equal ports). */
export function uncovered(region: Region, ports: SymPorts, grants: readonly Grant[]): Uncovered[] {
  if (region.kind === 'external') return uncoveredExternal(region, ports, grants);
  if (region.kind === 'external6') {
    const rest = grants.filter((g) => regionWithin(region, g.region)).reduce((p, g) => p.subtract(g.ports), ports);
    return rest.isEmpty() ? [] : [{ region, ports: rest }];
  }
  const names = pinnedNamespaces(region);
  if (names === undefined) return [{ region: outside(region, ports, grants), ports }];
  const groups = new Map<string, { ports: SymPorts; names: string[] }>();
  for (const n of names) {
    const part: PodsRegion = { ...region, namespaces: { selector: restrictTo(region, n) } };
    const rest = grants.filter((g) => regionWithin(part, g.region)).reduce((p, g) => p.subtract(g.ports), ports);
    if (rest.isEmpty()) continue;
    const k = rest.toString();
    const e = groups.get(k);
    if (e) e.names.push(n); else groups.set(k, { ports: rest, names: [n] });
  }
  return [...groups.values()].map((e) => ({
    region: { ...region, namespaces: { selector: restrictTo(region, ...e.names) } },
    ports: e.ports,
    namespaces: e.names,
  }));
}

/** The region without the namespaces a grant covers wholly (every pod, every port of `ports`). */
function outside(region: PodsRegion, ports: SymPorts, grants: readonly Grant[]): PodsRegion {
  const whole = grants.flatMap((g) => (g.region.kind === 'pods' && !g.region.addresses && 'selector' in g.region.pods && g.region.pods.selector.isAll()
    && ports.isSubsetOf(g.ports) ? pinnedNamespaces(g.region) ?? [] : []));
  if (whole.length === 0 || !('selector' in region.namespaces)) return region;
  return { ...region, namespaces: { selector: new Selector([...region.namespaces.selector.requirements, ...namespacesExcept(whole).requirements]) } };
}

/** The region's namespaces narrowed to `names` (which it pins, so its own name requirements hold for them). */
function restrictTo(region: PodsRegion, ...names: string[]): Selector {
  const base = 'selector' in region.namespaces ? region.namespaces.selector.requirements.filter((r) => r.key !== NAMESPACE_NAME_LABEL) : [];
  return new Selector([...base, ...namespacesNamed(names).requirements]);
}

function uncoveredExternal(region: ExternalRegion, ports: SymPorts, grants: readonly Grant[]): Uncovered[] {
  const ext = grants.filter((g): g is Grant & { region: ExternalRegion } => g.region.kind === 'external');
  // Split the region at every grant boundary, so each piece is wholly inside or outside each grant.
  const cuts = new Set<number>();
  for (const g of ext) for (const r of g.region.ranges) { cuts.add(r.start); cuts.add(r.end + 1); }
  const pieces: Ipv4Range[] = [];
  for (const r of region.ranges) {
    let start = r.start;
    for (const c of [...cuts].filter((x) => x > r.start && x <= r.end).sort((a, b) => a - b)) {
      pieces.push({ start, end: c - 1 });
      start = c;
    }
    pieces.push({ start, end: r.end });
  }
  const groups = new Map<string, { ports: SymPorts; ranges: Ipv4Range[] }>();
  for (const piece of pieces) {
    const rest = ext.filter((g) => g.region.ranges.some((r) => r.start <= piece.start && piece.end <= r.end)).reduce((p, g) => p.subtract(g.ports), ports);
    if (rest.isEmpty()) continue;
    const k = rest.toString();
    const e = groups.get(k);
    if (e) e.ranges.push(piece); else groups.set(k, { ports: rest, ranges: [piece] });
  }
  return [...groups.values()].map((e) => ({ region: { kind: 'external', ranges: unionRanges(e.ranges) }, ports: e.ports }));
}
