/**
 * The output formats of `tenancy reach`.
 */
import { loadAll } from 'js-yaml';
import { analyze, focusOn, formatConnections, formatDot, formatJson, formatMarkdown, formatMermaid, formatTxt, Reachability } from '../../src/analysis';
import { APP_JSON, APP_TXT, APP_YAML } from './fixture';

let r!: Reachability;
beforeEach(() => { r = analyze(loadAll(APP_YAML) as object[]); });

test('txt: one sorted line per allowed pair, SRC => DST : CONNS', () => {
  expect(formatTxt(r.connections)).toBe(APP_TXT);
});

test('json: the exact shape, protocols without ports left out', () => {
  expect(formatJson(r.connections)).toBe(APP_JSON);
  expect(JSON.parse(formatJson([])).connections).toEqual([]);
});

test('md: a table', () => {
  expect(formatMarkdown(r.connections)).toBe([
    '| Source | Destination | Connections |',
    '| --- | --- | --- |',
    '| 0.0.0.0-255.255.255.255[External] | default/frontend[Deployment] | TCP 8080 |',
    '| default/frontend[Deployment] | 0.0.0.0-255.255.255.255[External] | All Connections |',
    '| default/frontend[Deployment] | default/backend[Deployment] | TCP 8080-8090,9090,UDP 53 |',
    '',
  ].join('\n'));
});

test('mermaid: namespaces as subgraphs, sanitized ids, labelled edges', () => {
  expect(formatMermaid(r.connections)).toBe([
    'flowchart LR',
    '  subgraph ns_default["default"]',
    '    default_backend_Deployment["backend[Deployment]"]',
    '    default_frontend_Deployment["frontend[Deployment]"]',
    '  end',
    '  n0_0_0_0_255_255_255_255_External["0.0.0.0-255.255.255.255[External]"]',
    '  n0_0_0_0_255_255_255_255_External -->|"TCP 8080"| default_frontend_Deployment',
    '  default_frontend_Deployment -->|"All Connections"| n0_0_0_0_255_255_255_255_External',
    '  default_frontend_Deployment -->|"TCP 8080-8090,9090,UDP 53"| default_backend_Deployment',
    '',
  ].join('\n'));
});

test('dot: namespaces as clusters', () => {
  const dot = formatDot(r.connections);
  expect(dot).toContain('subgraph cluster_ns_default {\n    label="default";\n    default_backend_Deployment [label="backend[Deployment]"];');
  expect(dot).toContain('default_frontend_Deployment -> default_backend_Deployment [label="TCP 8080-8090,9090,UDP 53"];');
  expect(dot.startsWith('digraph reachability {\n')).toBe(true);
  expect(dot.endsWith('}\n')).toBe(true);
});

test('ids that sanitize to the same text stay distinct', () => {
  const objs = ['a-b', 'a.b'].map((n) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: n, namespace: 'x' } }));
  const text = formatMermaid(analyze(objs).connections);
  expect(text).toContain('x_a_b_Pod -->|"All Connections"| x_a_b_Pod_2');
});

test('focus keeps the pairs where either side is the workload', () => {
  expect(formatConnections(focusOn(r.connections, 'default/backend[Deployment]'), 'txt'))
    .toBe('default/frontend[Deployment] => default/backend[Deployment] : TCP 8080-8090,9090,UDP 53\n');
});
