/**
 * Readable text and stable JSON for symbolic regions: `entire-cluster`, `[namespaces with team=a]/[pods with
 * app=x]`, `monitoring/[all pods]`, `0.0.0.0-255.255.255.255`.
 */
import { formatRange } from '../ipv4';
import { NAMESPACE_NAME_LABEL } from '../model';
import { compareStrings } from '../reachability';
import { Labels, Selector } from '../selector';
import { formatCidrOrRange, Region } from './region';
import { LabelSpace } from './selectors';
import { SymPorts } from './sym-ports';

function labelsText(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

function namespacesText(space: LabelSpace): string {
  if ('labels' in space) return space.labels[NAMESPACE_NAME_LABEL] ?? `[namespaces with ${labelsText(space.labels)}]`;
  const sel = space.selector;
  if (sel.isAll()) return '[all namespaces]';
  const [r, ...more] = sel.requirements;
  if (more.length === 0 && r.key === NAMESPACE_NAME_LABEL && r.operator === 'In') {
    return r.values.length === 1 ? r.values[0] : `[namespaces ${r.values.join(',')}]`;
  }
  if (more.length === 0 && r.key === NAMESPACE_NAME_LABEL && r.operator === 'NotIn') return `[all namespaces except ${r.values.join(',')}]`;
  return `[namespaces with ${sel.toString()}]`;
}

function podsText(space: LabelSpace): string {
  if ('labels' in space) return `[pods with ${labelsText(space.labels)}]`;
  return space.selector.isAll() ? '[all pods]' : `[pods with ${space.selector.toString()}]`;
}

/** The text of a region. */
export function regionText(region: Region): string {
  if (region.kind === 'external') return region.ranges.map(formatRange).join(',');
  if (region.kind === 'external6') return `${region.cidr}${region.except.length ? ` except ${region.except.join(',')}` : ''}`;
  const ns = namespacesText(region.namespaces);
  if (region.addresses) {
    const pods = podsText(region.pods);
    const where = `addresses in ${region.addresses.map(formatCidrOrRange).join(',')}`;
    return `${ns}/${pods === '[all pods]' ? `[pods with ${where}]` : `${pods.slice(0, -1)}, ${where}]`}`;
  }
  if (ns === '[all namespaces]' && podsText(region.pods) === '[all pods]') return 'entire-cluster';
  return `${ns}/${podsText(region.pods)}`;
}

/** A label selector as Kubernetes writes it: `matchLabels` for single-value `In`, `matchExpressions` for the rest. */
export function selectorJson(sel: Selector): Record<string, unknown> {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Array<Record<string, unknown>> = [];
  const reqs = [...sel.requirements].sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.operator, b.operator));
  for (const r of reqs) {
    if (r.operator === 'In' && r.values.length === 1 && !(r.key in matchLabels)) matchLabels[r.key] = r.values[0];
    else matchExpressions.push(r.values.length ? { key: r.key, operator: r.operator, values: [...r.values] } : { key: r.key, operator: r.operator });
  }
  return {
    ...(Object.keys(matchLabels).length ? { matchLabels } : {}),
    ...(matchExpressions.length ? { matchExpressions } : {}),
  };
}

function spaceJson(space: LabelSpace): Record<string, unknown> {
  if (!('labels' in space)) return selectorJson(space.selector);
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(space.labels).sort()) sorted[k] = space.labels[k];
  return { matchLabels: sorted };
}

/**
 * The JSON of a region: `{"kind":"External","range":"a-b"}` (or `"ranges"` for several),
 * `{"kind":"External","cidr","except"?}` for IPv6, or `{"kind":"Pods","namespaces":SELECTOR,"pods":SELECTOR,
 * "addresses"?:["a-b"],"text"}` with Kubernetes label selectors (`{}` selects everything).
 */
export function regionJson(region: Region): Record<string, unknown> {
  if (region.kind === 'external') {
    const ranges = region.ranges.map(formatRange);
    return ranges.length === 1 ? { kind: 'External', range: ranges[0] } : { kind: 'External', ranges };
  }
  if (region.kind === 'external6') return { kind: 'External', cidr: region.cidr, ...(region.except.length ? { except: [...region.except] } : {}) };
  return {
    kind: 'Pods',
    namespaces: spaceJson(region.namespaces),
    pods: spaceJson(region.pods),
    ...(region.addresses ? { addresses: region.addresses.map(formatRange) } : {}),
    text: regionText(region),
  };
}

/** `{"ports":{"TCP":[[80,80]]},"namedPorts"?:[{"protocol":"TCP","name":"metrics"}]}`. */
export function portsJson(p: SymPorts): Record<string, unknown> {
  return { ports: p.numeric.toJSON(), ...(p.named.length ? { namedPorts: p.named.map((n) => ({ protocol: n.protocol, name: n.name })) } : {}) };
}
