/**
 * Renderings of a list of connections: txt, json, md, mermaid and dot.
 */
import { Connection, Endpoint, isAddressEndpoint } from './reachability';

/** The output formats of `tenancy reach`. */
export const REACH_FORMATS = ['txt', 'json', 'md', 'mermaid', 'dot'] as const;

/** One of the output formats of `tenancy reach`. */
export type ReachFormat = typeof REACH_FORMATS[number];

/** `SRC => DST : CONNS`, one line per connection, in the given (sorted) order; ends with a newline when not empty. */
export function formatTxt(connections: readonly Connection[]): string {
  let out = '';
  for (const c of connections) out += `${c.src.id} => ${c.dst.id} : ${c.conns.toString()}\n`;
  return out;
}

/**
 * The JSON form of an endpoint: `{"kind","namespace","name"}`, `{"kind":"External","range"}` or
 * `{"kind":"Domain","name"}`.
 */
export function endpointJson(e: Endpoint): Record<string, string> {
  if (e.kind === 'External') return { kind: 'External', range: e.id.replace(/\[External\]$/, '') };
  if (e.kind === 'Domain') return { kind: 'Domain', name: e.name ?? '' };
  return { kind: e.kind, namespace: e.namespace ?? '', name: e.name ?? '' };
}

/** `{"connections":[{"src":PEER,"dst":PEER,"ports":{"TCP":[[80,80]]}}]}` followed by a newline. */
export function formatJson(connections: readonly Connection[]): string {
  const list = connections.map((c) => ({ src: endpointJson(c.src), dst: endpointJson(c.dst), ports: c.conns.toJSON() }));
  return `${JSON.stringify({ connections: list })}\n`;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table: Source, Destination, Connections. */
export function formatMarkdown(connections: readonly Connection[]): string {
  let out = '| Source | Destination | Connections |\n| --- | --- | --- |\n';
  for (const c of connections) out += `| ${mdCell(c.src.id)} | ${mdCell(c.dst.id)} | ${mdCell(c.conns.toString())} |\n`;
  return out;
}

/** Turns any text into an identifier of letters, digits and `_`, unique within `used`. */
export function sanitizeId(text: string, used: Map<string, string>, taken: Set<string>): string {
  const known = used.get(text);
  if (known) return known;
  const base = text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(?=[0-9]|$)/, 'n');
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
  taken.add(id);
  used.set(text, id);
  return id;
}

/** More to draw in a graph: workloads without connections, abstract peers and dashed edges (exposure). */
export interface GraphExtra {
  /** Workload endpoints to draw even when no connection names them. */
  readonly endpoints: readonly Endpoint[];
  /** Abstract peers (regions), by key, with their label; drawn as hexagons. */
  readonly peers: ReadonlyArray<{ readonly key: string; readonly label: string }>;
  /** Dashed edges between endpoint ids and peer keys, with their label. */
  readonly edges: ReadonlyArray<{ readonly src: string; readonly dst: string; readonly label: string }>;
  /** Endpoint ids drawn in red, with a comment line each. */
  readonly marked: ReadonlyArray<{ readonly id: string; readonly note: string }>;
}

const NO_EXTRA: GraphExtra = { endpoints: [], peers: [], edges: [], marked: [] };

interface GraphNodes {
  /** Namespaces (sorted) with their endpoints (sorted). */
  clusters: Array<[string, Endpoint[]]>;
  /** External ranges and domains, sorted. */
  external: Endpoint[];
}

function graphNodes(connections: readonly Connection[], more: readonly Endpoint[]): GraphNodes {
  const byNs = new Map<string, Map<string, Endpoint>>();
  const ext = new Map<string, Endpoint>();
  for (const c of [...connections, ...more.map((e) => ({ src: e, dst: e }))]) {
    for (const e of [c.src, c.dst]) {
      if (isAddressEndpoint(e)) { ext.set(e.id, e); continue; }
      const ns = e.namespace ?? '';
      let m = byNs.get(ns);
      if (!m) byNs.set(ns, m = new Map());
      m.set(e.id, e);
    }
  }
  const sortEps = (m: Map<string, Endpoint>) => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    clusters: [...byNs.keys()].sort().map((ns) => [ns, sortEps(byNs.get(ns)!)]),
    external: sortEps(ext),
  };
}

