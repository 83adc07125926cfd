import type { Buffer } from 'node:buffer';
import { Rng } from './rng.js';

/** How a body is cut into the chunks a socket delivers. The bytes are the same; the results must be too. */
export type Chunking = { readonly kind: 'whole' } | { readonly kind: 'random'; readonly seed: number; readonly max: number } | { readonly kind: 'bytes' };

export function chunk(bytes: Buffer, how: Chunking): Buffer[] {
  switch (how.kind) {
    case 'whole':
      return [bytes];
    case 'bytes':
      return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    case 'random': {
      const rng = new Rng(how.seed);
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = rng.range(1, how.max);
        pieces.push(bytes.subarray(at, at + size));
        at += size;
      }
      return pieces;
    }
  }
}

export function describeChunking(how: Chunking): string {
  return how.kind === 'random' ? `random(seed ${how.seed}, 1..${how.max} bytes)` : how.kind;
}
