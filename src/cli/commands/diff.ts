/**
 * `tenancy diff`.
 */
import { analyzeModel, diff, DIFF_FORMATS, DiffFormat, formatDiff } from '../../analysis';
import { parseArgs, UsageError } from '../args';
import { CliIo, load, oneOf, POD_CIDR, podCidrs } from '../common';

export function diffCommand(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['format'], ['fail-on-new'], [POD_CIDR]);
  if (a.positional.length !== 2) throw new UsageError(`diff needs exactly two paths (old and new), got ${a.positional.length}`);
  const format = oneOf<DiffFormat>(a.values.get('format'), DIFF_FORMATS, 'txt', 'format');
  const pods = podCidrs(a);
  const before = analyzeModel(load([a.positional[0]], io, pods));
  const after = analyzeModel(load([a.positional[1]], io, pods));
  const entries = diff(before, after);
  io.stdout.write(formatDiff(entries, format));
  if (a.flags.has('fail-on-new') && entries.some((e) => !e.after.isSubsetOf(e.before))) return 1;
  return 0;
}
