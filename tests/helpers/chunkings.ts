/**
 * The chunkings every parser and parity test feeds a body through: a parser must read the
 * same stream whether the socket hands it over whole, in small pieces, or at random cuts.
 */
import { mulberry32 } from '../../src/vcr/faults.js';

/** Splits a buffer into pieces of `size` bytes. */
export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Deterministic pseudo-random split points (the VCR's mulberry32), so a failure reproduces. */
export function randomSplit(bytes: Uint8Array, seed: number, maxPiece = 64): Uint8Array[] {
  const next = mulberry32(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(next() * maxPiece);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

export type Chunking = [how: string, chunks: Uint8Array[]];

/**
 * Whole, every 7 bytes (cuts inside every field and UTF-8 sequence), seeded random; with
 * `everyByte` also one byte at a time (the costliest, so only where a test needs it).
 */
export function chunkings(body: Uint8Array, seed: number, options: { readonly everyByte?: boolean } = {}): Chunking[] {
  return [
    ['whole', [body]],
    ['every 7 bytes', splitEvery(body, 7)],
    ...(options.everyByte === true ? [['every byte', splitEvery(body, 1)] as Chunking] : []),
    ['random', randomSplit(body, seed)],
  ];
}
