/** The one VCR switch: an explicit option, else `LLMUX_VCR`, else replay. */
import { err, ok, type Result } from 'neverthrow';
import { vcrError, type VcrError } from './errors.js';

/** `record`: hit the network and save; `replay`: never touch it; `off`: pass straight through. */
export type VcrMode = 'record' | 'replay' | 'off';

export const VCR_ENV = 'LLMUX_VCR';

const MODES: readonly VcrMode[] = ['record', 'replay', 'off'];

export function parseMode(text: string): Result<VcrMode, VcrError> {
  const mode = MODES.find((candidate) => candidate === text.trim().toLowerCase());
  return mode === undefined ? err(vcrError('config', `bad VCR mode "${text}": expected record, replay or off`)) : ok(mode);
}

/** The option wins; then `LLMUX_VCR` from `env`; the default is `replay`. */
export function resolveMode(option?: VcrMode, env: Readonly<Record<string, string | undefined>> = process.env): Result<VcrMode, VcrError> {
  if (option !== undefined) return parseMode(option);
  const fromEnv = env[VCR_ENV];
  if (fromEnv === undefined || fromEnv.trim() === '') return ok('replay');
  return parseMode(fromEnv).mapErr((error) => ({ ...error, message: `${VCR_ENV}: ${error.message}` }));
}
