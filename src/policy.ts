import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NAMESPACE_NAME_LABEL } from './labels';
import { PeerConfig } from './peer';
import { Port } from './port';

/** Pod labels, or a function that returns them at synth. */
export type PodSelectorInput = Record<string, string> | (() => Record<string, string>);

/** One rule: from these peers (ingress) or to them (egress), on these ports. */
export interface PolicyRule {
  /** The sources (ingress) or destinations (egress); never empty (that would mean everyone). */
  readonly peers: PeerConfig[];
  /** @default - every port */
  readonly ports?: Port[];
}

/** Props of a one-direction NetworkPolicy. */
export interface PolicyProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /**
   * The pods the policy applies to; empty selects every pod of the namespace. A function is
   * called at synth (for selectors that may still change, such as a cdk8s-plus workload's).
   */
  readonly podSelector: PodSelectorInput;
  /** The rules; an empty list lets nothing through in that direction (default deny). */
  readonly rules: PolicyRule[];
}

/**
 * Renders a peer as a NetworkPolicy peer.
 *
 * Namespaces are always selected by `kubernetes.io/metadata.name`, which tenants cannot forge;
 * a peer in the policy's own namespace is rendered as a bare `podSelector`.
 */
export function renderPeer(peer: PeerConfig, policyNamespace: string): k8s.NetworkPolicyPeer {
  if (peer.ipBlock) {
    return { ipBlock: { cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except?.length ? { except: [...peer.ipBlock.except] } : {}) } };
  }
  const podSelector = peer.podLabels ? { matchLabels: { ...peer.podLabels } } : {};
  const namespaces = peer.namespaces;
  if (namespaces === undefined || (namespaces.length === 1 && namespaces[0] === policyNamespace)) {
    return { podSelector };
  }
  const sorted = [...new Set(namespaces)].sort();
  const namespaceSelector = sorted.length === 1
    ? { matchLabels: { [NAMESPACE_NAME_LABEL]: sorted[0] } }
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: sorted }] };
  return peer.podLabels ? { namespaceSelector, podSelector } : { namespaceSelector };
}

function renderRules(rules: PolicyRule[], namespace: string, key: 'from' | 'to'): any[] {
  return rules.map((rule) => ({
    [key]: rule.peers.map((p) => renderPeer(p, namespace)),
    ...(rule.ports?.length ? { ports: rule.ports.map((p) => p._toKube()) } : {}),
  }));
}

function selector(labels: Record<string, string>): k8s.LabelSelector {
  return Object.keys(labels).length ? { matchLabels: { ...labels } } : {};
}

/**
 * Creates a NetworkPolicy for one direction, with `policyTypes` always explicit (`[Ingress]` or
 * `[Egress]`), so that an empty rule list is a default deny and never a policy without effect.
 * The spec is rendered at synth, so peers read their selectors then.
 */
export function networkPolicy(scope: Construct, id: string, direction: 'Ingress' | 'Egress', props: PolicyProps): ApiObject {
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const rules = [...props.rules];
  const podSelector = props.podSelector;
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: Lazy.any({
      produce: () => ({
        podSelector: selector(typeof podSelector === 'function' ? podSelector() : podSelector),
        policyTypes: [direction],
        ...(rules.length ? { [key]: renderRules(rules, props.namespace, direction === 'Ingress' ? 'from' : 'to') } : {}),
      }),
    }) as unknown as k8s.NetworkPolicySpec,
  });
}
