/**
 * Workloads: the pod templates of controllers (or Pods), with their labels and container ports.
 */
import { asRecord, parsePortNumber, parseProtocol } from './fields';
import { ContainerPort, WORKLOAD_KINDS } from './model';
import { Protocol } from './ports';
import { unknownContainerPortFields } from './unknown-fields';

/** The pod spec of a manifest of one of `WORKLOAD_KINDS` (a CronJob's through its job template). */
export function podSpecOf(manifest: any): any | undefined {
  if (!manifest || typeof manifest !== 'object' || !WORKLOAD_KINDS.has(manifest.kind)) return undefined;
  return asRecord(podTemplate(manifest.kind, manifest)?.spec);
}

/** The pod template of a workload manifest of `kind` (the object itself for a Pod). */
export function podTemplate(kind: string, obj: Record<string, unknown>): Record<string, unknown> | undefined {
  if (kind === 'Pod') return obj;
  const spec = asRecord(obj.spec);
  if (!spec) return undefined;
  if (kind === 'CronJob') return asRecord(asRecord(asRecord(spec.jobTemplate)?.spec)?.template);
  return asRecord(spec.template);
}

/** Where the pod template of `kind` is, as a field path (`''` for a Pod, which is its own template). */
export function podTemplatePath(kind: string): string {
  if (kind === 'Pod') return '';
  return kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
}

/** A defect in a container port entry: the entry was ignored. */
export interface PortDefect {
  /** Path of the entry or of its bad field. */
  readonly field: string;
  /** What was wrong and what the analysis did. */
  readonly message: string;
}

/**
 * The container ports of a pod spec (containers and init containers) at `specPath`. An entry without a valid
 * `containerPort` or protocol is ignored and reported to `defect` (the API server rejects such an object), and so
 * are unknown fields of an entry.
 */
export function containerPorts(
  spec: Record<string, unknown> | undefined, specPath: string, defect: (d: PortDefect) => void = () => undefined, kind = 'workload',
): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers']) {
    const list = spec?.[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, ci) => {
      const ports = asRecord(c)?.ports;
      if (!Array.isArray(ports)) return;
      ports.forEach((p, pi) => {
        const w = `${specPath}.${field}[${ci}].ports[${pi}]`;
        const r = asRecord(p);
        const name = typeof r?.name === 'string' && r.name !== '' ? r.name : undefined;
        const ignored = `the entry was ignored (${name === undefined ? 'it has no name, so no policy port refers to it'
          : `a policy port named ${name} does not resolve to it`}), and the API server rejects the object, so the cluster would not have it at all`;
        if (!r) {
          defect({ field: w, message: `${w} is not a map with containerPort; ${ignored}` });
          return;
        }
        for (const u of unknownContainerPortFields(r, w, kind)) defect(u);
        let port: number;
        let protocol: Protocol;
        try {
          port = parsePortNumber(r.containerPort, `${w}.containerPort`);
        } catch (e) {
          const why = r.containerPort === undefined || r.containerPort === null ? `${w} has no containerPort` : (e as Error).message;
          defect({ field: `${w}.containerPort`, message: `${why}; ${ignored}` });
          return;
        }
        try {
          protocol = parseProtocol(r.protocol, `${w}.protocol`);
        } catch (e) {
          defect({ field: `${w}.protocol`, message: `${(e as Error).message}; ${ignored}` });
          return;
        }
        out.push({ name, port, protocol });
      });
    });
  }
  return out;
}
