/**
 * A bare DuckDB `:memory:` database behind the `query` half of the Store seam, so the SQL that
 * lib/query compiles is run by the real engine in unit tests.
 *
 * @module
 */

import { DuckDBInstance } from "@duckdb/node-api";
import { SqlError } from "../../lib/errors.ts";
import type { QueryResult, Store } from "../../lib/store/store.ts";

/** A DuckDB in memory that answers `query`; `setup` statements run first. */
export async function duckQuery(
  setup: readonly string[] = [],
): Promise<Pick<Store, "query"> & { close(): void }> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  for (const sql of setup) await connection.run(sql);
  return {
    async query(sql: string): Promise<QueryResult> {
      try {
        const reader = await connection.runAndReadAll(sql);
        return {
          columns: reader.columnNames().map((name, i) => ({
            name,
            type: String(reader.columnTypes()[i]),
          })),
          rows: reader.getRowsJson() as unknown[][],
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new SqlError(message, { sql });
      }
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A `trials`-shaped table `trials` with three trials, for filter and sort tests. */
export const TRIALS_SETUP = [
  `create table trials as select * from (values
    ('k1', 'train', 'lr=0.1', 'ok', 1.5, {'lr': 0.1::DOUBLE, 'model': {'depth': 2::DOUBLE, 'kind': 'mlp'}, 'name': 'a'}, {'acc': 0.9::DOUBLE, 'lr': 5::DOUBLE}),
    ('k2', 'train', 'lr=0.01', 'failed', 2.5, {'lr': 0.01::DOUBLE, 'model': {'depth': 4::DOUBLE, 'kind': 'cnn'}, 'name': 'b'}, {'acc': 'NaN'::DOUBLE, 'lr': 6::DOUBLE}),
    ('k3', 'eval', 'lr=0.001', 'ok', NULL, {'lr': 0.001::DOUBLE, 'model': {'depth': 8::DOUBLE, 'kind': 'cnn'}, 'name': 'c'}, {'acc': 0.7::DOUBLE, 'lr': NULL::DOUBLE})
  ) t(key, stage, name, status, duration_s, params, metrics)`,
];
