import { AnalysisInputError, buildModel, ClusterPolicyReader } from '../../src/analysis';
import { ANP, ANP_EXPERIMENTAL, BANP, CNP_ADMIN, CNP_BASELINE_EXPERIMENTAL, copy } from './cluster-fixtures';

const AT = '<objects> (document 0, 0-based)';

/** The message of the AnalysisInputError that reading `objects` throws. */
function error(...objects: object[]): string {
  try {
    buildModel(objects);
  } catch (e) {
    expect(e).toBeInstanceOf(AnalysisInputError);
    return (e as Error).message;
  }
  throw new Error('expected an AnalysisInputError');
}

/** A copy of `base` changed by `edit`. */
function edited(base: unknown, edit: (o: any) => void): any {
  const o = copy(base);
  edit(o);
  return o;
}

const anp = (edit: (o: any) => void) => edited(ANP, edit);
const banp = (edit: (o: any) => void) => edited(BANP, edit);
const cnp = (edit: (o: any) => void) => edited(CNP_ADMIN, edit);
const ANP_AT = `${AT}: AdminNetworkPolicy cluster-controls`;
const CNP_AT = `${AT}: ClusterNetworkPolicy admin-controls`;

describe('priority: "a value from 0 to 1000" (minimum: 0, maximum: 1000)', () => {
  test.each([1001, -1])('%d is out of range', (priority) => {
    expect(error(anp((o) => { o.spec.priority = priority; })))
      .toBe(`${ANP_AT}: spec.priority ${priority} is out of range: use an integer from 0 to 1000 (lower values are evaluated first)`);
  });

  test('0 and 1000 are accepted', () => {
    expect(buildModel([anp((o) => { o.spec.priority = 0; }), cnp((o) => { o.spec.priority = 1000; })]).clusterPolicies.map((p) => p.priority)).toEqual([0, 1000]);
  });

  test('not an integer', () => {
    expect(error(cnp((o) => { o.spec.priority = '10'; })))
      .toBe(`${CNP_AT}: spec.priority must be an integer from 0 to 1000 (lower values are evaluated first), got "10"`);
  });

  test('required for AdminNetworkPolicy and ClusterNetworkPolicy', () => {
    const msg = 'spec.priority is required: use an integer from 0 to 1000 (lower values are evaluated first)';
    expect(error(anp((o) => { delete o.spec.priority; }))).toBe(`${ANP_AT}: ${msg}`);
    expect(error(cnp((o) => { o.spec.priority = null; }))).toBe(`${CNP_AT}: ${msg}`);
  });
});

describe('BaselineAdminNetworkPolicy: "Only one [...] with metadata.name="default" can be created in the cluster"', () => {
  test('another name', () => {
    expect(error(banp((o) => { o.metadata.name = 'baseline'; })))
      .toBe(`${AT}: BaselineAdminNetworkPolicy baseline: metadata.name must be "default" (the API says "Only one baseline admin network policy with metadata.name="default" can be created in the cluster"): rename it to default`);
  });

  test('two of them given to the reader', () => {
    // buildModel may first keep only the last object of an identity (as the cluster does); the reader itself
    // never holds two BaselineAdminNetworkPolicies.
    const reader = new ClusterPolicyReader();
    reader.add({ object: BANP, file: 'a.yaml', docIndex: 0 });
    expect(() => reader.add({ object: banp((o) => { o.spec.ingress.pop(); }), file: 'b.yaml', docIndex: 2 }))
      .toThrow(new AnalysisInputError('BaselineAdminNetworkPolicy default is defined a second time (first in a.yaml (document 0, 0-based)): a cluster has one BaselineAdminNetworkPolicy; merge the two into one document', { file: 'b.yaml', docIndex: 2 }));
  });
});

