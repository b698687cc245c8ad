/**
 * The reachability engine: which workloads, external ranges and domains may connect to which, per protocol and
 * port, across the tiers (Admin cluster-wide policies, NetworkPolicies, Baseline cluster-wide policies; see
 * `tiers.ts`).
 *
 * Each side of a connection is decided on its own (egress at the source, ingress at the destination) by the rules
 * that apply to that endpoint, in evaluation order. Rule targets are computed once per rule through label indexes
 * (`targets.ts`): every rule matches a short list of workloads at one level and every other workload at another.
 * So for a destination, the sources that its ingress rules single out are decided one by one, and all the others
 * at once (the "rest"); when the rest is denied — isolation — they are never visited. Sources are visited only
 * when they may connect, so the cost follows the number of allowed pairs, not the square of the workloads.
 *
 * What the manifests cannot tell — pod addresses against ipBlocks and `networks`, node addresses, DNS names — is
 * taken both ways, and the union kept (`maybe`, see `tiers.ts`): the answer may allow more than the cluster does,
 * never less.
 *
 * Domains. A `domainNames` peer (ClusterNetworkPolicy egress) names addresses by DNS name. Each name is a `Domain`
 * endpoint (`*.example.com[Domain]`) standing for the external addresses it resolves to, which may be any address:
 * - towards a domain, a `domainNames` peer whose names cover it matches `yes`, any other `maybe` (two names may share
 *   an address, as behind a CDN); a `networks` peer or an ipBlock with some address `maybe` (`yes` for every
 *   address); `nodes` `maybe`; pod peers `no`. So the line of a domain carries what its rules accept, plus whatever
 *   else the source may open to an address it does not know: the over-approximation of what it may open to the
 *   domain's unknown addresses;
 * - towards an external range, a `domainNames` peer matches `no`: for a workload whose egress rules name domains,
 *   its range lines describe the addresses that are not those domains'; what it may open to a domain's addresses is
 *   that domain's line. The two together cover every address;
 * - towards a pod, a `domainNames` peer matches `maybe` (a name may resolve to a pod's address).
 * `reach` lists a domain's line for the workloads whose egress rules name it; for the others the domain's addresses
 * are ordinary addresses, in their range lines (`between` answers for every workload).
 */
import { buildModel } from './build';
import { ClusterPolicy } from './cluster-policy';
import { Ipv4Range, MAX_IPV4 } from './ipv4';
import { LoadedObject, Model, ModelOptions, Workload } from './model';
import { ConnectionSet } from './ports';
import {
  Connection, domainEndpoint, Endpoint, externalEndpoint, RawResult, Reachability, sortConnections, workloadEndpoint,
} from './reachability';
import { Selection } from './selection';
import { EngineRule, podLevel, segLevel, segmentBoundaries, TargetBuilder } from './targets';
import { decideSide, isOpenSide, TierSide } from './tiers';

export { segmentBoundaries } from './targets';

/** Options of `analyze`. */
export interface AnalyzeOptions extends ModelOptions {
  /**
   * More addresses at which to divide the external address space (each starts a segment), e.g. to compare two
   * analyses segment by segment.
   * @default - only the ipBlock and `networks` boundaries of the input
   */
  readonly extraBoundaries?: readonly number[];
  /** Counters the engine adds its work to (for tests and benchmarks of its cost). */
  readonly stats?: EngineStats;
}

/** The work of an analysis: what its cost follows. */
export interface EngineStats {
  /** Side decisions made (one endpoint, one direction, one class of peers). */
  decisions: number;
  /** Pairs of workloads whose egress side was consulted (a source that may reach the destination's ingress). */
  pairs: number;
  /** Namespaces and workloads tested against a selector, to find what subjects and peers select. */
  scanned: number;
}

function toSegments(starts: readonly number[]): Ipv4Range[] {
  return starts.map((s, i) => ({ start: s, end: i + 1 < starts.length ? starts[i + 1] - 1 : MAX_IPV4 }));
}

/** Analyzes Kubernetes objects (plain objects or the result of `loadManifests`). Throws AnalysisInputError on malformed input. */
export function analyze(objects: ReadonlyArray<object | LoadedObject>, options: AnalyzeOptions = {}): Reachability {
  return analyzeModel(buildModel(objects, options), options);
}

/** Analyzes an already built model. */
export function analyzeModel(model: Model, options: AnalyzeOptions = {}): Reachability {
  const raw = computeRaw(model, options);
  return new Reachability(model, raw, present(model, raw));
}

interface MutableSide extends TierSide<EngineRule> {
  admin: EngineRule[];
  npIsolated: boolean;
  np: EngineRule[];
  baseline: EngineRule[];
}

const NO_RULES: EngineRule[] = [];

function newSide(): MutableSide {
  return { admin: NO_RULES, npIsolated: false, np: NO_RULES, baseline: NO_RULES };
}

function append(side: MutableSide, key: 'admin' | 'np' | 'baseline', rules: readonly EngineRule[]): void {
  if (side[key] === NO_RULES) side[key] = [...rules]; else side[key].push(...rules);
}

