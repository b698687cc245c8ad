/**
 * The public API of cdk8s-tenancy. Modules are exported by name, not with `export *`, so that
 * the helpers the constructs share (validation, rendering, file writing, the guard's door into
 * the analyzer) stay internal; `test/public-api.test.ts` lists what is exported.
 */
export { Port, PortSpec, Protocol } from './port';
export { IPeer, LabelSelector, Peer, PeerConfig } from './peer';
export { ServiceType, Workload, WorkloadOptions, WorkloadProps, WorkloadResources } from './workload';
export {
  EgressIsolationOptions, ExternalTrafficOptions, IngressControllerOptions, ITenant, NON_INTERNET_RANGES, TenantIsolation,
} from './tenant-types';
export { IsolatedTenant, IsolatedTenantProps } from './tenant';
export { DbWebappLink, DbWebappLinkProps } from './db-webapp-link';
export {
  TENANT_LIMITS_NAME, TENANT_QUOTA_DEFAULTS, TENANT_QUOTA_NAME, TenantQuota, TenantQuotaOptions, TenantQuotaProps, TenantQuotaValues,
} from './quota';
export { TENANT_OWNERS_NAME, TENANT_VIEWERS_NAME, TenantOwners, TenantOwnersOptions, TenantOwnersProps } from './owners';
export { PodSecurity, PodSecurityLevel, PodSecurityOptions, PodSecurityProps, PSA_LABEL_PREFIX } from './pod-security';
export { IN_CLUSTER, SYNC_WAVE_ANNOTATION, SYNC_WAVES, TenantArgoCd, TenantArgoCdOptions, TenantArgoCdProps } from './argocd';
export { BANP_NAME, ClusterBaseline, ClusterBaselineProps } from './baseline';
export { CLUSTER_FILE, CUSTOM_RESOURCES_DIR, TenancyApp, TenancyAppProps } from './app';
export { ITenancySettings, TenancySettings, TenancySettingsProps } from './settings';
export { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, MANAGED_BY, TENANT_LABEL } from './labels';
export { TENANCY_RULE, TenancyValidation, TenancyValidationContext, TenancyValidationProps } from './plugin';
export * as analysis from './analysis';
