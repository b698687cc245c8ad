/**
 * Where the synthesized files end up, as the cdk8s CLI lays them out: the folder an Argo CD
 * Application syncs, and the `templates/` folder of `cdk8s synth --format helm`.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder Argo CD syncs when the app's output folder says nothing better. */
export const DEFAULT_SYNC_PATH = 'dist';

/**
 * Whether `outdir` is the `templates/` folder of a Helm chart. `cdk8s synth --format helm`
 * writes `Chart.yaml` into the output folder, then runs the app with `CDK8S_OUTDIR` set to its
 * `templates/` folder.
 */
export function isHelmTemplatesDir(outdir: string): boolean {
  const abs = path.resolve(outdir);
  return path.basename(abs) === 'templates' && fs.existsSync(path.join(path.dirname(abs), 'Chart.yaml'));
}

/**
 * A file name Helm renders: Helm takes a template whose name starts with `_` for a partial and
 * renders no manifest from it, so leading underscores of each part of the path move to its end
 * (`custom-resources/_cluster` becomes `custom-resources/cluster_`). Give it a name without the
 * extension. No namespace name can contain `_`, so the result never collides with a namespace's file.
 */
export function helmSafeName(name: string): string {
  return name.split('/').map((part) => {
    const m = /^(_+)(.*)$/.exec(part);
    return m && m[2] !== '' ? `${m[2]}${m[1]}` : part;
  }).join('/');
}

/**
 * The repository folder an Argo CD Application syncs for an app writing into `outdir`: the
 * output folder itself when it is a relative path inside the working folder (`dist`, or
 * `dist/templates` under `cdk8s synth --format helm`), else `dist` (an absolute or outside
 * folder, such as the temporary one `cdk8s synth --stdout` and `Testing.app()` use, says
 * nothing about the repository).
 */
export function syncPathOf(outdir: string): string {
  if (path.isAbsolute(outdir)) return DEFAULT_SYNC_PATH;
  const norm = path.posix.normalize(outdir.split(path.sep).join('/')).replace(/\/+$/, '');
  if (norm === '' || norm === '.' || norm === '..' || norm.startsWith('../')) return DEFAULT_SYNC_PATH;
  return norm.replace(/^\.\//, '');
}
