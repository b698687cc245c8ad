/**
 * The public API of cdk8s-tenancy. Modules are exported by name, not with `export *`, so that
 * the helpers the constructs share (validation, rendering, file writing, the guard's door into
 * the analyzer) stay internal; `test/public-api.test.ts` lists what is exported.
 */
export { Port, PortSpec, Protocol } from './port';
export { IKplusPods, IPeer, LabelSelector, Peer, PeerConfig, PeerLike } from './peer';
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
export { SYNC_WAVE_ANNOTATION, SYNC_WAVES, TenantArgoCd, TenantArgoCdOptions, TenantArgoCdProps } from './argocd';
export {
  ArgoSourceOptions, BOOTSTRAP_FILE, IN_CLUSTER, PLATFORM_NAME, PLATFORM_SYNC_WAVES, PlatformArgoCd, PlatformArgoCdProps,
} from './platform-argocd';
export {
  BANP_NAME, BASELINE_CNP_NAME, BaselineApi, ClusterBaseline, ClusterBaselineProps, DEFAULT_BASELINE_PRIORITY,
} from './baseline';
export { AdminIsolation, AdminIsolationOptions, DEFAULT_ADMIN_PRIORITY } from './admin-isolation';
export {
  AdmissionPolicyPair, ARGOCD_APPLICATION_CONTROLLER, MANAGED_OBJECTS_POLICY_NAME, NETWORK_POLICIES_POLICY_NAME, TenantProtection,
  TenantProtectionProps,
} from './protection';
export { OWNER_ROLE_NAME, OWNER_ROLE_RULES, OwnerRole } from './owner-role';
export { CLUSTER_FILE, CUSTOM_RESOURCES_DIR, TenancyApp, TenancyAppProps } from './app';
export { ITenancySettings, TenancySettings, TenancySettingsProps } from './settings';
export { EGRESS_GRANTS_ANNOTATION, GRANTS_ANNOTATION, MANAGED_BY, TENANT_LABEL } from './labels';
export { TENANCY_RULE, TenancyValidation, TenancyValidationContext, TenancyValidationProps } from './plugin';
export * as analysis from './analysis';
