/**
 * `tenancy reach --exposure`: the connections, then the exposure of each workload, in every reach format.
 */
import { endpointJson, formatConnections, formatDot, formatJson, formatMermaid, GraphExtra, ReachFormat } from './formats';
import { Connection, workloadEndpoint } from './reachability';
import { Direction } from './symbolic/evaluator';
import { Exposure, ExposureEntry } from './symbolic/exposure';
import { portsJson, regionJson } from './symbolic/render';

const ARROW: Record<Direction, string> = { ingress: '<=', egress: '=>' };

function unprotectedFor(e: Exposure): Array<{ id: string; directions: Direction[] }> {
  const m = new Map<string, Direction[]>();
  for (const d of ['ingress', 'egress'] as const) {
    for (const w of e.unprotected[d]) {
      const l = m.get(w.id);
      if (l) l.push(d); else m.set(w.id, [d]);
    }
  }
  return [...m.keys()].sort().map((id) => ({ id, directions: m.get(id)! }));
}

function txt(connections: readonly Connection[], e: Exposure): string {
  const lines: string[] = [];
  const section = (d: Direction, title: string) => {
    lines.push('', title);
    const list = e[d];
    if (list.length === 0) lines.push('(none)');
    for (const x of list) lines.push(`${x.workload.id} ${ARROW[d]} ${x.peerText} : ${x.ports.toString()}`);
  };
  section('ingress', 'Ingress exposure (what each workload admits from peers not in the input):');
  section('egress', 'Egress exposure (what each workload may reach among peers not in the input):');
  lines.push('', 'Workloads no policy protects:');
  const u = unprotectedFor(e);
  if (u.length === 0) lines.push('(none)');
  for (const x of u) lines.push(`${x.id} : ${x.directions.join(', ')}`);
  return `${formatConnections(connections, 'txt')}${lines.join('\n')}\n`;
}

function entryJson(x: ExposureEntry): Record<string, unknown> {
  return { workload: endpointJson(workloadEndpoint(x.workload)), peer: regionJson(x.peer), ...portsJson(x.ports) };
}

/**
 * `{"connections":[...],"exposure":{"ingress":[ENTRY],"egress":[ENTRY],"unprotected":{"ingress":[WORKLOAD],
 * "egress":[WORKLOAD]}}}` where ENTRY is `{"workload":WORKLOAD,"peer":PEER,"ports":{...},"namedPorts"?:[...]}`.
 */
function json(connections: readonly Connection[], e: Exposure): string {
  const base = JSON.parse(formatJson(connections)) as Record<string, unknown>;
  const exposure = {
    ingress: e.ingress.map(entryJson),
    egress: e.egress.map(entryJson),
    unprotected: {
      ingress: e.unprotected.ingress.map((w) => endpointJson(workloadEndpoint(w))),
      egress: e.unprotected.egress.map((w) => endpointJson(workloadEndpoint(w))),
    },
  };
  return `${JSON.stringify({ ...base, exposure })}\n`;
}

/** Markdown tables (workload ids and label texts hold no `|`: Kubernetes names and labels cannot). */
function md(connections: readonly Connection[], e: Exposure): string {
  let out = formatConnections(connections, 'md');
  const table = (d: Direction, title: string, column: string) => {
    out += `\n### ${title}\n\n| Workload | ${column} | Connections |\n| --- | --- | --- |\n`;
    for (const x of e[d]) out += `| ${x.workload.id} | ${x.peerText} | ${x.ports.toString()} |\n`;
  };
  table('ingress', 'Ingress exposure', 'Admits from');
  table('egress', 'Egress exposure', 'May reach');
  out += '\n### Workloads no policy protects\n\n| Workload | Unprotected for |\n| --- | --- |\n';
  for (const x of unprotectedFor(e)) out += `| ${x.id} | ${x.directions.join(', ')} |\n`;
  return out;
}

/** Exposure to cluster peers as graph extras; external ranges are already drawn as connections. */
function graphExtra(e: Exposure): GraphExtra {
  const peers = new Map<string, string>();
  const edges: Array<{ src: string; dst: string; label: string }> = [];
  const endpoints = new Map<string, ReturnType<typeof workloadEndpoint>>();
  for (const d of ['ingress', 'egress'] as const) {
    for (const x of e[d]) {
      if (x.peer.kind !== 'pods') continue;
      const key = `peer:${x.peerText}`;
      peers.set(key, x.peerText);
      endpoints.set(x.workload.id, workloadEndpoint(x.workload));
      edges.push(d === 'ingress' ? { src: key, dst: x.workload.id, label: x.ports.toString() } : { src: x.workload.id, dst: key, label: x.ports.toString() });
    }
  }
  for (const d of ['ingress', 'egress'] as const) for (const w of e.unprotected[d]) endpoints.set(w.id, workloadEndpoint(w));
  return {
    endpoints: [...endpoints.values()],
    peers: [...peers.keys()].sort().map((key) => ({ key, label: peers.get(key)! })),
    edges,
    marked: unprotectedFor(e).map((x) => ({ id: x.id, note: `no policy protects it for ${x.directions.join(' and ')}` })),
  };
}

/** Renders the connections and the exposure in one of the `tenancy reach` formats. */
export function formatExposure(connections: readonly Connection[], exposure: Exposure, format: ReachFormat): string {
  switch (format) {
    case 'txt': return txt(connections, exposure);
    case 'json': return json(connections, exposure);
    case 'md': return md(connections, exposure);
    case 'mermaid': return formatMermaid(connections, graphExtra(exposure));
    case 'dot': return formatDot(connections, graphExtra(exposure));
  }
  throw new Error(`unknown format ${String(format)}`);
}
