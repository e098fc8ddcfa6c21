import type { Warehouse } from '@helpdesk/core';
import { dropStaging } from './batch-writer.ts';

/** A connection of the warehouse (typed through core, which owns DuckDB). */
export type LaneConnection = Parameters<Parameters<Warehouse['withConnection']>[0]>[0];

/**
 * One batch's work on a lane: it stages on `connection`, awaits `inOrder` (the previous batch's
 * commit), then commits. Its synchronous part runs in the caller's turn, so a throw there fails
 * `submit` at once; the promise it returns is the batch's commit.
 */
export type LaneWrite = (connection: LaneConnection, inOrder: Promise<unknown>) => Promise<unknown>;

/**
 * Two connections that take turns, so the next batch is prepared in JavaScript and staged (parsed
 * by DuckDB) on one while DuckDB commits the previous batch on the other. Commits stay strictly in
 * submission order: each write awaits the one before it before committing.
 *
 * @example
 * await withCommitLanes(wh, async (lanes) => {
 *   for (const batch of batches) {
 *     await lanes.submit((connection, inOrder) => (async () => {
 *       const staged = await stageBatch(connection, batch);
 *       await inOrder;
 *       await commitStaged(connection, staged);
 *     })());
 *   }
 *   await lanes.committed();
 * });
 */
export class CommitLanes {
  private readonly lanes: { connection: LaneConnection; busy: Promise<unknown> }[];
  private turn = 0;
  private lastCommit: Promise<unknown> = Promise.resolve();

  constructor(connections: LaneConnection[]) {
    this.lanes = connections.map((connection) => ({ connection, busy: Promise.resolve() }));
  }

  /**
   * Gives the next lane to `write` once that lane's previous write (two batches ago) is done, and
   * returns without waiting for this one; a failed write fails the next submit on its lane, the
   * writes after it (through `inOrder`) and `committed()`.
   */
  async submit(write: LaneWrite): Promise<void> {
    const lane = this.lanes[this.turn++ % this.lanes.length];
    // The lane's previous batch must be committed before the lane is reused.
    await lane.busy;
    const work = write(lane.connection, this.lastCommit);
    work.catch(() => undefined);
    lane.busy = work;
    this.lastCommit = work;
  }

  /** Every write submitted so far is committed (or the first failure is thrown). */
  committed(): Promise<unknown> {
    return this.lastCommit;
  }

  /** Waits for every lane, failed or not (before the connections are handed back). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.lanes.map((l) => l.busy));
  }
}

/** Runs `body` with two lanes on two connections of the warehouse; their staging tables are dropped after. */
export function withCommitLanes<T>(wh: Warehouse, body: (lanes: CommitLanes) => Promise<T>): Promise<T> {
  return wh.withConnection((first) => wh.withConnection(async (second) => {
    const lanes = new CommitLanes([first, second]);
    try {
      return await body(lanes);
    } finally {
      await lanes.settle();
      for (const connection of [first, second]) await dropStaging(connection).catch(() => undefined);
    }
  }));
}
