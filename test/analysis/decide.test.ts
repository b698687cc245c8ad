/**
 * `decideSide` (tiers.ts) on its own: the decision of one side from rules whose matches and ports are given, the
 * `maybe` rules taken both ways, the trace for explain, and the work it saves (rules after everything is decided are
 * not even matched) and reports (`reached`).
 */
import { ClusterAction, ConnectionSet, decideSide, DecisionTier, Match, SideTrace, TierSide } from '../../src/analysis';

interface R { readonly tier: DecisionTier; readonly action: ClusterAction; readonly name: string; readonly match: Match; readonly conns: ConnectionSet }

const TCP = (from: number, to = from) => ConnectionSet.of('TCP', from, to);
const rule = (tier: DecisionTier, action: ClusterAction, name: string, match: Match = 'yes', conns = ConnectionSet.ALL): R => ({ tier, action, name, match, conns });
const admin = (action: ClusterAction, name: string, match?: Match, conns?: ConnectionSet) => rule('Admin', action, name, match, conns);
const np = (name: string, match?: Match, conns?: ConnectionSet) => rule('NetworkPolicy', 'Allow', name, match, conns);
const baseline = (action: ClusterAction, name: string, match?: Match, conns?: ConnectionSet) => rule('Baseline', action, name, match, conns);
const side = (s: Partial<TierSide<R>>): TierSide<R> => ({ admin: [], npIsolated: false, np: [], baseline: [], ...s });

/** Decides, counting the rules matched and collecting those reached; with `trace`, keeps the trace. */
function run(s: TierSide<R>, trace = false) {
  const matched: string[] = [];
  const reached: string[] = [];
  let t: SideTrace<R> | undefined;
  const allowed = decideSide(s, (r) => { matched.push(r.name); return r.match; }, (r) => r.conns, {
    reached: (r) => reached.push(r.name),
    ...(trace ? { trace: (x: SideTrace<R>) => { t = x; } } : {}),
  });
  return { allowed: allowed.toString(), matched, reached, trace: t };
}

describe('the decision', () => {
  test('no rule: the default allows everything', () => {
    expect(run(side({})).allowed).toBe('All Connections');
  });

  test('Admin Allow and Deny decide what they cover; the rest goes on', () => {
    expect(run(side({ admin: [admin('Deny', 'd', 'yes', TCP(80)), admin('Allow', 'a', 'yes', TCP(80, 81))], npIsolated: true })).allowed).toBe('TCP 81');
  });

  test('a maybe Allow allows; a maybe Deny denies nothing; a maybe Pass both passes and goes on', () => {
    expect(run(side({ admin: [admin('Allow', 'a', 'maybe', TCP(80)), admin('Deny', 'd')] })).allowed).toBe('TCP 80');
    expect(run(side({ admin: [admin('Deny', 'd', 'maybe', TCP(80))], npIsolated: true, np: [np('n', 'yes', TCP(80))] })).allowed).toBe('TCP 80');
    expect(run(side({ admin: [admin('Pass', 'p', 'maybe', TCP(80)), admin('Deny', 'd')] })).allowed).toBe('TCP 80');
    expect(run(side({ admin: [admin('Pass', 'p', 'yes', TCP(80)), admin('Allow', 'a')], npIsolated: true })).allowed).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  });

  test('NetworkPolicy rules add up, maybe counting as a match, over what the Admin tier hands on', () => {
    expect(run(side({ admin: [admin('Deny', 'd', 'yes', TCP(80))], npIsolated: true, np: [np('x', 'yes', TCP(79, 80)), np('y', 'maybe', TCP(81)), np('z', 'no', TCP(82))] })).allowed).toBe('TCP 79,81');
  });

  test('the Baseline tier after an Admin Pass, when no NetworkPolicy isolates; its Pass goes to the default', () => {
    expect(run(side({ admin: [admin('Pass', 'p')], baseline: [baseline('Deny', 'd', 'yes', TCP(80))] })).allowed).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    expect(run(side({ baseline: [baseline('Pass', 'p', 'yes', TCP(80)), baseline('Deny', 'd')] })).allowed).toBe('TCP 80');
    expect(run(side({ baseline: [baseline('Pass', 'p', 'maybe', TCP(80)), baseline('Deny', 'd')] })).allowed).toBe('TCP 80');
    expect(run(side({ baseline: [baseline('Allow', 'a', 'yes', TCP(80)), baseline('Deny', 'd')] })).allowed).toBe('TCP 80');
  });
});

