import { createRequire } from 'node:module';
import type * as Bindings from '@duckdb/node-bindings';

/**
 * DuckDB's C API binding: the very module @duckdb/node-api loads (resolved from node-api's own
 * folder), for the raw vector buffers that node-api's public classes keep private. It is loaded
 * with `require` at run time so that bundlers (vite, for the web app) never try to inline the
 * native addon, which breaks builds (TOOLCHAIN.md).
 */
const requireHere = createRequire(import.meta.url);
const requireFromApi = createRequire(requireHere.resolve('@duckdb/node-api'));

export const duckdb: typeof Bindings = requireFromApi('@duckdb/node-bindings');
export type DuckDBRawVector = Bindings.Vector;
