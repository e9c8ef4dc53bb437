/** Types of pglite-prepared.mjs (plain JavaScript: the embedded database's worker runs without a TypeScript loader). */
import type { PGlite, Results } from '@electric-sql/pglite';

export declare const PREPARED_MAX: number;

export interface PreparedOptions {
  rowMode?: 'array' | 'object';
  paramTypes?: number[];
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

export declare function preparedStatements(db: PGlite): {
  /** The result of `sql`, prepared; null: not run (seen for the first time), run it as usual. Only inside an open transaction. */
  query(sql: string, params?: unknown[], options?: PreparedOptions): Promise<Results | null>;
  /** How many are prepared now. */
  readonly size: number;
};
