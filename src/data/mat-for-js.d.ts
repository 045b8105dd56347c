// Type declarations for mat-for-js (ships JavaScript only): MATLAB Level 5 MAT-file reader.
declare module 'mat-for-js' {
  /** Parses a MAT v5 file into `{ header, data: { name: value } }` (numeric arrays as nested row-major arrays). */
  export function read(data: ArrayBuffer): { header: string; data: Record<string, unknown> };
}
