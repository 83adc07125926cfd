// `--shard I/N`: a deterministic slice of the input by id hash, so N machines split one job
// without talking to each other. The hash is SHA-256 of the id (its first 6 bytes as an
// integer, mod N): the same id lands in the same shard on every machine and Node version,
// and shards stay balanced whatever the ids look like.
import { createHash } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { batchFailure, type BatchFailure } from './errors.js';

export interface Shard {
  /** 1-based, as people count: shards 1/4 .. 4/4. */
  readonly index: number;
  readonly count: number;
}

/** "2/4" -> { index: 2, count: 4 }. */
export function parseShard(text: string): Result<Shard, BatchFailure> {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    return err(batchFailure('invalid_option', `--shard takes I/N with 1 <= I <= N (for example 1/4); got ${JSON.stringify(text)}`));
  }
  return ok({ index, count });
}

/** The 1-based shard an id belongs to among `count`. */
export function shardOf(id: string, count: number): number {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(id, shard.count) === shard.index;
}
