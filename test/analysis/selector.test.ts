/**
 * Label selectors (`selector.ts`): matching with every operator, the canonical key, the helpers the engine's
 * indexes use, and the rejection of every malformed selector, with exact messages.
 */
import { parseLabels, parseSelector, Selector } from '../../src/analysis';

const sel = (raw: unknown) => parseSelector(raw, 'sel');
const expr = (key: string, operator: string, values?: unknown[]) => sel({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

describe('matching', () => {
  test('matchLabels: every label equal', () => {
    const s = sel({ matchLabels: { app: 'web', tier: 'front' } });
    expect(s.matches({ app: 'web', tier: 'front', x: 'y' })).toBe(true);
    expect(s.matches({ app: 'web' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'back' })).toBe(false);
  });

  test('In: the label is present and one of the values', () => {
    const s = expr('tier', 'In', ['a', 'b']);
    expect(s.matches({ tier: 'a' })).toBe(true);
    expect(s.matches({ tier: 'b' })).toBe(true);
    expect(s.matches({ tier: 'c' })).toBe(false);
    expect(s.matches({})).toBe(false);
  });

  test('NotIn: the label is absent, or present with another value', () => {
    const s = expr('tier', 'NotIn', ['a', 'b']);
    expect(s.matches({})).toBe(true);
    expect(s.matches({ tier: 'c' })).toBe(true);
    expect(s.matches({ tier: 'a' })).toBe(false);
    expect(s.matches({ tier: 'b' })).toBe(false);
  });

  test('Exists and DoesNotExist, whatever the value (the empty string included)', () => {
    expect(expr('tier', 'Exists').matches({ tier: '' })).toBe(true);
    expect(expr('tier', 'Exists').matches({ other: 'x' })).toBe(false);
    expect(expr('tier', 'DoesNotExist').matches({ other: 'x' })).toBe(true);
    expect(expr('tier', 'DoesNotExist').matches({ tier: '' })).toBe(false);
  });

  test('labels named like Object members are ordinary keys', () => {
    expect(expr('constructor', 'Exists').matches({})).toBe(false);
    expect(expr('toString', 'DoesNotExist').matches({})).toBe(true);
    expect(expr('constructor', 'NotIn', ['x']).matches({})).toBe(true);
    expect(sel({ matchLabels: { hasOwnProperty: 'x' } }).matches({ hasOwnProperty: 'x' })).toBe(true);
  });

  test('every requirement must hold (matchLabels AND matchExpressions)', () => {
    const s = sel({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }, { key: 'debug', operator: 'DoesNotExist' }] });
    expect(s.matches({ app: 'web' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'db' })).toBe(false);
    expect(s.matches({ app: 'web', debug: 'true' })).toBe(false);
    expect(s.matches({ tier: 'x' })).toBe(false);
  });

  test('absent, null and {} select everything', () => {
    for (const raw of [undefined, null, {}, { matchLabels: {} }, { matchLabels: null, matchExpressions: null }, { matchExpressions: [] }]) {
      const s = sel(raw);
      expect(s).toBe(Selector.ALL);
      expect(s.isAll()).toBe(true);
      expect(s.matches({})).toBe(true);
    }
    expect(sel({ matchLabels: { a: 'b' } }).isAll()).toBe(false);
  });
});

describe('canonical form and helpers', () => {
  test('the key is equal for equivalent spellings, different otherwise', () => {
    expect(sel({ matchLabels: { a: '1' } }).key).toBe(expr('a', 'In', ['1']).key);
    expect(expr('a', 'In', ['2', '1', '2']).key).toBe(expr('a', 'In', ['1', '2']).key);
    expect(sel({ matchLabels: { a: '1', b: '2' } }).key).toBe(sel({ matchLabels: { b: '2', a: '1' } }).key);
    expect(expr('a', 'In', ['1']).key).not.toBe(expr('a', 'NotIn', ['1']).key);
    expect(expr('a', 'In', ['1', '2']).key).not.toBe(expr('a', 'In', ['12']).key);
    expect(expr('ab', 'Exists').key).not.toBe(expr('a', 'Exists').key);
    expect(Selector.ALL.key).toBe('');
    // Unambiguous whatever the values contain.
    expect(expr('a', 'In', ['1', '2']).key).not.toBe(expr('a', 'In', ['1\u00012']).key);
    expect(sel({ matchLabels: { a: '1', b: '2' } }).key).not.toBe(sel({ matchLabels: { a: '1\u0002b\u0000In\u00002' } }).key);
  });

  test('values are deduplicated and sorted', () => {
    expect(expr('a', 'In', ['b', 'a', 'b']).requirements).toEqual([{ key: 'a', operator: 'In', values: ['a', 'b'] }]);
  });

  test('pinnedValues: the values an In (or matchLabels) allows, intersected, minus what other requirements exclude', () => {
    expect(sel({ matchLabels: { n: 'a' } }).pinnedValues('n')).toEqual(['a']);
    expect(sel({ matchExpressions: [{ key: 'n', operator: 'In', values: ['a', 'b', 'c'] }, { key: 'n', operator: 'In', values: ['b', 'c', 'd'] }] }).pinnedValues('n')).toEqual(['b', 'c']);
    expect(sel({ matchExpressions: [{ key: 'n', operator: 'In', values: ['a', 'b'] }, { key: 'n', operator: 'NotIn', values: ['a'] }] }).pinnedValues('n')).toEqual(['b']);
    expect(sel({ matchExpressions: [{ key: 'n', operator: 'In', values: ['a'] }, { key: 'n', operator: 'DoesNotExist' }] }).pinnedValues('n')).toEqual([]);
    expect(sel({ matchExpressions: [{ key: 'n', operator: 'In', values: ['a'] }, { key: 'm', operator: 'NotIn', values: ['a'] }] }).pinnedValues('n')).toEqual(['a']);
    expect(expr('n', 'NotIn', ['a']).pinnedValues('n')).toBeUndefined();
    expect(expr('n', 'Exists').pinnedValues('n')).toBeUndefined();
    expect(sel({ matchLabels: { m: 'a' } }).pinnedValues('n')).toBeUndefined();
  });

  test('exactLabels: the In requirements with one value', () => {
    expect(sel({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'In', values: ['1', '2'] }, { key: 'c', operator: 'Exists' }, { key: 'd', operator: 'NotIn', values: ['1'] }] }).exactLabels())
      .toEqual({ a: '1' });
  });

  test('toString: short and readable', () => {
    expect(Selector.ALL.toString()).toBe('{}');
    expect(sel({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'NotIn', values: ['c', 'd'] },
        { key: 'debug', operator: 'Exists' }, { key: 'old', operator: 'DoesNotExist' },
      ],
    }).toString()).toBe('app=web,tier in (a,b),x notin (c,d),debug,!old');
  });
});

