/**
 * What the commands share: the output streams, loading manifests, and option parsing helpers.
 */
import { buildModel, isIpv6, loadManifests, Model, parseCidr, Protocol, PROTOCOLS, Reachability, warningLines, Workload } from '../analysis';
import { ParsedArgs, UsageError } from './args';

/** Where the CLI writes. */
export interface CliIo {
  /** Standard output. */
  stdout: { write(text: string): unknown };
  /** Standard error. */
  stderr: { write(text: string): unknown };
  /**
   * Reads all of standard input (for the path `-`).
   * @default - reads file descriptor 0
   */
  readStdin?: () => string;
}

/** The option every command that analyzes takes: `--pod-cidr <cidr>`, repeatable. */
export const POD_CIDR = 'pod-cidr';

/**
 * The pod networks given with `--pod-cidr` (they replace the default ones), or undefined when none is given.
 * Throws a usage error for a value that is not an IPv4 CIDR.
 */
export function podCidrs(a: ParsedArgs): string[] | undefined {
  const list = a.lists.get(POD_CIDR);
  if (!list) return undefined;
  for (const c of list) {
    if (isIpv6(c)) throw new UsageError(`--pod-cidr ${c}: IPv6 pod networks are not modelled (every IPv6 ipBlock is assumed to match pods); give IPv4 CIDRs`);
    try { parseCidr(c); } catch (e) { throw new UsageError(`--pod-cidr: ${(e as Error).message}`); }
  }
  return list;
}

/**
 * Loads and models the manifests under `paths` (`-` is standard input), printing on stderr the notes, then one
 * `warning: <file> (document N, 0-based): …` line per overridden duplicate and per ignored defect.
 */
export function load(paths: readonly string[], io: CliIo, pods?: readonly string[]): Model {
  const model = buildModel(loadManifests(paths, { stdin: io.readStdin }), { podCidrs: pods });
  for (const n of model.notes) io.stderr.write(`${n}\n`);
  for (const w of warningLines(model)) io.stderr.write(`${w}\n`);
  return model;
}

/** Throws a usage error when no path is given. */
export function needPaths(positional: readonly string[], command: string): void {
  if (positional.length === 0) throw new UsageError(`${command} needs at least one file or directory`);
}

/** The value of an option restricted to `allowed`, or `fallback` when absent. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, option: string): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${option} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** Parses `80`, `80/TCP` or `53/udp`. */
export function parsePortOption(text: string): { protocol: Protocol; port: number } {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text);
  const port = m ? Number(m[1]) : NaN;
  const protocol = (m?.[2] ?? 'TCP').toUpperCase();
  if (!m || port < 1 || port > 65535 || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(`--port must look like 80/TCP (port 1-65535, protocol TCP, UDP or SCTP), got "${text}"`);
  }
  return { protocol: protocol as Protocol, port };
}

/**
 * The workloads `--focus` names (each `ns/name` or `ns/name[Kind]`). A bare name is a usage error that lists
 * the `ns/name` forms that exist.
 */
export function focusWorkloads(result: Reachability, refs: readonly string[]): Workload[] {
  return refs.map((ref) => {
    let w: Workload | undefined;
    try { w = result.findWorkload(ref); } catch (e) { throw new UsageError(`--focus: ${(e as Error).message}`); }
    if (w) return w;
    const name = ref.replace(/\[[^\]]*\]$/, '').split('/').pop();
    const forms = [...new Set(result.workloads.filter((x) => x.name === name).map((x) => `${x.namespace}/${x.name}`))].sort();
    if (!ref.includes('/') && forms.length > 0) throw new UsageError(`--focus: "${ref}" has no namespace; give one of ${forms.join(', ')}`);
    throw new UsageError(`--focus: no workload "${ref}" in the input${forms.length > 0 ? `; did you mean ${forms.join(', ')}?` : ''}`);
  });
}
