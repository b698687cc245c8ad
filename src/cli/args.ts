/**
 * A small command-line parser: positional arguments, `--flag value`, `--flag=value` and boolean flags.
 */

/** A usage error: the CLI prints it with a hint to `--help` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed arguments. */
export interface ParsedArgs {
  /** Positional arguments, in order. */
  readonly positional: string[];
  /** Values of options that take one. */
  readonly values: Map<string, string>;
  /** Values of repeatable options, in order (absent when the option was not given). */
  readonly lists: Map<string, string[]>;
  /** Boolean flags that were given. */
  readonly flags: Set<string>;
}

/**
 * Parses `argv` given the options that take a value, the boolean flags and the options that take a value and
 * may be repeated (names without `--`). Throws UsageError for an unknown option, a missing value or a repeated
 * option that is not repeatable.
 */
export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[], repeatable: readonly string[] = []): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: new Map(), flags: new Set(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.positional.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('--') || a === '-') { out.positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (valued.includes(name) || repeatable.includes(name)) {
      let v: string | undefined;
      if (eq >= 0) v = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) v = argv[++i];
      if (v === undefined || v === '') throw new UsageError(`option --${name} needs a value`);
      if (repeatable.includes(name)) {
        const l = out.lists.get(name);
        if (l) l.push(v); else out.lists.set(name, [v]);
        continue;
      }
      if (out.values.has(name)) throw new UsageError(`option --${name} is given twice`);
      out.values.set(name, v);
    } else if (booleans.includes(name)) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      out.flags.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}
