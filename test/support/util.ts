import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TenancyApp } from '../../src';

/** A fresh app and chart for a test. */
export function newChart(): Chart {
  return Testing.chart();
}

/** Synthesizes a chart (running every validation) into plain objects. */
export function synth(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** Finds exactly one object by kind, name and (optionally) namespace. */
export function find(objects: any[], kind: string, name: string, namespace?: string): any {
  const hits = objects.filter((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  if (hits.length !== 1) {
    throw new Error(`expected one ${kind} ${namespace ?? '*'}/${name}, found ${hits.length}: ${objects.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`).join(', ')}`);
  }
  return hits[0];
}

/** All objects of a kind in a namespace. */
export function ofKind(objects: any[], kind: string, namespace?: string): any[] {
  return objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace));
}

/** A temporary directory, removed by the OS eventually. */
export function tmpdir(prefix = 'tenancy-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file below a directory, as sorted relative paths (`a.k8s.yaml`, `custom-resources/b.k8s.yaml`). */
export function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

/** Reads every YAML file below a directory: relative path → documents. */
export function readDir(dir: string): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const f of listFiles(dir)) {
    out.set(f, yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as any[]);
  }
  return out;
}

/** Synthesizes a TenancyApp built by `build` into a temp dir and returns the dir. */
export function synthApp(build: (app: TenancyApp) => void): string {
  const outdir = path.join(tmpdir(), 'dist');
  const app = new TenancyApp({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/**
 * A fresh temporary folder for each test of the calling file (removed after each), and a
 * function that writes a file in it, creating folders, and returns its path.
 */
export function useTempDir(prefix: string): { dir: () => string; write: (rel: string, text: string) => string } {
  let current = '';
  beforeEach(() => { current = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); });
  afterEach(() => { fs.rmSync(current, { recursive: true, force: true }); });
  return {
    dir: () => current,
    write: (rel, text) => {
      const file = path.join(current, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
  };
}
