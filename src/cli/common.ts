/**
 * What the commands share: the output streams, loading manifests, and option parsing helpers.
 */
import { buildModel, loadManifests, Model, Protocol, PROTOCOLS, warningLines } from '../analysis';
import { UsageError } from './args';

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

/**
 * Loads and models the manifests under `paths` (`-` is standard input), printing on stderr the notes, then one
 * `warning: <file> (document N, 0-based): …` line per overridden duplicate and per ignored defect.
 */
export function load(paths: readonly string[], io: CliIo): Model {
  const model = buildModel(loadManifests(paths, { stdin: io.readStdin }));
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
