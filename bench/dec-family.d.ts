/** Options of {@link runDecFamily}. */
export interface DecFamilyOptions {
    data: string;
    dataDir?: string;
    seeds: number[];
    pretrainEpochs?: number;
    maxIter?: number;
    threads?: number;
    methods?: string[];
    /** Pretraining cache directory: a rerun after an interruption reuses each seed's finished autoencoder. */
    pretrainCache?: string;
    /** Preprocessing steps replacing the presets' (e.g. `['scale255']` instead of MNIST's `dec-mnist`). */
    preprocess?: string[];
    resultsDir?: string;
    log: (line: string) => void;
}
/** Runs the protocol; returns per-run records and means. */
export declare function runDecFamily(o: DecFamilyOptions): Promise<Record<string, unknown>>;
//# sourceMappingURL=dec-family.d.ts.map