/**
 * Reading the cluster-wide policies of an input as a whole: the BaselineAdminNetworkPolicy singleton, the
 * evaluation order (`compareClusterPolicies`), and warnings for what the analysis cannot know offline (`nodes`,
 * `domainNames`, IPv6 `networks`) and for orders the API leaves to the network plugin (same priority, or a
 * v1alpha1 and a v1alpha2 policy of one tier, whose subjects may select the same pods).
 */
import { subjectsMayOverlap } from './cluster-match';
import {
  apiOf, CLUSTER_POLICY_API_VERSIONS, ClusterPolicy, ClusterRule, compareClusterPolicies, describeClusterPolicy,
  isClusterPolicyKind, TIERS,
} from './cluster-policy';
import { AnalysisInputError, describeLocation } from './errors';
import { loc } from './fields';
import { Diagnostic, LoadedObject, NAMESPACE_NAME_LABEL } from './model';
import { parseClusterPolicy } from './parse-cluster-policy';

/** What `ClusterPolicyReader.finish` returns, for `buildModel` to put in the model. */
export interface ClusterPolicies {
  /** The policies in evaluation order (see `compareClusterPolicies`). */
  readonly policies: readonly ClusterPolicy[];
  /** Warnings: dropped fields, peers the analysis cannot evaluate offline, orders the API leaves open. */
  readonly warnings: readonly Diagnostic[];
  /** Notes about objects of these kinds that were not read (another apiVersion). */
  readonly notes: readonly string[];
}

/**
 * Collects the cluster-wide policies of an input, one object at a time (`add`, which throws AnalysisInputError on
 * an object the API would reject), then checks them together (`finish`). A later object with the same kind and
 * name replaces an earlier one, as it would on the cluster.
 */
export class ClusterPolicyReader {
  private readonly byId = new Map<string, { policy: ClusterPolicy; warnings: Diagnostic[] }>();
  private readonly notes = new Map<string, string>();

  /** Reads one object whose kind is a cluster-wide policy kind (objects of another apiVersion get a note). */
  public add(lo: LoadedObject): void {
    const kind = lo.object.kind;
    if (!isClusterPolicyKind(kind)) throw new Error(`not a cluster-wide policy kind: ${String(kind)}`);
    const expected = CLUSTER_POLICY_API_VERSIONS[kind];
    const apiVersion = lo.object.apiVersion;
    if (apiVersion !== expected) {
      const key = `${String(apiVersion)} ${kind}`;
      if (!this.notes.has(key)) this.notes.set(key, `note: ignoring ${kind} of apiVersion ${String(apiVersion)} (only ${expected} is analyzed)`);
      return;
    }
    const parsed = parseClusterPolicy(lo, kind);
    if (kind === 'BaselineAdminNetworkPolicy') {
      const first = this.byId.get(parsed.policy.id);
      if (first) {
        // The API keeps one BaselineAdminNetworkPolicy; two documents of it leave the result to the order of apply.
        throw new AnalysisInputError(
          `BaselineAdminNetworkPolicy ${parsed.policy.name} is defined a second time (first in ${describeLocation(first.policy.location)}): `
          + 'a cluster has one BaselineAdminNetworkPolicy; merge the two into one document', loc(lo));
      }
    }
    this.byId.delete(parsed.policy.id); // a replaced policy takes the position of the last occurrence
    this.byId.set(parsed.policy.id, parsed);
  }

  /** The policies in evaluation order, with every warning. */
  public finish(): ClusterPolicies {
    const policies = [...this.byId.values()].map((p) => p.policy).sort(compareClusterPolicies);
    const warnings: Diagnostic[] = [];
    for (const p of policies) {
      warnings.push(...this.byId.get(p.id)!.warnings);
      warnings.push(...offlinePeerWarnings(p));
    }
    warnings.push(...orderWarnings(policies));
    return { policies, warnings, notes: [...this.notes.values()] };
  }
}

const ASSUME = 'the analysis assumes whichever answer allows more';

