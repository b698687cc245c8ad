/**
 * The package's public API: what `src/index.ts` exports, types included (read with the
 * TypeScript compiler), is this list. Internals the constructs share (file writing, the guard's
 * door into the analyzer, validation helpers) are not exported; adding to the API is a decision
 * this test makes visible.
 */
import * as path from 'path';
import * as ts from 'typescript';

const INDEX = path.join(__dirname, '..', 'src', 'index.ts');

function exportsOf(file: string): string[] {
  const program = ts.createProgram([file], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(module).map((s) => s.name).sort();
}

describe('public API', () => {
  const names = exportsOf(INDEX);

  test('the index exports exactly the constructs, their props, values, constants, the plugin and the analysis', () => {
    expect(names).toEqual([
      'ARGOCD_APPLICATION_CONTROLLER', 'AdminIsolation', 'AdminIsolationOptions', 'AdmissionPolicyPair', 'ArgoSourceOptions',
      'BANP_NAME', 'BASELINE_CNP_NAME', 'BOOTSTRAP_FILE', 'BaselineApi', 'CLUSTER_FILE', 'CUSTOM_RESOURCES_DIR', 'ClusterBaseline', 'ClusterBaselineProps',
      'DEFAULT_ADMIN_PRIORITY', 'DEFAULT_BASELINE_PRIORITY', 'DbWebappLink', 'DbWebappLinkProps',
      'EGRESS_GRANTS_ANNOTATION', 'EgressIsolationOptions', 'ExternalTrafficOptions', 'GRANTS_ANNOTATION', 'IKplusPods', 'IN_CLUSTER', 'IPeer', 'ITenancySettings', 'ITenant', 'IngressControllerOptions',
      'IsolatedTenant', 'IsolatedTenantProps', 'LabelSelector', 'MANAGED_BY', 'MANAGED_OBJECTS_POLICY_NAME', 'NETWORK_POLICIES_POLICY_NAME', 'NON_INTERNET_RANGES',
      'OWNER_ROLE_NAME', 'OWNER_ROLE_RULES', 'OwnerRole', 'PLATFORM_NAME', 'PLATFORM_SYNC_WAVES', 'PSA_LABEL_PREFIX', 'Peer', 'PeerConfig', 'PeerLike',
      'PlatformArgoCd', 'PlatformArgoCdProps',
      'PodSecurity', 'PodSecurityLevel', 'PodSecurityOptions', 'PodSecurityProps', 'Port', 'PortSpec', 'Protocol', 'SYNC_WAVES',
      'SYNC_WAVE_ANNOTATION', 'ServiceType', 'TENANCY_RULE', 'TENANT_LABEL', 'TENANT_LIMITS_NAME', 'TENANT_OWNERS_NAME', 'TENANT_QUOTA_DEFAULTS',
      'TENANT_QUOTA_NAME', 'TENANT_VIEWERS_NAME', 'TenancyApp', 'TenancyAppProps', 'TenancySettings', 'TenancySettingsProps', 'TenancyValidation', 'TenancyValidationContext',
      'TenancyValidationProps', 'TenantArgoCd', 'TenantArgoCdOptions', 'TenantArgoCdProps', 'TenantIsolation', 'TenantOwners',
      'TenantOwnersOptions', 'TenantOwnersProps', 'TenantProtection', 'TenantProtectionProps', 'TenantQuota', 'TenantQuotaOptions', 'TenantQuotaProps', 'TenantQuotaValues', 'Workload',
      'WorkloadOptions', 'WorkloadProps', 'WorkloadResources', 'analysis',
    ]);
  });

  test('internals stay internal', () => {
    for (const internal of [
      'writeFilesAtomically', 'progressReporter', 'toYaml', 'collectObjects', 'addAppCheck', 'isCustomResource', 'SynthesizedObject', 'IAppCheck',
      'parseCidr', 'podSpecOf', 'DEFAULT_POD_CIDRS', 'WORKLOAD_KINDS', 'enableIsolationGuard', 'isolationGuard',
      'errorAt', 'validateRfc1123Label', 'validateSelector', 'withPath', 'resolvePeer', 'renderPeer', 'networkPolicy', 'tenantLabels',
      'parseQuantity', 'parseCpu', 'parseMemory', 'formatCpu', 'formatMemory', 'podSecurityViolations', 'grantsFor', 'stableJson',
      'claimNamespace', 'tenantNamed', 'isolateNamespace', 'SYSTEM_NAMESPACES', 'didYouMean', 'exceptPodNetworks', 'egressGrantsFor', 'cdk8sOutputFiles', 'plainAppProblems', 'helmSafeName', 'syncPathOf',
      'placeInFile', 'outputFileOf', 'validatePriority', 'namespacesNamed', 'protocolsOf', 'ingressRules', 'egressRules', 'validateDeployer',
      'resolveArgoSource', 'adminIsolationsOf', 'platformArgoCdOf', 'ownerRoleOf', 'clusterBaselineOf',
    ]) {
      expect(names).not.toContain(internal);
    }
  });

  test('what is exported at run time is what the types say (values only)', () => {
    const runtime = Object.keys(require('../src')).sort();
    expect(runtime.every((n) => names.includes(n))).toBe(true);
    expect(runtime).toContain('TenancyValidation');
  });
});
