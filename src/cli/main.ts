/**
 * The `tenancy` command line: reach, diff, explain and check.
 */
import * as fs from 'fs';
import {
  AnalysisInputError, analyzeModel, buildModel, checkTenancy, diff, DIFF_FORMATS, DiffFormat, explain, focusOn,
  formatConnections, formatDiff, formatExplanation, loadManifests, Model, Protocol, PROTOCOLS, REACH_FORMATS, ReachFormat,
} from '../analysis';
import { parseArgs, UsageError } from './args';

/** Where the CLI writes. */
export interface CliIo {
  /** Standard output. */
  stdout: { write(text: string): unknown };
  /** Standard error. */
  stderr: { write(text: string): unknown };
}

const USAGE = `Usage: tenancy <command> [options]

Commands:
  reach <paths...>     the allowed connections between workloads and external ranges
  diff <old> <new>     the pairs whose connectivity differs between two sets of manifests
  explain <paths...>   which policies select each side of a connection and which rules allow it
  check <paths...>     the tenancy invariants declared on tenant namespaces

Paths are files or directories (read recursively for .yaml, .yml and .json).
Run 'tenancy <command> --help' for the options of a command.
`;

const HELP: Record<string, string> = {
  reach: `Usage: tenancy reach <paths...> [--format txt|json|md|mermaid|dot] [--focus <ns/name>] [--output <file>]

Lists every ordered pair (workloads and external IPv4 ranges) with some allowed connection.
  --format   txt (default): 'SRC => DST : CONNS' lines; json; md (a table); mermaid or dot (a graph)
  --focus    keep only pairs where either side is this workload (ns/name or ns/name[Kind])
  --output   write to this file instead of standard output
`,
  diff: `Usage: tenancy diff <old> <new> [--format txt|json|md] [--fail-on-new]

Lists the pairs whose allowed connections differ: added (+), removed (-) and changed (~).
  --format        txt (default), json or md
  --fail-on-new   exit 1 when a flow was added or widened
`,
  explain: `Usage: tenancy explain <paths...> --from <ns/name> --to <ns/name> [--port 80/TCP]

Shows which policies select each side, which rules allow the connection, or why none does.
  --from, --to   a workload (ns/name or ns/name[Kind]) or an IPv4 address
  --port         a port to ask about: 80, 80/TCP, 53/UDP
`,
  check: `Usage: tenancy check <paths...>

Checks the tenancy invariants: each namespace labelled tenancy.cdk8s.io/tenant is isolated for ingress, and
every source outside the tenant its policies admit is declared in its tenancy.cdk8s.io/ingress-grants
annotation. Exits 1 with one line per violation, 0 when clean.
`,
};

function load(paths: readonly string[], io: CliIo): Model {
  const model = buildModel(loadManifests(paths));
  for (const n of model.notes) io.stderr.write(`${n}\n`);
  return model;
}

function needPaths(positional: readonly string[], command: string): void {
  if (positional.length === 0) throw new UsageError(`${command} needs at least one file or directory`);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, option: string): T {
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

function reach(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['format', 'focus', 'output'], []);
  needPaths(a.positional, 'reach');
  const format = oneOf<ReachFormat>(a.values.get('format'), REACH_FORMATS, 'txt', 'format');
  const result = analyzeModel(load(a.positional, io));
  let connections = result.connections;
  const focus = a.values.get('focus');
  if (focus !== undefined) {
    let w;
    try { w = result.findWorkload(focus); } catch (e) { throw new UsageError(`--focus: ${(e as Error).message}`); }
    if (!w) throw new UsageError(`--focus: no workload "${focus}" in the input`);
    connections = focusOn(connections, w.id);
  }
  const text = formatConnections(connections, format);
  const output = a.values.get('output');
  if (output !== undefined) fs.writeFileSync(output, text); else io.stdout.write(text);
  return 0;
}

function diffCommand(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['format'], ['fail-on-new']);
  if (a.positional.length !== 2) throw new UsageError(`diff needs exactly two paths (old and new), got ${a.positional.length}`);
  const format = oneOf<DiffFormat>(a.values.get('format'), DIFF_FORMATS, 'txt', 'format');
  const before = analyzeModel(load([a.positional[0]], io));
  const after = analyzeModel(load([a.positional[1]], io));
  const entries = diff(before, after);
  io.stdout.write(formatDiff(entries, format));
  if (a.flags.has('fail-on-new') && entries.some((e) => !e.after.isSubsetOf(e.before))) return 1;
  return 0;
}

function explainCommand(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['from', 'to', 'port'], []);
  needPaths(a.positional, 'explain');
  const from = a.values.get('from');
  const to = a.values.get('to');
  if (from === undefined || to === undefined) throw new UsageError('explain needs --from and --to');
  const port = a.values.has('port') ? parsePortOption(a.values.get('port')!) : undefined;
  const result = analyzeModel(load(a.positional, io));
  let e;
  try { e = explain(result, from, to, port); } catch (err) { throw new UsageError((err as Error).message); }
  io.stdout.write(formatExplanation(e));
  return 0;
}

function check(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, [], []);
  needPaths(a.positional, 'check');
  const violations = checkTenancy(load(a.positional, io));
  for (const v of violations) io.stdout.write(`${v.message}\n`);
  return violations.length > 0 ? 1 : 0;
}

const COMMANDS: Record<string, (argv: string[], io: CliIo) => number> = { reach, diff: diffCommand, explain: explainCommand, check };

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code: 0 success, 1 a failed
 * gate (check violations, `diff --fail-on-new`), 2 usage error or bad input. Never throws.
 */
export function main(argv: readonly string[], io: CliIo = process): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    io.stdout.write(topic && HELP[topic] ? HELP[topic] : USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr.write(`tenancy: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(HELP[command]);
    return 0;
  }
  try {
    return run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`tenancy ${command}: ${e.message}\nRun 'tenancy ${command} --help' for usage.\n`);
    } else if (e instanceof AnalysisInputError) {
      io.stderr.write(`tenancy ${command}: ${e.message}\n`);
    } else {
      io.stderr.write(`tenancy ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
