/**
 * Unknown and misplaced fields in the objects the analyzer reads (NetworkPolicies, Namespaces, the metadata and
 * pod templates of workloads). The parsers ignore them; this walk says so, where the field belongs, what the
 * analysis assumed, and that `kubectl apply` (strict field validation, its default since 1.27) rejects the
 * whole object, so the cluster would not have it at all.
 */

/** A field found where the schema has no such field. */
export interface UnknownField {
  /** Path of the field from the object's root: `spec.ingress[0].podSelector`. */
  readonly field: string;
  /** One sentence: what is wrong, where it belongs, and what the analysis assumed. */
  readonly message: string;
}

type Node = Readonly<Record<string, unknown>>;

/** The schema of one kind of map: its fields, and what to say about a field it does not have. */
interface Shape {
  /** The map, in messages: `a NetworkPolicy spec`. */
  readonly what: string;
  /** Known fields, with the shape of their value (a map, or each item of a list) when it is walked. */
  readonly fields: Readonly<Record<string, (() => Shape) | null>>;
  /** Where a misplaced field belongs, from the path of this map, or undefined. */
  belongs?(key: string, path: string, node: Node): string | undefined;
  /** What ignoring `key` means for the analysis, or undefined for the generic sentence. */
  ignored?(key: string, path: string, node: Node): string | undefined;
}

const peerFields = (): string[] => ['podSelector', 'namespaceSelector', 'ipBlock'];
const portFields = (): string[] => ['port', 'protocol', 'endPort'];
const selectorFields = (): string[] => ['matchLabels', 'matchExpressions'];
const ipBlockFields = (): string[] => ['cidr', 'except'];

const absent = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** The rule-level shape, for ingress (`from`) or egress (`to`). */
function ruleShape(dir: 'ingress' | 'egress'): Shape {
  const peers = dir === 'ingress' ? 'from' : 'to';
  const other = dir === 'ingress' ? 'to' : 'from';
  const everyone = dir === 'ingress' ? 'every source' : 'every destination';
  return {
    what: `an ${dir} rule`,
    fields: { [peers]: peerShape, ports: portShape },
    belongs(key, path) {
      if (peerFields().includes(key)) return `${path}.${peers}[j].${key}`;
      if (selectorFields().includes(key)) return `${path}.${peers}[j].podSelector.${key} (or ${path}.${peers}[j].namespaceSelector.${key})`;
      if (ipBlockFields().includes(key)) return `${path}.${peers}[j].ipBlock.${key}`;
      if (portFields().includes(key)) return `${path}.ports[j].${key}`;
      if (key === other) return `${path}.${peers} (${dir} rules name their ${dir === 'ingress' ? 'sources' : 'destinations'} in ${peers})`;
      if (key === 'policyTypes') return 'spec.policyTypes';
      return undefined;
    },
    ignored(key, _path, node) {
      const peerLike = [...peerFields(), ...selectorFields(), ...ipBlockFields(), other].includes(key);
      if (peerLike && absent(node[peers])) return `the analysis reads the rule without it: with no ${peers}, it admits ${everyone}`;
      if (portFields().includes(key) && absent(node.ports)) return 'the analysis reads the rule without it: with no ports, it admits every port';
      return undefined;
    },
  };
}

function specShape(): Shape {
  return {
    what: 'a NetworkPolicy spec',
    fields: { podSelector: selectorShape, policyTypes: null, ingress: ingressShape, egress: egressShape },
    belongs(key) {
      if (key === 'ports') return 'spec.ingress[i].ports (or spec.egress[i].ports)';
      if (key === 'from') return 'spec.ingress[i].from';
      if (key === 'to') return 'spec.egress[i].to';
      if (key === 'namespaceSelector' || key === 'ipBlock') return `spec.ingress[i].from[j].${key} (or spec.egress[i].to[j].${key})`;
      if (portFields().includes(key)) return `spec.ingress[i].ports[j].${key} (or spec.egress[i].ports[j].${key})`;
      if (ipBlockFields().includes(key)) return `spec.ingress[i].from[j].ipBlock.${key} (or spec.egress[i].to[j].ipBlock.${key})`;
      if (selectorFields().includes(key)) return `spec.podSelector.${key}`;
      return undefined;
    },
    ignored(key) {
      if (key === 'ports' || portFields().includes(key)) return 'the analysis reads the policy without it, so a rule without ports of its own admits every port';
      if (suggest(key, ['policyTypes']) !== undefined) return 'the analysis reads the policy without policyTypes: it isolates ingress, and egress only if it has egress rules';
      if (key === 'from' || key === 'to' || key === 'namespaceSelector' || key === 'ipBlock' || ipBlockFields().includes(key)) {
        return 'the analysis reads the policy without it: only the rules under spec.ingress and spec.egress count';
      }
      if (selectorFields().includes(key)) return 'the analysis reads the policy without it: spec.podSelector alone says which pods the policy selects';
      return undefined;
    },
  };
}

