/**
 * Integrity of a saved model folder (`model.json` + `model.safetensors`): `save` seals model.json
 * with the SHA-256 of the tensors file and of model.json's own content; `load` checks both (an
 * edited, damaged or partly copied model is refused, naming the file), then checks model.json
 * against the tensors (every parameter the configured network needs, with its shape, and the
 * cluster centres `[nClusters, embeddingDim]`), so a model that disagrees with itself is refused
 * before any graph is built.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.ts';

/** The field of model.json holding the seal. */
export const INTEGRITY_KEY = 'integrity';

/** The seal stored in model.json. */
export interface ModelIntegrity {
  /** SHA-256 of model.safetensors. */
  readonly 'model.safetensors': string;
  /** SHA-256 of model.json's content without this field (JSON.stringify of the rest, in order). */
  readonly 'model.json': string;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function withoutSeal(meta: Record<string, unknown>): string {
  const { [INTEGRITY_KEY]: _seal, ...rest } = meta;
  return JSON.stringify(rest);
}

/**
 * Returns `meta` with its seal added: call after model.safetensors is written in `dir`, and write
 * the result as model.json.
 */
export function sealModel<T extends Record<string, unknown>>(dir: string, meta: T): T & { integrity: ModelIntegrity } {
  const seal: ModelIntegrity = { 'model.safetensors': sha256(readFileSync(join(dir, 'model.safetensors'))), 'model.json': sha256(withoutSeal(meta)) };
  return { ...meta, [INTEGRITY_KEY]: seal } as T & { integrity: ModelIntegrity };
}

/**
 * Checks a model folder against the seal in its model.json (models saved before seals existed
 * have none and pass).
 * @throws DataError naming the file that was edited, damaged or does not belong to this model.json
 */
export function verifyModelSeal(dir: string, meta: Record<string, unknown>): void {
  const seal = meta[INTEGRITY_KEY] as Partial<ModelIntegrity> | undefined;
  if (seal === undefined) return;
  if (typeof seal !== 'object' || seal === null || typeof seal['model.json'] !== 'string' || typeof seal['model.safetensors'] !== 'string')
    throw new DataError(`'${join(dir, 'model.json')}': its '${INTEGRITY_KEY}' field is damaged; copy the model folder again, or refit`);
  if (sha256(withoutSeal(meta)) !== seal['model.json'])
    throw new DataError(`'${join(dir, 'model.json')}' was edited after the model was saved (it no longer matches its checksum); restore it, copy the model folder again, or refit`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(dir, 'model.safetensors'));
  } catch {
    throw new DataError(`'${join(dir, 'model.safetensors')}' is missing; copy the whole model folder (model.json and model.safetensors)`);
  }
  if (sha256(bytes) !== seal['model.safetensors'])
    throw new DataError(`'${join(dir, 'model.safetensors')}' does not match the checksum in model.json (edited, damaged, partly copied, or from another model); copy the whole model folder again, or refit`);
}

/** A parameter store as far as this check needs it. */
interface Store {
  names(): string[];
  has(name: string): boolean;
  get(name: string): { readonly shape: readonly number[] };
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Checks model.json's settings against the tensors: `expected` is the parameter store the
 * configured network would have (e.g. `net.initParameters(0)`), `store` the one loaded.
 * @throws DataError naming the first parameter that is missing or has another shape, and the
 *   model.json setting that disagrees
 */
export function checkModelShapes(dir: string, meta: { nClusters: number; embeddingDim: number; nFeatures: number }, expected: Store, store: Store): void {
  const json = join(dir, 'model.json');
  const hint = `model.json and model.safetensors disagree (was model.json edited, or the files mixed from two models?); copy the model folder again, or refit`;
  if (!Number.isInteger(meta.nClusters) || meta.nClusters < 1 || !Number.isInteger(meta.embeddingDim) || meta.embeddingDim < 1 || !Number.isInteger(meta.nFeatures) || meta.nFeatures < 1)
    throw new DataError(`'${json}': nClusters, embeddingDim and nFeatures must be positive integers, got ${meta.nClusters}, ${meta.embeddingDim}, ${meta.nFeatures}; ${hint}`);
  for (const name of expected.names()) {
    if (!store.has(name)) throw new DataError(`'${json}' describes a network with parameter '${name}', which model.safetensors lacks; ${hint}`);
    const want = expected.get(name).shape;
    const got = store.get(name).shape;
    if (want.length !== got.length || want.some((d, i) => d !== got[i]))
      throw new DataError(`'${json}' (nFeatures ${meta.nFeatures} and the architecture) gives parameter '${name}' the shape ${fmt(want)}, but model.safetensors holds ${fmt(got)}; ${hint}`);
  }
  if (!store.has('clusters.centers')) throw new DataError(`'${join(dir, 'model.safetensors')}' has no cluster centres ('clusters.centers'); ${hint}`);
  const c = store.get('clusters.centers').shape;
  if (c.length !== 2 || c[0] !== meta.nClusters || c[1] !== meta.embeddingDim)
    throw new DataError(`'${json}' says nClusters ${meta.nClusters} and embeddingDim ${meta.embeddingDim}, but the cluster centres in model.safetensors are ${fmt(c)}; ${hint}`);
}
