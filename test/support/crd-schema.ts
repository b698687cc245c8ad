/**
 * A small validator of objects against a CustomResourceDefinition's `openAPIV3Schema`, for
 * tests: the structural subset the API server applies (types, required fields, enums,
 * bounds, patterns) and, like its pruning, unknown fields rejected where the schema lists
 * `properties` without `additionalProperties` or `x-kubernetes-preserve-unknown-fields`.
 * Defaults are applied before `required` is checked, as the API server does, and duplicates are
 * rejected in `x-kubernetes-list-type: set` lists. CEL rules (`x-kubernetes-validations`) are
 * evaluated for the rules of the network-policy-api CRDs (`CEL_RULES`, written by hand); any other
 * rule is reported as not evaluated, so it can never pass unnoticed.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as yaml from 'js-yaml';

/** A loaded CRD version: what a manifest is checked against. */
export interface CrdSchema {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly scope: string;
  readonly schema: any;
}

/** Loads a CRD file and returns the schema of one served version (the storage version by default). */
export function loadCrd(file: string, version?: string): CrdSchema {
  const crd = yaml.load(fs.readFileSync(file, 'utf8')) as any;
  const versions: any[] = crd.spec.versions;
  const v = version ? versions.find((x) => x.name === version) : versions.find((x) => x.storage);
  if (!v) throw new Error(`${file}: no version ${version ?? '(storage)'}`);
  return { group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, scope: crd.spec.scope, schema: v.schema.openAPIV3Schema };
}

/** Validates a manifest against a CRD; returns one message per problem (`path: message`). */
export function validateAgainstCrd(obj: any, crd: CrdSchema): string[] {
  const errors: string[] = [];
  if (obj?.apiVersion !== `${crd.group}/${crd.version}`) errors.push(`apiVersion: expected "${crd.group}/${crd.version}", got ${JSON.stringify(obj?.apiVersion)}`);
  if (obj?.kind !== crd.kind) errors.push(`kind: expected "${crd.kind}", got ${JSON.stringify(obj?.kind)}`);
  if (crd.scope === 'Cluster' && obj?.metadata?.namespace !== undefined) errors.push('metadata.namespace: must not be set on a cluster-scoped object');
  if (crd.scope === 'Namespaced' && !obj?.metadata?.namespace) errors.push('metadata.namespace: required on a namespaced object');
  if (typeof obj?.metadata?.name !== 'string' || obj.metadata.name === '') errors.push('metadata.name: required');
  check(obj, crd.schema, '', errors, true);
  return errors;
}

/** `isCIDR` of the Kubernetes CEL library: an IPv4 or IPv6 prefix (no leading zeros, no zone, no IPv4-mapped form). */
function isCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(v);
  if (!m) return false;
  const bits = Number(m[2]);
  if (net.isIPv4(m[1])) return bits <= 32;
  return net.isIPv6(m[1]) && !m[1].includes('%') && !m[1].includes('.') && bits <= 128;
}

const has = (o: any, k: string) => o !== null && typeof o === 'object' && o[k] !== undefined && o[k] !== null;

/** The CEL rules of the network-policy-api CRDs (whitespace-normalized text), by hand; `self` is the object the rule is on. */
export const CEL_RULES: Record<string, (self: any) => boolean> = {
  "self.metadata.name == 'default'": (self) => self?.metadata?.name === 'default',
  'isCIDR(self)': isCidr,
  'self.start < self.end': (self) => self.start < self.end,
  '!(self.to.exists(peer, has(peer.networks) || has(peer.nodes) || has(peer.domainNames)) && has(self.protocols) && self.protocols.exists(protocol, has(protocol.destinationNamedPort)))':
    (self) => !((self.to ?? []).some((p: any) => has(p, 'networks') || has(p, 'nodes') || has(p, 'domainNames'))
      && has(self, 'protocols') && self.protocols.some((x: any) => has(x, 'destinationNamedPort'))),
};

function checkCel(v: any, s: any, at: string, errors: string[]): void {
  for (const r of s['x-kubernetes-validations'] ?? []) {
    const rule = String(r.rule).replace(/\s+/g, ' ').trim();
    const fn = CEL_RULES[rule];
    if (!fn) errors.push(`${at}: CEL rule not evaluated by this checker: ${rule}`);
    else if (!fn(v)) errors.push(`${at}: ${String(r.message).replace(/\s+/g, ' ')}`);
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function check(v: any, s: any, path: string, errors: string[], top = false): void {
  const at = path || '<root>';
  if (s === undefined) return;
  if (s['x-kubernetes-int-or-string']) {
    if (!['integer', 'string'].includes(typeOf(v))) errors.push(`${at}: expected integer or string, got ${typeOf(v)}`);
    return;
  }
  if (s.type) {
    const t = typeOf(v);
    const ok = t === s.type || (s.type === 'number' && t === 'integer');
    if (!ok) {
      errors.push(`${at}: expected ${s.type}, got ${t}`);
      return;
    }
  }
  if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} is not one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`);
  if (typeof v === 'string') {
    if (s.maxLength !== undefined && v.length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
    if (s.minLength !== undefined && v.length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`);
    if (s.pattern && !new RegExp(s.pattern).test(v)) errors.push(`${at}: does not match ${s.pattern}`);
  }
  if (typeof v === 'number') {
    if (s.maximum !== undefined && v > s.maximum) errors.push(`${at}: above ${s.maximum}`);
    if (s.minimum !== undefined && v < s.minimum) errors.push(`${at}: below ${s.minimum}`);
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`);
    if (s.minItems !== undefined && v.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`);
    if (s['x-kubernetes-list-type'] === 'set' && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errors.push(`${at}: duplicate items in a set`);
    v.forEach((item, i) => check(item, s.items, `${path}[${i}]`, errors));
    checkCel(v, s, at, errors);
    return;
  }
  if (v && typeof v === 'object') {
    const withDefaults = { ...v };
    for (const [k, ps] of Object.entries<any>(s.properties ?? {})) if (!(k in v) && ps.default !== undefined) withDefaults[k] = ps.default;
    v = withDefaults;
    const keys = Object.keys(v);
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) errors.push(`${at}: more than ${s.maxProperties} properties`);
    if (s.minProperties !== undefined && keys.length < s.minProperties) errors.push(`${at}: fewer than ${s.minProperties} properties`);
    for (const r of s.required ?? []) {
      if (!(r in v)) errors.push(`${path ? path + '.' : ''}${r}: required`);
    }
    const props = s.properties ?? {};
    for (const k of keys) {
      const child = `${path ? path + '.' : ''}${k}`;
      if (k in props) {
        // metadata is `type: object` without properties in CRDs: the API server validates it itself.
        if (top && k === 'metadata') continue;
        check(v[k], props[k], child, errors);
      } else if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
        if (typeof s.additionalProperties === 'object') check(v[k], s.additionalProperties, child, errors);
      } else if (!s['x-kubernetes-preserve-unknown-fields'] && (s.properties || s.additionalProperties === false)) {
        errors.push(`${child}: unknown field`);
      }
    }
  }
  checkCel(v, s, at, errors);
}
