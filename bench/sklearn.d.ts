/** The interpreter with scikit-learn. */
export declare const PYTHON = "/usr/bin/python3";
/** The scikit-learn version when `PYTHON` can import it, else undefined. */
export declare function sklearnVersion(): string | undefined;
/** Runs `bench/<script>` with arguments and returns its last stdout line parsed as JSON. */
export declare function runPython<T>(script: string, args: string[]): T;
/** A temporary folder removed by `dispose`. */
export declare function tempFiles(): {
    dir: string;
    write: (name: string, data: ArrayBufferView) => string;
    dispose: () => void;
};
/** Median of a non-empty list. */
export declare function median(xs: readonly number[]): number;
/** Rounds to `digits` significant decimals for the JSON output. */
export declare function round(v: number, digits?: number): number;
//# sourceMappingURL=sklearn.d.ts.map