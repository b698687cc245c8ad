/**
 * `tenancy explain`.
 */
import { analyzeModel, explain, formatExplanation } from '../../analysis';
import { parseArgs, UsageError } from '../args';
import { CliIo, load, needPaths, parsePortOption, POD_CIDR, podCidrs } from '../common';

export function explainCommand(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['from', 'to', 'port'], [], [POD_CIDR]);
  needPaths(a.positional, 'explain');
  const from = a.values.get('from');
  const to = a.values.get('to');
  if (from === undefined || to === undefined) throw new UsageError('explain needs --from and --to');
  const port = a.values.has('port') ? parsePortOption(a.values.get('port')!) : undefined;
  const result = analyzeModel(load(a.positional, io, podCidrs(a)));
  let e;
  try { e = explain(result, from, to, port); } catch (err) { throw new UsageError((err as Error).message); }
  io.stdout.write(formatExplanation(e));
  return 0;
}
