import { TenancyApp } from '../src';
import { progressReporter } from '../src/app';
import { buildTenants, tenantNames } from '../bench/tenants';
import { tmpdir } from './support/util';

/** A deterministic shuffle (xorshift), so the test is reproducible. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('scale: a few hundred tenants', () => {
  const names = tenantNames(400);

  function files(order: string[]): Map<string, string> {
    const app = new TenancyApp({ outdir: tmpdir() });
    buildTenants(app, order);
    return app.synthFiles();
  }

  test('byte-identical between runs and independent of declaration order', () => {
    const first = files(names);
    expect(first.size).toBe(401); // one file per namespace, and +cluster.k8s.yaml with the Namespaces
    const again = files(names);
    const shuffled = files(shuffle(names, 12345));
    const reversed = files([...names].reverse());
    expect([...again.keys()]).toEqual([...first.keys()]);
    for (const other of [again, shuffled, reversed]) {
      expect([...other.keys()]).toEqual([...first.keys()]);
      for (const [k, v] of first) expect(other.get(k)).toBe(v);
    }
  });

  test('progress is reported on a TTY only, and never under CI', () => {
    const stderr = process.stderr as { isTTY?: boolean };
    const saved = { tty: stderr.isTTY, ci: process.env.CI };
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { writes.push(String(s)); return true; });
    try {
      stderr.isTTY = true;
      delete process.env.CI;
      expect(progressReporter(300)).toBeUndefined();
      const report = progressReporter(1000)!;
      for (let i = 1; i <= 1000; i++) report(i);
      expect(writes).toEqual([
        '\rcdk8s-tenancy: wrote 500/1000 namespace files',
        '\rcdk8s-tenancy: wrote 1000/1000 namespace files\n',
      ]);
      process.env.CI = 'true';
      expect(progressReporter(1000)).toBeUndefined();
      delete process.env.CI;
      stderr.isTTY = false;
      expect(progressReporter(1000)).toBeUndefined();
    } finally {
      spy.mockRestore();
      stderr.isTTY = saved.tty;
      if (saved.ci === undefined) delete process.env.CI; else process.env.CI = saved.ci;
    }
  });
});
