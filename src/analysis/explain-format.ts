/**
 * The text of an explanation (`tenancy explain`): for each side, the tiers in order, each rule with what it
 * decides, what each tier passes on, and for a port, the rule that decides it on each side.
 */
import type { Explanation, RuleVerdict, SideExplanation } from './explain';
import { ConnectionSet, Protocol } from './ports';

function ruleLine(r: RuleVerdict): string {
  const head = r.tier === 'NetworkPolicy' ? `${r.rule}: ${r.reason}` : `${r.ruleName} ${r.action}: ${r.reason}`;
  if (!r.peerMatches) return head;
  if (r.connections.isEmpty()) return `${head}; but its ports admit nothing here (a named port the destination does not declare)`;
  if (r.applied.isEmpty()) return `${head}; decides nothing (${r.tier === 'NetworkPolicy' ? 'its ports cover nothing that reached the tier' : 'what its ports cover was decided before'})`;
  const c = r.applied.toString();
  if (r.tier === 'NetworkPolicy' || r.action === 'Allow' || r.action === 'Accept') return `${head}; ${r.match === 'maybe' ? 'assumed to allow' : 'allows'} ${c}`;
  if (r.action === 'Deny') return r.match === 'yes' ? `${head}; denies ${c}` : `${head}; assumed not to match, so it denies nothing (${c} goes on)`;
  return r.match === 'yes'
    ? `${head}; passes ${c} on to the next tier`
    : `${head}; passes ${c} on to the next tier, and, assumed not to match, also goes on in this tier`;
}

/** The rules of a cluster tier, under the policy each belongs to. */
function clusterRuleLines(rules: readonly RuleVerdict[]): string[] {
  const lines: string[] = [];
  let policy: string | undefined;
  for (const r of rules) {
    if (r.policy !== policy) lines.push(`    ${policy = r.policy}:`);
    lines.push(`      ${ruleLine(r)}`);
  }
  return lines;
}

function formatSide(s: SideExplanation): string[] {
  const head = `${s.direction} ${s.direction === 'egress' ? 'from' : 'to'} ${s.endpoint.id}`;
  if (!s.governed) return [`${head}: ${s.endpoint.kind === 'Domain' ? 'a domain\'s addresses' : 'external'}, not governed by network policies: All Connections`];
  const types = s.direction === 'egress' ? 'Egress' : 'Ingress';
  const lines = [`${head}:`];
  // Admin tier.
  if (s.adminPolicies.length === 0) {
    lines.push(`  Admin tier: no policy with ${s.direction} rules selects it; passes on ${s.toNetworkPolicy.toString()}`);
  } else {
    lines.push('  Admin tier:', ...clusterRuleLines(s.admin));
    lines.push(`    Admin tier allows ${s.adminAllowed.toString()}; passes on ${s.toNetworkPolicy.toString()}`);
  }
  // NetworkPolicy tier.
  if (s.policies.length === 0) {
    lines.push(`  NetworkPolicy tier: not isolated (no NetworkPolicy with ${types} in policyTypes selects it); passes on ${s.toNetworkPolicy.toString()}`);
  } else if (s.toNetworkPolicy.isEmpty()) {
    lines.push(`  NetworkPolicy tier: isolated by ${s.policies.join(', ')}, but not reached (the Admin tier decided everything)`);
  } else {
    lines.push(`  NetworkPolicy tier: isolated by ${s.policies.join(', ')}`);
    const withRules = new Set(s.rules.map((r) => r.rule.split(' ')[0]));
    for (const p of s.policies) if (!withRules.has(p)) lines.push(`    ${p}: no ${s.direction} rules (admits nothing)`);
    for (const r of s.rules) lines.push(`    ${ruleLine(r)}`);
    const rest = s.toNetworkPolicy.subtract(s.npAllowed).isEmpty() ? '' : ', and denies the rest';
    lines.push(`    NetworkPolicy tier allows ${s.npAllowed.toString()} of what it receives (${s.toNetworkPolicy.toString()})${rest}`);
  }
  // Baseline tier.
  const baselineNames = s.baselinePolicies.join(', ');
  if (s.policies.length > 0) {
    lines.push(`  Baseline tier: ${baselineNames ? `${baselineNames} ${s.baselinePolicies.length > 1 ? 'select' : 'selects'} it, but it is ` : ''}not reached (a NetworkPolicy isolates it)`);
  } else if (s.baselinePolicies.length === 0) {
    lines.push(`  Baseline tier: no policy with ${s.direction} rules selects it; passes on ${s.toBaseline.toString()}`);
  } else if (s.toBaseline.isEmpty()) {
    lines.push(`  Baseline tier: ${baselineNames}, but not reached (the Admin tier decided everything)`);
  } else {
    lines.push('  Baseline tier:', ...clusterRuleLines(s.baseline));
    lines.push(`    Baseline tier allows ${s.baselineAllowed.toString()}; passes on ${s.toDefault.toString()}`);
  }
  if (!s.toDefault.isEmpty()) lines.push(`  default (no tier decides it): allows ${s.toDefault.toString()}`);
  lines.push(`  allowed: ${s.allowed.toString()}`);
  return lines;
}

