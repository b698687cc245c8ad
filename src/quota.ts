import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { tenantLabels } from './labels';
import { podSpecOf } from './guard';
import { errorAt } from './names';
import type { ITenant } from './tenant-types';

/** The name of the ResourceQuota written into each tenant namespace. */
export const TENANT_QUOTA_NAME = 'tenant-quota';
/** The name of the LimitRange written into each tenant namespace. */
export const TENANT_LIMITS_NAME = 'tenant-limits';

/**
 * Options of a tenant's quota and default container resources (`TenantQuota`).
 *
 * The defaults fit a small team's web services: about two CPUs and 4 GiB of requests,
 * twice that in limits, 20 pods, one load balancer, two node ports.
 */
export interface TenantQuotaOptions {
  /**
   * Total CPU requests of all pods of a namespace (`requests.cpu`), e.g. `'2'` or `'1500m'`.
   * @default '2'
   */
  readonly requestsCpu?: string;
  /**
   * Total memory requests of all pods of a namespace (`requests.memory`), e.g. `'4Gi'`.
   * @default '4Gi'
   */
  readonly requestsMemory?: string;
  /**
   * Total CPU limits of all pods of a namespace (`limits.cpu`).
   * @default '4'
   */
  readonly limitsCpu?: string;
  /**
   * Total memory limits of all pods of a namespace (`limits.memory`).
   * @default '8Gi'
   */
  readonly limitsMemory?: string;
  /**
   * Number of pods (`pods`), counting pods of every phase but Succeeded and Failed.
   * @default 20
   */
  readonly pods?: number;
  /**
   * Number of Services of any type (`services`).
   * @default 10
   */
  readonly services?: number;
  /**
   * Number of Services of type LoadBalancer (`services.loadbalancers`); each costs a cloud load balancer.
   * @default 1
   */
  readonly loadBalancers?: number;
  /**
   * Number of Services that allocate node ports (`services.nodeports`): NodePort and LoadBalancer.
   * @default 2
   */
  readonly nodePorts?: number;
  /**
   * Number of PersistentVolumeClaims (`persistentvolumeclaims`).
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
  /**
   * CPU request given to a container that sets none (LimitRange `defaultRequest.cpu`).
   * @default '100m'
   */
  readonly defaultCpuRequest?: string;
  /**
   * Memory request given to a container that sets none (LimitRange `defaultRequest.memory`).
   * @default '64Mi'
   */
  readonly defaultMemoryRequest?: string;
  /**
   * CPU limit given to a container that sets none (LimitRange `default.cpu`). A quota on
   * `limits.cpu` rejects pods without a CPU limit, so the LimitRange must supply one.
   * @default '500m'
   */
  readonly defaultCpuLimit?: string;
  /**
   * Memory limit given to a container that sets none (LimitRange `default.memory`).
   * @default '256Mi'
   */
  readonly defaultMemoryLimit?: string;
}

/** Props of a `TenantQuota`. */
export interface TenantQuotaProps extends TenantQuotaOptions {}

/** The resolved values of a `TenantQuota`, as written to the cluster. */
export interface TenantQuotaValues {
  /** `requests.cpu` of the ResourceQuota. */
  readonly requestsCpu: string;
  /** `requests.memory` of the ResourceQuota. */
  readonly requestsMemory: string;
  /** `limits.cpu` of the ResourceQuota. */
  readonly limitsCpu: string;
  /** `limits.memory` of the ResourceQuota. */
  readonly limitsMemory: string;
  /** `pods` of the ResourceQuota. */
  readonly pods: number;
  /** `services` of the ResourceQuota. */
  readonly services: number;
  /** `services.loadbalancers` of the ResourceQuota. */
  readonly loadBalancers: number;
  /** `services.nodeports` of the ResourceQuota. */
  readonly nodePorts: number;
  /** `persistentvolumeclaims` of the ResourceQuota. */
  readonly persistentVolumeClaims: number;
  /** `defaultRequest.cpu` of the LimitRange. */
  readonly defaultCpuRequest: string;
  /** `defaultRequest.memory` of the LimitRange. */
  readonly defaultMemoryRequest: string;
  /** `default.cpu` of the LimitRange. */
  readonly defaultCpuLimit: string;
  /** `default.memory` of the LimitRange. */
  readonly defaultMemoryLimit: string;
}

