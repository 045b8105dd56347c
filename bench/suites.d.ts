/**
 * The benchmark suites `deepclust bench <suite>` can run. Adding a suite is one entry here:
 * a description and a function that returns the result object (printed as the last JSON line).
 */
/** Options every suite receives from the CLI. */
export interface SuiteOptions {
    /** Extra suite-specific options from `--option key=value`. */
    readonly options: Readonly<Record<string, string>>;
    /** Progress lines (stderr). */
    readonly log: (line: string) => void;
}
/** A benchmark suite. */
export interface BenchSuite {
    readonly description: string;
    readonly run: (o: SuiteOptions) => Promise<unknown>;
}
/** Every suite by name. */
export declare const benchSuites: Record<string, BenchSuite>;
//# sourceMappingURL=suites.d.ts.map