/** Every rule of a side that can take part in its decision. */
function sideRules(side: TierSide<EngineRule>): EngineRule[] {
  return side.npIsolated ? [...side.admin, ...side.np, ...side.baseline] : [...side.admin, ...side.baseline];
}

/** The domain names of the `domainNames` peers of every cluster-wide policy, sorted. */
export function modelDomains(policies: readonly ClusterPolicy[]): string[] {
  const out = new Set<string>();
  for (const p of policies) for (const r of p.egress) for (const peer of r.peers) if (peer.type === 'domainNames') peer.domainNames.forEach((d) => out.add(d));
  return [...out].sort();
}

/**
 * The rules that apply to each workload, per direction, and the domain names its egress rules name (the domains
 * `reach` lists for it).
 */
function buildSides(model: Model, tb: TargetBuilder): { ins: MutableSide[]; outs: MutableSide[]; named: Array<Set<string>> } {
  const n = model.workloads.length;
  const ins = Array.from({ length: n }, newSide);
  const outs = Array.from({ length: n }, newSide);
  const named = Array.from({ length: n }, () => new Set<string>());
  for (const cp of model.clusterPolicies) {
    const subject = tb.selected(undefined, cp.subject.podSelector, cp.subject.namespaceSelector);
    const key = cp.tier === 'Admin' ? 'admin' : 'baseline';
    const ing = cp.ingress.map((r) => tb.clusterRule(r));
    const egr = cp.egress.map((r) => tb.clusterRule(r));
    const domains = modelDomains([cp]);
    for (const i of subject) {
      append(ins[i], key, ing);
      append(outs[i], key, egr);
      for (const name of domains) named[i].add(name);
    }
  }
  for (const p of model.policies) {
    // The directions the policy isolates, each with its rules.
    const isolated: Array<[MutableSide[], EngineRule[]]> = [];
    if (p.isolatesIngress) isolated.push([ins, p.ingress.map((r) => tb.npRule(p, r))]);
    if (p.isolatesEgress) isolated.push([outs, p.egress.map((r) => tb.npRule(p, r))]);
    for (const i of tb.selected(p.namespace, p.podSelector, undefined)) {
      for (const [sides, rules] of isolated) { sides[i].npIsolated = true; append(sides[i], 'np', rules); }
    }
  }
  return { ins, outs, named };
}

