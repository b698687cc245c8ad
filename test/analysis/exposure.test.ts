/**
 * Exposure analysis (issue 9 §4): per workload, what it admits from and may reach among peers not in the input,
 * and the workloads no policy protects, in every format of `tenancy reach`.
 */
import { analyzeExposure, analyzeModel, buildModel, documentsToObjects, formatExposure, parseManifestText, workloadRegion } from '../../src/analysis';

/** web admits prometheus pods by a forgeable namespace label, an office range and an ipBlock inside the pod networks (so worker's pods may reach web too); db reaches one namespace on a named port; worker has no policy. */
export const EXPOSURE_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [ { name: web, image: nginx, ports: [ { containerPort: 8080, name: http } ] } ] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [ { name: db, image: postgres, ports: [ { containerPort: 5432 } ] } ] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: other }
spec:
  template:
    metadata: { labels: { app: worker } }
    spec: { containers: [ { name: w, image: busybox } ] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from: [ { namespaceSelector: { matchLabels: { team: ops } }, podSelector: { matchLabels: { app: prom } } } ]
      ports: [ { port: http } ]
    - from: [ { ipBlock: { cidr: 203.0.113.0/24 } }, { ipBlock: { cidr: 10.0.0.0/8, except: [ 10.1.0.0/16 ] } } ]
      ports: [ { port: 8080 } ]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [ Ingress, Egress ]
  ingress: [ { from: [ { podSelector: { matchLabels: { app: web } } } ], ports: [ { port: 5432 } ] } ]
  egress: [ { to: [ { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: backup } } } ], ports: [ { port: s3, protocol: TCP } ] } ]
