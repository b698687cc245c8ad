export * from './quota';
export * from './owners';
export * from './pod-security';
export * from './argocd';
export * from './baseline';
export * from './cluster-policy';
export * from './admin-isolation';
export * from './protection';
