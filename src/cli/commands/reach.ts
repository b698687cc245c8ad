/**
 * `tenancy reach`.
 */
import * as fs from 'fs';
import { analyzeModel, focusOn, formatConnections, REACH_FORMATS, ReachFormat } from '../../analysis';
import { parseArgs, UsageError } from '../args';
import { CliIo, load, needPaths, oneOf } from '../common';

export function reach(argv: string[], io: CliIo): number {
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