const TIER_OF = (r: RuleVerdict) => (r.tier === 'NetworkPolicy' ? 'NetworkPolicy tier' : `${r.tier} tier, ${r.action}`);
const ASSUMING = (r: RuleVerdict) => (r.match === 'maybe' ? ', assuming its peer matches' : '');

/** Which rule decides `port` on one side, in words. */
export function sideVerdict(s: SideExplanation, protocol: Protocol, port: number): string {
  if (!s.governed) return 'not governed';
  const has = (c: ConnectionSet) => c.has(protocol, port);
  const allows = (r: RuleVerdict) => has(r.applied) && (r.tier === 'NetworkPolicy' || r.action === 'Allow' || r.action === 'Accept');
  if (has(s.allowed)) {
    const adminAllow = s.admin.find(allows);
    if (adminAllow) return `allowed by ${adminAllow.rule} (${TIER_OF(adminAllow)}${ASSUMING(adminAllow)})`;
    const pass = s.admin.find((r) => r.action === 'Pass' && has(r.applied));
    const passed = pass ? `passed on by ${pass.rule} (Admin tier, Pass${ASSUMING(pass)}), then ` : '';
    const by = [...s.rules, ...s.baseline].find(allows);
    if (by) return `${passed}allowed by ${by.rule} (${TIER_OF(by)}${ASSUMING(by)})`;
    const basePass = s.baseline.find((r) => r.action === 'Pass' && has(r.applied));
    if (basePass) return `${passed}passed by ${basePass.rule} (Baseline tier, Pass${ASSUMING(basePass)}) to the default, which allows it`;
    return `${passed}allowed by default (no tier decides it)`;
  }
  const deny = (r: RuleVerdict) => r.action === 'Deny' && r.match === 'yes' && has(r.applied);
  const baseDeny = s.baseline.find(deny);
  const lower = s.policies.length > 0
    ? `denied by the NetworkPolicy tier (isolated by ${s.policies.join(', ')}; no rule allows it)`
    : baseDeny ? `denied by ${baseDeny.rule} (Baseline tier, Deny)` : 'denied';
  const adminDeny = s.admin.find(deny);
  const pass = s.admin.find((r) => r.action === 'Pass' && has(r.applied));
  const passed = pass ? `${pass.rule} (Admin tier, Pass${ASSUMING(pass)})` : '';
  if (adminDeny) {
    const denied = `denied by ${adminDeny.rule} (Admin tier, Deny)`;
    return pass ? `${denied}; where ${passed} passes it on, ${lower}` : denied;
  }
  return pass ? `passed on by ${passed}, then ${lower}` : lower;
}

/** Renders an explanation as text lines. */
export function formatExplanation(e: Explanation): string {
  const lines = [`from ${e.from.id} to ${e.to.id}`, ...formatSide(e.egress), ...formatSide(e.ingress)];
  if (e.from.id === e.to.id) lines.push('result: No Connections (a workload is never reported to itself)');
  else lines.push(`result: ${e.allowed.toString()}`);
  if (e.port) {
    const { protocol, port } = e.port;
    const verdict = e.allowed.has(protocol, port) ? 'allowed' : 'denied';
    const sides = [e.egress, e.ingress].filter((s) => s.governed).map((s) => `${s.direction}: ${sideVerdict(s, protocol, port)}`);
    lines.push(`port ${port}/${protocol}: ${verdict}${sides.length ? ` (${sides.join('; ')})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