/** The defaults of `TenantQuotaOptions`. */
export const TENANT_QUOTA_DEFAULTS: TenantQuotaValues = {
  requestsCpu: '2',
  requestsMemory: '4Gi',
  limitsCpu: '4',
  limitsMemory: '8Gi',
  pods: 20,
  services: 10,
  loadBalancers: 1,
  nodePorts: 2,
  persistentVolumeClaims: 10,
  defaultCpuRequest: '100m',
  defaultMemoryRequest: '64Mi',
  defaultCpuLimit: '500m',
  defaultMemoryLimit: '256Mi',
};

const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * Parses a Kubernetes quantity (`500m`, `1.5`, `64Mi`, `1G`, `1e3`) into its value in base
 * units (cores for CPU, bytes for memory). Throws on anything the API server would reject,
 * with a hint for the usual slips (`K` for `k` or `Ki`, `MB`, `Mib`).
 * @param what what the value is, for the message (`requestsCpu`)
 */
export function parseQuantity(value: string, what: string, path?: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  const m = typeof text === 'string' ? QUANTITY.exec(text) : null;
  if (!m) {
    let hint = '';
    const bad = typeof text === 'string' ? /^([0-9.]+)\s*(K|KB|KiB|kb|Kb|MB|MiB|Mib|GB|GiB|Gib|mi|gi|ki)$/.exec(text) : null;
    if (bad) {
      const unit = bad[2];
      const letter = unit[0].toUpperCase();
      const binary = `${bad[1]}${letter}i`;
      const decimal = `${bad[1]}${letter === 'K' ? 'k' : letter}`;
      hint = ` Did you mean "${binary}" (binary) or "${decimal}" (decimal)?`;
    }
    throw errorAt(path, `${what} ${JSON.stringify(value)} is not a Kubernetes quantity such as "500m", "2", "256Mi" or "1Gi".${hint}`);
  }
  const suffix = m[2] ?? '';
  const n = Number(m[1]);
  if (suffix in BINARY) return n * BINARY[suffix];
  if (suffix in DECIMAL) return n * DECIMAL[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

/** Parses a CPU quantity into millicores (`'1'` → 1000, `'250m'` → 250). */
export function parseCpu(value: string, what = 'CPU quantity', path?: string): number {
  const cores = parseQuantity(value, what, path);
  return Math.round(cores * 1e6) / 1e3;
}

/** Parses a memory quantity into bytes (`'64Mi'` → 67108864, `'1G'` → 1e9). */
export function parseMemory(value: string, what = 'memory quantity', path?: string): number {
  return parseQuantity(value, what, path);
}

/**
 * A ResourceQuota (`tenant-quota`) and a LimitRange (`tenant-limits`) in every namespace of
 * a tenant: caps on CPU, memory, pods, Services, load balancers, node ports and volume
 * claims, and default requests and limits for containers that set none (which the quota's
 * `requests.*` and `limits.*` entries require).
 *
 * Values are checked when the construct is created: every quantity must parse, and the
 * LimitRange's defaults must fit (a default request above its default limit, or a quota
 * below a single container's default, would reject every pod). At synth, the tenant's own
 * objects in each namespace are checked against the quota, with the LimitRange defaults
 * applied and the extra pods of a Deployment's rolling update counted (25% surge by default):
 * pods, Services, load balancers, node ports, claims, CPU and memory requests and limits, and
 * containers whose request exceeds the default limit they would get.
 *
 * Create it after the tenant's namespaces are declared: a namespace added later has no
 * quota, which synth reports.
 */
export class TenantQuota extends Construct {
  /** The values written, defaults applied. */
  public readonly values: TenantQuotaValues;
  /** The ResourceQuota of each namespace, by namespace name. */
  public readonly resourceQuotas: Readonly<Record<string, ApiObject>>;
  /** The LimitRange of each namespace, by namespace name. */
  public readonly limitRanges: Readonly<Record<string, ApiObject>>;

  constructor(tenant: ITenant, id: string, props: TenantQuotaProps = {}) {
    super(tenant, id);
    const path = this.node.path;
    const v: TenantQuotaValues = { ...TENANT_QUOTA_DEFAULTS };
    for (const [k, val] of Object.entries(props)) {
      if (val !== undefined) (v as unknown as Record<string, unknown>)[k] = val;
    }
    this.values = v;
    validateValues(v, path);

    const quotas: Record<string, ApiObject> = {};
    const limits: Record<string, ApiObject> = {};
    const q = (s: string) => k8s.Quantity.fromString(s);
    const n = (x: number) => k8s.Quantity.fromNumber(x);
    for (const ns of tenant.namespaces) {
      const labels = tenantLabels(tenant.name);
      quotas[ns] = new k8s.KubeResourceQuota(this, `ResourceQuota-${ns}`, {
        metadata: { name: TENANT_QUOTA_NAME, namespace: ns, labels },
        spec: {
          hard: {
            'requests.cpu': q(v.requestsCpu),
            'requests.memory': q(v.requestsMemory),
            'limits.cpu': q(v.limitsCpu),
            'limits.memory': q(v.limitsMemory),
            'pods': n(v.pods),
            'services': n(v.services),
            'services.loadbalancers': n(v.loadBalancers),
            'services.nodeports': n(v.nodePorts),
            'persistentvolumeclaims': n(v.persistentVolumeClaims),
          },
        },
      });
      limits[ns] = new k8s.KubeLimitRange(this, `LimitRange-${ns}`, {
        metadata: { name: TENANT_LIMITS_NAME, namespace: ns, labels },
        spec: {
          limits: [{
            type: 'Container',
            defaultRequest: { cpu: q(v.defaultCpuRequest), memory: q(v.defaultMemoryRequest) },
            default: { cpu: q(v.defaultCpuLimit), memory: q(v.defaultMemoryLimit) },
          }],
        },
      });
    }
    this.resourceQuotas = quotas;
    this.limitRanges = limits;

    this.node.addValidation({
      validate: () => [
        ...tenant.namespaces
          .filter((ns) => !(ns in quotas))
          .map((ns) => `namespace "${ns}" of tenant "${tenant.name}" has no ResourceQuota: it was added after this TenantQuota was created. Create the TenantQuota after all the tenant's namespaces.`),
        ...Object.keys(quotas).flatMap((ns) => checkUsage(tenant, ns, v)),
      ],
    });
  }
}

const USAGE_KINDS = new Set(['Service', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Pod']);

/**
 * Checks the tenant's own objects in a namespace against its quota and limit-range
 * defaults: what the API server would reject on apply (or during a rolling update).
 */
function checkUsage(tenant: Construct, ns: string, v: TenantQuotaValues): string[] {
  const errors: string[] = [];
  const dCpuReq = parseCpu(v.defaultCpuRequest);
  const dCpuLim = parseCpu(v.defaultCpuLimit);
  const dMemReq = parseMemory(v.defaultMemoryRequest);
  const dMemLim = parseMemory(v.defaultMemoryLimit);
  const use = { services: 0, loadBalancers: 0, nodePorts: 0, persistentVolumeClaims: 0, pods: 0, cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const c of tenant.node.findAll()) {
    // the namespace is known before rendering: render each object once, for its own namespace
    if (!ApiObject.isApiObject(c) || !USAGE_KINDS.has((c as ApiObject).kind) || (c as ApiObject).metadata.namespace !== ns) continue;
    const m = (c as ApiObject).toJson();
    const what = `${m.kind} "${m.metadata?.name}"`;
    if (m.kind === 'Service') {
      use.services++;
      const type = m.spec?.type ?? 'ClusterIP';
      if (type === 'LoadBalancer') use.loadBalancers++;
      if (type === 'NodePort' || (type === 'LoadBalancer' && m.spec?.allocateLoadBalancerNodePorts !== false)) {
        use.nodePorts += (m.spec?.ports ?? []).length;
      }
      continue;
    }
    if (m.kind === 'PersistentVolumeClaim') {
      use.persistentVolumeClaims++;
      continue;
    }
    const podSpec = podSpecOf(m);
    const replicas = m.kind === 'Pod' ? 1 : (m.spec?.replicas ?? 1);
    const pods = replicas + (m.kind === 'Deployment' ? surge(m.spec?.strategy, replicas) : 0);
    const effective = (containers: any[], key: 'cpu' | 'memory') => {
      let req = 0;
      let lim = 0;
      for (const ct of containers) {
        const r = ct.resources ?? {};
        const limText = r.limits?.[key];
        const reqText = r.requests?.[key] ?? limText;
        const parse = key === 'cpu' ? parseCpu : parseMemory;
        const cReq = reqText !== undefined ? parse(String(reqText)) : (key === 'cpu' ? dCpuReq : dMemReq);
        const cLim = limText !== undefined ? parse(String(limText)) : (key === 'cpu' ? dCpuLim : dMemLim);
        if (limText === undefined && cReq > cLim) {
          const name = key === 'cpu' ? 'CPU' : 'memory';
          const prop = key === 'cpu' ? 'defaultCpuLimit' : 'defaultMemoryLimit';
          errors.push(`${what}, container "${ct.name}": its ${name} request ${reqText} is above the ${name} limit ${key === 'cpu' ? v.defaultCpuLimit : v.defaultMemoryLimit} it gets from the LimitRange (it sets none), so the API server rejects its pods. Give the container a ${name} limit or raise ${prop}.`);
        }
        req += cReq;
        lim += cLim;
      }
      return [req, lim];
    };
    const sumOrInit = (key: 'cpu' | 'memory') => {
      const [req, lim] = effective(podSpec?.containers ?? [], key);
      const init = (podSpec?.initContainers ?? []).map((ct: any) => effective([ct], key));
      return [Math.max(req, ...init.map((x: number[]) => x[0])), Math.max(lim, ...init.map((x: number[]) => x[1]))];
    };
    const [cpuReq, cpuLim] = sumOrInit('cpu');
    const [memReq, memLim] = sumOrInit('memory');
    use.pods += pods;
    use.cpuReq += pods * cpuReq;
    use.cpuLim += pods * cpuLim;
    use.memReq += pods * memReq;
    use.memLim += pods * memLim;
  }
  const where = `the objects of namespace "${ns}"`;
  const counts: Array<[keyof TenantQuotaValues, number, string]> = [
    ['pods', use.pods, 'pods (counting the extra pods of a rolling update)'],
    ['services', use.services, 'Services'],
    ['loadBalancers', use.loadBalancers, 'LoadBalancer Services'],
    ['nodePorts', use.nodePorts, 'node ports'],
    ['persistentVolumeClaims', use.persistentVolumeClaims, 'PersistentVolumeClaims'],
  ];
  for (const [key, used, what] of counts) {
    if (used > (v[key] as number)) {
      errors.push(`${where} need ${used} ${what} but the quota's ${key} is ${v[key]}. Raise ${key} to at least ${used}, or remove some.`);
    }
  }
  const amounts: Array<[keyof TenantQuotaValues, number, number, (x: number) => string]> = [
    ['requestsCpu', use.cpuReq, parseCpu(v.requestsCpu), formatCpu],
    ['limitsCpu', use.cpuLim, parseCpu(v.limitsCpu), formatCpu],
    ['requestsMemory', use.memReq, parseMemory(v.requestsMemory), formatMemory],
    ['limitsMemory', use.memLim, parseMemory(v.limitsMemory), formatMemory],
  ];
  for (const [key, used, quota, fmt] of amounts) {
    if (used > quota) {
      errors.push(`${where} need ${key} ${fmt(used)} (limit-range defaults applied, counting the extra pods of a rolling update) but the quota is ${v[key]}. Raise ${key} to at least ${fmt(used)}, or lower the workloads' resources or replicas.`);
    }
  }
  return errors;
}

/** The extra pods a Deployment's rolling update starts (maxSurge, 25% by default, rounded up). */
function surge(strategy: any, replicas: number): number {
  if (strategy?.type === 'Recreate') return 0;
  const s = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof s === 'number') return s;
  const pct = /^(\d+)%$/.exec(String(s));
  return pct ? Math.ceil((replicas * Number(pct[1])) / 100) : Number(s) || 0;
}

/** Formats millicores as a quantity (`1500m`, `2`). */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${Math.ceil(millicores)}m`;
}

/** Formats bytes as a quantity, in the largest binary unit that divides them (`320Mi`). */
export function formatMemory(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    if (bytes >= BINARY[unit] && bytes % BINARY[unit] === 0) return `${bytes / BINARY[unit]}${unit}`;
  }
  return String(Math.ceil(bytes));
}

function validateValues(v: TenantQuotaValues, path: string): void {
  for (const key of ['pods', 'services', 'loadBalancers', 'nodePorts', 'persistentVolumeClaims'] as const) {
    const x = v[key];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
      throw errorAt(path, `${key} ${JSON.stringify(x)} must be a whole number of at least 0.`);
    }
  }
  if (v.loadBalancers > v.services) {
    throw errorAt(path, `loadBalancers ${v.loadBalancers} is above services ${v.services}: every load balancer is a Service. Raise services or lower loadBalancers.`);
  }
  if (v.nodePorts > v.services) {
    throw errorAt(path, `nodePorts ${v.nodePorts} is above services ${v.services}: every node port belongs to a Service. Raise services or lower nodePorts.`);
  }
  const cpu = (k: keyof TenantQuotaValues) => parseCpu(v[k] as string, k, path);
  const mem = (k: keyof TenantQuotaValues) => parseMemory(v[k] as string, k, path);
  const c = {
    requestsCpu: cpu('requestsCpu'), limitsCpu: cpu('limitsCpu'),
    defaultCpuRequest: cpu('defaultCpuRequest'), defaultCpuLimit: cpu('defaultCpuLimit'),
  };
  const m = {
    requestsMemory: mem('requestsMemory'), limitsMemory: mem('limitsMemory'),
    defaultMemoryRequest: mem('defaultMemoryRequest'), defaultMemoryLimit: mem('defaultMemoryLimit'),
  };
  if (c.defaultCpuRequest > c.defaultCpuLimit) {
    throw errorAt(path, `defaultCpuRequest ${v.defaultCpuRequest} is above defaultCpuLimit ${v.defaultCpuLimit}: a container's request may not exceed its limit. Lower defaultCpuRequest or raise defaultCpuLimit.`);
  }
  if (m.defaultMemoryRequest > m.defaultMemoryLimit) {
    throw errorAt(path, `defaultMemoryRequest ${v.defaultMemoryRequest} is above defaultMemoryLimit ${v.defaultMemoryLimit}: a container's request may not exceed its limit. Lower defaultMemoryRequest or raise defaultMemoryLimit.`);
  }
  const below: Array<[string, string, string, string, boolean]> = [
    ['requestsCpu', v.requestsCpu, 'defaultCpuRequest', v.defaultCpuRequest, c.requestsCpu < c.defaultCpuRequest],
    ['requestsMemory', v.requestsMemory, 'defaultMemoryRequest', v.defaultMemoryRequest, m.requestsMemory < m.defaultMemoryRequest],
    ['limitsCpu', v.limitsCpu, 'defaultCpuLimit', v.defaultCpuLimit, c.limitsCpu < c.defaultCpuLimit],
    ['limitsMemory', v.limitsMemory, 'defaultMemoryLimit', v.defaultMemoryLimit, m.limitsMemory < m.defaultMemoryLimit],
  ];
  for (const [qk, qv, dk, dv, isBelow] of below) {
    if (isBelow) {
      throw errorAt(path, `quota ${qk} ${qv} is below the limit-range ${dk} ${dv}: not even one container with the default could start. Raise ${qk} to at least ${dv} or lower ${dk}.`);
    }
  }
}
