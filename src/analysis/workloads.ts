/**
 * Workloads: the pod templates of controllers (or Pods), with their labels and container ports.
 */
import { asRecord, parsePortNumber, parseProtocol } from './fields';
import { ContainerPort, WORKLOAD_KINDS } from './model';

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

/** The container ports of a pod spec (containers and init containers). */
export function containerPorts(spec: Record<string, unknown> | undefined, what: string): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers']) {
    const list = spec?.[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, ci) => {
      const ports = asRecord(c)?.ports;
      if (!Array.isArray(ports)) return;
      ports.forEach((p, pi) => {
        const r = asRecord(p);
        if (!r) return;
        const w = `${what}.${field}[${ci}].ports[${pi}]`;
        const port = parsePortNumber(r.containerPort, `${w}.containerPort`);
        const name = typeof r.name === 'string' && r.name !== '' ? r.name : undefined;
        out.push({ name, port, protocol: parseProtocol(r.protocol, `${w}.protocol`) });
      });
    });
  }
  return out;
}
