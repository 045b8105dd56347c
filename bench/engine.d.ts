/** Options of {@link runEngineBench}. */
export interface EngineBenchOptions {
    /** Timed steps (rounded up to whole runs of `stepsPerRun`). @defaultValue 64 */
    steps?: number;
    /** Steps per session.run (ONNX Loop trip count). @defaultValue 16 */
    stepsPerRun?: number;
    /** Batch size. @defaultValue 256 */
    batch?: number;
    /** Threads for both engines. @defaultValue 2 */
    threads?: number;
    /** Alternating rounds (ours, PyTorch); the median of each side is reported. @defaultValue 3 */
    rounds?: number;
    /** Skip PyTorch. */
    noTorch?: boolean;
    /** Progress lines go here. */
    log?: (line: string) => void;
}
/** The last-line JSON of the benchmark. */
export interface EngineBenchResult {
    deepclust_samples_per_s: number;
    pytorch_samples_per_s: number | null;
    ratio: number | null;
    peak_rss_mb: number;
    rounds: {
        deepclust: number[];
        pytorch: number[];
    };
    config: Record<string, unknown>;
}
/** Runs the benchmark (see module comment). */
export declare function runEngineBench(options?: EngineBenchOptions): Promise<EngineBenchResult>;
//# sourceMappingURL=engine.d.ts.map