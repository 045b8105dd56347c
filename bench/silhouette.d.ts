/** Options of {@link runSilhouetteBench}. */
export interface SilhouetteBenchOptions {
    /** Points. @defaultValue 70000 */
    n?: number;
    /** Dimensions. @defaultValue 10 */
    d?: number;
    /** Clusters (blobs). @defaultValue 10 */
    k?: number;
    /** Alternating rounds. @defaultValue 3 */
    rounds?: number;
    seed?: number;
    threads?: number;
    precision?: 'float64' | 'float32';
    noSklearn?: boolean;
    log?: (line: string) => void;
}
/** Runs the benchmark; the result is printed as the last JSON line. */
export declare function runSilhouetteBench(o?: SilhouetteBenchOptions): Promise<Record<string, unknown>>;
//# sourceMappingURL=silhouette.d.ts.map