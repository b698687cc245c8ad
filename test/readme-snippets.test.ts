/**
 * Every ```ts block of the README compiles as written, imports included, against the package
 * (`cdk8s-tenancy` mapped to `src/index.ts`) with the project's compiler options. A block that is
 * deliberately a fragment says so on the line before it: `<!-- fragment -->`; they are kept few.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const FRAGMENT = '<!-- fragment -->';

interface Snippet {
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
  readonly code: string;
  readonly fragment: boolean;
}

function snippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    out.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), fragment: before >= 0 && lines[before].trim() === FRAGMENT });
    i = end;
  }
  return out;
}

/** Compiles the snippets as files of the repository (so that `cdk8s` resolves from its node_modules); diagnostics by snippet line. */
function compile(list: readonly Snippet[]): Map<number, string[]> {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // snippets declare things to show them
    noUnusedLocals: false,
    noUnusedParameters: false,
    types: ['node'],
    baseUrl: ROOT,
    paths: { 'cdk8s-tenancy': ['src/index.ts'] },
  };
  const files = new Map(list.map((s) => [path.join(ROOT, `readme-snippet-line-${s.line}.ts`), s]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const s = files.get(path.resolve(name));
    return s ? ts.createSourceFile(name, s.code, version) : getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const out = new Map<number, string[]>();
  for (const [file, s] of files) {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file));
    out.set(s.line, diagnostics.map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + s.line + 1 : s.line;
      return `README.md:${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }));
  }
  return out;
}

describe('README TypeScript snippets', () => {
  const all = snippets(README);
  const whole = all.filter((s) => !s.fragment);

  test('there are snippets, and fragments are few', () => {
    expect(whole.length).toBeGreaterThanOrEqual(5);
    expect(all.filter((s) => s.fragment).length).toBeLessThanOrEqual(2);
  });

  test('each whole snippet imports what it uses from the package', () => {
    for (const s of whole) expect({ line: s.line, imports: /from 'cdk8s-tenancy';/.test(s.code) }).toEqual({ line: s.line, imports: true });
  });

  test('each whole snippet compiles as written', () => {
    const diagnostics = compile(whole);
    for (const s of whole) expect({ line: s.line, diagnostics: diagnostics.get(s.line) }).toEqual({ line: s.line, diagnostics: [] });
  });

  test('the check catches a snippet that does not compile', () => {
    const bad = snippets("```ts\nimport { IsolatedTenant } from 'cdk8s-tenancy';\nnew IsolatedTenant(chart, 'x');\n```\n");
    expect(compile(bad).get(1)).toEqual(["README.md:3: Cannot find name 'chart'."]);
  });
});
