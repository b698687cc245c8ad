import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { podSpecOf } from './guard';
import { isKplusPods } from './kplus';
import { errorAt } from './names';
import { podOwnersIn } from './pod-owners';
import { Workload } from './workload';
import type { ITenant } from './tenant-types';

/** A Pod Security Standards level (the value of the `pod-security.kubernetes.io/*` labels). */
export enum PodSecurityLevel {
  /** Unrestricted: anything goes, including privileged pods and host access. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations: no privileged containers, host namespaces, hostPath, host ports. */
  BASELINE = 'baseline',
  /** Hardened: baseline plus non-root, no privilege escalation, all capabilities dropped, a seccomp profile. */
  RESTRICTED = 'restricted',
}

/** The Pod Security Admission label prefix. */
export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io';

/** Options of a tenant's Pod Security Admission labels (`PodSecurity`). */
export interface PodSecurityOptions {
  /**
   * The level the API server enforces: pods that violate it are rejected.
   * @default - the strictest level every pod of the tenant's namespaces passes at synth (of
   * any construct, inside the tenant's construct scope or not): `restricted` if
   * they all can, else `baseline`; a pod that fails `baseline` is an error (choose
   * `PodSecurityLevel.PRIVILEGED` explicitly)
   */
  readonly level?: PodSecurityLevel;
  /**
   * The level recorded in the audit log for violating pods.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly audit?: PodSecurityLevel;
  /**
   * The level users are warned about (kubectl prints the warnings, for pods and for
   * Deployments alike).
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly warn?: PodSecurityLevel;
  /**
   * The Pod Security Standards version the levels refer to: `latest` or a minor version such as `v1.30`.
   * @default 'latest'
   */
  readonly version?: string;
}

/** How to make a workload pass `restricted`, by what made it. */
const RESTRICTED_FIX = {
  workload: 'Run it as non-root with dropped capabilities (for a Workload: runAsNonRoot: true, with an image built for it, e.g. nginxinc/nginx-unprivileged on port 8080)',
  kplus: 'Set the fields named above (cdk8s-plus has no setting for a seccomp profile nor for dropping ALL capabilities: add them with ApiObject.of(workload).addJsonPatch(JsonPatch.add(...)))',
  other: 'Set the fields named above in its pod spec',
};

/** Props of a `PodSecurity`. */
export interface PodSecurityProps extends PodSecurityOptions {}

