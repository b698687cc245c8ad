/**
 * What the CLI prints on stderr about the input: one line per warning and per overridden duplicate.
 */
import { describeLocation } from './errors';
import { describeObject, identityKey } from './identity';
import { Diagnostic, Duplicate, Model } from './model';

/** `warning: <file> (document N, 0-based): <message>`. */
export function formatWarning(w: Diagnostic): string {
  return `warning: ${w.location ? `${describeLocation(w.location)}: ` : ''}${w.message}`;
}

/** `warning: <overridden file> (document N, 0-based): <object> is overridden by <kept file> (document M, 0-based) …`. */
export function formatDuplicate(d: Duplicate): string {
  return `warning: ${describeLocation(d.overridden)}: ${describeObject(d.object)} is overridden by ${describeLocation(d.kept)}, `
    + `a later object with the same identity (${identityKey(d.object)}): the last one wins, as with kubectl apply -f and Argo CD, `
    + 'so the analysis reads only that one';
}

/** Every warning of a model, duplicates first, one line each (without newline). */
export function warningLines(model: Model): string[] {
  return [...model.duplicates.map(formatDuplicate), ...model.warnings.map(formatWarning)];
}