`;

/** The model of EXPOSURE_YAML followed by more documents. */
function withExtra(extra: string) {
  return buildModel(documentsToObjects(parseManifestText(`${EXPOSURE_YAML}---\n${extra}`, 'app.yaml', false), 'app.yaml'));
}

const text = (lines: string[]) => `${lines.join('\n')}\n`;

function run(format: 'txt' | 'json' | 'md' | 'mermaid' | 'dot'): string {
  const model = buildModel(documentsToObjects(parseManifestText(EXPOSURE_YAML, 'app.yaml', false), 'app.yaml'));
  return formatExposure(analyzeModel(model).connections, analyzeExposure(model), format);
}

const TXT = text([
  '0.0.0.0-255.255.255.255[External] => other/worker[Deployment] : All Connections',
  '10.0.0.0-10.0.255.255[External] => shop/web[Deployment] : TCP 8080',
  '10.2.0.0-10.255.255.255[External] => shop/web[Deployment] : TCP 8080',
  '203.0.113.0-203.0.113.255[External] => shop/web[Deployment] : TCP 8080',
  'other/worker[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
  'other/worker[Deployment] => shop/web[Deployment] : TCP 8080',
  'shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
  'shop/web[Deployment] => other/worker[Deployment] : All Connections',
  'shop/web[Deployment] => shop/db[Deployment] : TCP 5432',
  '',
  'Ingress exposure (what each workload admits from peers not in the input):',
  'other/worker[Deployment] <= 0.0.0.0-255.255.255.255 : All Connections',
  'other/worker[Deployment] <= entire-cluster : All Connections',
  'shop/db[Deployment] <= shop/[pods with app=web] : TCP 5432',
  'shop/web[Deployment] <= 10.0.0.0-10.0.255.255 : TCP 8080',
  'shop/web[Deployment] <= 10.2.0.0-10.255.255.255 : TCP 8080',
  'shop/web[Deployment] <= 203.0.113.0-203.0.113.255 : TCP 8080',
  'shop/web[Deployment] <= [all namespaces]/[pods with addresses in 10.0.0.0/16,10.2.0.0-10.255.255.255] : TCP 8080',
  'shop/web[Deployment] <= [namespaces with team=ops]/[pods with app=prom] : TCP 8080',
  '',
  'Egress exposure (what each workload may reach among peers not in the input):',
  'other/worker[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
  'other/worker[Deployment] => entire-cluster : All Connections',
  'shop/db[Deployment] => backup/[all pods] : TCP port named s3',
  'shop/web[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
  'shop/web[Deployment] => entire-cluster : All Connections',
  '',
  'Workloads no policy protects:',
  'other/worker[Deployment] : ingress, egress',
  'shop/web[Deployment] : egress',
]);

const MD = text([
  '| Source | Destination | Connections |',
  '| --- | --- | --- |',
  '| 0.0.0.0-255.255.255.255[External] | other/worker[Deployment] | All Connections |',
  '| 10.0.0.0-10.0.255.255[External] | shop/web[Deployment] | TCP 8080 |',
  '| 10.2.0.0-10.255.255.255[External] | shop/web[Deployment] | TCP 8080 |',
  '| 203.0.113.0-203.0.113.255[External] | shop/web[Deployment] | TCP 8080 |',
  '| other/worker[Deployment] | 0.0.0.0-255.255.255.255[External] | All Connections |',
  '| other/worker[Deployment] | shop/web[Deployment] | TCP 8080 |',
  '| shop/web[Deployment] | 0.0.0.0-255.255.255.255[External] | All Connections |',
  '| shop/web[Deployment] | other/worker[Deployment] | All Connections |',
  '| shop/web[Deployment] | shop/db[Deployment] | TCP 5432 |',
  '',
  '### Ingress exposure',
  '',
  '| Workload | Admits from | Connections |',
  '| --- | --- | --- |',
  '| other/worker[Deployment] | 0.0.0.0-255.255.255.255 | All Connections |',
  '| other/worker[Deployment] | entire-cluster | All Connections |',
  '| shop/db[Deployment] | shop/[pods with app=web] | TCP 5432 |',
  '| shop/web[Deployment] | 10.0.0.0-10.0.255.255 | TCP 8080 |',
  '| shop/web[Deployment] | 10.2.0.0-10.255.255.255 | TCP 8080 |',
  '| shop/web[Deployment] | 203.0.113.0-203.0.113.255 | TCP 8080 |',
  '| shop/web[Deployment] | [all namespaces]/[pods with addresses in 10.0.0.0/16,10.2.0.0-10.255.255.255] | TCP 8080 |',
  '| shop/web[Deployment] | [namespaces with team=ops]/[pods with app=prom] | TCP 8080 |',
  '',
  '### Egress exposure',
  '',
  '| Workload | May reach | Connections |',
  '| --- | --- | --- |',
  '| other/worker[Deployment] | 0.0.0.0-255.255.255.255 | All Connections |',
  '| other/worker[Deployment] | entire-cluster | All Connections |',
  '| shop/db[Deployment] | backup/[all pods] | TCP port named s3 |',
  '| shop/web[Deployment] | 0.0.0.0-255.255.255.255 | All Connections |',
  '| shop/web[Deployment] | entire-cluster | All Connections |',
  '',
  '### Workloads no policy protects',
  '',
  '| Workload | Unprotected for |',
  '| --- | --- |',
  '| other/worker[Deployment] | ingress, egress |',
  '| shop/web[Deployment] | egress |',
]);

const MERMAID = text([
  'flowchart LR',
  '  subgraph ns_other["other"]',
  '    other_worker_Deployment["worker[Deployment]"]',
  '  end',
  '  subgraph ns_shop["shop"]',
  '    shop_db_Deployment["db[Deployment]"]',
  '    shop_web_Deployment["web[Deployment]"]',
  '  end',
  '  n0_0_0_0_255_255_255_255_External["0.0.0.0-255.255.255.255[External]"]',
  '  n10_0_0_0_10_0_255_255_External["10.0.0.0-10.0.255.255[External]"]',
  '  n10_2_0_0_10_255_255_255_External["10.2.0.0-10.255.255.255[External]"]',
  '  n203_0_113_0_203_0_113_255_External["203.0.113.0-203.0.113.255[External]"]',
  '  peer_all_namespaces_pods_with_addresses_in_10_0_0_0_16_10_2_0_0_10_255_255_255{{"[all namespaces]/[pods with addresses in 10.0.0.0/16,10.2.0.0-10.255.255.255]"}}',
  '  peer_namespaces_with_team_ops_pods_with_app_prom{{"[namespaces with team=ops]/[pods with app=prom]"}}',
  '  peer_backup_all_pods{{"backup/[all pods]"}}',
  '  peer_entire_cluster{{"entire-cluster"}}',
  '  peer_shop_pods_with_app_web{{"shop/[pods with app=web]"}}',
  '  n0_0_0_0_255_255_255_255_External -->|"All Connections"| other_worker_Deployment',
  '  n10_0_0_0_10_0_255_255_External -->|"TCP 8080"| shop_web_Deployment',
  '  n10_2_0_0_10_255_255_255_External -->|"TCP 8080"| shop_web_Deployment',
  '  n203_0_113_0_203_0_113_255_External -->|"TCP 8080"| shop_web_Deployment',
  '  other_worker_Deployment -->|"All Connections"| n0_0_0_0_255_255_255_255_External',
  '  other_worker_Deployment -->|"TCP 8080"| shop_web_Deployment',
  '  shop_web_Deployment -->|"All Connections"| n0_0_0_0_255_255_255_255_External',
  '  shop_web_Deployment -->|"All Connections"| other_worker_Deployment',
  '  shop_web_Deployment -->|"TCP 5432"| shop_db_Deployment',
  '  peer_entire_cluster -.->|"All Connections"| other_worker_Deployment',
  '  peer_shop_pods_with_app_web -.->|"TCP 5432"| shop_db_Deployment',
  '  peer_all_namespaces_pods_with_addresses_in_10_0_0_0_16_10_2_0_0_10_255_255_255 -.->|"TCP 8080"| shop_web_Deployment',
  '  peer_namespaces_with_team_ops_pods_with_app_prom -.->|"TCP 8080"| shop_web_Deployment',
  '  other_worker_Deployment -.->|"All Connections"| peer_entire_cluster',
  '  shop_db_Deployment -.->|"TCP port named s3"| peer_backup_all_pods',
  '  shop_web_Deployment -.->|"All Connections"| peer_entire_cluster',
  '  %% other/worker[Deployment]: no policy protects it for ingress and egress',
  '  %% shop/web[Deployment]: no policy protects it for egress',
  '  classDef unprotected stroke:#d00,stroke-width:2px;',
  '  class other_worker_Deployment,shop_web_Deployment unprotected;',
]);

const DOT = text([
  'digraph reachability {',
  '  rankdir=LR;',
  '  node [shape=box];',
  '  subgraph cluster_ns_other {',
  '    label="other";',
  '    other_worker_Deployment [label="worker[Deployment]"];',
  '  }',
  '  subgraph cluster_ns_shop {',
  '    label="shop";',
  '    shop_db_Deployment [label="db[Deployment]"];',
  '    shop_web_Deployment [label="web[Deployment]"];',
  '  }',
  '  n0_0_0_0_255_255_255_255_External [label="0.0.0.0-255.255.255.255[External]", shape=ellipse];',
  '  n10_0_0_0_10_0_255_255_External [label="10.0.0.0-10.0.255.255[External]", shape=ellipse];',
  '  n10_2_0_0_10_255_255_255_External [label="10.2.0.0-10.255.255.255[External]", shape=ellipse];',
  '  n203_0_113_0_203_0_113_255_External [label="203.0.113.0-203.0.113.255[External]", shape=ellipse];',
  '  peer_all_namespaces_pods_with_addresses_in_10_0_0_0_16_10_2_0_0_10_255_255_255 [label="[all namespaces]/[pods with addresses in 10.0.0.0/16,10.2.0.0-10.255.255.255]", shape=hexagon, style=dashed];',
  '  peer_namespaces_with_team_ops_pods_with_app_prom [label="[namespaces with team=ops]/[pods with app=prom]", shape=hexagon, style=dashed];',
  '  peer_backup_all_pods [label="backup/[all pods]", shape=hexagon, style=dashed];',
  '  peer_entire_cluster [label="entire-cluster", shape=hexagon, style=dashed];',
  '  peer_shop_pods_with_app_web [label="shop/[pods with app=web]", shape=hexagon, style=dashed];',
  '  n0_0_0_0_255_255_255_255_External -> other_worker_Deployment [label="All Connections"];',
  '  n10_0_0_0_10_0_255_255_External -> shop_web_Deployment [label="TCP 8080"];',
  '  n10_2_0_0_10_255_255_255_External -> shop_web_Deployment [label="TCP 8080"];',
  '  n203_0_113_0_203_0_113_255_External -> shop_web_Deployment [label="TCP 8080"];',
  '  other_worker_Deployment -> n0_0_0_0_255_255_255_255_External [label="All Connections"];',
  '  other_worker_Deployment -> shop_web_Deployment [label="TCP 8080"];',
  '  shop_web_Deployment -> n0_0_0_0_255_255_255_255_External [label="All Connections"];',
  '  shop_web_Deployment -> other_worker_Deployment [label="All Connections"];',
  '  shop_web_Deployment -> shop_db_Deployment [label="TCP 5432"];',
  '  peer_entire_cluster -> other_worker_Deployment [label="All Connections", style=dashed];',
  '  peer_shop_pods_with_app_web -> shop_db_Deployment [label="TCP 5432", style=dashed];',
  '  peer_all_namespaces_pods_with_addresses_in_10_0_0_0_16_10_2_0_0_10_255_255_255 -> shop_web_Deployment [label="TCP 8080", style=dashed];',
  '  peer_namespaces_with_team_ops_pods_with_app_prom -> shop_web_Deployment [label="TCP 8080", style=dashed];',
  '  other_worker_Deployment -> peer_entire_cluster [label="All Connections", style=dashed];',
  '  shop_db_Deployment -> peer_backup_all_pods [label="TCP port named s3", style=dashed];',
  '  shop_web_Deployment -> peer_entire_cluster [label="All Connections", style=dashed];',
  '  other_worker_Deployment [color=red]; // no policy protects it for ingress and egress',
  '  shop_web_Deployment [color=red]; // no policy protects it for egress',
  '}',
]);

/** The `exposure` member of the JSON, one entry per line. */
const JSON_INGRESS = [
  '{"workload":{"kind":"Deployment","namespace":"other","name":"worker"},"peer":{"kind":"External","range":"0.0.0.0-255.255.255.255"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}}',
  '{"workload":{"kind":"Deployment","namespace":"other","name":"worker"},"peer":{"kind":"Pods","namespaces":{},"pods":{},"text":"entire-cluster"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"db"},"peer":{"kind":"Pods","namespaces":{"matchLabels":{"kubernetes.io/metadata.name":"shop"}},"pods":{"matchLabels":{"app":"web"}},"text":"shop/[pods with app=web]"},"ports":{"TCP":[[5432,5432]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"External","range":"10.0.0.0-10.0.255.255"},"ports":{"TCP":[[8080,8080]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"External","range":"10.2.0.0-10.255.255.255"},"ports":{"TCP":[[8080,8080]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"External","range":"203.0.113.0-203.0.113.255"},"ports":{"TCP":[[8080,8080]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"Pods","namespaces":{},"pods":{},"addresses":["10.0.0.0-10.0.255.255","10.2.0.0-10.255.255.255"],"text":"[all namespaces]/[pods with addresses in 10.0.0.0/16,10.2.0.0-10.255.255.255]"},"ports":{"TCP":[[8080,8080]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"Pods","namespaces":{"matchLabels":{"team":"ops"}},"pods":{"matchLabels":{"app":"prom"}},"text":"[namespaces with team=ops]/[pods with app=prom]"},"ports":{"TCP":[[8080,8080]]}}',
];

const JSON_EGRESS = [
  '{"workload":{"kind":"Deployment","namespace":"other","name":"worker"},"peer":{"kind":"External","range":"0.0.0.0-255.255.255.255"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}}',
  '{"workload":{"kind":"Deployment","namespace":"other","name":"worker"},"peer":{"kind":"Pods","namespaces":{},"pods":{},"text":"entire-cluster"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"db"},"peer":{"kind":"Pods","namespaces":{"matchLabels":{"kubernetes.io/metadata.name":"backup"}},"pods":{},"text":"backup/[all pods]"},"ports":{},"namedPorts":[{"protocol":"TCP","name":"s3"}]}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"External","range":"0.0.0.0-255.255.255.255"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}}',
  '{"workload":{"kind":"Deployment","namespace":"shop","name":"web"},"peer":{"kind":"Pods","namespaces":{},"pods":{},"text":"entire-cluster"},"ports":{"SCTP":[[1,65535]],"TCP":[[1,65535]],"UDP":[[1,65535]]}}',
];

const JSON_UNPROTECTED = '{"ingress":[{"kind":"Deployment","namespace":"other","name":"worker"}],"egress":[{"kind":"Deployment","namespace":"other","name":"worker"},{"kind":"Deployment","namespace":"shop","name":"web"}]}';

describe('exposure analysis', () => {
  test('txt: connections, then ingress and egress exposure, then the workloads no policy protects', () => {
    expect(run('txt')).toBe(TXT);
  });

  test('json: the connections as in reach, plus a stable "exposure" member', () => {
    const out = run('json');
    expect(out.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(out);
    expect(Object.keys(parsed)).toEqual(['connections', 'exposure']);
    expect(parsed.connections).toHaveLength(9);
    expect(Object.keys(parsed.exposure)).toEqual(['ingress', 'egress', 'unprotected']);
    expect(parsed.exposure.ingress.map((x: unknown) => JSON.stringify(x))).toEqual(JSON_INGRESS);
    expect(parsed.exposure.egress.map((x: unknown) => JSON.stringify(x))).toEqual(JSON_EGRESS);
    expect(JSON.stringify(parsed.exposure.unprotected)).toBe(JSON_UNPROTECTED);
  });

  test('md: the connections table, then one table per section', () => {
    expect(run('md')).toBe(MD);
  });

  test('mermaid and dot: cluster peers as dashed hexagons, unprotected workloads marked', () => {
    expect(run('mermaid')).toBe(MERMAID);
    expect(run('dot')).toBe(DOT);
  });

  test('without anything to report, every section says so', () => {
    const model = buildModel([]);
    expect(formatExposure([], analyzeExposure(model), 'txt')).toBe(text([
      '',
      'Ingress exposure (what each workload admits from peers not in the input):',
      '(none)',
      '',
      'Egress exposure (what each workload may reach among peers not in the input):',
      '(none)',
      '',
      'Workloads no policy protects:',
      '(none)',
    ]));
  });

  test('an entry that another includes, peer and connections, is left out', () => {
    const model = withExtra(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: wide, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [ { from: [ { namespaceSelector: {} } ], ports: [ { port: 5432 } ] }, { from: [ { namespaceSelector: {} } ], ports: [ { port: 5432 } ] } ]
`);
    const db = model.workloads.filter((w) => w.name === 'db');
    expect(analyzeExposure(model, db).ingress.map((x) => `${x.peerText} : ${x.ports.toString()}`)).toEqual(['entire-cluster : TCP 5432']);
  });

  test('of two peers that include each other, with the same connections, the first by text is kept', () => {
    const model = withExtra(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: wide, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [ { from: [ { namespaceSelector: { matchExpressions: [ { key: kubernetes.io/metadata.name, operator: Exists } ] } } ] }, { from: [ { namespaceSelector: {} } ] } ]
`);
    const db = model.workloads.filter((w) => w.name === 'db');
    expect(analyzeExposure(model, db).ingress.map((x) => `${x.peerText} : ${x.ports.toString()}`)).toEqual(['[namespaces with kubernetes.io/metadata.name]/[all pods] : All Connections']);
  });

  test('a workload\'s region: its namespace by name, its labels and ports', () => {
    const model = buildModel(documentsToObjects(parseManifestText(EXPOSURE_YAML, 'app.yaml', false), 'app.yaml'));
    const web = model.workloads.find((w) => w.name === 'web')!;
    expect(workloadRegion(web)).toEqual({
      kind: 'pods',
      namespaces: { selector: expect.objectContaining({ requirements: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] }) },
      pods: { labels: { app: 'web' } },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  });
});

describe('exposure with cluster-wide policies', () => {
  const model = withExtra;
  const lines = (m: ReturnType<typeof model>, direction: 'ingress' | 'egress') => analyzeExposure(m)[direction].map((x) => `${x.workload.id} ${x.peerText} : ${x.ports.toString()}`);

  test('an admin Accept adds its peers; an admin Deny removes what it surely denies', () => {
    const m = model(`apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: platform }
spec:
  tier: Admin
  priority: 1
  subject: { pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } }, podSelector: { matchLabels: { app: db } } } }
  ingress:
    - { action: Deny, from: [ { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: web } } } } ] }
    - { action: Accept, from: [ { namespaces: { matchLabels: { kubernetes.io/metadata.name: backup } } } ], protocols: [ { tcp: { destinationPort: { number: 5432 } } } ] }