describe('action: enum Allow/Deny/Pass (v1alpha1 ANP), Allow/Deny (BANP), Accept/Deny/Pass (v1alpha2)', () => {
  test('Accept in an AdminNetworkPolicy', () => {
    expect(error(anp((o) => { o.spec.ingress[0].action = 'Accept'; })))
      .toBe(`${ANP_AT}: spec.ingress[0].action "Accept" is not an action of an AdminNetworkPolicy: use Allow, Deny or Pass (Accept is the ClusterNetworkPolicy spelling)`);
  });

  test('Allow in a ClusterNetworkPolicy', () => {
    expect(error(cnp((o) => { o.spec.egress[1].action = 'Allow'; })))
      .toBe(`${CNP_AT}: spec.egress[1].action "Allow" is not an action of a ClusterNetworkPolicy: use Accept, Deny or Pass (Allow is the v1alpha1 spelling)`);
  });

  test('Pass in the BaselineAdminNetworkPolicy', () => {
    expect(error(banp((o) => { o.spec.ingress[1].action = 'Pass'; })))
      .toBe(`${AT}: BaselineAdminNetworkPolicy default: spec.ingress[1].action "Pass" is not an action of a BaselineAdminNetworkPolicy: use Allow or Deny (there is no tier below the baseline to pass to)`);
  });

  test('lower case, and missing', () => {
    expect(error(anp((o) => { o.spec.egress[0].action = 'deny'; })))
      .toBe(`${ANP_AT}: spec.egress[0].action "deny" is not an action of an AdminNetworkPolicy: use Allow, Deny or Pass`);
    expect(error(cnp((o) => { delete o.spec.ingress[1].action; })))
      .toBe(`${CNP_AT}: spec.ingress[1].action is required: use Accept, Deny or Pass`);
  });
});

describe('tier: enum Admin/Baseline, required', () => {
  test('missing', () => {
    expect(error(cnp((o) => { delete o.spec.tier; }))).toBe(`${CNP_AT}: spec.tier is required: use Admin or Baseline`);
  });

  test('not a tier', () => {
    expect(error(cnp((o) => { o.spec.tier = 'admin'; }))).toBe(`${CNP_AT}: spec.tier "admin" is not a tier: use Admin or Baseline`);
  });
});

