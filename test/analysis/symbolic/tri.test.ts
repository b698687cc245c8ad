/**
 * Three-valued logic.
 */
import { and3, or3, tri, Tri } from '../../../src/analysis';

const VALUES: Tri[] = ['yes', 'no', 'maybe'];

test('and3', () => {
  expect(VALUES.map((a) => VALUES.map((b) => and3(a, b)))).toEqual([
    ['yes', 'no', 'maybe'],
    ['no', 'no', 'no'],
    ['maybe', 'no', 'maybe'],
  ]);
});

test('or3', () => {
  expect(VALUES.map((a) => VALUES.map((b) => or3(a, b)))).toEqual([
    ['yes', 'yes', 'yes'],
    ['yes', 'no', 'maybe'],
    ['yes', 'maybe', 'maybe'],
  ]);
});

test('tri: always wins over never', () => {
  expect([tri(true, false), tri(false, true), tri(false, false), tri(true, true)]).toEqual(['yes', 'no', 'maybe', 'yes']);
});
