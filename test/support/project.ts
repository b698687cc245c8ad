/**
 * Temporary cdk8s projects for tests that run the real tools (the cdk8s CLI, npm scripts): a
 * folder with `cdk8s.yaml`, a `tsconfig.json`, `node_modules` linked to this repository's, and
 * apps that import the package from its TypeScript sources.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');
/** The package's sources, as an app in a temporary project imports them. */
export const PACKAGE_SRC = path.join(ROOT, 'src');
/** The cdk8s CLI of the repository's devDependencies. */
export const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
/** ts-node, to run a TypeScript app. */
export const TS_NODE = path.join(ROOT, 'node_modules', '.bin', 'ts-node');

/** The result of a command. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in `cwd`, offline, without colours or upgrade checks. */
export function run(cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_offline: 'true', npm_config_update_notifier: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the cdk8s CLI in `cwd`. */
export function cdk8s(cwd: string, ...args: string[]): Run {
  return run(cwd, process.execPath, [CDK8S, ...args, '--no-check-upgrade']);
}

/**
 * A temporary project with `files` (relative path → text), a `tsconfig.json` and
 * `node_modules` linked to the repository's. Removed with `removeProject`.
 */
export function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-project-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, skipLibCheck: true, strict: true } }),
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** Removes a temporary project. */
export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `cdk8s.yaml` running `app.ts` with ts-node, plus `extra` YAML lines. */
export function cdk8sYaml(extra = ''): string {
  return `language: typescript\napp: ${TS_NODE} --transpile-only app.ts\n${extra}`;
}

/** Every file below `dir` (relative paths, sorted) with its bytes. */
export function snapshotDir(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out.set(`${prefix}${e.name}`, fs.readFileSync(path.join(d, e.name)));
    }
  };
  walk(dir, '');
  return out;
}
