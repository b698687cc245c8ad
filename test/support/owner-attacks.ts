/**
 * What a tenant's owner might add in its namespaces to open it (issue 10): NetworkPolicies that
 * admit or reach everything. The protection tests show each is refused; the same list serves the
 * proof through the analyzer, once it evaluates the tiers.
 */

/** The NetworkPolicies an owner could add in `namespace`, by what they do. */
export function ownerAttacks(namespace: string): Array<{ what: string; policy: any }> {
  const np = (name: string, spec: any) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector: {}, ...spec },
  });
  return [
    { what: 'ingress: [{}]', policy: np('owner-allow-all', { policyTypes: ['Ingress'], ingress: [{}] }) },
    { what: 'from: [{ namespaceSelector: {} }]', policy: np('owner-allow-all-namespaces', { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] }) },
    { what: 'egress: [{}]', policy: np('owner-allow-all-egress', { policyTypes: ['Egress'], egress: [{}] }) },
  ];
}
