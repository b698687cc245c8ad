/**
 * Reading manifests: files or directories (recursively) of YAML (multi-document) or JSON, with `List` kinds
 * expanded.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { AnalysisInputError } from './errors';
import { LoadedObject } from './model';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * What cdk8s writes beside the manifests for validation plugins (`cdk8s synth --validate`): the
 * construct path of each object, not a manifest. Skipped in directories; read when named.
 */
const CDK8S_METADATA_FILE = 'construct-metadata.json';

/**
 * Lists the manifest files under `p`: `p` itself if it is a file, else its .yaml/.yml/.json files
 * (but cdk8s's `construct-metadata.json`), recursively, sorted.
 */
export function manifestFiles(p: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (e) {
    throw new AnalysisInputError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new AnalysisInputError(`cannot read directory ${dir}: ${(e as Error).message}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (EXTENSIONS.includes(path.extname(e.name).toLowerCase()) && e.name !== CDK8S_METADATA_FILE) out.push(full);
    }
  };
  walk(p);
  return out;
}

/** The 0-based index of the document that contains `line` (0-based) in a YAML stream. */
function documentIndexAt(text: string, line: number): number {
  const lines = text.split('\n');
  let index = 0;
  let content = false;
  for (let i = 0; i < lines.length && i <= line; i++) {
    const l = lines[i];
    if (/^---(\s|$)/.test(l)) {
      if (content) index++;
      content = true; // the marker opens a document, even an empty one
      if (i === line) break;
      continue;
    }
    if (/^\.\.\.(\s|$)/.test(l)) {
      if (content) index++;
      content = false;
      continue;
    }
    if (!content && l.trim() !== '' && !l.trimStart().startsWith('#') && !l.startsWith('%')) content = true;
  }
  return index;
}

/** Parses the documents of one file. `name` is used in messages. */
export function parseManifestText(text: string, name: string, json: boolean): unknown[] {
  if (json) {
    try {
      return [JSON.parse(text)];
    } catch (e) {
      throw new AnalysisInputError(`invalid JSON: ${(e as Error).message}`, { file: name, docIndex: 0 });
    }
  }
  try {
    return loadAll(text);
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number; column: number }; message: string };
    const mark = err.mark;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    const docIndex = mark ? documentIndexAt(text, mark.line) : 0;
    throw new AnalysisInputError(`invalid YAML: ${err.reason ?? err.message.split('\n')[0]}${where}`, { file: name, docIndex });
  }
}

/** Turns parsed documents into objects: skips empty documents, expands `List` kinds, rejects documents without kind. */
export function documentsToObjects(docs: readonly unknown[], file: string): LoadedObject[] {
  const out: LoadedObject[] = [];
  docs.forEach((doc, docIndex) => {
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw new AnalysisInputError('the document is not a Kubernetes object (a map with apiVersion and kind)', { file, docIndex });
    }
    const obj = doc as Record<string, unknown>;
    if (typeof obj.kind !== 'string' || obj.kind === '') throw new AnalysisInputError('the document has no kind', { file, docIndex });
    if ((obj.kind === 'List' || obj.kind.endsWith('List')) && Array.isArray(obj.items)) {
      obj.items.forEach((item, itemIndex) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item) || typeof (item as Record<string, unknown>).kind !== 'string') {
          throw new AnalysisInputError(`items[${itemIndex}] of the ${obj.kind} has no kind`, { file, docIndex });
        }
        out.push({ object: item as Record<string, unknown>, file, docIndex, itemIndex });
      });
      return;
    }
    out.push({ object: obj, file, docIndex });
  });
  return out;
}

/**
 * Loads manifests from files and directories (directories are read recursively for .yaml, .yml and .json).
 * Throws AnalysisInputError naming the file and the 0-based document index on bad input.
 */
export function loadManifests(paths: readonly string[]): LoadedObject[] {
  const out: LoadedObject[] = [];
  for (const p of paths) {
    for (const file of manifestFiles(p)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new AnalysisInputError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const docs = parseManifestText(text, file, path.extname(file).toLowerCase() === '.json');
      for (const o of documentsToObjects(docs, file)) out.push(o);
    }
  }
  return out;
}