/** Warnings for the peers of a policy that the analysis cannot evaluate offline. */
export function offlinePeerWarnings(p: ClusterPolicy): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (rules: readonly ClusterRule[], direction: 'ingress' | 'egress') => {
    for (const rule of rules) {
      const field = direction === 'ingress' ? 'from' : 'to';
      rule.peers.forEach((peer, i) => {
        let why: string | undefined;
        if (peer.type === 'nodes') {
          why = `the nodes peer ${peer.nodeSelector.toString()} matches node addresses, which are not in the manifests`;
        } else if (peer.type === 'domainNames') {
          why = `the domainNames peer ${peer.domainNames.join(', ')} matches addresses by DNS name, which cannot be resolved offline`;
          if (rule.writtenAction !== 'Accept') why += `, and the CRD says "DomainNames is only supported for Accept rules" (this one is ${rule.writtenAction}): a network plugin may ignore it`;
        } else if (peer.type === 'networks' && peer.ipv6.length > 0) {
          why = `the networks peer has IPv6 CIDRs (${peer.ipv6.join(', ')}), and the analysis models IPv4 only`;
        }
        if (why === undefined) return;
        const where = `${p.kind} ${p.name}: spec.${direction}[${rule.index}].${field}[${i}]${rule.name !== undefined ? ` (rule ${JSON.stringify(rule.name)})` : ''}`;
        out.push({ location: p.location, message: `${where}: ${why}; ${ASSUME}` });
      });
    }
  };
  visit(p.ingress, 'ingress');
  visit(p.egress, 'egress');
  return out;
}

/**
 * Pairs of policies of one tier whose subjects may select the same pod, as `[earlier, later]` indexes into
 * `policies` (in evaluation order). Subjects that pin `kubernetes.io/metadata.name` are bucketed by name, so a
 * per-tenant policy is compared only with policies that may select its namespaces: linear for disjoint tenants.
 */
export function overlappingPairs(policies: readonly ClusterPolicy[]): Array<[number, number]> {
  const candidates = new Set<number>();
  const n = policies.length;
  const add = (i: number, j: number) => { if (i !== j) candidates.add(Math.min(i, j) * n + Math.max(i, j)); };
  const byName = new Map<string, number[]>();
  const unpinned: number[] = [];
  policies.forEach((p, i) => {
    const names = p.subject.namespaceSelector.pinnedValues(NAMESPACE_NAME_LABEL);
    if (names === undefined) { unpinned.push(i); return; }
    for (const name of names) {
      const bucket = byName.get(name);
      if (bucket) bucket.push(i); else byName.set(name, [i]);
    }
  });
  for (const bucket of byName.values()) for (let a = 0; a < bucket.length; a++) for (let b = a + 1; b < bucket.length; b++) add(bucket[a], bucket[b]);
  for (const u of unpinned) for (let j = 0; j < n; j++) add(u, j);
  const out: Array<[number, number]> = [];
  for (const key of [...candidates].sort((x, y) => x - y)) {
    const i = Math.floor(key / n);
    const j = key % n;
    if (policies[i].tier === policies[j].tier && subjectsMayOverlap(policies[i].subject, policies[j].subject)) out.push([i, j]);
  }
  return out;
}

const MAX_NAMED = 5;

function names(list: readonly ClusterPolicy[]): string {
  const shown = list.slice(0, MAX_NAMED).map((p) => `${p.kind} ${p.name}`);
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * Warnings for the orders the API leaves to the implementation: per policy, the earlier policies of its tier
 * that may select the same pods and have the same priority, or belong to the other API version.
 */
export function orderWarnings(policies: readonly ClusterPolicy[]): Diagnostic[] {
  const samePriority = new Map<number, ClusterPolicy[]>();
  const crossApi = new Map<number, ClusterPolicy[]>();
  const push = (m: Map<number, ClusterPolicy[]>, k: number, p: ClusterPolicy) => { const l = m.get(k); if (l) l.push(p); else m.set(k, [p]); };
  for (const [i, j] of overlappingPairs(policies)) {
    const [a, b] = [policies[i], policies[j]];
    if (a.priority !== undefined && a.priority === b.priority) push(samePriority, j, a);
    else if (apiOf(a.kind) !== apiOf(b.kind)) push(crossApi, j, a);
  }
  const out: Diagnostic[] = [];
  policies.forEach((p, j) => {
    const same = samePriority.get(j);
    if (same) {
      out.push({
        location: p.location,
        message: `${describeClusterPolicy(p)} has the same priority as ${names(same)}, and their subjects may select the same pods: `
          + 'the API lets the network plugin apply them in any order; the analysis takes them by name. '
          + 'Give them distinct priorities, or subjects that select disjoint namespaces (e.g. by kubernetes.io/metadata.name)',
      });
    }
    const cross = crossApi.get(j);
    if (cross) {
      const order = p.tier === TIERS[0] ? 'them by priority' : 'the BaselineAdminNetworkPolicy after every Baseline ClusterNetworkPolicy';
      out.push({
        location: p.location,
        message: `${describeClusterPolicy(p)} and ${names(cross)} may select the same pods, but belong to different API versions `
          + `(v1alpha1 and v1alpha2): no CRD orders one against the other, and a network plugin implements one of them; the analysis takes ${order}. `
          + 'Use one API version',
      });
    }
  });
  return out;
}