describe('one-of fields: "Exactly one field must be set" (minProperties: 1, maxProperties: 1)', () => {
  test('subject with none, or with both', () => {
    expect(error(anp((o) => { o.spec.subject = { namespaces: null }; })))
      .toBe(`${ANP_AT}: spec.subject must set exactly one of namespaces or pods; it sets none (a null value counts as unset)`);
    expect(error(cnp((o) => { o.spec.subject.pods = { podSelector: {} }; })))
      .toBe(`${CNP_AT}: spec.subject must set exactly one of namespaces or pods; it sets namespaces and pods`);
  });

  test('subject missing', () => {
    expect(error(cnp((o) => { delete o.spec.subject; }))).toBe(`${CNP_AT}: spec.subject is required: set namespaces or pods`);
  });

  test('v1alpha1 pods needs both selectors; v1alpha2 pods needs podSelector', () => {
    expect(error(anp((o) => { delete o.spec.subject.pods.namespaceSelector; })))
      .toBe(`${ANP_AT}: spec.subject.pods.namespaceSelector is required: use {} for every namespace`);
    expect(error(cnp((o) => { o.spec.ingress[0].from[0].pods = { namespaceSelector: {} }; })))
      .toBe(`${CNP_AT}: spec.ingress[0].from[0].pods.podSelector is required: use {} for every pod`);
  });

  test('a peer with two kinds', () => {
    expect(error(anp((o) => { o.spec.egress[1].to[0].networks = ['10.0.0.0/8']; })))
      .toBe(`${ANP_AT}: spec.egress[1].to[0] must set exactly one of namespaces, pods, networks or nodes; it sets namespaces and networks`);
  });

  test('a peer with none: `networks` is not an ingress peer', () => {
    // "If an implementation sees no fields are set then it can infer that the deployed CRD is of an incompatible
    // version with an unknown field." The API rejects the object, so the analyzer does too.
    expect(error(cnp((o) => { o.spec.ingress[1].from = [{ networks: ['10.0.0.0/8'] }]; })))
      .toBe(`${CNP_AT}: spec.ingress[1].from[0] must set exactly one of namespaces or pods; it sets none (networks cannot be used here)`);
    expect(error(cnp((o) => { o.spec.ingress[1].from = [{}]; })))
      .toBe(`${CNP_AT}: spec.ingress[1].from[0] must set exactly one of namespaces or pods; it sets none (a null value counts as unset)`);
  });

  test('a v1alpha1 port with two fields, and domainNames in a v1alpha1 policy', () => {
    expect(error(anp((o) => { o.spec.ingress[1].ports[0].portRange = { start: 1, end: 2 }; })))
      .toBe(`${ANP_AT}: spec.ingress[1].ports[0] must set exactly one of portNumber, namedPort or portRange; it sets portNumber and portRange`);
    expect(error(anp((o) => { o.spec.egress[1].to = [{ domainNames: ['example.com'] }]; })))
      .toBe(`${ANP_AT}: spec.egress[1].to[0] must set exactly one of namespaces, pods, networks or nodes; it sets none (domainNames cannot be used here)`);
  });

  test('a v1alpha2 protocol with two fields, a destinationPort with two, an empty tcp', () => {
    expect(error(cnp((o) => { o.spec.ingress[0].protocols[0].udp = { destinationPort: { number: 53 } }; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols[0] must set exactly one of tcp, udp, sctp or destinationNamedPort; it sets tcp and udp`);
    expect(error(cnp((o) => { o.spec.ingress[0].protocols[0].tcp.destinationPort.range = { start: 1, end: 2 }; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols[0].tcp.destinationPort must set exactly one of number or range; it sets number and range`);
    expect(error(cnp((o) => { o.spec.ingress[0].protocols[0].tcp = {}; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols[0].tcp.destinationPort is required (the API rejects an empty tcp): set number, or range (start 1, end 65535 for every port)`);
  });
});

describe('from/to: "This field must be defined and contain at least one item."', () => {
  test('empty', () => {
    expect(error(anp((o) => { o.spec.ingress[0].from = []; })))
      .toBe(`${ANP_AT}: spec.ingress[0].from must list at least one peer: the API rejects an empty list; list one (namespaces: {} matches every pod)`);
    expect(error(cnp((o) => { o.spec.egress[0].to = []; })))
      .toBe(`${CNP_AT}: spec.egress[0].to must list at least one peer: the API rejects an empty list; list one (namespaces: {} matches every pod)`);
  });

  test('missing', () => {
    expect(error(cnp((o) => { delete o.spec.ingress[1].from; })))
      .toBe(`${CNP_AT}: spec.ingress[1].from is required: list at least one peer (namespaces: {} matches every pod)`);
  });

  test('empty ports/protocols (minItems: 1)', () => {
    expect(error(anp((o) => { o.spec.ingress[1].ports = []; })))
      .toBe(`${ANP_AT}: spec.ingress[1].ports must list at least one port: the API rejects an empty list; remove ports to match every port`);
    expect(error(cnp((o) => { o.spec.ingress[0].protocols = []; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols must list at least one protocol: the API rejects an empty list; remove protocols to match every port`);
  });
});

describe('networks: CEL isCIDR(self), "Invalid CIDR format provided"; a set (no duplicates)', () => {
  const bad = (cidr: string) => error(anp((o) => { o.spec.egress[0].to[0].networks = ['10.0.0.0/8', cidr]; }));
  const prefix = `${ANP_AT}: spec.egress[0].to[0].networks[1]`;

  test.each([
    ['10.0.0.0/33', 'malformed CIDR "10.0.0.0/33": expected a.b.c.d/n with n from 0 to 32'],
    ['10.0.0.1', 'CIDR mask is missing in IPv4: "10.0.0.1". Did you mean "10.0.0.1/32"?'],
    ['010.0.0.0/8', 'an octet has a leading zero'],
    ['10.0.0.0/08', 'the prefix length has a leading zero'],
    ['fd00::/129', 'expected an IPv6 prefix like "fd00::/8" (prefix length from 0 to 128)'],
    ['fd00::', 'expected an IPv6 prefix like "fd00::/8" (prefix length from 0 to 128)'],
    ['::ffff:10.0.0.0/104', 'expected an IPv6 prefix like "fd00::/8" (prefix length from 0 to 128)'],
    ['fe80::1%eth0/64', 'expected an IPv6 prefix like "fd00::/8" (prefix length from 0 to 128)'],
    ['0000:0000:0000:0000:0000:0000:255.255.255.255/128', 'longer than 43 characters'],
  ])('%s', (cidr, why) => {
    expect(bad(cidr)).toBe(`${prefix} ${JSON.stringify(cidr)} is not a valid CIDR (the API says "Invalid CIDR format provided"): ${why}`);
  });

  test('the same CIDR twice', () => {
    expect(bad('10.0.0.0/8')).toBe(`${prefix} "10.0.0.0/8" is listed twice: the list is a set, and the API rejects duplicates; remove one`);
  });

  test('more than 25 (maxItems: 25)', () => {
    const cidrs = Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`);
    expect(error(cnp((o) => { o.spec.egress[1].to[0].networks = cidrs; })))
      .toBe(`${CNP_AT}: spec.egress[1].to[0].networks lists 26 CIDRs; a networks peer allows at most 25: split the peer`);
  });
});

describe('domainNames: pattern, a set of at most 25', () => {
  const exp = (edit: (o: any) => void) => edited(CNP_BASELINE_EXPERIMENTAL, edit);
  const at = `${AT}: ClusterNetworkPolicy egress-allowlist: spec.egress[0].to[0].domainNames`;

  test.each(['*example.com', 'example', 'a.*.example.com', 'https://example.com'])('%s is not a domain name', (name) => {
    expect(error(exp((o) => { o.spec.egress[0].to[0].domainNames = [name]; })))
      .toBe(`${at}[0] ${JSON.stringify(name)} is not a domain name: use an exact name (kubernetes.io) or a wildcard prefix (*.kubernetes.io)`);
  });

  test('twice', () => {
    expect(error(exp((o) => { o.spec.egress[0].to[0].domainNames = ['a.io', 'a.io']; })))
      .toBe(`${at}[1] "a.io" is listed twice: the list is a set, and the API rejects duplicates; remove one`);
  });
});

describe('port ranges: start must be less than end', () => {
  test('v1alpha2 CEL "self.start < self.end"', () => {
    expect(error(cnp((o) => { o.spec.ingress[0].protocols[1].udp.destinationPort.range = { start: 5010, end: 5000 }; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols[1].udp.destinationPort.range: start 5010 must be less than end 5000 (the API says "Start port must be less than End port"): swap them`);
    expect(error(cnp((o) => { o.spec.ingress[0].protocols[1].udp.destinationPort.range = { start: 5000, end: 5000 }; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols[1].udp.destinationPort.range: start 5000 must be less than end 5000 (the API says "Start port must be less than End port"): for one port, use a port number`);
  });

  test('v1alpha1: "the End value must be greater than Start"', () => {
    expect(error(anp((o) => { o.spec.ingress[1].ports[2].portRange = { start: 8080, end: 8000 }; })))
      .toBe(`${ANP_AT}: spec.ingress[1].ports[2].portRange: start 8080 must be less than end 8000 (the CRD says "the End value must be greater than Start"): swap them`);
  });

  test('ports from 1 to 65535', () => {
    expect(error(anp((o) => { o.spec.ingress[1].ports[0].portNumber.port = 0; })))
      .toBe(`${ANP_AT}: spec.ingress[1].ports[0].portNumber.port 0 is out of range: use an integer from 1 to 65535`);
    expect(error(cnp((o) => { o.spec.ingress[0].protocols[1].udp.destinationPort.range.end = 65536; })))
      .toBe(`${CNP_AT}: spec.ingress[0].protocols[1].udp.destinationPort.range.end 65536 is out of range: use an integer from 1 to 65535`);
  });

  test('protocol: "TCP, UDP, or SCTP"', () => {
    expect(error(anp((o) => { o.spec.ingress[1].ports[0].portNumber.protocol = 'ICMP'; })))
      .toBe(`${ANP_AT}: spec.ingress[1].ports[0].portNumber.protocol "ICMP" is not a protocol: use TCP, UDP or SCTP`);
  });
});

describe('named ports: "You can\'t use this in a rule that targets resources without named ports (e.g. Nodes or Networks)"', () => {
  test('v1alpha2 destinationNamedPort with a networks peer (experimental CEL rule)', () => {
    expect(error(cnp((o) => { o.spec.egress[1].protocols = [{ tcp: { destinationPort: { number: 80 } } }, { destinationNamedPort: 'http' }]; })))
      .toBe(`${CNP_AT}: spec.egress[1].protocols[1] is a named port but spec.egress[1].to[0] is a networks peer (the API says "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames"): use port numbers, or move that peer to a rule of its own`);
  });

  test('v1alpha1 namedPort with a nodes peer', () => {
    expect(error(edited(ANP_EXPERIMENTAL, (o) => { o.spec.egress[0].ports = [{ namedPort: 'metrics' }]; })))
      .toMatch(/named-ports: spec\.egress\[0\]\.ports\[0\] is a named port but spec\.egress\[0\]\.to\[0\] is a nodes peer/);
  });
});

describe('list sizes (maxItems)', () => {
  test('more than 25 rules in a ClusterNetworkPolicy', () => {
    expect(error(cnp((o) => { o.spec.ingress = Array.from({ length: 26 }, () => ({ action: 'Deny', from: [{ namespaces: {} }] })); })))
      .toBe(`${CNP_AT}: spec.ingress lists 26 rules; a ClusterNetworkPolicy allows at most 25: split them across several policies`);
  });

  test('more than 100 rules in an AdminNetworkPolicy; 100 are accepted', () => {
    const rules = (n: number) => Array.from({ length: n }, () => ({ action: 'Deny', to: [{ namespaces: {} }] }));
    expect(error(anp((o) => { o.spec.egress = rules(101); })))
      .toBe(`${ANP_AT}: spec.egress lists 101 rules; an AdminNetworkPolicy allows at most 100: split them across several policies`);
    expect(buildModel([anp((o) => { o.spec.egress = rules(100); })]).clusterPolicies[0].egress).toHaveLength(100);
  });

  test('more peers or protocols than a rule allows', () => {
    expect(error(cnp((o) => { o.spec.ingress[1].from = Array.from({ length: 26 }, () => ({ namespaces: {} })); })))
      .toBe(`${CNP_AT}: spec.ingress[1].from lists 26 peers; a ClusterNetworkPolicy rule allows at most 25: split the rule`);
    expect(error(cnp((o) => { o.spec.ingress[1].protocols = Array.from({ length: 26 }, (_, i) => ({ tcp: { destinationPort: { number: i + 1 } } })); })))
      .toBe(`${CNP_AT}: spec.ingress[1].protocols lists 26 protocols; a ClusterNetworkPolicy rule allows at most 25: split the rule`);
  });

  test('a rule name longer than 100 characters', () => {
    expect(error(anp((o) => { o.spec.ingress[0].name = 'x'.repeat(101); })))
      .toBe(`${ANP_AT}: spec.ingress[0].name is 101 characters long: the API allows at most 100`);
  });
});

describe('the object itself', () => {
  test('no spec, no name', () => {
    expect(error({ apiVersion: ANP.apiVersion, kind: 'AdminNetworkPolicy', metadata: { name: 'x' } })).toBe(`${AT}: AdminNetworkPolicy x: spec is required`);
    expect(error(anp((o) => { delete o.metadata.name; }))).toBe(`${AT}: AdminNetworkPolicy without metadata.name`);
  });

  test('a malformed label selector', () => {
    expect(error(cnp((o) => { o.spec.subject.namespaces = { matchExpressions: [{ key: 'team', operator: 'Equals', values: ['a'] }] }; })))
      .toBe(`${CNP_AT}: spec.subject.namespaces.matchExpressions[0] has unknown operator "Equals"; use In, NotIn, Exists or DoesNotExist`);
  });

  test('the error carries the location', () => {
    try {
      buildModel([{ object: anp((o) => { o.spec.priority = 2000; }), file: 'policies.yaml', docIndex: 3 }]);
      throw new Error('no error');
    } catch (e) {
      expect((e as AnalysisInputError).location).toEqual({ file: 'policies.yaml', docIndex: 3 });
    }
  });
});
