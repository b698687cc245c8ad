/**
 * The error raised for manifests the analyzer cannot read.
 */

/** Where an input object came from: a file and the 0-based index of the YAML document in it. */
export interface SourceLocation {
  /** The file path as given (or found while walking a directory). */
  readonly file: string;
  /** 0-based index of the document within the file. */
  readonly docIndex: number;
}

/**
 * Bad input: an unreadable file, invalid YAML, a document without `kind`, a malformed selector, CIDR or port.
 * The message names the file and the 0-based document index.
 */
export class AnalysisInputError extends Error {
  constructor(message: string, public readonly location?: SourceLocation) {
    super(location ? `${describeLocation(location)}: ${message}` : message);
    this.name = 'AnalysisInputError';
  }
}

/** `file.yaml (document 2, 0-based)`. */
export function describeLocation(loc: SourceLocation): string {
  return loc.docIndex < 0 ? loc.file : `${loc.file} (document ${loc.docIndex}, 0-based)`;
}
