/**
 * Valid cluster-wide policies, written from the CRDs in `test/fixtures/crds/` (checked against their schemas in
 * `cluster-policy-schema.test.ts`), for the tests of the cluster-wide policy model.
 */
import * as path from 'path';
import { loadCrd } from '../support/crd-schema';

const CRDS = path.join(__dirname, '..', 'fixtures', 'crds');
/** The CRDs the fixtures are checked against. */
export const CRD = {
  anp: loadCrd(path.join(CRDS, 'policy.networking.k8s.io_adminnetworkpolicies.yaml')),
  banp: loadCrd(path.join(CRDS, 'policy.networking.k8s.io_baselineadminnetworkpolicies.yaml')),
  cnpStandard: loadCrd(path.join(CRDS, 'policy.networking.k8s.io_clusternetworkpolicies.standard.yaml')),
  cnpExperimental: loadCrd(path.join(CRDS, 'policy.networking.k8s.io_clusternetworkpolicies.experimental.yaml')),
};

export const V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';
export const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';
export const NAME = 'kubernetes.io/metadata.name';

/** A deep copy, to derive a bad object from a good one. */
export function copy(x: unknown): any {
  return JSON.parse(JSON.stringify(x));
}

/** An AdminNetworkPolicy of the standard channel (v0.1.7) using every field it has. */
export const ANP = {
  apiVersion: V1ALPHA1,
  kind: 'AdminNetworkPolicy',
  metadata: { name: 'cluster-controls' },
  spec: {
    priority: 10,
    subject: { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'web' } } } },
    ingress: [
      { name: 'allow-monitoring', action: 'Allow', from: [{ namespaces: { matchLabels: { [NAME]: 'monitoring' } } }] },
      {
        action: 'Deny',
        from: [{ pods: { namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['scanner'] }] } } }],
        ports: [{ portNumber: { port: 80 } }, { portNumber: { port: 53, protocol: 'UDP' } }, { portRange: { start: 8000, end: 8080, protocol: 'SCTP' } }],
      },
      { name: 'pass-rest', action: 'Pass', from: [{ namespaces: {} }] },
    ],
    egress: [
      { name: 'deny-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32', '10.0.0.0/9', '10.128.0.0/9', 'fd00::/8'] }] },
      { action: 'Allow', to: [{ namespaces: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }] },
    ],
  },
};

/** The BaselineAdminNetworkPolicy (standard channel, v0.1.7). */
export const BANP = {
  apiVersion: V1ALPHA1,
  kind: 'BaselineAdminNetworkPolicy',
  metadata: { name: 'default' },
  spec: {
    subject: { namespaces: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } },
    ingress: [
      { name: 'allow-platform', action: 'Allow', from: [{ namespaces: { matchLabels: { [NAME]: 'ingress-nginx' } } }] },
      { name: 'deny-tenants', action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } }] },
    ],
    egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }], ports: [{ portRange: { start: 1, end: 1024 } }] }],
  },
};

/** An Admin-tier ClusterNetworkPolicy of the standard channel (v0.2.0) using every field it has. */
export const CNP_ADMIN = {
  apiVersion: V1ALPHA2,
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'admin-controls' },
  spec: {
    tier: 'Admin',
    priority: 5,
    subject: { namespaces: { matchLabels: { team: 'a' } } },
    ingress: [
      {
        name: 'accept-web', action: 'Accept', from: [{ pods: { podSelector: { matchLabels: { app: 'gateway' } } } }],
        protocols: [
          { tcp: { destinationPort: { number: 443 } } },
          { udp: { destinationPort: { range: { start: 5000, end: 5010 } } } },
          { sctp: { destinationPort: { number: 9 } } },
          { destinationNamedPort: 'http' },
        ],
      },
      { action: 'Deny', from: [{ namespaces: {} }] },
    ],
    egress: [
      { name: 'pass-own', action: 'Pass', to: [{ pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} } }] },
      { action: 'Deny', to: [{ networks: ['192.168.0.0/16'] }] },
    ],
  },
};

/** A Baseline-tier ClusterNetworkPolicy with the experimental channel's `nodes` and `domainNames` peers. */
export const CNP_BASELINE_EXPERIMENTAL = {
  apiVersion: V1ALPHA2,
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'egress-allowlist' },
  spec: {
    tier: 'Baseline',
    priority: 100,
    subject: { pods: { namespaceSelector: { matchLabels: { egress: 'restricted' } }, podSelector: {} } },
    egress: [
      { name: 'accept-kubernetes-io', action: 'Accept', to: [{ domainNames: ['kubernetes.io', '*.kubernetes.io'] }] },
      { name: 'accept-nodes', action: 'Accept', to: [{ nodes: { matchLabels: { 'node-role.kubernetes.io/control-plane': '' } } }], protocols: [{ tcp: { destinationPort: { number: 6443 } } }] },
      { name: 'deny-rest', action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] },
    ],
  },
};

/**
 * An AdminNetworkPolicy with the v0.1.x experimental channel's `namedPort` and `nodes` (not in the standard CRD
 * of the fixtures; the v1alpha2 CRD describes the same fields as `destinationNamedPort` and `nodes`).
 */
export const ANP_EXPERIMENTAL = {
  apiVersion: V1ALPHA1,
  kind: 'AdminNetworkPolicy',
  metadata: { name: 'named-ports' },
  spec: {
    priority: 20,
    subject: { namespaces: {} },
    ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ namedPort: 'metrics' }] }],
    egress: [{ action: 'Allow', to: [{ nodes: {} }] }],
  },
};

/**
 * The per-tenant Admin-tier ClusterNetworkPolicy the package will write (one per tenant, all at one priority):
 * the subject is the tenant's namespaces by `kubernetes.io/metadata.name`; ingress passes from its own
 * namespaces and denies every other namespace; egress passes to its own namespaces and DNS, then denies every
 * other namespace and the pod networks.
 */
export function tenantCnp(tenant: string, namespaces: string[], priority = 50): any {
  const own = namespaces.length === 1
    ? { matchLabels: { [NAME]: namespaces[0] } }
    : { matchExpressions: [{ key: NAME, operator: 'In', values: namespaces }] };
  return {
    apiVersion: V1ALPHA2,
    kind: 'ClusterNetworkPolicy',
    metadata: { name: `tenant-${tenant}` },
    spec: {
      tier: 'Admin',
      priority,
      subject: { namespaces: own },
      ingress: [
        { name: 'pass-own-namespaces', action: 'Pass', from: [{ namespaces: own }] },
        { name: 'deny-other-namespaces', action: 'Deny', from: [{ namespaces: {} }] },
      ],
      egress: [
        { name: 'pass-own-namespaces', action: 'Pass', to: [{ namespaces: own }] },
        {
          name: 'pass-dns', action: 'Pass',
          to: [{ pods: { namespaceSelector: { matchLabels: { [NAME]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
          protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
        },
        { name: 'deny-other-namespaces', action: 'Deny', to: [{ namespaces: {} }] },
        { name: 'deny-pod-networks', action: 'Deny', to: [{ networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] }] },
      ],
    },
  };
}