function ingressShape(): Shape {
  return ruleShape('ingress');
}
function egressShape(): Shape {
  return ruleShape('egress');
}

function peerShape(): Shape {
  return {
    what: 'a peer (an entry of from or to)',
    fields: { podSelector: selectorShape, namespaceSelector: selectorShape, ipBlock: ipBlockShape },
    belongs(key, path) {
      const rule = path.slice(0, path.lastIndexOf('.'));
      if (key === 'ports') return `${rule}.ports`;
      if (portFields().includes(key)) return `${rule}.ports[k].${key}`;
      if (ipBlockFields().includes(key)) return `${path}.ipBlock.${key}`;
      if (selectorFields().includes(key)) return `${path}.podSelector.${key} (or ${path}.namespaceSelector.${key})`;
      if (key === 'namespace' || key === 'namespaces') return `${path}.namespaceSelector.matchLabels, as kubernetes.io/metadata.name: <namespace>`;
      return undefined;
    },
    ignored(key, path) {
      if (key === 'ports' || portFields().includes(key)) return `the analysis reads the peer without it: the ports of the rule are those of ${path.slice(0, path.lastIndexOf('.'))}.ports`;
      return undefined;
    },
  };
}

function ipBlockShape(): Shape {
  return {
    what: 'an ipBlock',
    fields: { cidr: null, except: null },
    ignored(key) {
      return suggest(key, ['except']) !== undefined ? 'the analysis reads the ipBlock without exceptions: it matches all of its cidr' : undefined;
    },
  };
}

function portShape(): Shape {
  return {
    what: 'a port of a rule',
    fields: { protocol: null, port: null, endPort: null },
    ignored(key) {
      if (suggest(key, ['endPort']) !== undefined) return 'the analysis reads the entry without a range: only its port';
      if (suggest(key, ['protocol']) !== undefined) return 'the analysis reads the entry as TCP';
      return undefined;
    },
  };
}

function selectorShape(): Shape {
  return {
    what: 'a label selector',
    fields: { matchLabels: null, matchExpressions: requirementShape },
    belongs(key, path, node) {
      if (['key', 'operator', 'values'].includes(key)) return `${path}.matchExpressions[k].${key}`;
      const v = node[key];
      if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return `${path}.matchLabels (labels are written under matchLabels: ${path}.matchLabels.${key})`;
      return undefined;
    },
    ignored(_key, path, node) {
      const what = path.endsWith('namespaceSelector') ? 'namespace' : 'pod';
      if (absent(node.matchLabels) && absent(node.matchExpressions)) {
        return `the analysis reads the selector as {}, which selects every ${what}${path === 'spec.podSelector' ? ' of the namespace' : ''}`;
      }
      return `the analysis reads the selector without it, so it may select more ${what}s than meant`;
    },
  };
}

function requirementShape(): Shape {
  return { what: 'a matchExpressions entry', fields: { key: null, operator: null, values: null } };
}

function objectMetaShape(): Shape {
  return {
    what: 'metadata (ObjectMeta)',
    fields: Object.fromEntries([
      'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
      'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
    ].map((f) => [f, null])),
    ignored(key, _path, node) {
      const meant = suggest(key, ['namespace', 'labels']);
      if (meant === 'namespace' && node.namespace === undefined) return 'the analysis reads the object in namespace default';
      if (meant === 'labels') return 'the analysis reads the object without these labels';
      return undefined;
    },
  };
}

/** The top level of a NetworkPolicy, Namespace or workload. */
function topShape(kind: string, spec: (() => Shape) | null): Shape {
  return {
    what: `a ${kind}`,
    fields: { apiVersion: null, kind: null, metadata: objectMetaShape, spec, status: null },
    belongs(key) {
      if (['name', 'namespace', 'labels', 'annotations'].includes(key)) return `metadata.${key}`;
      if (kind === 'NetworkPolicy' && ['podSelector', 'policyTypes', 'ingress', 'egress'].includes(key)) return `spec.${key}`;
      return undefined;
    },
    ignored(key, _path, node) {
      // metadata is a map here: objects without metadata.name are refused before their fields are checked
      if (key === 'namespace' && (node.metadata as Node).namespace === undefined && kind !== 'Namespace') return 'the analysis reads the object in namespace default';
      if (key === 'labels') return 'the analysis reads the object without these labels';
      return undefined;
    },
  };
}

