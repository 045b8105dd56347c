/**
 * The feature files of the CDC and EDESC code, for `features:<file>`. Their layouts are read by
 * the general file loader (`files.ts`): a pickled dict `{'data', 'label'}` in one `.npy`
 * (`reutersidf10k.npy`, `np.load(…, allow_pickle=True).item()`), or a features `.npy` with its
 * labels in a second `.npy` beside it (`cifar10_features.npy` + `cifar10_labels.npy`,
 * `stl_features_resnet50.npy` + `stl_labels_resnet50.npy`). This module finds that second file.
 */
import { basename, dirname, join } from 'node:path';
import { isFile } from './io.ts';
import { splitKey } from './files.ts';

/**
 * The labels file beside a features `.npy` named as the CDC code names them: the base name with
 * `features` replaced by `labels` (`cifar10_features.npy` → `cifar10_labels.npy`); undefined when
 * the name has no `features`, the spec selects an array (`file#name`) or no such file exists.
 * @param spec - the path given after `features:`
 */
export function siblingLabelsFile(spec: string): string | undefined {
  const { path, key } = splitKey(spec);
  const name = basename(path);
  if (key !== undefined || !/\.npy(\.gz)?$/i.test(name) || !/features/i.test(name)) return undefined;
  const candidate = join(dirname(path), name.replace(/features/i, 'labels'));
  return isFile(candidate) ? candidate : undefined;
}
