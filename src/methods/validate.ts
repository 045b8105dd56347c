/**
 * Validation of a whole method config against its schema (schema-method.ts): unknown keys
 * (naming the closest known one) and every option's range, each error a one-line ParamError
 * naming the option. The block sections (clustering loss, cluster update, final clustering) are
 * checked by their blocks.
 */
import type { MethodConfig } from './config.ts';
import { validateField } from './schema.ts';
import { METHOD_SCHEMA } from './schema-method.ts';

/**
 * Validates a whole method config, throwing a ParamError that names the offending option
 * (`method.train.batchSize must be an integer >= 1, got 0`); returns the config unchanged.
 */
export function validateMethod(m: MethodConfig): MethodConfig {
  return validateField(METHOD_SCHEMA, m, 'method');
}
