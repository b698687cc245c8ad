/**
 * Readers of the fields of cluster-wide policies, following the CRDs' OpenAPI schemas as the API server applies
 * them: unknown fields are dropped (pruned) with a warning, `null` counts as unset, and what the schema (or a CEL
 * rule) rejects throws an Error naming the field and the fix. Used by `parse-cluster-policy.ts`.
 */
import { isIPv6 } from 'net';
import { Diagnostic } from './model';
import { SourceLocation } from './errors';
import { Ipv4Range, parseCidr } from './ipv4';
import { parseSelector, Selector } from './selector';

/** What the readers need to report a warning: where, and how to name the policy. */
export interface FieldContext {
  /** Where the object was read from. */
  readonly location: SourceLocation;
  /** `AdminNetworkPolicy name`: the prefix of every message. */
  readonly subject: string;
  /** Warnings found so far. */
  readonly warnings: Diagnostic[];
}

/** Whether a field is set: the API server drops `null` values of fields that are not nullable. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * `raw` as a map whose keys are among `allowed`. Other keys are dropped with a warning: the API server prunes
 * fields its schema does not list (and rejects the object under strict field validation, kubectl's default).
 */
export function fields(ctx: FieldContext, raw: unknown, what: string, allowed: readonly string[], desc: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${what} must be a map`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (allowed.includes(k)) {
      out[k] = v;
    } else {
      ctx.warnings.push({
        location: ctx.location,
        message: `${ctx.subject}: ${what === '' ? '' : `${what}.`}${k} is not a field of ${desc} (its fields: ${allowed.join(', ')}), `
          + 'so the API server drops it (or rejects the object, with strict field validation); the analysis ignores it too. Remove it or fix its name',
      });
    }
  }
  return out;
}

/**
 * The one key of `r` among `options` that is set; throws when none or several are ("Exactly one field must be
 * set"). `raw` (before unknown fields were dropped) lets the message name a field that is not allowed here.
 */
export function oneOf(r: Record<string, unknown>, what: string, options: readonly string[], raw?: unknown): string {
  const set = options.filter((o) => isSet(r[o]));
  if (set.length === 1) return set[0];
  let found = `it sets ${set.join(' and ')}`;
  if (set.length === 0) {
    const other = raw && typeof raw === 'object' ? Object.keys(raw).filter((k) => !options.includes(k)) : [];
    found = other.length > 0 ? `it sets none (${other.join(', ')} cannot be used here)` : 'it sets none (a null value counts as unset)';
  }
  throw new Error(`${what} must set exactly one of ${orList(options)}; ${found}`);
}

/** The bounds of a list (`minItems`, `maxItems`) and how messages describe them. */
export interface ListBounds {
  /** `minItems` (0 or 1). */
  readonly min: number;
  /** `maxItems`. */
  readonly max: number;
  /** What an item is: `rule`, `peer`, `CIDR`. */
  readonly unit: string;
  /** What has the limit: `a ClusterNetworkPolicy`. */
  readonly limitBy: string;
  /** The fix for an empty list. */
  readonly empty?: string;
  /** The fix for a list that is too long. */
  readonly tooMany: string;
}

/** `raw` as a list within `bounds`; throws naming `what`, the bound and the fix otherwise. */
export function list(raw: unknown, what: string, bounds: ListBounds): unknown[] {
  if (!Array.isArray(raw)) throw new Error(`${what} must be a list`);
  if (raw.length < bounds.min) throw new Error(`${what} must list at least one ${bounds.unit}: the API rejects an empty list; ${bounds.empty}`);
  if (raw.length > bounds.max) {
    throw new Error(`${what} lists ${raw.length} ${bounds.unit}s; ${bounds.limitBy} allows at most ${bounds.max}: ${bounds.tooMany}`);
  }
  return raw;
}

/** A list of strings without duplicates (`x-kubernetes-list-type: set`). */
export function stringSet(items: readonly unknown[], what: string): string[] {
  const seen = new Set<string>();
  return items.map((v, i) => {
    if (typeof v !== 'string') throw new Error(`${what}[${i}] must be a string, got ${JSON.stringify(v)}`);
    if (seen.has(v)) throw new Error(`${what}[${i}] ${JSON.stringify(v)} is listed twice: the list is a set, and the API rejects duplicates; remove one`);
    seen.add(v);
    return v;
  });
}

/** An integer in `min`..`max`; `hint` says what the value means. */
export function integer(v: unknown, what: string, min: number, max: number, hint = ''): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${what} must be an integer from ${min} to ${max}${hint}, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw new Error(`${what} ${v} is out of range: use an integer from ${min} to ${max}${hint}`);
  return v;
}

/** A label selector; unknown fields (e.g. `matchLabel`) are dropped with a warning, as the API server does. */
export function selector(ctx: FieldContext, raw: unknown, what: string): Selector {
  const r = fields(ctx, raw, what, ['matchLabels', 'matchExpressions'], 'a label selector');
  if (Array.isArray(r.matchExpressions)) {
    r.matchExpressions = r.matchExpressions.map((e, i) => (typeof e === 'object' && e !== null && !Array.isArray(e)
      ? fields(ctx, e, `${what}.matchExpressions[${i}]`, ['key', 'operator', 'values'], 'a label selector requirement')
      : e));
  }
  return parseSelector(r, what);
}

/** The `pattern` of a domain name in the v1alpha2 CRD (copied verbatim, `A-z` included). */
// eslint-disable-next-line no-useless-escape
export const DOMAIN_NAME_PATTERN = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** The longest CIDR the CRDs accept (`maxLength: 43`). */
export const MAX_CIDR_LENGTH = 43;

/**
 * Validates one `networks` entry as the CRD's CEL rule `isCIDR(self)` does (an IPv4 or IPv6 prefix, without
 * leading zeros, zone or IPv4-mapped form; host bits allowed) and returns its IPv4 range, or undefined for IPv6.
 */
export function cidr(v: string, what: string): Ipv4Range | undefined {
  const bad = (why: string) => new Error(`${what} ${JSON.stringify(v)} is not a valid CIDR (the API says "Invalid CIDR format provided"): ${why}`);
  if (v.length > MAX_CIDR_LENGTH) throw bad(`longer than ${MAX_CIDR_LENGTH} characters`);
  const slash = v.indexOf('/');
  if (v.includes(':')) {
    const addr = slash < 0 ? v : v.slice(0, slash);
    const len = slash < 0 ? '' : v.slice(slash + 1);
    if (!isIPv6(addr) || addr.includes('%') || addr.includes('.') || !/^(0|[1-9]\d{0,2})$/.test(len) || Number(len) > 128) {
      throw bad('expected an IPv6 prefix like "fd00::/8" (prefix length from 0 to 128)');
    }
    return undefined;
  }
  if (slash >= 0 && /(^|\.)0\d/.test(v.slice(0, slash))) throw bad('an octet has a leading zero');
  if (slash >= 0 && /^0\d/.test(v.slice(slash + 1))) throw bad('the prefix length has a leading zero');
  try {
    return parseCidr(v);
  } catch (e) {
    throw bad((e as Error).message);
  }
}

