/**
 * `npm run bench`: synthesis at scale against the naive cdk8s-plus design and the YAML
 * serialization floor, and the analyzer's goal, all measured in this one run.
 *
 * Each measurement runs in a fresh child process (so peak memory is its own). Prints a table
 * and writes it as JSON to bench/results.json.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Figures { [key: string]: number }

const ROOT = path.resolve(__dirname, '..');
const COMPILED = path.join(ROOT, 'lib', 'bench');

/**
 * Runs a benchmark script compiled to JavaScript, as an installed package runs (no TypeScript
 * compiler in the measured process), in a fresh process.
 */
function child(script: string, args: string[]): Figures {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [path.join(COMPILED, script.replace(/\.ts$/, '.js')), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 2 ** 20,
  });
  const json = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!json) throw new Error(`${script} printed no figures:\n${out}`);
  return { ...JSON.parse(json), wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** The run with the median value of `key`. */
function median(list: Figures[], key: string): Figures {
  return [...list].sort((a, b) => a[key] - b[key])[Math.floor(list.length / 2)];
}

/**
 * The disk's share: creating `n` files of 2.5 KB in a fresh folder of `os.tmpdir()` with plain
 * `fs.writeFileSync` (median of `runs`). On some volumes creating inodes costs far more than
 * rendering YAML, and it varies from run to run (online discard after deletions).
 */
function fileCreationFloor(n: number, runs: number): number {
  const text = 'x'.repeat(2500);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const dir = tmp(os.tmpdir());
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `tenant-${i}.k8s.yaml`), text);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/**
 * Output folders are kept until the end of the run: on volumes mounted with online discard
 * (like this project's VMs), deleting thousands of files slows the file creations that follow,
 * so deleting one measurement's output would slow the next measurement.
 */
const created: string[] = [];

/**
 * Where the measured apps write: a RAM-backed folder (`/dev/shm`) when there is one, so the
 * table measures the software rather than the disk (both apps alike); `BENCH_DIR` overrides it.
 * The disk's share is reported apart, as the time to create as many files on `os.tmpdir()`.
 */
const BENCH_DIR = process.env.BENCH_DIR ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());

function tmp(base: string = BENCH_DIR): string {
  const dir = fs.mkdtempSync(path.join(base, 'tenancy-bench-'));
  created.push(dir);
  return dir;
}