const LEVEL_RANK: Record<PodSecurityLevel, number> = {
  [PodSecurityLevel.PRIVILEGED]: 0,
  [PodSecurityLevel.BASELINE]: 1,
  [PodSecurityLevel.RESTRICTED]: 2,
};

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * The checks of the Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
 * that a pod spec fails at a level; empty when it passes. `privileged` passes everything.
 *
 * Baseline: no host namespaces, privileged containers, added capabilities beyond the default
 * set, hostPath volumes, host ports, `Unconfined` seccomp, custom SELinux users/roles/types,
 * unmasked `/proc`, unsafe sysctls or Windows host processes. Restricted adds: only the volume
 * types `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, `persistentVolumeClaim`,
 * `projected`, `secret`; `allowPrivilegeEscalation: false`; `runAsNonRoot: true` and no
 * `runAsUser: 0`; a `RuntimeDefault` or `Localhost` seccomp profile; capabilities `drop: [ALL]`
 * and at most `NET_BIND_SERVICE` added. AppArmor annotations are not checked.
 *
 * Messages follow the API server's style: `check (detail)`.
 */
export function podSecurityViolations(podSpec: any, level: PodSecurityLevel): string[] {
  if (level === PodSecurityLevel.PRIVILEGED) return [];
  const spec = podSpec ?? {};
  const out: string[] = [];
  const psc = spec.securityContext ?? {};
  const containers: any[] = [
    ...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? []),
  ];
  const named = (cs: any[]) => cs.map((c) => `"${c.name}"`).join(', ');
  const plural = (cs: any[]) => (cs.length === 1 ? 'container' : 'containers');

  // ---- baseline ----
  const hostNs = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => spec[k] === true);
  if (hostNs.length) out.push(`host namespaces (${hostNs.map((k) => `${k}=true`).join(', ')})`);

  const privileged = containers.filter((c) => c.securityContext?.privileged === true);
  if (privileged.length) out.push(`privileged (${plural(privileged)} ${named(privileged)} must not set securityContext.privileged=true)`);

  const badAdd = containers.filter((c) => (c.securityContext?.capabilities?.add ?? []).some((cap: string) => !BASELINE_CAPABILITIES.has(cap)));
  if (badAdd.length) {
    const caps = [...new Set(badAdd.flatMap((c) => c.securityContext.capabilities.add.filter((cap: string) => !BASELINE_CAPABILITIES.has(cap))))];
    out.push(`non-default capabilities (${plural(badAdd)} ${named(badAdd)} must not include ${caps.map((c) => `"${c}"`).join(', ')} in securityContext.capabilities.add)`);
  }

  const hostPaths = (spec.volumes ?? []).filter((v: any) => v.hostPath !== undefined);
  if (hostPaths.length) out.push(`hostPath volumes (${hostPaths.map((v: any) => `"${v.name}"`).join(', ')})`);

  const hostPorts = containers.filter((c) => (c.ports ?? []).some((p: any) => p.hostPort !== undefined && p.hostPort !== 0));
  if (hostPorts.length) {
    const ports = hostPorts.flatMap((c) => (c.ports ?? []).filter((p: any) => p.hostPort).map((p: any) => p.hostPort));
    out.push(`hostPort (${plural(hostPorts)} ${named(hostPorts)} ${hostPorts.length === 1 ? 'uses' : 'use'} hostPort ${ports.join(', ')})`);
  }

  const unconfined: string[] = [];
  if (psc.seccompProfile?.type === 'Unconfined') unconfined.push('pod');
  for (const c of containers) if (c.securityContext?.seccompProfile?.type === 'Unconfined') unconfined.push(`container "${c.name}"`);
  if (unconfined.length) out.push(`seccompProfile (${unconfined.join(', ')} must not set securityContext.seccompProfile.type to "Unconfined")`);

  const seLinuxBad = [psc, ...containers.map((c) => c.securityContext ?? {})].some((sc) => {
    const o = sc.seLinuxOptions;
    return o && (o.user !== undefined || o.role !== undefined || (o.type !== undefined && !SELINUX_TYPES.has(o.type)));
  });
  if (seLinuxBad) out.push('seLinuxOptions (only the types container_t, container_init_t, container_kvm_t and container_engine_t may be set, and no user or role)');

  const procMount = containers.filter((c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== 'Default');
  if (procMount.length) out.push(`procMount (${plural(procMount)} ${named(procMount)} must not set securityContext.procMount to anything but "Default")`);

  const sysctls = (psc.sysctls ?? []).map((s: any) => s.name).filter((n: string) => !SAFE_SYSCTLS.has(n));
  if (sysctls.length) out.push(`forbidden sysctls (${sysctls.join(', ')})`);

  const hostProcess = psc.windowsOptions?.hostProcess === true || containers.some((c) => c.securityContext?.windowsOptions?.hostProcess === true);
  if (hostProcess) out.push('hostProcess (pod or containers must not set securityContext.windowsOptions.hostProcess=true)');

  if (level === PodSecurityLevel.BASELINE) return out;

  // ---- restricted ----
  const badVolumes = (spec.volumes ?? []).filter((v: any) => {
    const types = Object.keys(v).filter((k) => k !== 'name');
    return types.some((t) => !RESTRICTED_VOLUMES.has(t));
  });
  if (badVolumes.length) {
    out.push(`restricted volume types (${badVolumes.map((v: any) => `volume "${v.name}" uses ${Object.keys(v).filter((k) => k !== 'name' && !RESTRICTED_VOLUMES.has(k)).join(', ')}`).join('; ')})`);
  }

  const escalation = containers.filter((c) => c.securityContext?.allowPrivilegeEscalation !== false);
  if (escalation.length) out.push(`allowPrivilegeEscalation != false (${plural(escalation)} ${named(escalation)} must set securityContext.allowPrivilegeEscalation=false)`);

  const podNonRoot = psc.runAsNonRoot === true;
  const explicitRoot = containers.filter((c) => c.securityContext?.runAsNonRoot === false);
  const unsetNonRoot = podNonRoot ? [] : containers.filter((c) => c.securityContext?.runAsNonRoot !== true);
  if (psc.runAsNonRoot === false || explicitRoot.length || unsetNonRoot.length) {
    const offenders = containers.filter((c) => explicitRoot.includes(c) || unsetNonRoot.includes(c));
    out.push(`runAsNonRoot != true (pod or ${plural(offenders)} ${named(offenders)} must set securityContext.runAsNonRoot=true)`);
  }

  const rootUser = (psc.runAsUser === 0 ? ['pod'] : []).concat(containers.filter((c) => c.securityContext?.runAsUser === 0).map((c) => `container "${c.name}"`));
  if (rootUser.length) out.push(`runAsUser=0 (${rootUser.join(', ')} must not set runAsUser=0)`);

  const okProfile = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const podProfile = okProfile(psc.seccompProfile?.type);
  const noProfile = containers.filter((c) => {
    const t = c.securityContext?.seccompProfile?.type;
    return t === undefined ? !podProfile : !okProfile(t);
  });
  if (noProfile.length || (psc.seccompProfile?.type !== undefined && !podProfile)) {
    out.push(`seccompProfile (pod or ${plural(noProfile)} ${named(noProfile)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`);
  }

  const noDrop = containers.filter((c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
  if (noDrop.length) out.push(`unrestricted capabilities (${plural(noDrop)} ${named(noDrop)} must set securityContext.capabilities.drop=["ALL"])`);
  const extraAdd = containers.filter((c) => (c.securityContext?.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE'));
  if (extraAdd.length) out.push(`unrestricted capabilities (${plural(extraAdd)} ${named(extraAdd)} must not add capabilities other than "NET_BIND_SERVICE")`);

  return out;
}

/** The pod spec of an object, for the kinds that run pods (re-exported from the analyzer). */
export { podSpecOf };

/**
 * Pod Security Admission labels on every Namespace of a tenant:
 * `pod-security.kubernetes.io/enforce`, `audit` and `warn`, each with its `-version`.
 *
 * The pods judged are those of every workload in the tenant's namespaces, whatever made it
 * (`addWorkload`, cdk8s-plus, a raw `ApiObject`) and wherever it sits in the construct tree:
 * the labels apply to every pod of the namespace.
 *
 * Without an explicit `level`, the enforced level is decided at synth (so workloads added
 * after this construct count): `restricted` when every such pod passes it, else `baseline`.
 * An explicit level that one of them violates is a synth error that names the workload (kind,
 * name and construct path), the failed checks with their fields, and the fix: for `restricted`, a Workload with
 * `runAsNonRoot: true` and an image that runs as non-root (for nginx,
 * `nginxinc/nginx-unprivileged` listening on 8080), or `PodSecurityLevel.BASELINE`.
 */
export class PodSecurity extends Construct {
  /** The `-version` labels' value. */
  public readonly version: string;
  /** The audit level. */
  public readonly audit: PodSecurityLevel;
  /** The warn level. */
  public readonly warn: PodSecurityLevel;
  private readonly explicitLevel?: PodSecurityLevel;

  /** The level given explicitly, if any (`level` is the effective one). */
  public get explicit(): PodSecurityLevel | undefined {
    return this.explicitLevel;
  }
  private readonly tenant: ITenant;

  constructor(tenant: ITenant, id: string, props: PodSecurityProps = {}) {
    super(tenant, id);
    const path = this.node.path;
    this.tenant = tenant;
    for (const [k, v] of [['level', props.level], ['audit', props.audit], ['warn', props.warn]] as const) {
      if (v !== undefined && !Object.values(PodSecurityLevel).includes(v)) {
        throw errorAt(path, `${k} ${JSON.stringify(v)} is not one of PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED.`);
      }
    }
    this.version = props.version ?? 'latest';
    if (!/^(latest|v1\.(0|[1-9][0-9]*))$/.test(this.version)) {
      throw errorAt(path, `version ${JSON.stringify(this.version)} is not a Pod Security Standards version: use "latest" or a Kubernetes minor version such as "v1.30".`);
    }
    this.explicitLevel = props.level;
    this.audit = props.audit ?? PodSecurityLevel.RESTRICTED;
    this.warn = props.warn ?? PodSecurityLevel.RESTRICTED;

    const enforce = Lazy.any({ produce: () => this.level }) as unknown as string;
    for (const ns of tenant.namespaceObjects) {
      ns.metadata.addLabel(`${PSA_LABEL_PREFIX}/enforce`, enforce);
      ns.metadata.addLabel(`${PSA_LABEL_PREFIX}/enforce-version`, this.version);
      ns.metadata.addLabel(`${PSA_LABEL_PREFIX}/audit`, this.audit);
      ns.metadata.addLabel(`${PSA_LABEL_PREFIX}/audit-version`, this.version);
      ns.metadata.addLabel(`${PSA_LABEL_PREFIX}/warn`, this.warn);
      ns.metadata.addLabel(`${PSA_LABEL_PREFIX}/warn-version`, this.version);
    }

    const labelled = new Set(tenant.namespaceObjects);
    this.node.addValidation({
      validate: () => [
        ...tenant.namespaceObjects
          .filter((ns) => !labelled.has(ns))
          .map((ns) => `Namespace "${ns.name}" of tenant "${tenant.name}" has no Pod Security labels: it was added after this PodSecurity was created. Create the PodSecurity after all the tenant's namespaces.`),
        ...this.validatePods(),
      ],
    });
  }

  /**
   * The pod specs of the tenant's namespaces, rendered once per validation pass: validation
   * runs before any object is rendered (in `TenancyApp` and in cdk8s's `App.synth`), so the
   * enforce label rendered afterwards reuses them instead of rendering every workload again.
   */
  private cache?: Array<{ what: string; spec: any; fix: string }>;

  /**
   * The enforced level: the explicit one, or the strictest level every pod of the tenant's
   * namespaces passes now, whatever construct made it (`restricted` or `baseline`; `baseline` when even that fails, which synth reports).
   */
  public get level(): PodSecurityLevel {
    if (this.explicitLevel !== undefined) return this.explicitLevel;
    const specs = (this.cache ?? this.podSpecs()).map((p) => p.spec);
    return specs.every((s) => podSecurityViolations(s, PodSecurityLevel.RESTRICTED).length === 0)
      ? PodSecurityLevel.RESTRICTED
      : PodSecurityLevel.BASELINE;
  }

  /**
   * Every pod spec of the tenant's namespaces: of this package's workloads, of cdk8s-plus, of
   * raw objects, inside the tenant's construct scope or not.
   */
  private podSpecs(): Array<{ what: string; spec: any; fix: string }> {
    const out: Array<{ what: string; spec: any; fix: string }> = [];
    for (const owner of podOwnersIn(this, this.tenant.namespaces)) {
      const spec = owner.podSpec;
      if (spec === undefined) continue;
      const maker = owner.object.node.scope;
      const fix = Workload.isWorkload(maker) ? RESTRICTED_FIX.workload : isKplusPods(maker) ? RESTRICTED_FIX.kplus : RESTRICTED_FIX.other;
      out.push({ what: owner.description, spec, fix });
    }
    return out;
  }

  private validatePods(): string[] {
    this.cache = this.podSpecs();
    const level = this.level;
    const errors: string[] = [];
    for (const { what, spec, fix: restrictedFix } of this.cache) {
      const v = podSecurityViolations(spec, level);
      if (!v.length) continue;
      const lower = LEVEL_RANK[level] > LEVEL_RANK[PodSecurityLevel.BASELINE]
        ? 'PodSecurityLevel.BASELINE'
        : 'PodSecurityLevel.PRIVILEGED';
      const fix = level === PodSecurityLevel.RESTRICTED ? restrictedFix : 'Remove the privileged settings from its pod spec';
      const how = this.explicitLevel === undefined ? 'explicitly' : 'instead';
      errors.push(`${what} of tenant "${this.tenant.name}" violates Pod Security level "${level}": ${v.join('; ')}. ${fix}, or choose level: ${lower} ${how}.`);
    }
    return errors;
  }
}
