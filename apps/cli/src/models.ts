/**
 * The domain packages whose models the CLI lists and trains: importing one registers its models
 * in core's registry. A new domain package is added here and to package.json's dependencies.
 */
import { registry } from '@neuralzoo/core';
import '@neuralzoo/vision';

/** Core's registry, filled by the imports above. */
export function loadRegistry(): typeof registry {
  return registry;
}
