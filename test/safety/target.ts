/**
 * The cluster under attack, its untouched digest, and the checks after every run: digest
 * unchanged, nothing `schemaproof_*` left, a bystander session still alive. When a run did
 * damage, the cluster is rebuilt from scratch so the next run starts from the same state.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import pg from 'pg';
import { type Cluster, createTarget, startCluster } from './cluster.js';
import { type Digest, leftovers, settledDiff, stableDigest } from './digest.js';

export interface LogEntry { readonly user: string; readonly db: string; readonly text: string }

export class Target {
  private constructor(public cluster: Cluster, public baseline: Digest, private bystander: pg.Client) {}

  static async start(): Promise<Target> {
    const cluster = await startCluster();
    try {
      await createTarget(cluster);
      const bystander = await Target.connectBystander(cluster);
      return new Target(cluster, await stableDigest(cluster), bystander);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }

  /** A session of the application's role on the target, which no run may end. */
  private static async connectBystander(c: Cluster): Promise<pg.Client> {
    const b = new pg.Client({ host: c.dir, port: c.port, user: 'app_user', database: 'appdb', application_name: 'bystander' });
    b.on('error', () => undefined);
    await b.connect();
    return b;
  }

  url(role: string, db = 'appdb'): string { return this.cluster.url(role, db); }

  /** Bytes in the server log so far, to read what a run made the server do. */
  logOffset(): number { return statSync(this.cluster.log).size; }

  /** Statements the server logged since `offset`, by user and database (continuation lines joined). */
  logSince(offset: number): LogEntry[] {
    const size = statSync(this.cluster.log).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    const fd = openSync(this.cluster.log, 'r');
    try { readSync(fd, buf, 0, buf.length, offset); } finally { closeSync(fd); }
    const out: { user: string; db: string; text: string }[] = [];
    for (const line of buf.toString('utf8').split('\n')) {
      const m = /^([\w\[\]-]*)@([\w\[\]-]*):(\w+):\s+(.*)$/.exec(line);
      if (m) out.push({ user: m[1]!, db: m[2]!, text: `${m[3]}: ${m[4]}` });
      else if (out.length) out[out.length - 1]!.text += `\n${line}`;
    }
    return out;
  }

  /** What differs from the untouched cluster; rebuilds it when anything does. */
  async problemsAfter(label: string): Promise<string[]> {
    const problems: string[] = [];
    for (const d of await settledDiff(this.cluster, this.baseline)) problems.push(`${label}: changed ${d}`);
    for (const l of await leftovers(this.cluster)) problems.push(`${label}: left ${l}`);
    try {
      await this.bystander.query({ text: 'SELECT 1', query_timeout: 5000 } as pg.QueryConfig);
    } catch (e) {
      problems.push(`${label}: ended another session (${(e as Error).message})`);
    }
    if (problems.length) await this.rebuild();
    return problems;
  }

  async rebuild(): Promise<void> {
    await this.stop();
    const fresh = await Target.start();
    this.cluster = fresh.cluster;
    this.baseline = fresh.baseline;
    this.bystander = fresh.bystander;
  }

  async stop(): Promise<void> {
    await this.bystander.end().catch(() => undefined);
    await this.cluster.stop();
  }
}