function computeRaw(model: Model, options: AnalyzeOptions): RawResult {
  const ws = model.workloads;
  const n = ws.length;
  const segments = toSegments(segmentBoundaries(model, options.extraBoundaries));
  const nSeg = segments.length;
  const selection = new Selection(model);
  const tb = new TargetBuilder(model, selection, segments);
  const { ins, outs, named } = buildSides(model, tb);
  const domains = modelDomains(model.clusterPolicies);
  const allExt = () => new Array<ConnectionSet>(nSeg).fill(ConnectionSet.ALL);
  const fixedOrTo = (dst: Workload | undefined) => (r: EngineRule) => r.fixed ?? r.connections(dst);
  const toNowhere = fixedOrTo(undefined);
  const stats = options.stats;
  const decide: typeof decideSide = (side, match, conns, opts) => {
    if (stats) stats.decisions++;
    return decideSide(side, match, conns, opts);
  };

  // Egress, decided once per source for every destination its rules do not single out ("rest"), when that does
  // not depend on the destination's named ports.
  const outOpen = new Uint8Array(n);
  const outRest: Array<ConnectionSet | undefined> = [];
  const openish: number[] = []; // sources whose rest may allow something
  const egressTo: number[][] = Array.from({ length: n }, () => []); // other sources that single out a destination
  const stamp = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    const side = outs[s];
    if (isOpenSide(side)) { outOpen[s] = 1; openish.push(s); continue; }
    const rules = sideRules(side);
    if (rules.some((r) => r.fixed === undefined && r.targets.podBase !== 'no')) { openish.push(s); continue; }
    const reached: EngineRule[] = [];
    const rest = decide(side, (r) => r.targets.podBase, (r) => r.fixed!, { reached: (r) => reached.push(r) });
    outRest[s] = rest;
    if (!rest.isEmpty()) { openish.push(s); continue; }
    for (const r of reached) {
      for (const d of r.targets.pods) if (stamp[d] !== s) { stamp[d] = s; egressTo[d].push(s); }
    }
  }
  // (`np` holds rules only when a NetworkPolicy isolates the side: see buildSides.)
  const mentions = (side: TierSide<EngineRule>, d: number) =>
    side.admin.some((r) => r.targets.podSet.has(d)) || side.np.some((r) => r.targets.podSet.has(d))
    || side.baseline.some((r) => r.targets.podSet.has(d));
  const egressConn = (s: number, d: number): ConnectionSet => {
    if (stats) stats.pairs++;
    if (outOpen[s]) return ConnectionSet.ALL;
    const rest = outRest[s];
    if (rest !== undefined && !mentions(outs[s], d)) return rest;
    return decide(outs[s], (r) => podLevel(r.targets, d), fixedOrTo(ws[d]));
  };

  const pairs: Array<Map<number, ConnectionSet>> = [];
  const fromExternal: ConnectionSet[][] = [];
  stamp.fill(-1);
  const segStamp = new Int32Array(nSeg).fill(-1);
  for (let d = 0; d < n; d++) {
    const side = ins[d];
    const out = new Map<number, ConnectionSet>();
    const visit = (s: number, ingress: ConnectionSet) => {
      if (s === d) return;
      const c = ingress.isAll() ? egressConn(s, d) : ingress.intersect(egressConn(s, d));
      if (!c.isEmpty()) out.set(s, c);
    };
    if (isOpenSide(side)) {
      for (const s of openish) visit(s, ConnectionSet.ALL);
      for (const s of egressTo[d]) visit(s, ConnectionSet.ALL);
      fromExternal.push(allExt());
      pairs.push(out);
      continue;
    }
    const toD = fixedOrTo(ws[d]);
    const reached: EngineRule[] = [];
    const restIn = decide(side, (r) => r.targets.podBase, toD, { reached: (r) => reached.push(r) });
    for (const r of reached) {
      for (const s of r.targets.pods) {
        if (stamp[s] === d || s === d) continue;
        stamp[s] = d;
        const c = decide(side, (x) => podLevel(x.targets, s), toD);
        if (!c.isEmpty()) visit(s, c);
      }
    }
    if (!restIn.isEmpty()) {
      for (const s of openish) if (stamp[s] !== d) visit(s, restIn);
      for (const s of egressTo[d]) if (stamp[s] !== d) visit(s, restIn);
    }
    pairs.push(out);
    fromExternal.push(perSegment(side, toD, d));
  }

  function perSegment(side: TierSide<EngineRule>, conns: (r: EngineRule) => ConnectionSet, mark: number): ConnectionSet[] {
    const ext = new Array<ConnectionSet>(nSeg).fill(decide(side, (r) => r.targets.segBase, conns));
    for (const r of sideRules(side)) {
      for (const g of r.targets.segments) {
        if (segStamp[g] === mark) continue;
        segStamp[g] = mark;
        ext[g] = decide(side, (x) => segLevel(x.targets, g), conns);
      }
    }
    return ext;
  }

  const toExternal: ConnectionSet[][] = [];
  const toDomain: ConnectionSet[][] = [];
  const namedDomains: number[][] = [];
  segStamp.fill(-1);
  for (let s = 0; s < n; s++) {
    const side = outs[s];
    if (outOpen[s]) {
      toExternal.push(allExt());
      toDomain.push(domains.map(() => ConnectionSet.ALL));
      namedDomains.push([]);
      continue;
    }
    toExternal.push(perSegment(side, toNowhere, s));
    toDomain.push(domains.map((name) => decide(side, (r) => r.targets.domain(name), toNowhere)));
    namedDomains.push(domains.flatMap((name, k) => (named[s].has(name) ? [k] : [])));
  }
  if (stats) stats.scanned += selection.scanned;
  return { segments, pairs, fromExternal, toExternal, domains, toDomain, namedDomains };
}

/**
 * Lists the connections, sorted. For each workload and direction, adjacent external segments with the same
 * connections are merged into one range; a domain is listed for the workloads whose egress rules name it.
 */
function present(model: Model, raw: RawResult): Connection[] {
  const n = model.workloads.length;
  const eps = model.workloads.map(workloadEndpoint);
  const extEps = new Map<string, Endpoint>();
  const ext = (a: number, b: number): Endpoint => {
    const key = `${a}-${b}`;
    let e = extEps.get(key);
    if (!e) extEps.set(key, e = externalEndpoint({ start: raw.segments[a].start, end: raw.segments[b].end }));
    return e;
  };
  const domainEps = raw.domains.map(domainEndpoint);
  const out: Connection[] = [];
  for (let w = 0; w < n; w++) {
    for (const [s, c] of raw.pairs[w]) out.push({ src: eps[s], dst: eps[w], conns: c });
    const inbound = raw.fromExternal[w];
    for (const [a, b] of mergeSegments(inbound.length, (x, y) => inbound[x].equals(inbound[y]))) {
      if (!inbound[a].isEmpty()) out.push({ src: ext(a, b), dst: eps[w], conns: inbound[a] });
    }
    const outbound = raw.toExternal[w];
    for (const [a, b] of mergeSegments(outbound.length, (x, y) => outbound[x].equals(outbound[y]))) {
      if (!outbound[a].isEmpty()) out.push({ src: eps[w], dst: ext(a, b), conns: outbound[a] });
    }
    for (const k of raw.namedDomains[w]) {
      const c = raw.toDomain[w][k];
      if (!c.isEmpty()) out.push({ src: eps[w], dst: domainEps[k], conns: c });
    }
  }
  return sortConnections(out);
}

/** Groups `0..count-1` into runs of adjacent indexes that `same` says are equivalent: `[first, last]` pairs. */
export function mergeSegments(count: number, same: (a: number, b: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const last = out[out.length - 1];
    if (last && same(last[0], i)) last[1] = i; else out.push([i, i]);
  }
  return out;
}
