/** Options of {@link runMethodBench}. */
export interface MethodBenchOptions {
    method: string;
    /** A method config file (JSON/YAML, may extend a preset) used instead of the preset `method`. */
    methodConfig?: string;
    data: string;
    eval?: string;
    dataDir?: string;
    limit?: number;
    seeds: number[];
    pretrainEpochs?: number;
    maxIter?: number;
    threads?: number;
    /** Pretraining cache directory: a rerun after an interruption reuses each seed's finished pretraining. */
    pretrainCache?: string;
    /** Preprocessing steps replacing the method's for this data set (or the data set's default). */
    preprocess?: string[];
    resultsDir?: string;
    log: (line: string) => void;
}
/** Runs the suite (see the module comment). */
export declare function runMethodBench(o: MethodBenchOptions): Promise<Record<string, unknown>>;
//# sourceMappingURL=method.d.ts.map