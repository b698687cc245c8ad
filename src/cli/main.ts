/**
 * The `tenancy` command line: reach, diff, explain and check. Each command is a file of `commands/`; this
 * file dispatches and turns errors into exit codes.
 */
import { AnalysisInputError } from '../analysis';
import { UsageError } from './args';
import { check } from './commands/check';
import { diffCommand } from './commands/diff';
import { explainCommand } from './commands/explain';
import { reach } from './commands/reach';
import { CliIo } from './common';
import { HELP, USAGE } from './help';

export { CliIo } from './common';
export { parsePortOption } from './common';

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
