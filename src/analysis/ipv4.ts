/**
 * IPv4 addresses as unsigned 32-bit numbers, CIDR blocks and inclusive ranges.
 */

/** The highest IPv4 address as a number. */
export const MAX_IPV4 = 0xffffffff;

/** An inclusive range of IPv4 addresses, as numbers. */
export interface Ipv4Range {
  /** First address. */
  readonly start: number;
  /** Last address (inclusive). */
  readonly end: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses `a.b.c.d`; returns undefined when it is not a valid IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const m = OCTETS.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

/** Renders a number as `a.b.c.d`. */
export function formatIpv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** Renders a range as `a.b.c.d-e.f.g.h`. */
export function formatRange(r: Ipv4Range): string {
  return `${formatIpv4(r.start)}-${formatIpv4(r.end)}`;
}

/** Whether `text` looks like an IPv6 address or CIDR. */
export function isIpv6(text: string): boolean {
  return text.includes(':');
}

/**
 * Parses an IPv4 CIDR block (`10.0.0.0/8`) into its range. Host bits are ignored, as Kubernetes does.
 * Throws an Error with a suggestion when the text is not a CIDR.
 */
export function parseCidr(text: unknown): Ipv4Range {
  if (typeof text !== 'string') throw new Error(`CIDR must be a string, got ${JSON.stringify(text)}`);
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (parseIpv4(text) !== undefined) throw new Error(`CIDR mask is missing in IPv4: "${text}". Did you mean "${text}/32"?`);
    throw new Error(`malformed CIDR "${text}": expected a.b.c.d/n`);
  }
  const addr = parseIpv4(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (addr === undefined || !/^\d{1,2}$/.test(lenText) || Number(lenText) > 32) {
    throw new Error(`malformed CIDR "${text}": expected a.b.c.d/n with n from 0 to 32`);
  }
  const len = Number(lenText);
  const size = 2 ** (32 - len);
  const start = addr - (addr % size);
  return { start, end: start + size - 1 };
}

/** Subtracts sorted-or-not ranges `minus` from `r`, returning sorted disjoint ranges. */
export function subtractRanges(r: Ipv4Range, minus: readonly Ipv4Range[]): Ipv4Range[] {
  const sorted = [...minus].sort((a, b) => a.start - b.start);
  const out: Ipv4Range[] = [];
  let lo = r.start;
  for (const m of sorted) {
    if (m.end < lo || m.start > r.end) continue;
    if (m.start > lo) out.push({ start: lo, end: m.start - 1 });
    lo = Math.max(lo, m.end + 1);
    if (lo > r.end) break;
  }
  if (lo <= r.end) out.push({ start: lo, end: r.end });
  return out;
}

/** The union of IPv4 ranges as sorted, disjoint, non-adjacent ranges. */
export function unionRanges(ranges: readonly Ipv4Range[]): Ipv4Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Ipv4Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) {
      if (r.end > last.end) out[out.length - 1] = { start: last.start, end: r.end };
    } else {
      out.push(r);
    }
  }
  return out;
}
