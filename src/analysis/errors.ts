/**
 * The error raised for manifests the analyzer cannot read.
 */

/** Where an input object came from: a file and the 0-based index of the YAML document in it. */
export interface SourceLocation {
  /** The file path as given (or found while walking a directory). */
  readonly file: string;
  /** 0-based index of the document within the file (-1: the file as a whole). */
  readonly docIndex: number;
  /** 0-based index of the item, when the object is an item of a `List` document. */
  readonly itemIndex?: number;
}

/**
 * Bad input: an unreadable file, invalid YAML, a document without `kind`, a malformed selector, CIDR or port.
 * The message names the file and the 0-based document index.
 */
export class AnalysisInputError extends Error {
  constructor(
    /** What is wrong, without the location. */
    public readonly reason: string,
    /** Where, when known. */
    public readonly location?: SourceLocation,
  ) {
    super(location ? `${describeLocation(location)}: ${reason}` : reason);
    this.name = 'AnalysisInputError';
  }
}

/** `file.yaml (document 2, 0-based)`, or `file.yaml (document 2, 0-based, items[4])` for an item of a list. */
export function describeLocation(loc: SourceLocation): string {
  if (loc.docIndex < 0) return loc.file;
  const item = loc.itemIndex === undefined ? '' : `, items[${loc.itemIndex}]`;
  return `${loc.file} (document ${loc.docIndex}, 0-based${item})`;
}
