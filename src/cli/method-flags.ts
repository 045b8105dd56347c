/**
 * The CLI flags that set a method option (`--lr` sets `train.optimizer.lr`). Their values are
 * checked by the method schema, the one check of method options, and its ParamErrors name the
 * flag instead of the option path: `fit: option '--lr' must be a finite number > 0, got 0`.
 *
 * The learning rate's path: `--lr` → here, the schema's `train.optimizer.lr` field → the fit's
 * overrides → `validateMethod` (the whole config, same field) → the engine's `adam`/`sgd`, whose
 * own guard is for direct engine users; `TrainingStep.run({ lr })` checks only the per-run rates
 * and schedules it is given, a different input.
 */
import { ParamError } from '../errors.ts';
import { fieldAt, validateField } from '../methods/schema.ts';
import { METHOD_SCHEMA } from '../methods/schema-method.ts';

/** Each numeric method flag and the method option it sets (`--batch-size` sets both phases' batch size, by the same rule). */
export const METHOD_FLAGS = {
  'pretrain-epochs': 'pretrain.epochs',
  'max-iter': 'train.maxIter',
  'batch-size': 'train.batchSize',
  lr: 'train.optimizer.lr',
  'update-interval': 'clusterUpdate.updateInterval',
  tol: 'clusterUpdate.tol',
  gamma: 'combination.clusteringWeight',
  'embedding-dim': 'architecture.embeddingDim',
} as const;

/** A flag of {@link METHOD_FLAGS}. */
export type MethodFlag = keyof typeof METHOD_FLAGS;

/**
 * Runs `body`, turning a ParamError about the option a flag sets into one that names the flag
 * (`method.train.optimizer.lr must be …` → `fit: option '--lr' must be …`).
 */
export function namingFlags<T>(command: string, flags: readonly MethodFlag[], body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (!(err instanceof ParamError)) throw err;
    for (const flag of flags) {
      const path = `method.${METHOD_FLAGS[flag]}`;
      if (err.message.startsWith(`${path} `)) throw new ParamError(`${command}: option '--${flag}'${err.message.slice(path.length)}`);
    }
    throw err;
  }
}

/**
 * A numeric method flag's value, checked by the method schema's field for its option (the error
 * names the flag); undefined when the flag is not given. A value that is not a number reaches the
 * check as the text typed, so the message shows it (`got "abc"`).
 */
export function methodFlag(command: string, flag: MethodFlag, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const n = Number(text);
  const value = text.trim() !== '' && Number.isFinite(n) ? n : raw;
  const path = METHOD_FLAGS[flag];
  return namingFlags(command, [flag], () => validateField(fieldAt(METHOD_SCHEMA, path)!, value, `method.${path}`)) as number;
}
