/** Options of {@link runKMeansBench}. */
export interface KMeansBenchOptions {
    /** Data spec. @defaultValue 'mnist:test' */
    data?: string;
    /** Folder with the data. @defaultValue ../shared/data next to the repository */
    dataDir?: string;
    k?: number;
    nInit?: number;
    /** Alternating rounds. @defaultValue 3 */
    rounds?: number;
    seed?: number;
    /** onnxruntime threads (scikit-learn uses all cores). @defaultValue all cores */
    threads?: number;
    /** Skip scikit-learn. */
    noSklearn?: boolean;
    log?: (line: string) => void;
}
/** Runs the benchmark; the result is printed as the last JSON line. */
export declare function runKMeansBench(o?: KMeansBenchOptions): Promise<Record<string, unknown>>;
//# sourceMappingURL=kmeans.d.ts.map