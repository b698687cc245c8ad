/**
 * Connection sets (`ports.ts`): interval arithmetic at every boundary, the set operations and their shortcuts,
 * queries, and the text and JSON forms.
 */
import {
  ConnectionSet, formatIntervals, intersectIntervals, MAX_PORT, MIN_PORT, PROTOCOLS, subtractIntervals, unionIntervals,
} from '../../src/analysis';

const set = (tcp: Array<[number, number]>, udp: Array<[number, number]> = [], sctp: Array<[number, number]> = []) => ConnectionSet.fromRanges({ TCP: tcp, UDP: udp, SCTP: sctp });

describe('intervals', () => {
  test('union merges overlapping and adjacent intervals, keeps gaps', () => {
    expect(unionIntervals([1, 5], [6, 9])).toEqual([1, 9]);
    expect(unionIntervals([1, 5], [7, 9])).toEqual([1, 5, 7, 9]);
    expect(unionIntervals([7, 9], [1, 5])).toEqual([1, 5, 7, 9]);
    expect(unionIntervals([1, 10], [3, 4])).toEqual([1, 10]);
    expect(unionIntervals([3, 4], [1, 10])).toEqual([1, 10]);
    expect(unionIntervals([1, 3, 10, 12], [2, 11])).toEqual([1, 12]);
    expect(unionIntervals([1, 2, 5, 6], [3, 3])).toEqual([1, 3, 5, 6]);
    expect(unionIntervals([5, 5], [5, 5])).toEqual([5, 5]);
    // The other list itself when one is empty (no copy).
    const x = [1, 2];
    expect(unionIntervals([], x)).toBe(x);
    expect(unionIntervals(x, [])).toBe(x);
  });

  test('intersection at the boundaries', () => {
    expect(intersectIntervals([1, 5], [5, 9])).toEqual([5, 5]);
    expect(intersectIntervals([1, 5], [6, 9])).toEqual([]);
    expect(intersectIntervals([1, 10], [3, 4, 6, 12])).toEqual([3, 4, 6, 10]);
    expect(intersectIntervals([3, 4, 6, 12], [1, 10])).toEqual([3, 4, 6, 10]);
    expect(intersectIntervals([1, 3, 5, 7], [2, 6])).toEqual([2, 3, 5, 6]);
    // The other list itself when one is every port (no copy).
    const x = [80, 80, 90, 95];
    expect(intersectIntervals([MIN_PORT, MAX_PORT], x)).toBe(x);
    expect(intersectIntervals(x, [MIN_PORT, MAX_PORT])).toBe(x);
    expect(intersectIntervals([MIN_PORT, MAX_PORT - 1], [MAX_PORT - 1, MAX_PORT])).toEqual([MAX_PORT - 1, MAX_PORT - 1]);
    expect(intersectIntervals([MIN_PORT + 1, MAX_PORT], [MIN_PORT, MIN_PORT + 1])).toEqual([MIN_PORT + 1, MIN_PORT + 1]);
    expect(intersectIntervals([], [1, 2])).toEqual([]);
    expect(intersectIntervals([1, 2], [])).toEqual([]);
  });

  test('subtraction at the boundaries', () => {
    expect(subtractIntervals([1, 10], [1, 1])).toEqual([2, 10]);
    expect(subtractIntervals([1, 10], [10, 10])).toEqual([1, 9]);
    expect(subtractIntervals([1, 10], [5, 6])).toEqual([1, 4, 7, 10]);
    expect(subtractIntervals([1, 10], [0, 20])).toEqual([]);
    expect(subtractIntervals([1, 10], [11, 20])).toEqual([1, 10]);
    expect(subtractIntervals([5, 10], [1, 4])).toEqual([5, 10]);
    expect(subtractIntervals([1, 10, 20, 30], [5, 25])).toEqual([1, 4, 26, 30]);
    expect(subtractIntervals([1, 10], [2, 3, 5, 6, 9, 12])).toEqual([1, 1, 4, 4, 7, 8]);
    expect(subtractIntervals([1, 3, 8, 9], [2, 2, 4, 7])).toEqual([1, 1, 3, 3, 8, 9]);
    expect(subtractIntervals([1, 10], [5, 6, 20, 30])).toEqual([1, 4, 7, 10]);
    // `a` itself when either is empty (no copy).
    const none: number[] = [];
    const x = [1, 2];
    expect(subtractIntervals(none, [1, 2])).toBe(none);
    expect(subtractIntervals(x, [])).toBe(x);
  });

  test('text: single ports and ranges', () => {
    expect(formatIntervals([80, 80, 8080, 8090])).toBe('80,8080-8090');
    expect(formatIntervals([])).toBe('');
  });
});