`);
    expect(lines(m, 'ingress').filter((l) => l.startsWith('shop/db'))).toEqual(['shop/db[Deployment] backup/[all pods] : TCP 5432']);
  });

  test('a workload a cluster-wide policy selects is not "unprotected", even without a NetworkPolicy', () => {
    const m = model(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: other } } }
  ingress: [ { action: Deny, from: [ { namespaces: {} } ] } ]
`);
    const e = analyzeExposure(m);
    expect(e.unprotected.ingress.map((w) => w.id)).toEqual([]);
    expect(e.unprotected.egress.map((w) => w.id)).toEqual(['other/worker[Deployment]', 'shop/web[Deployment]']);
    expect(lines(m, 'ingress').filter((l) => l.startsWith('other/'))).toEqual(['other/worker[Deployment] 0.0.0.0-255.255.255.255 : All Connections']);
  });
});

describe('exposure: merging, order and graphs', () => {
  const yaml = (text: string) => buildModel(documentsToObjects(parseManifestText(text, 'app.yaml', false), 'app.yaml'));
  const LONELY = `apiVersion: v1
kind: Pod
metadata: { name: lonely, namespace: quiet, labels: { app: lonely } }
spec: { containers: [ { name: c, image: x } ] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: lonely, namespace: quiet }
spec:
  podSelector: {}
  policyTypes: [ Ingress, Egress ]
  ingress:
    - from: [ { ipBlock: { cidr: 198.51.100.0/25 } }, { ipBlock: { cidr: 198.51.100.128/25 } } ]
      ports: [ { port: 80 } ]
    - from: [ { namespaceSelector: {} }, { namespaceSelector: {}, podSelector: { matchLabels: { app: x } } } ]
      ports: [ { port: 443 } ]
`;

  test('adjacent ranges with the same connections are one entry; a peer another includes is left out', () => {
    expect(analyzeExposure(yaml(LONELY)).ingress.map((x) => `${x.peerText} : ${x.ports.toString()}`)).toEqual([
      '198.51.100.0-198.51.100.255 : TCP 80',
      'entire-cluster : TCP 443',
    ]);
  });

  test('a workload that only exposure names (no connection listed) is drawn in its namespace', () => {
    const m = yaml(LONELY);
    expect(formatExposure([], analyzeExposure(m), 'mermaid')).toBe(text([
      'flowchart LR',
      '  subgraph ns_quiet["quiet"]',
      '    quiet_lonely_Pod["lonely[Pod]"]',
      '  end',
      '  peer_entire_cluster{{"entire-cluster"}}',
      '  peer_entire_cluster -.->|"TCP 443"| quiet_lonely_Pod',
    ]));
  });

  test('workloads are taken in id order, whatever order they are given in', () => {
    const m = yaml(EXPOSURE_YAML);
    const e = analyzeExposure(m, [...m.workloads].reverse());
    expect(e.unprotected.egress.map((w) => w.id)).toEqual(['other/worker[Deployment]', 'shop/web[Deployment]']);
    expect(e.egress.map((x) => x.workload.id)).toEqual([...e.egress.map((x) => x.workload.id)].sort());
  });

  test('the workloads no policy protects are listed in id order, with their directions', () => {
    const m = yaml(`apiVersion: v1
kind: Pod
metadata: { name: a, namespace: a }
spec: { containers: [ { name: c, image: x } ] }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: b }
spec: { containers: [ { name: c, image: x } ] }
---
apiVersion: v1
kind: Pod
metadata: { name: c, namespace: c }
spec: { containers: [ { name: c, image: x } ] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: in, namespace: a }
spec: { podSelector: {}, ingress: [ { from: [ { podSelector: {} } ] } ] }
`);
    expect(formatExposure([], analyzeExposure(m), 'txt').split('Workloads no policy protects:\n')[1]).toBe('a/a[Pod] : egress\nb/b[Pod] : ingress, egress\nc/c[Pod] : ingress, egress\n');
    expect(analyzeExposure(m, [...m.workloads].reverse()).unprotected.ingress.map((w) => w.id)).toEqual(['b/b[Pod]', 'c/c[Pod]']);
  });

  test('an unknown format is refused', () => {
    expect(() => formatExposure([], analyzeExposure(buildModel([])), 'xml' as never)).toThrow('unknown format xml');
  });
});
