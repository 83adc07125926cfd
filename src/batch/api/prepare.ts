// Items to wire bodies, by the same adapters (and so the same serializers and validation) the
// live lane uses: a request that would fail to start live fails here with the same error.
import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { ProviderAdapter } from '../../providers/adapter.js';
import { providerDefinition, type CommonAdapterOptions } from '../../providers/registry.js';
import type { BatchItem } from '../types.js';
import { BATCH_PROTOCOLS } from './protocols.js';
import { isJson } from './shared.js';
import type { BatchProtocol, Endpoint, PreparedItem } from './types.js';

/** One provider's adapter, protocol and endpoint, made once per run. */
export interface ProviderLane {
  readonly adapter: ProviderAdapter;
  readonly protocol: BatchProtocol;
  /** Set from the first request prepared; every request of a provider shares the adapter's base URL and key. */
  endpoint: Endpoint | undefined;
}

export class Lanes {
  readonly #lanes = new Map<string, ProviderLane>();
  readonly #options: Readonly<Record<string, CommonAdapterOptions>>;

  constructor(options: Readonly<Record<string, CommonAdapterOptions>> = {}) {
    this.#options = options;
  }

  get(provider: string): Result<ProviderLane, ProviderError> {
    const known = this.#lanes.get(provider);
    if (known !== undefined) return ok(known);
    const protocol = BATCH_PROTOCOLS[provider];
    const definition = providerDefinition(provider);
    if (protocol === undefined || definition === undefined) {
      return err(providerError('invalid_arg', { message: `provider "${provider}" has no Batch API this lane speaks (${Object.keys(BATCH_PROTOCOLS).join(', ')}); run it on the live lane` }));
    }
    const lane: ProviderLane = { adapter: definition.createAdapter(this.#options[provider] ?? {}), protocol, endpoint: undefined };
    this.#lanes.set(provider, lane);
    return ok(lane);
  }
}

/** Serializes one item for its provider's batch; the lane learns its endpoint from the first. */
export function prepareItem(lanes: Lanes, item: BatchItem): Result<PreparedItem, ProviderError> {
  const lane = lanes.get(item.provider);
  if (lane.isErr()) return err(lane.error);
  const prepared = lane.value.adapter.prepare(item.request, 'request');
  if (prepared.isErr()) return err(prepared.error);
  if (lane.value.endpoint === undefined) {
    const endpoint = lane.value.protocol.endpoint(prepared.value);
    if (endpoint.isErr()) return err(endpoint.error);
    lane.value.endpoint = endpoint.value;
  }
  let body: unknown;
  try {
    body = JSON.parse(prepared.value.http.body ?? 'null');
  } catch {
    body = undefined;
  }
  if (!isJson(body)) return err(providerError('invalid_arg', { message: `${item.provider}: the request body is not a JSON object` }));
  return ok({ item, prepared: prepared.value, body });
}