describe('malformed selectors are refused, naming the field and the fix', () => {
  const cases: Array<[unknown, string]> = [
    ['app=web', 'sel must be a label selector (a map)'],
    [[{ app: 'web' }], 'sel must be a label selector (a map)'],
    [{ matchLabels: ['a'] }, 'sel.matchLabels must be a map of strings'],
    [{ matchLabels: 'a' }, 'sel.matchLabels must be a map of strings'],
    [{ matchLabels: { a: { b: 1 } } }, 'sel.matchLabels.a must be a string, got {"b":1}'],
    [{ matchExpressions: { key: 'a' } }, 'sel.matchExpressions must be a list'],
    [{ matchExpressions: ['a'] }, 'sel.matchExpressions[0] must be a map with key and operator'],
    [{ matchExpressions: [null] }, 'sel.matchExpressions[0] must be a map with key and operator'],
    [{ matchExpressions: [{ operator: 'Exists' }] }, 'sel.matchExpressions[0] has no key'],
    [{ matchExpressions: [{ key: '', operator: 'Exists' }] }, 'sel.matchExpressions[0] has no key'],
    [{ matchExpressions: [{ key: 7, operator: 'Exists' }] }, 'sel.matchExpressions[0] has no key'],
    [{ matchExpressions: [{ key: 'a' }] }, 'sel.matchExpressions[0] has unknown operator undefined; use In, NotIn, Exists or DoesNotExist'],
    [{ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, 'sel.matchExpressions[0] has unknown operator "in"; use In, NotIn, Exists or DoesNotExist'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, 'sel.matchExpressions[0]: operator In needs at least one value'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, 'sel.matchExpressions[0]: operator NotIn needs at least one value'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] }, 'sel.matchExpressions[0].values must be a list'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [['x']] }] }, 'sel.matchExpressions[0].values[0] must be a string, got ["x"]'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'sel.matchExpressions[0]: operator Exists takes no values'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] }, 'sel.matchExpressions[0]: operator DoesNotExist takes no values'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Bad' }] }, 'sel.matchExpressions[1] has unknown operator "Bad"; use In, NotIn, Exists or DoesNotExist'],
  ];
  test.each(cases)('%j', (raw, message) => {
    expect(() => sel(raw)).toThrow(new Error(message));
  });

  test('null values of Exists and DoesNotExist are no values', () => {
    expect(sel({ matchExpressions: [{ key: 'a', operator: 'Exists', values: null }] }).matches({ a: 'x' })).toBe(true);
  });
});

describe('labels', () => {
  test('scalars become strings, null the empty string; absent is no label', () => {
    expect(parseLabels({ a: 'x', b: 1, c: true, d: null }, 'labels')).toEqual({ a: 'x', b: '1', c: 'true', d: '' });
    expect(parseLabels(undefined, 'labels')).toEqual({});
    expect(parseLabels(null, 'labels')).toEqual({});
    expect(sel({ matchLabels: { port: 80 } }).matches({ port: '80' })).toBe(true);
    expect(expr('a', 'In', [1, false]).requirements[0].values).toEqual(['1', 'false']);
  });

  test('a list or a string is not a labels map', () => {
    expect(() => parseLabels(['a'], 'metadata.labels')).toThrow(new Error('metadata.labels must be a map of strings'));
    expect(() => parseLabels('a=b', 'metadata.labels')).toThrow(new Error('metadata.labels must be a map of strings'));
  });
});
