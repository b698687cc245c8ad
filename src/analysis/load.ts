/**
 * Reading manifests: files or directories (recursively, in lexical order, as `kubectl apply -R -f` reads them) of
 * YAML (multi-document) or JSON, or standard input, with `List` kinds expanded.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { AnalysisInputError } from './errors';
import { expandLists } from './lists';
import { LoadedObject } from './model';

/** The path that stands for standard input. */
export const STDIN_PATH = '-';
/** The file name standard input is given in messages. */
export const STDIN_NAME = '<stdin>';

/** Options of `loadManifests`. */
export interface LoadOptions {
  /**
   * Reads all of standard input, for the path `-`.
   * @default - reads file descriptor 0
   */
  readonly stdin?: () => string;
}

/** The documents of one file, in order. */
export interface ManifestSource {
  /** The file (as given or found), or `<stdin>`. */
  readonly file: string;
  /** Its parsed documents, in order (empty documents included, as null). */
  readonly documents: readonly unknown[];
}

/**
 * Orders manifest paths as a recursive directory walk meets them (`kubectl apply -R -f`, Argo CD): folder by
 * folder, each in lexical order (Go's filepath.Walk): `a/x.yaml` comes before `a-b.yaml` and `a.yaml`.
 */
export function compareManifestPaths(a: string, b: string): number {
  const pa = a.split(/[\\/]/);
  const pb = b.split(/[\\/]/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

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
    entries.sort((a, b) => (a.name < b.name ? -1 : 1)); // names in a folder are unique
    if (entries.some((e) => e.name === 'Chart.yaml' && !e.isDirectory())) {
      throw new AnalysisInputError(`${dir} is a Helm chart (it has a Chart.yaml), not rendered manifests: render it first, `
        + `e.g. helm template my-release ${dir} > rendered.yaml and read rendered.yaml, or pipe it: helm template my-release ${dir} | tenancy check -`);
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (['.yaml', '.yml', '.json'].includes(path.extname(e.name).toLowerCase()) && e.name !== CDK8S_METADATA_FILE) out.push(full);
    }
  };
  walk(p);
  return out;
}

/** The 0-based index of the document that contains `line` (0-based) in a YAML stream. */
function documentIndexAt(text: string, line: number): number {
  let index = 0;
  let content = false;
  for (const l of text.split('\n').slice(0, line + 1)) {
    if (/^---(\s|$)/.test(l)) {
      if (content) index++;
      content = true; // the marker opens a document, even an empty one
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

/**
 * The 1-based line of the first template action when `text` looks like an unrendered Helm template: a
 * `{{ … }}` action that only Helm writes, one at the start of a line, or any action when the text is not valid
 * YAML. Rendered manifests may hold other template languages inside strings (Prometheus rules, Argo CD
 * ApplicationSets), which are left alone.
 */
export function helmTemplateLine(text: string, parses: boolean): number | undefined {
  // a `{{ … }}` action; one only Helm writes (its objects and functions: `.Values`, `include`, `toYaml`, …)
  const action = /\{\{.*\}\}/;
  const helmAction = /\{\{-?(?:[^}]*\s)?(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template|include|tpl|toYaml|nindent|required)\b/;
  const i = text.split('\n').findIndex((l) => action.test(l) && !/^\s*#/.test(l) && (!parses || helmAction.test(l) || l.startsWith('{{')));
  return i < 0 ? undefined : i + 1;
}

function helmTemplateError(name: string, line: number, text: string): AnalysisInputError {
  const shown = text.split('\n')[line - 1].trim();
  return new AnalysisInputError(`looks like an unrendered Helm template (line ${line}: ${shown}): render it first, `
    + 'e.g. helm template my-release ./chart > rendered.yaml and read rendered.yaml, or pipe it: helm template my-release ./chart | tenancy check -',
  { file: name, docIndex: -1 });
}

/** Parses the documents of one file. `name` is used in messages. */
export function parseManifestText(text: string, name: string, json: boolean): unknown[] {
  let docs: unknown[];
  try {
    docs = json ? [JSON.parse(text)] : loadAll(text);
  } catch (e) {
    const helm = helmTemplateLine(text, false);
    if (helm !== undefined) throw helmTemplateError(name, helm, text);
    if (json) throw new AnalysisInputError(`invalid JSON: ${(e as Error).message}`, { file: name, docIndex: 0 });
    const err = e as { reason?: string; mark?: { line: number; column: number }; message: string };
    const mark = err.mark;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    const docIndex = mark ? documentIndexAt(text, mark.line) : 0;
    throw new AnalysisInputError(`invalid YAML: ${err.reason ?? err.message.split('\n')[0]}${where}`, { file: name, docIndex });
  }
  const helm = helmTemplateLine(text, true);
  if (helm !== undefined) throw helmTemplateError(name, helm, text);
  return docs;
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
    out.push({ object: obj, file, docIndex });
  });
  return expandLists(out);
}

/**
 * The reader the CLI and the synth-time guard share: the objects of files read in order (documents in order,
 * empty ones skipped, lists expanded), located by file, document and list item.
 */
export function readDocuments(sources: readonly ManifestSource[]): LoadedObject[] {
  return sources.flatMap((s) => documentsToObjects(s.documents, s.file));
}

function readFile(file: string): ManifestSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AnalysisInputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return { file, documents: parseManifestText(text, file, path.extname(file).toLowerCase() === '.json') };
}

/**
 * Loads manifests from files and directories (directories are read recursively for .yaml, .yml and .json, in
 * lexical order), `-` being standard input. Throws AnalysisInputError naming the file and the 0-based document
 * index on bad input, and when there is nothing to read (a CI gate must not pass on the wrong folder): a folder or
 * standard input without any Kubernetes object, or no object in all the paths. (A file named explicitly may be
 * empty, as cdk8s writes the file of a chart without objects.)
 */
export function loadManifests(paths: readonly string[], options: LoadOptions = {}): LoadedObject[] {
  const hint = 'Check the path (a gate that reads nothing proves nothing)';
  const out: LoadedObject[] = [];
  for (const p of paths) {
    if (p === STDIN_PATH) {
      const text = (options.stdin ?? (() => fs.readFileSync(0, 'utf8')))();
      const objects = readDocuments([{ file: STDIN_NAME, documents: parseManifestText(text, STDIN_NAME, false) }]);
      if (objects.length === 0) throw new AnalysisInputError('no Kubernetes objects on standard input (-): it was empty');
      out.push(...objects);
      continue;
    }
    const files = manifestFiles(p);
    const objects = readDocuments(files.map(readFile));
    if (objects.length === 0 && fs.statSync(p).isDirectory()) {
      throw new AnalysisInputError(files.length === 0
        ? `no manifests in ${p}: it has no .yaml, .yml or .json file. ${hint}`
        : `no Kubernetes objects in ${p}: its ${files.length === 1 ? 'file has' : `${files.length} files have`} only empty documents. ${hint}`);
    }
    out.push(...objects);
  }
  if (out.length === 0) throw new AnalysisInputError(`no Kubernetes objects in ${paths.join(', ')}: only empty documents. ${hint}`);
  return out;
}