describe('the work saved, and reported', () => {
  test('rules after everything is decided are not matched (but are, to trace them)', () => {
    const s = side({ admin: [admin('Deny', 'all'), admin('Allow', 'late')], baseline: [baseline('Allow', 'b')] });
    expect(run(s).matched).toEqual(['all']);
    expect(run(s, true).matched).toEqual(['all', 'late', 'b']);
  });

  test('NetworkPolicy rules are not matched when nothing reaches the tier (but are, to trace them)', () => {
    const s = side({ admin: [admin('Allow', 'all')], npIsolated: true, np: [np('n')] });
    expect(run(s).matched).toEqual(['all']);
    expect(run(s, true).matched).toEqual(['all', 'n']);
  });

  test('reached: the rules met while something is undecided (or reaches the NetworkPolicy tier), tracing or not', () => {
    const cases: Array<TierSide<R>> = [
      side({ admin: [admin('Deny', 'd', 'yes', TCP(80)), admin('Deny', 'all'), admin('Allow', 'late')], baseline: [baseline('Allow', 'b')] }),
      side({ admin: [admin('Allow', 'all')], npIsolated: true, np: [np('n')] }),
      side({ admin: [admin('Pass', 'p', 'yes', TCP(80))], npIsolated: true, np: [np('n')] }),
    ];
    const want = [['d', 'all'], ['all'], ['p', 'n']];
    cases.forEach((s, i) => {
      expect(run(s).reached).toEqual(want[i]);
      expect(run(s, true).reached).toEqual(want[i]);
    });
  });
});

describe('the trace', () => {
  test('isolated by a NetworkPolicy: what the Admin tier hands on, what the NetworkPolicies allow; no Baseline', () => {
    const t = run(side({ admin: [admin('Deny', 'd', 'yes', TCP(80)), admin('Allow', 'a', 'yes', TCP(81))], npIsolated: true, np: [np('n', 'yes', TCP(80, 82))], baseline: [baseline('Allow', 'b')] }), true).trace!;
    expect(t.npIsolated).toBe(true);
    expect(t.admin.map((o) => [o.rule.name, o.applied.toString()])).toEqual([['d', 'TCP 80'], ['a', 'TCP 81']]);
    expect(t.adminAllowed.toString()).toBe('TCP 81');
    expect(t.toNetworkPolicy.toString()).toBe('SCTP 1-65535,TCP 1-79,82-65535,UDP 1-65535');
    expect(t.np.map((o) => [o.rule.name, o.match, o.connections.toString(), o.applied.toString()])).toEqual([['n', 'yes', 'TCP 80-82', 'TCP 82']]);
    expect(t.npAllowed.toString()).toBe('TCP 82');
    expect([t.toBaseline, t.baselineAllowed, t.toDefault].map(String)).toEqual(['No Connections', 'No Connections', 'No Connections']);
    expect(t.baseline).toEqual([]);
    expect(t.allowed.toString()).toBe('TCP 81-82');
  });

  test('not isolated: the Baseline tier, and the default', () => {
    const t = run(side({ admin: [admin('Pass', 'p', 'yes', TCP(80)), admin('Deny', 'd', 'no')], np: [np('ignored')], baseline: [baseline('Allow', 'b', 'yes', TCP(80)), baseline('Deny', 'x', 'yes', TCP(81))] }), true).trace!;
    expect(t.npIsolated).toBe(false);
    expect(t.admin.map((o) => [o.rule.name, o.match, o.connections.toString()])).toEqual([['p', 'yes', 'TCP 80'], ['d', 'no', 'No Connections']]);
    expect(t.np).toEqual([]);
    expect(t.npAllowed.toString()).toBe('No Connections');
    expect(t.toBaseline.toString()).toBe('All Connections');
    expect(t.baseline.map((o) => [o.rule.name, o.applied.toString()])).toEqual([['b', 'TCP 80'], ['x', 'TCP 81']]);
    expect(t.baselineAllowed.toString()).toBe('TCP 80');
    expect(t.toDefault.toString()).toBe('SCTP 1-65535,TCP 1-79,82-65535,UDP 1-65535');
    expect(t.allowed.toString()).toBe('SCTP 1-65535,TCP 1-80,82-65535,UDP 1-65535');
  });
});
