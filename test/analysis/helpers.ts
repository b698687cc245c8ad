/**
 * Builders of Kubernetes objects for the analyzer's tests.
 */
import { analyze, AnalysisInputError, Reachability } from '../../src/analysis';

/** A container port. */
export interface TestPort {
  containerPort: number;
  name?: string;
  protocol?: string;
}

/** A Namespace with labels and annotations. */
export function ns(name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, ...(annotations ? { annotations } : {}) } };
}

function podSpec(ports: TestPort[]): object {
  return { containers: [{ name: 'main', image: 'nginx', ports }] };
}

/** A Pod (namespace undefined = no metadata.namespace). */
export function pod(namespace: string | undefined, name: string, labels: Record<string, string> = {}, ports: TestPort[] = []): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}), labels }, spec: podSpec(ports) };
}

/** A Deployment whose pod template has these labels and container ports. */
export function deploy(namespace: string | undefined, name: string, labels: Record<string, string> = {}, ports: TestPort[] = []): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(ports) } },
  };
}

/** A networking.k8s.io/v1 NetworkPolicy. */
export function netpol(namespace: string | undefined, name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}

/** The connections allowed from `src` to `dst`, as text (`No Connections` when blocked). */
export function conns(r: Reachability, src: string, dst: string): string {
  return r.between(src, dst).toString();
}

/** Analyzes and returns a function giving `conns(src, dst)`. */
export function reach(objects: object[]): { r: Reachability; c: (src: string, dst: string) => string } {
  const r = analyze(objects);
  return { r, c: (src, dst) => conns(r, src, dst) };
}

const V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';
const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';

/** The rules of a cluster-wide policy. */
export interface ClusterRules {
  ingress?: object[];
  egress?: object[];
}

/** An AdminNetworkPolicy (v1alpha1). */
export function anp(name: string, priority: number, subject: object, rules: ClusterRules): object {
  return { apiVersion: V1ALPHA1, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject, ...rules } };
}

/** The BaselineAdminNetworkPolicy (v1alpha1, named `default`). */
export function banp(subject: object, rules: ClusterRules): object {
  return { apiVersion: V1ALPHA1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject, ...rules } };
}

/** A ClusterNetworkPolicy (v1alpha2). */
export function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, subject: object, rules: ClusterRules): object {
  return { apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject, ...rules } };
}

/** A subject (or peer) selecting every pod of the namespaces named. */
export function inNamespaces(...names: string[]): object {
  return { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: names }] } };
}

/** A subject (or v1alpha1 peer) selecting the pods with `labels` in every namespace. */
export function podsWith(labels: Record<string, string>): object {
  return { pods: { namespaceSelector: {}, podSelector: { matchLabels: labels } } };
}

/** Every pod of every namespace. */
export const ALL_NAMESPACES = { namespaces: {} };

/** The message of the AnalysisInputError `f` throws (the test fails when it throws nothing or something else). */
export function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AnalysisInputError);
    return (e as Error).message;
  }
  throw new Error('expected an AnalysisInputError');
}
