/**
 * The network policy reachability engine (NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy,
 * ClusterNetworkPolicy): load manifests, analyze who can reach whom, render, diff, explain and check the tenancy
 * invariants. Independent of cdk8s.
 */
export * from './errors';
export * from './ports';
export * from './ipv4';
export * from './selector';
export * from './model';
export * from './identity';
export * from './lists';
export * from './unknown-fields';
export * from './diagnostics';
export * from './cluster-policy';
export * from './cluster-match';
export * from './parse-cluster-policy';
export * from './validate-cluster-policy';
export * from './build';
export * from './netpol';
export * from './workloads';
export * from './load';
export * from './match';
export * from './tiers';
export * from './reachability';
export * from './engine';
export * from './formats';
export * from './diff';
export * from './explain';
export * from './explain-format';
export * from './check';
export * from './annotations';
export * from './integrity';
export * from './exposure-format';
export * from './symbolic/tri';
export * from './symbolic/selectors';
export * from './symbolic/sym-ports';
export * from './symbolic/region';
export * from './symbolic/render';
export * from './symbolic/evaluator';
export * from './symbolic/cluster-tiers';
export * from './symbolic/grants';
export * from './symbolic/exposure';
