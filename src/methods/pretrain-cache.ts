/**
 * A cache of pretrained autoencoders, so the runs of one seed share one pretraining as the papers
 * do (AE+k-means, DEC and IDEC start from the same network): the key is a SHA-256 of everything
 * pretraining depends on — the architecture, the pretraining settings, the seed, the data's
 * shape and bytes (and the labels for supervised SNNL) — so a hit is exactly the network that
 * pretraining would produce again. One file per key, `<dir>/pretrain-<key>.safetensors`,
 * written atomically, holding the parameters and the pretraining history.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '../data/atomic.ts';
import { type ParameterStore, loadCheckpoint, saveCheckpoint } from '../engine/index.ts';
import type { HistoryRow } from './types.ts';
import type { MethodConfig } from './config.ts';
import { ParamError } from '../errors.ts';
import { canonical } from './_canonical.ts';

/** Format tag stored in every cache file; bump it when pretraining changes what it computes. */
export const PRETRAIN_CACHE_FORMAT = 'deepclust-pretrain-cache-2';

/** What a pretraining depends on besides the method config. */
export interface PretrainInputs {
  readonly x: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly seed: number;
  readonly imageShape?: readonly [number, number, number];
  /** Ground truth; part of the key only when the pretraining uses it (supervised SNNL). */
  readonly labels?: Int32Array;
}

/** A cached pretraining. */
export interface CachedPretrain {
  readonly store: ParameterStore;
  readonly history: HistoryRow[];
  /** Seconds the original pretraining took. */
  readonly seconds: number;
  readonly path: string;
}

/** The cache key (64 hex digits) of a method's pretraining on some data, or null when the method does not pretrain. */
export function pretrainCacheKey(method: MethodConfig, inputs: PretrainInputs): string | null {
  const p = method.pretrain;
  if (!p || (p.epochs <= 0 && (p.greedy?.epochs ?? 0) <= 0)) return null;
  const h = createHash('sha256');
  h.update(canonical({ format: PRETRAIN_CACHE_FORMAT, architecture: method.architecture, pretrain: p, seed: inputs.seed, rows: inputs.rows, cols: inputs.cols, imageShape: inputs.imageShape ?? null }));
  h.update(new Uint8Array(inputs.x.buffer, inputs.x.byteOffset, inputs.rows * inputs.cols * 4));
  if (p.snnl?.supervised && inputs.labels) h.update(new Uint8Array(inputs.labels.buffer, inputs.labels.byteOffset, inputs.labels.byteLength));
  return h.digest('hex');
}

/**
 * Creates the cache directory when missing and checks it is writable, before any training.
 * @throws ParamError naming the directory and the reason
 */
export function checkPretrainCacheDir(dir: string): void {
  try {
    ensureDir(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ParamError(`the pretrain cache '${dir}' cannot be used (${e.code ?? e.message}); pass a writable directory to --pretrain-cache / pretrainCache`);
  }
}

/** Path of a key's file in a cache directory. */
export function pretrainCachePath(dir: string, key: string): string {
  return join(dir, `pretrain-${key}.safetensors`);
}

/**
 * Reads a cached pretraining; null when absent. A file that cannot be read back (cut short,
 * another format) also counts as absent: pretraining then runs again and replaces it.
 */
export function loadPretrain(dir: string, key: string): CachedPretrain | null {
  const path = pretrainCachePath(dir, key);
  if (!existsSync(path)) return null;
  try {
    const { store, metadata } = loadCheckpoint(path);
    if (metadata.cacheFormat !== PRETRAIN_CACHE_FORMAT || metadata.key !== key) return null;
    return { store, history: JSON.parse(metadata.history ?? '[]') as HistoryRow[], seconds: Number(metadata.seconds ?? 0), path };
  } catch {
    return null;
  }
}

/** Stores a pretraining under its key (atomically: a concurrent reader never sees half a file). */
export function savePretrain(dir: string, key: string, store: ParameterStore, history: readonly HistoryRow[], seconds: number): string {
  ensureDir(dir);
  const path = pretrainCachePath(dir, key);
  saveCheckpoint(path, store, undefined, { cacheFormat: PRETRAIN_CACHE_FORMAT, key, history: JSON.stringify(history.filter((r) => r.phase === 'pretrain' || r.phase === 'greedy')), seconds: String(seconds) });
  return path;
}