async function main(): Promise<void> {
  process.stderr.write('compiling the package and the benchmark (tsc -p tsconfig.bench.json)\n');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.bench.json')], { cwd: ROOT, stdio: 'inherit' });
  const sizes = (process.env.BENCH_SIZES ?? '1000,2000,10000').split(',').map(Number);
  const baselineSize = Number(process.env.BENCH_BASELINE ?? 2000);
  const rows: Array<Record<string, number | string>> = [];
  const results: Record<string, Figures> = {};
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  for (const n of sizes) {
    const measured: Figures[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = tmp();
      measured.push(child('tenants.ts', [String(n), path.join(dir, 'dist')]));
    }
    const f = median(measured, 'wallMs');
    const floor = child('tenants.ts', [String(n), path.join(tmp(), 'dist'), 'floor']);
    const files = fileCreationFloor(n, runs);
    results[`tenancy-${n}`] = { ...f, runs, wallMsAll: measured.map((m) => m.wallMs) as any, yamlFloorMs: floor.yamlFloorMs, yamlBytes: floor.yamlBytes, objects: floor.objects, fileCreationMs: files };
    process.stderr.write(`measured ${n} tenants: ${(f.wallMs / 1000).toFixed(2)} s wall (median of ${runs}: ${measured.map((m) => (m.wallMs / 1000).toFixed(2)).join(', ')}); creating ${n} files on disk alone: ${(files / 1000).toFixed(2)} s\n`);
  }
  const baseDir = tmp();
  const naive = child('naive.ts', [String(baselineSize), path.join(baseDir, 'dist')]);
  results[`naive-${baselineSize}`] = naive;
  process.stderr.write(`measured naive baseline at ${baselineSize} tenants: ${(naive.wallMs / 1000).toFixed(2)} s wall\n`);

  for (const n of sizes) {
    const f = results[`tenancy-${n}`];
    rows.push({
      app: 'cdk8s-tenancy',
      tenants: n,
      'wall s': +(f.wallMs / 1000).toFixed(2),
      'synth s': +(f.totalMs / 1000).toFixed(2),
      'peak MiB': f.peakRssMiB,
      'vs naive (wall)': n === baselineSize ? `${(naive.wallMs / f.wallMs).toFixed(1)}x faster` : '',
      'vs yaml floor': `${(f.totalMs / f.yamlFloorMs).toFixed(2)}x`,
      'creating as many files on disk s': +(f.fileCreationMs / 1000).toFixed(2),
    });
  }
  rows.push({
    app: 'naive cdk8s-plus', tenants: baselineSize, 'wall s': +(naive.wallMs / 1000).toFixed(2), 'synth s': +(naive.totalMs / 1000).toFixed(2),
    'peak MiB': naive.peakRssMiB, 'vs naive (wall)': 'baseline', 'vs yaml floor': '', 'creating as many files on disk s': '',
  });

  const lines: string[] = [];
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  lines.push(cols.map((c, i) => c.padEnd(width[i])).join(' | '));
  lines.push(width.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) lines.push(cols.map((c, i) => String(r[c]).padEnd(width[i])).join(' | '));

  const small = results[`tenancy-${Math.min(...sizes)}`];
  const large = results[`tenancy-${Math.max(...sizes)}`];
  const linear = (large.wallMs / small.wallMs) / (Math.max(...sizes) / Math.min(...sizes));
  lines.push('');
  lines.push(`linearity: ${Math.max(...sizes)} tenants took ${(large.wallMs / small.wallMs).toFixed(1)}x the wall time of ${Math.min(...sizes)} `
    + `(synth alone: ${(large.totalMs / small.totalMs).toFixed(1)}x; goal: at most ${(1.1 * Math.max(...sizes) / Math.min(...sizes)).toFixed(0)}x)`);
  lines.push('wall s: the whole process (node start, loading the compiled package, building the constructs, guard, writing); synth s: from the first construct to the last file written.');

  const analysis = child('analysis.ts', ['2000']);
  results.analysis = analysis;
  lines.push(`analyzer (2,000 namespaces x 5 workloads x 3 policies + 1 Admin-tier ClusterNetworkPolicy each, + monitoring: ${analysis.documents} documents, ${analysis.megabytes} MB): `
    + `load+analyze+write ${(analysis.totalMs / 1000).toFixed(3)} s (goal <= 2 s), js-yaml parse alone ${(analysis.parseMs / 1000).toFixed(3)} s, `
    + `ratio ${analysis.ratio}x (goal <= 5x); tenancy check ${analysis.checkMs} ms`);
  const large10k = child('analysis.ts', ['10000']);
  results.analysis10000 = large10k;
  lines.push(`analyzer at 10,000 namespaces (${large10k.documents} documents, ${large10k.megabytes} MB): load+analyze+write ${(large10k.totalMs / 1000).toFixed(3)} s `
    + `(goal <= 10 s), ${(large10k.totalMs / analysis.totalMs).toFixed(1)}x the 2,000 figure for 5x the input (linear: about 5x); `
    + `js-yaml parse alone ${(large10k.parseMs / 1000).toFixed(3)} s, ratio ${large10k.ratio}x; tenancy check ${large10k.checkMs} ms`);

  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; output written to ${BENCH_DIR}`;
  lines.push(`machine: ${machine}`);
  process.stdout.write(lines.join('\n') + '\n');
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString().slice(0, 10), rows, linearity: linear, results }, null, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
