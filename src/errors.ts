/**
 * Error classes for problems a user can fix. The CLI prints their message on one line
 * (no stack trace unless `--debug`); library callers can catch them by class.
 */

/** Base class of every error deepclust raises for a user mistake or bad input. */
export class DeepclustError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An option has an invalid value: `"<Where>: option '<name>' must be <expected>, got <value>"`. */
export class ParamError extends DeepclustError {}

/** Input data is unusable (NaN/Inf, ragged, empty, wrong shape, corrupt or truncated file…). */
export class DataError extends DeepclustError {}

/** A symbolic graph is malformed: shape or dtype mismatch, missing gradient rule… */
export class GraphError extends DeepclustError {}

/** Training produced a non-finite loss; names the step and the loss term that went bad. */
export class DivergenceError extends DeepclustError {
  constructor(
    message: string,
    /** Global optimisation step at which the non-finite value was seen. */
    readonly step: number,
    /** Name of the loss term (output) that was not finite. */
    readonly term: string,
    /** The non-finite value (NaN, Infinity or -Infinity), when known. */
    readonly value?: number,
    /** Training phase (`pretraining`, `clustering`), when known. */
    readonly phase?: string,
  ) {
    super(message);
  }
}

/** Formats a value for an error message: short, JSON-like, never huge. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Training was stopped by its abort signal (Ctrl-C in the CLI). `checkpoint` is the file written
 * at the stop, from which the run can resume, when checkpointing was on.
 */
export class InterruptedError extends DeepclustError {
  override readonly exitCode: number = 130;
  constructor(
    message: string,
    /** The checkpoint file written when training stopped, if any. */
    readonly checkpoint?: string,
  ) {
    super(message);
  }
}
