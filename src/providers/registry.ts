import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { BUILTIN_PROVIDERS, type BuiltinProviderOptions } from './builtin.js';
import type { CommonAdapterOptions, ProviderDefinition } from './definition.js';
import { EngineProvider, type Provider, type ProviderOptions } from './provider.js';

export type { BuiltinProviderOptions, CommonAdapterOptions, ProviderDefinition };

/** A built-in provider's name. */
export type ProviderName = keyof BuiltinProviderOptions;

/** What `createProvider(name, ...)` accepts: the provider's own options plus the engine's. */
export type ProviderOptionsFor<N extends string> = (N extends ProviderName ? BuiltinProviderOptions[N] : CommonAdapterOptions) &
  ProviderOptions;

const registry = new Map<string, ProviderDefinition>(BUILTIN_PROVIDERS.map((definition) => [definition.name, definition]));

/** Registered names, built-ins first, in registration order. */
export function providerNames(): readonly string[] {
  return [...registry.keys()];
}

/** The definition of a registered provider, or undefined. */
export function providerDefinition(name: string): ProviderDefinition | undefined {
  return registry.get(name);
}

/** The error for a name nobody registered; it lists the known ones. */
export function unknownProvider(name: string): ProviderError {
  return providerError('invalid_arg', {
    message: `unknown provider "${name}"; known providers: ${providerNames().join(', ')}`,
  });
}

/**
 * Adds a provider (a host's own, or a test's). Names are lower-case ids and unique: a name
 * already registered is an `invalid_arg` error and the registry is unchanged.
 */
export function registerProvider<O extends CommonAdapterOptions>(definition: ProviderDefinition<O>): Result<void, ProviderError> {
  if (!/^[a-z][a-z0-9_-]*$/.test(definition.name)) {
    return err(providerError('invalid_arg', { message: `provider names are lower-case ids; got ${JSON.stringify(definition.name)}` }));
  }
  if (registry.has(definition.name)) {
    return err(providerError('invalid_arg', { message: `a provider named "${definition.name}" is already registered` }));
  }
  registry.set(definition.name, definition);
  return ok(undefined);
}

/**
 * Creates a provider by name. The API key comes from the options or the provider's key
 * variable(s); a missing one is reported by the first start call, which says how to set it.
 * An unknown name is an `invalid_arg` error listing the known providers.
 */
export function createProvider<N extends string>(name: N, options?: ProviderOptionsFor<N>): Result<Provider, ProviderError> {
  const definition = registry.get(name);
  if (definition === undefined) return err(unknownProvider(name));
  const given = options ?? {};
  return ok(new EngineProvider(definition.createAdapter(given), given));
}
