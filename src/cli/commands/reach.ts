/**
 * `tenancy reach`.
 */
import * as fs from 'fs';
import { analyzeExposure, analyzeModel, focusOn, formatConnections, formatExposure, REACH_FORMATS, ReachFormat } from '../../analysis';
import { parseArgs } from '../args';
import { CliIo, focusWorkloads, load, needPaths, oneOf, POD_CIDR, podCidrs } from '../common';

export function reach(argv: string[], io: CliIo): number {
  const a = parseArgs(argv, ['format', 'output'], ['exposure'], ['focus', POD_CIDR]);
  needPaths(a.positional, 'reach');
  const format = oneOf<ReachFormat>(a.values.get('format'), REACH_FORMATS, 'txt', 'format');
  const result = analyzeModel(load(a.positional, io, podCidrs(a)));
  let connections = result.connections;
  const focus = a.lists.has('focus') ? focusWorkloads(result, a.lists.get('focus')!) : undefined;
  if (focus) connections = focusOn(connections, focus.map((w) => w.id));
  const text = a.flags.has('exposure')
    ? formatExposure(connections, analyzeExposure(result.model, focus && [...new Set(focus)].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))), format)
    : formatConnections(connections, format);
  const output = a.values.get('output');
  if (output !== undefined) fs.writeFileSync(output, text); else io.stdout.write(text);
  return 0;
}