describe('connection sets', () => {
  test('of, allOf and fromRanges put the ports in their protocol', () => {
    for (const p of PROTOCOLS) {
      const one = ConnectionSet.of(p, 80);
      for (const q of PROTOCOLS) expect(one.has(q, 80)).toBe(p === q);
      expect(ConnectionSet.allOf(p).toString()).toBe(`${p} 1-65535`);
    }
    expect(ConnectionSet.of('TCP', 80, 90).toString()).toBe('TCP 80-90');
    expect(ConnectionSet.fromRanges({}).isEmpty()).toBe(true);
    expect(set([[90, 100], [1, 5]], [[53, 53]], [[7, 7]]).toString()).toBe('SCTP 7,TCP 1-5,90-100,UDP 53');
  });

  test('has: inside, at both ends, outside, between intervals', () => {
    const s = set([[10, 20], [30, 40]]);
    for (const [port, want] of [[9, false], [10, true], [15, true], [20, true], [21, false], [29, false], [30, true], [40, true], [41, false]] as const) {
      expect(`${port} ${s.has('TCP', port)}`).toBe(`${port} ${want}`);
    }
    expect(s.has('UDP', 15)).toBe(false);
  });

  test('union, intersect and subtract work per protocol', () => {
    const a = set([[1, 10]], [[53, 53]]);
    const b = set([[5, 20]], [], [[9, 9]]);
    expect(a.union(b).toString()).toBe('SCTP 9,TCP 1-20,UDP 53');
    expect(b.union(a).toString()).toBe('SCTP 9,TCP 1-20,UDP 53');
    expect(a.intersect(b).toString()).toBe('TCP 5-10');
    expect(a.subtract(b).toString()).toBe('TCP 1-4,UDP 53');
    expect(b.subtract(a).toString()).toBe('SCTP 9,TCP 11-20');
    expect(set([], [[1, 5]]).intersect(set([], [[3, 9]])).toString()).toBe('UDP 3-5');
    expect(set([], [], [[1, 5]]).subtract(set([], [], [[1, 2]])).toString()).toBe('SCTP 3-5');
  });

  test('the shortcuts give the same sets as the general case', () => {
    const a = set([[1, 10]]);
    expect(a.union(ConnectionSet.NONE)).toBe(a);
    expect(ConnectionSet.NONE.union(a)).toBe(a);
    expect(a.union(ConnectionSet.ALL)).toBe(ConnectionSet.ALL);
    expect(ConnectionSet.ALL.union(a)).toBe(ConnectionSet.ALL);
    expect(a.intersect(ConnectionSet.ALL)).toBe(a);
    expect(ConnectionSet.ALL.intersect(a)).toBe(a);
    expect(a.intersect(ConnectionSet.NONE)).toBe(ConnectionSet.NONE);
    expect(ConnectionSet.NONE.intersect(a)).toBe(ConnectionSet.NONE);
    expect(a.subtract(ConnectionSet.NONE)).toBe(a);
    expect(ConnectionSet.NONE.subtract(a)).toBe(ConnectionSet.NONE);
    expect(a.subtract(a)).toBe(ConnectionSet.NONE);
    expect(ConnectionSet.allOf('TCP').union(ConnectionSet.allOf('UDP')).union(ConnectionSet.allOf('SCTP'))).toBe(ConnectionSet.ALL);
    expect(ConnectionSet.ALL.subtract(ConnectionSet.ALL)).toBe(ConnectionSet.NONE);
  });

  test('isEmpty, isAll, isSubsetOf and equals', () => {
    expect(ConnectionSet.NONE.isEmpty()).toBe(true);
    expect(set([], [[1, 1]]).isEmpty()).toBe(false);
    expect(set([], [], [[1, 1]]).isEmpty()).toBe(false);
    expect(ConnectionSet.ALL.isAll()).toBe(true);
    expect(set([[1, 65535]], [[1, 65535]], [[1, 65534]]).isAll()).toBe(false);
    expect(set([[1, 65535]], [[2, 65535]], [[1, 65535]]).isAll()).toBe(false);
    expect(set([[1, 65535]], [[1, 65535]], [[1, 65535]]).isAll()).toBe(true);
    expect(set([[5, 6]]).isSubsetOf(set([[1, 10]]))).toBe(true);
    expect(set([[5, 11]]).isSubsetOf(set([[1, 10]]))).toBe(false);
    expect(set([[1, 5]]).equals(set([[1, 3], [4, 5]]))).toBe(true);
    expect(set([[1, 5]]).equals(set([[1, 4]]))).toBe(false);
    expect(set([[1, 5]]).equals(set([[1, 5]], [[1, 1]]))).toBe(false);
    expect(set([[1, 2], [4, 5]]).equals(set([[1, 2], [4, 6]]))).toBe(false);
    expect(set([[1, 2], [4, 5]]).equals(set([[1, 2]]))).toBe(false);
    expect(set([], [], [[1, 2]]).equals(set([], [], [[1, 3]]))).toBe(false);
    expect(set([], [[1, 2]]).equals(set([], [[1, 3]]))).toBe(false);
  });

  test('text and JSON: All Connections, No Connections, protocols by name', () => {
    expect(ConnectionSet.ALL.toString()).toBe('All Connections');
    expect(ConnectionSet.NONE.toString()).toBe('No Connections');
    expect(set([[80, 80], [8080, 8090]], [[53, 53]]).toString()).toBe('TCP 80,8080-8090,UDP 53');
    expect(set([[80, 80], [8080, 8090]], [], [[7, 7]]).toJSON()).toEqual({ SCTP: [[7, 7]], TCP: [[80, 80], [8080, 8090]] });
    expect(ConnectionSet.NONE.toJSON()).toEqual({});
    expect(ConnectionSet.ALL.toJSON()).toEqual({ SCTP: [[1, 65535]], TCP: [[1, 65535]], UDP: [[1, 65535]] });
  });
});
