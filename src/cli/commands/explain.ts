/**
 * `tenancy explain`.
 */
import { analyzeModel, explain, Explanation, formatExplanation } from '../../analysis';
import { parseArgs, UsageError } from '../args';
import { CliIo, load, needPaths, oneOf, parsePortOption, POD_CIDR, podCidrs } from '../common';

/** What `--expect` can ask for. */
const EXPECTATIONS = ['allowed', 'denied'] as const;
type Expectation = typeof EXPECTATIONS[number];

export function explainCommand(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['from', 'to', 'port', 'expect'], [], [POD_CIDR]);
  needPaths(a.positional, 'explain');
  const from = a.values.get('from');
  const to = a.values.get('to');
  if (from === undefined || to === undefined) throw new UsageError('explain needs --from and --to');
  const port = a.values.has('port') ? parsePortOption(a.values.get('port')!) : undefined;
  const expected = a.values.has('expect') ? oneOf<Expectation>(a.values.get('expect'), EXPECTATIONS, 'allowed', 'expect') : undefined;
  const result = analyzeModel(load(a.positional, io, podCidrs(a)));
  let e;
  try { e = explain(result, from, to, port); } catch (err) { throw new UsageError((err as Error).message); }
  io.stdout.write(formatExplanation(e));
  if (expected === undefined) return 0;
  const mismatch = expectationMismatch(e, expected);
  if (mismatch === undefined) return 0;
  io.stderr.write(`tenancy explain: ${mismatch}\n`);
  return 1;
}

/**
 * Compares an explanation with `--expect`: with a port, whether that port is allowed; without one,
 * "allowed" means some connection is allowed and "denied" that none is. Returns the message for a
 * mismatch, undefined when the expectation holds.
 */
function expectationMismatch(e: Explanation, expected: Expectation): string | undefined {
  const pair = `from ${e.from.id} to ${e.to.id}`;
  // A workload is never reported to itself (formatExplanation says so): nothing is allowed then.
  const allowed = e.from.id === e.to.id ? undefined : e.allowed;
  if (e.port) {
    const p = `${e.port.port}/${e.port.protocol}`;
    const found = allowed?.has(e.port.protocol, e.port.port) ? 'allowed' : 'denied';
    return found === expected ? undefined : `expected port ${p} ${pair} to be ${expected}, found ${found}`;
  }
  const some = allowed !== undefined && !allowed.isEmpty();
  if (expected === 'allowed' && !some) return `expected some connection ${pair} to be allowed, found none (No Connections)`;
  if (expected === 'denied' && some) return `expected no connection ${pair}, found ${allowed!.toString()} allowed`;
  return undefined;
}