function podTemplateShape(): Shape {
  return {
    what: 'a pod template',
    fields: { metadata: objectMetaShape, spec: null },
    belongs(key, path) {
      if (key === 'labels' || key === 'annotations' || key === 'name' || key === 'namespace') return `${path}.metadata.${key}`;
      if (key === 'containers' || key === 'initContainers') return `${path}.spec.${key}`;
      return undefined;
    },
    ignored(key) {
      if (key === 'labels') return 'the analysis reads the pods without these labels, so policies that select them by these labels do not apply to them';
      return undefined;
    },
  };
}

function containerPortShape(): Shape {
  return {
    what: 'a container port',
    fields: { containerPort: null, name: null, protocol: null, hostPort: null, hostIP: null },
    belongs(key, path) {
      if (key === 'port' || key === 'targetPort') return `${path}.containerPort`;
      return undefined;
    },
  };
}

/** The edit distance between two strings: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      // a swap of neighbours (in the first row or column a[-1] and b[-1] are undefined, equal to no letter)
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known field `key` is probably a misspelling of: the same ignoring case, or the closest at most 2 edits away
 * (at most 1 for keys of 4 letters, none for shorter ones).
 */
export function suggest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = known.find((k) => k.toLowerCase() === lower);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance && key.length > d + 2) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Where a field unknown to `shape` belongs (`it belongs in …`, `did you mean …?`), or undefined. */
function placement(shape: Shape, key: string, path: string, node: Node): string | undefined {
  const belongs = shape.belongs?.(key, path, node);
  if (belongs !== undefined) return `it belongs in ${belongs}`;
  const meant = suggest(key, Object.keys(shape.fields));
  return meant === undefined ? undefined : `did you mean ${path === '' ? '' : `${path}.`}${meant}?`;
}

function walk(node: unknown, shape: Shape, path: string, kind: string, out: UnknownField[]): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const n = node as Node;
  for (const [key, value] of Object.entries(n)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (Object.prototype.hasOwnProperty.call(shape.fields, key)) {
      const child = shape.fields[key];
      if (!child) continue;
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, child(), `${field}[${i}]`, kind, out));
      else walk(value, child(), field, kind, out);
      continue;
    }
    const where = placement(shape, key, path, n);
    const ignored = shape.ignored?.(key, path, n) ?? `the analysis reads the ${kind} without it`;
    out.push({
      field,
      message: `${field} is not a field of ${shape.what}${where === undefined ? '.' : `: ${where}${where.endsWith('?') ? '' : '.'}`} It was ignored: ${ignored}; kubectl apply rejects the whole object `
        + `(strict field validation, the default since kubectl 1.27), so the cluster would not have this ${kind} at all`,
    });
  }
}

/** Unknown and misplaced fields of a NetworkPolicy (networking.k8s.io/v1), everywhere the analyzer reads. */
export function unknownPolicyFields(obj: Node): UnknownField[] {
  const out: UnknownField[] = [];
  walk(obj, topShape('NetworkPolicy', specShape), '', 'NetworkPolicy', out);
  return out;
}

/** Unknown and misplaced fields at the top level and in the metadata of a Namespace. */
export function unknownNamespaceFields(obj: Node): UnknownField[] {
  const out: UnknownField[] = [];
  walk(obj, topShape('Namespace', null), '', 'Namespace', out);
  return out;
}

/**
 * Unknown and misplaced fields where the analyzer reads a workload: the top level and metadata, and the pod
 * template at `templatePath` (its metadata; a Pod is its own template).
 */
export function unknownWorkloadFields(obj: Node, kind: string, template: Node | undefined, templatePath: string): UnknownField[] {
  const out: UnknownField[] = [];
  walk(obj, topShape(kind, null), '', kind, out);
  if (template && template !== obj) walk(template, podTemplateShape(), templatePath, kind, out);
  return out;
}

/** Unknown fields of a container port entry at `path`. */
export function unknownContainerPortFields(port: Node, path: string, kind: string): UnknownField[] {
  const out: UnknownField[] = [];
  walk(port, containerPortShape(), path, kind, out);
  return out;
}

/** Why a peer that sets none of podSelector, namespaceSelector and ipBlock is empty: its misplaced fields. */
export function emptyPeerHint(peer: Node, path: string): string {
  const found = Object.keys(peer).flatMap((key) => {
    const where = placement(peerShape(), key, path, peer);
    return where === undefined ? [] : [`${key}: ${where}`];
  });
  return found.map((f) => `; ${f}`).join('');
}
