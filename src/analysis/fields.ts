/**
 * Small readers of untyped manifest fields, shared by the parsers of the analyzer.
 */
import { SourceLocation } from './errors';
import { LoadedObject } from './model';
import { MAX_PORT, MIN_PORT, Protocol, PROTOCOLS } from './ports';

/** Where a loaded object came from. */
export function loc(o: LoadedObject): SourceLocation {
  return o.itemIndex === undefined ? { file: o.file, docIndex: o.docIndex } : { file: o.file, docIndex: o.docIndex, itemIndex: o.itemIndex };
}

/** The object's `metadata`, or an empty map. */
export function meta(obj: Record<string, unknown>): Record<string, unknown> {
  const m = obj.metadata;
  return typeof m === 'object' && m !== null ? m as Record<string, unknown> : {};
}

/** `x` as a map, or undefined when it is not one. */
export function asRecord(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? x as Record<string, unknown> : undefined;
}

/** A port number in 1-65535; throws naming `what` otherwise. */
export function parsePortNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_PORT || v > MAX_PORT) {
    const why = typeof v === 'number' ? 'is out of range' : 'is not a port number';
    throw new Error(`${what} ${JSON.stringify(v)} ${why}: ports are integers from ${MIN_PORT} to ${MAX_PORT}`);
  }
  return v;
}

/** A protocol (TCP when absent); throws naming `what` otherwise. */
export function parseProtocol(v: unknown, what: string): Protocol {
  if (v === undefined || v === null) return 'TCP';
  if (typeof v !== 'string' || !(PROTOCOLS as readonly string[]).includes(v)) {
    throw new Error(`${what} ${JSON.stringify(v)} is not a protocol: use TCP, UDP or SCTP`);
  }
  return v as Protocol;
}
