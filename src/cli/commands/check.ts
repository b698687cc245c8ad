/**
 * `tenancy check`.
 */
import { checkTenancy } from '../../analysis';
import { parseArgs } from '../args';
import { CliIo, load, needPaths, POD_CIDR, podCidrs } from '../common';

export function check(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, [], [], [POD_CIDR]);
  needPaths(a.positional, 'check');
  const violations = checkTenancy(load(a.positional, io, podCidrs(a)));
  for (const v of violations) io.stdout.write(`${v.message}\n`);
  return violations.length > 0 ? 1 : 0;
}