function quoteMermaid(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

function nodeLabel(e: Endpoint): string {
  return isAddressEndpoint(e) ? e.id : `${e.name}[${e.kind}]`;
}

/**
 * A Mermaid flowchart: namespaces as subgraphs, one edge per connection labelled with its ports; `extra` adds
 * hexagons and dashed edges.
 */
export function formatMermaid(connections: readonly Connection[], extra: GraphExtra = NO_EXTRA): string {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const { clusters, external } = graphNodes(connections, extra.endpoints);
  const lines = ['flowchart LR'];
  for (const [ns, eps] of clusters) {
    lines.push(`  subgraph ${sanitizeId(`ns:${ns}`, ids, taken)}[${quoteMermaid(ns)}]`);
    for (const e of eps) lines.push(`    ${sanitizeId(e.id, ids, taken)}[${quoteMermaid(nodeLabel(e))}]`);
    lines.push('  end');
  }
  for (const e of external) lines.push(`  ${sanitizeId(e.id, ids, taken)}[${quoteMermaid(nodeLabel(e))}]`);
  for (const p of extra.peers) lines.push(`  ${sanitizeId(p.key, ids, taken)}{{${quoteMermaid(p.label)}}}`);
  for (const c of connections) {
    lines.push(`  ${sanitizeId(c.src.id, ids, taken)} -->|${quoteMermaid(c.conns.toString())}| ${sanitizeId(c.dst.id, ids, taken)}`);
  }
  for (const e of extra.edges) lines.push(`  ${sanitizeId(e.src, ids, taken)} -.->|${quoteMermaid(e.label)}| ${sanitizeId(e.dst, ids, taken)}`);
  if (extra.marked.length > 0) {
    for (const m of extra.marked) lines.push(`  %% ${m.id}: ${m.note}`);
    lines.push('  classDef unprotected stroke:#d00,stroke-width:2px;');
    lines.push(`  class ${extra.marked.map((m) => sanitizeId(m.id, ids, taken)).join(',')} unprotected;`);
  }
  return `${lines.join('\n')}\n`;
}

function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A Graphviz digraph: namespaces as clusters, one edge per connection labelled with its ports; `extra` adds
 * hexagons and dashed edges.
 */
export function formatDot(connections: readonly Connection[], extra: GraphExtra = NO_EXTRA): string {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const { clusters, external } = graphNodes(connections, extra.endpoints);
  const lines = ['digraph reachability {', '  rankdir=LR;', '  node [shape=box];'];
  for (const [ns, eps] of clusters) {
    lines.push(`  subgraph cluster_${sanitizeId(`ns:${ns}`, ids, taken)} {`);
    lines.push(`    label=${quoteDot(ns)};`);
    for (const e of eps) lines.push(`    ${sanitizeId(e.id, ids, taken)} [label=${quoteDot(nodeLabel(e))}];`);
    lines.push('  }');
  }
  for (const e of external) lines.push(`  ${sanitizeId(e.id, ids, taken)} [label=${quoteDot(nodeLabel(e))}, shape=ellipse];`);
  for (const p of extra.peers) lines.push(`  ${sanitizeId(p.key, ids, taken)} [label=${quoteDot(p.label)}, shape=hexagon, style=dashed];`);
  for (const c of connections) {
    lines.push(`  ${sanitizeId(c.src.id, ids, taken)} -> ${sanitizeId(c.dst.id, ids, taken)} [label=${quoteDot(c.conns.toString())}];`);
  }
  for (const e of extra.edges) lines.push(`  ${sanitizeId(e.src, ids, taken)} -> ${sanitizeId(e.dst, ids, taken)} [label=${quoteDot(e.label)}, style=dashed];`);
  for (const m of extra.marked) lines.push(`  ${sanitizeId(m.id, ids, taken)} [color=red]; // ${m.note}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Renders connections in one of the `tenancy reach` formats. */
export function formatConnections(connections: readonly Connection[], format: ReachFormat): string {
  switch (format) {
    case 'txt': return formatTxt(connections);
    case 'json': return formatJson(connections);
    case 'md': return formatMarkdown(connections);
    case 'mermaid': return formatMermaid(connections);
    case 'dot': return formatDot(connections);
  }
  throw new Error(`unknown format ${String(format)}`);
}

/** Keeps the connections where either side is the workload `id` (or one of the workloads `id`). */
export function focusOn(connections: readonly Connection[], id: string | readonly string[]): Connection[] {
  const ids = new Set(typeof id === 'string' ? [id] : id);
  return connections.filter((c) => ids.has(c.src.id) || ids.has(c.dst.id));
}
