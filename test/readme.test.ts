/**
 * The README shows real output: its CLI examples are the CLI's output on this repository's dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../src/cli/main';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function cli(...argv: string[]): string {
  let out = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    main(argv, { stdout: { write: (t: string) => { out += t; } }, stderr: { write: () => undefined } });
  } finally {
    process.chdir(cwd);
  }
  return out.replace(/\n$/, '');
}

/** From `marker` (a command line inside a fenced block) to the end of that block. */
function blockFrom(marker: string): string {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  return README.slice(at, README.indexOf('```', at)).replace(/\n$/, '');
}

/** The fenced block that follows `marker` in the README. */
function blockAfter(marker: string): string {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const start = README.indexOf('\n', README.indexOf('```', at)) + 1;
  return README.slice(start, README.indexOf('```', start)).replace(/\n$/, '');
}

describe('README examples match the CLI on dist/', () => {
  test('reach (txt)', () => {
    const block = blockFrom('$ npm run --silent tenancy -- reach dist/\n');
    expect(block).toBe(`$ npm run --silent tenancy -- reach dist/\n${cli('reach', 'dist/')}`);
  });

  test('reach --format mermaid', () => {
    expect(blockAfter('`--format mermaid` (namespaces as subgraphs), the whole example app:')).toBe(cli('reach', 'dist/', '--format', 'mermaid'));
  });

  test('reach --format json and dot, focused', () => {
    expect(blockAfter('`--focus <ns/name>` keeps the pairs where that workload is one side. `--format json`:')).toBe(cli('reach', 'dist/', '--format', 'json', '--focus', 'shop/database'));
    expect(blockAfter('`--format dot` (Graphviz, `dot -Tsvg`):')).toBe(cli('reach', 'dist/', '--format', 'dot', '--focus', 'shop/database'));
  });

  test('reach --exposure, focused on two workloads', () => {
    const marker = '$ npm run --silent tenancy -- reach dist/ --exposure --focus acme/web --focus customer1/nginx\n';
    expect(blockFrom(marker)).toBe(`${marker}${cli('reach', 'dist/', '--exposure', '--focus', 'acme/web', '--focus', 'customer1/nginx')}`);
  });

  test('explain', () => {
    const marker = '$ npm run --silent tenancy -- explain dist/ --from customer1/nginx --to acme/web --port 8080/TCP\n';
    expect(blockFrom(marker)).toBe(`${marker}${cli('explain', 'dist/', '--from', 'customer1/nginx', '--to', 'acme/web', '--port', '8080/TCP')}`);
  });
});
