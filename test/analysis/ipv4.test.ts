/**
 * IPv4 addresses, CIDRs and ranges (ipv4.ts) at their edges, for the survivors of its mutation run.
 */
import { parseCidr, parseIpv4, subtractRanges, unionRanges } from '../../src/analysis';

const r = (start: number, end: number) => ({ start, end });

test('parseIpv4: four octets and nothing around them', () => {
  expect(parseIpv4('10.1.2.3')).toBe(((10 * 256 + 1) * 256 + 2) * 256 + 3);
  expect(parseIpv4('x10.1.2.3')).toBeUndefined();
  expect(parseIpv4('10.1.2.3x')).toBeUndefined();
  expect(parseIpv4('10.1.2.256')).toBeUndefined();
});

test('parseCidr: a string a.b.c.d/n, else an exact error', () => {
  expect(parseCidr('10.0.0.0/8')).toEqual(r(0x0a000000, 0x0affffff));
  expect(() => parseCidr(5)).toThrow('CIDR must be a string, got 5');
  expect(() => parseCidr('10.0.0.0')).toThrow('CIDR mask is missing in IPv4: "10.0.0.0". Did you mean "10.0.0.0/32"?');
  expect(() => parseCidr('web')).toThrow('malformed CIDR "web": expected a.b.c.d/n');
  expect(() => parseCidr('/8')).toThrow('malformed CIDR "/8": expected a.b.c.d/n with n from 0 to 32');
});

test('subtractRanges: what lies outside the range is ignored, whatever its place', () => {
  expect(subtractRanges(r(0, 10), [r(20, 30)])).toEqual([r(0, 10)]);
  expect(subtractRanges(r(20, 30), [r(0, 10)])).toEqual([r(20, 30)]);
  expect(subtractRanges(r(0, 10), [r(3, 4), r(11, 12), r(6, 6)])).toEqual([r(0, 2), r(5, 5), r(7, 10)]);
  expect(subtractRanges(r(0, 10), [r(0, 10), r(20, 30)])).toEqual([]);
});

test('unionRanges: sorted, overlapping and adjacent ranges merged, a contained range kept inside', () => {
  expect(unionRanges([r(20, 30), r(0, 10), r(11, 12), r(25, 40), r(42, 50), r(21, 22)])).toEqual([r(0, 12), r(20, 40), r(42, 50)]);
});
