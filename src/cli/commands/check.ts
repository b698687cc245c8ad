/**
 * `tenancy check`.
 */
import { checkTenancy } from '../../analysis';
import { parseArgs } from '../args';
import { CliIo, load, needPaths } from '../common';

export function check(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, [], []);
  needPaths(a.positional, 'check');
  const violations = checkTenancy(load(a.positional, io));
  for (const v of violations) io.stdout.write(`${v.message}\n`);
  return violations.length > 0 ? 1 : 0;
}
