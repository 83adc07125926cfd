/**
 * `--prices FILE`: the hook where a price table becomes the batch's PriceFn. The table
 * itself (a maintained source, LiteLLM-format files) is built on another branch; until it
 * lands here the option is refused with a clear message rather than silently pricing at 0.
 */
import { err, type Result } from 'neverthrow';
import type { PriceFn } from '../../batch/types.js';

export function loadPrices(path: string): Result<PriceFn, string> {
  return err(`--prices ${path}: price tables are not built into this version yet; run without --prices (costs are then null, never 0)`);
}
