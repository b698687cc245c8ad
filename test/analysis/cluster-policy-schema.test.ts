import { validateAgainstCrd } from '../support/crd-schema';
import {
  ANP, BANP, CNP_ADMIN, CNP_BASELINE_EXPERIMENTAL, copy, CRD, tenantCnp,
} from './cluster-fixtures';

describe('the valid fixtures are valid for the API (CRD schema and CEL rules)', () => {
  test('AdminNetworkPolicy against the v0.1.7 standard CRD', () => {
    expect(validateAgainstCrd(ANP, CRD.anp)).toEqual([]);
  });

  test('BaselineAdminNetworkPolicy against the v0.1.7 standard CRD', () => {
    expect(validateAgainstCrd(BANP, CRD.banp)).toEqual([]);
  });

  test('Admin ClusterNetworkPolicy against both v0.2.0 channels', () => {
    expect(validateAgainstCrd(CNP_ADMIN, CRD.cnpStandard)).toEqual([]);
    expect(validateAgainstCrd(CNP_ADMIN, CRD.cnpExperimental)).toEqual([]);
  });

  test('the per-tenant ClusterNetworkPolicy against both v0.2.0 channels', () => {
    for (const cnp of [tenantCnp('a', ['a']), tenantCnp('b', ['b', 'b-data'])]) {
      expect(validateAgainstCrd(cnp, CRD.cnpStandard)).toEqual([]);
      expect(validateAgainstCrd(cnp, CRD.cnpExperimental).sort()).toEqual([]);
    }
  });

  test('nodes and domainNames peers: experimental channel only', () => {
    expect(validateAgainstCrd(CNP_BASELINE_EXPERIMENTAL, CRD.cnpExperimental)).toEqual([]);
    expect(validateAgainstCrd(CNP_BASELINE_EXPERIMENTAL, CRD.cnpStandard)).toEqual([
      'spec.egress[0].to[0].domainNames: unknown field',
      'spec.egress[1].to[0].nodes: unknown field',
    ]);
  });
});

describe('the checker applies what the tests rely on', () => {
  test('the protocol default (TCP) satisfies `required: [port, protocol]`', () => {
    expect(validateAgainstCrd({ ...ANP, spec: { ...ANP.spec, ingress: [{ action: 'Allow', from: [{ namespaces: {} }], ports: [{ portNumber: { port: 80 } }] }] } }, CRD.anp)).toEqual([]);
  });

  test('CEL rules: port range order, CIDR, BANP name, named port with networks', () => {
    const cnp = copy(CNP_ADMIN);
    cnp.spec.ingress[0].protocols[1] = { udp: { destinationPort: { range: { start: 5010, end: 5010 } } } };
    cnp.spec.egress[1].to[0].networks = ['10.0.0.0/33'];
    cnp.spec.egress[1].protocols = [{ destinationNamedPort: 'http' }];
    expect(validateAgainstCrd(cnp, CRD.cnpExperimental).sort()).toEqual([
      'spec.egress[1]: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
      'spec.egress[1].to[0].networks[0]: Invalid CIDR format provided',
      'spec.ingress[0].protocols[1].udp.destinationPort.range: Start port must be less than End port',
    ].sort());
    expect(validateAgainstCrd({ ...BANP, metadata: { name: 'baseline' } }, CRD.banp))
      .toEqual(['<root>: Only one baseline admin network policy with metadata.name="default" can be created in the cluster']);
  });

  test('duplicates in a set list', () => {
    const anp = copy(ANP);
    anp.spec.egress[0].to[0].networks = ['10.0.0.0/8', '10.0.0.0/8'];
    expect(validateAgainstCrd(anp, CRD.anp)).toEqual(['spec.egress[0].to[0].networks: duplicate items in a set']);
  });
});
