/**
 * Validation of the names and values that end up in Kubernetes objects.
 *
 * Every check throws at once with a message that says what is wrong and how to fix it,
 * prefixed with the construct path when one is given.
 */

import { parseCidr } from './guard';

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Builds an error message prefixed with the construct path, the way cdk8s reports validation errors. */
export function errorAt(path: string | undefined, message: string): Error {
  return new Error(path ? `[${path}] ${message}` : message);
}

/**
 * Checks an RFC 1123 label (namespace names, Service names, container names).
 * @param what what the value names, for the message (`tenant name`)
 */
export function validateRfc1123Label(value: string, what: string, path?: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw errorAt(path, `${what} must not be empty. Use lower-case letters, digits and '-', e.g. "customer1".`);
  }
  if (value.length > 63) {
    throw errorAt(path, `${what} "${value}" is ${value.length} characters long; the limit is 63 (RFC 1123 label). Use a shorter name.`);
  }
  if (!RFC1123_LABEL.test(value)) {
    const suggestion = value.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
    const hint = suggestion && RFC1123_LABEL.test(suggestion) ? ` Did you mean "${suggestion}"?` : '';
    throw errorAt(path, `${what} "${value}" is not a valid RFC 1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit.${hint}`);
  }
}

/** Checks a DNS subdomain (RFC 1123), as used by most object names. */
export function validateDnsSubdomain(value: string, what: string, path?: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw errorAt(path, `${what} "${value}" is not a valid DNS subdomain (RFC 1123): lower-case letters, digits, '-' and '.', at most 253 characters.`);
  }
}

/** Checks a label key (`prefix/name`) and value, as the API server does. */
export function validateLabel(key: string, value: string, path?: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    validateDnsSubdomain(prefix, `label key prefix of "${key}"`, path);
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    throw errorAt(path, `label key "${key}" is invalid: the name part must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit.`);
  }
  if (typeof value !== 'string') {
    throw errorAt(path, `label "${key}" must have a string value, got ${JSON.stringify(value)}. Quote it, e.g. "${String(value)}".`);
  }
  if (value.length > 63 || (value.length > 0 && !LABEL_NAME.test(value))) {
    throw errorAt(path, `label value "${value}" of "${key}" is invalid: at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit.`);
  }
}

/** Checks every label of a map. */
export function validateLabels(labels: Record<string, string>, path?: string): void {
  for (const [k, v] of Object.entries(labels)) {
    validateLabel(k, v, path);
  }
}

/**
 * Checks that a label selector selects something specific: an empty selector would
 * select every pod of the namespace, which is never what a link or a peer means by accident.
 */
export function validateSelector(labels: Record<string, string>, what: string, path?: string): void {
  if (!labels || Object.keys(labels).length === 0) {
    throw errorAt(path, `${what} is an empty label selector, which would select every pod of the namespace. Give at least one label, e.g. { app: 'webapp' }.`);
  }
  validateLabels(labels, path);
}

/** Checks a TCP/UDP/SCTP port number. */
export function validatePort(port: number, what: string, path?: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw errorAt(path, `${what} ${port} is out of range: a port is a whole number from 1 to 65535.`);
  }
}

/** Checks an IANA service name, as used by named container ports (`http`, `metrics`). */
export function validatePortName(name: string, what: string, path?: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    throw errorAt(path, `${what} "${name}" is not a valid port name (IANA service name): 1-15 lower-case letters, digits and '-', with at least one letter and no "--".`);
  }
}

/** Parses and checks an IPv4 CIDR, returning it normalized. */
export function validateIpv4Cidr(cidr: string, what: string, path?: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr ?? '');
  if (!m) {
    throw errorAt(path, `${what} "${cidr}" is not an IPv4 CIDR such as "10.0.0.0/8".`);
  }
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) {
    throw errorAt(path, `${what} "${cidr}" has an octet above 255.`);
  }
  if (m[5] === undefined) {
    throw errorAt(path, `CIDR mask is missing in ${what} "${cidr}". Did you mean "${cidr}/32"?`);
  }
  const bits = Number(m[5]);
  if (bits > 32) {
    throw errorAt(path, `${what} "${cidr}" has a prefix length above 32.`);
  }
  const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  if ((addr & ~mask) >>> 0 !== 0) {
    const net = (addr & mask) >>> 0;
    const fixed = [net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.');
    throw errorAt(path, `${what} "${cidr}" has host bits set. Did you mean "${fixed}/${bits}"?`);
  }
  return cidr;
}

/** Whether CIDR block `inner` lies inside `outer` (both already validated). */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  return i.start >= o.start && i.end <= o.end;
}

/** Runs `fn`, prefixing the construct path to any error that does not name one yet. */
export function withPath<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith('[')) {
      e.message = `[${path}] ${e.message}`;
    }
    throw e;
  }
}
