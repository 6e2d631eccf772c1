/**
 * DuckDB values to the JSON-safe values of {@linkcode QueryResult}: BIGINT as a number when it
 * is exact, timestamps as ISO 8601, DECIMAL as a number, non-finite doubles as `"NaN"`,
 * `"Infinity"`, `"-Infinity"`, STRUCTs as objects, LISTs as arrays, MAPs with text keys as
 * objects; everything else as DuckDB's JSON conversion gives it (mostly its text form).
 *
 * @module
 */

import type { DuckDBResultReader, DuckDBType, DuckDBValue } from "@duckdb/node-api";
import type { DuckDbModule } from "./duckdb_connect.ts";
import type { QueryResult } from "./store.ts";

type Converter = (value: DuckDBValue, type: DuckDBType, self: Converter) => unknown;

/** Reads a whole result into a {@linkcode QueryResult}. */
export function toQueryResult(duckdb: DuckDbModule, reader: DuckDBResultReader): QueryResult {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = names.map((name, i) => ({ name, type: types[i]!.toString() }));
  const convert = converter(duckdb);
  const rows = reader.convertRows(convert as never) as unknown[][];
  return { columns, rows };
}

function converter(duckdb: DuckDbModule): Converter {
  const id = duckdb.DuckDBTypeId;
  const json = duckdb.JsonDuckDBValueConverter as unknown as Converter;
  const convert: Converter = (value, type, self) => {
    if (value === null || value === undefined) return null;
    switch (type.typeId) {
      case id.BIGINT:
      case id.UBIGINT:
      case id.HUGEINT:
      case id.UHUGEINT:
        return exactNumber(value as bigint);
      case id.DOUBLE:
      case id.FLOAT:
        return Number.isFinite(value) ? value : String(value);
      case id.DECIMAL:
        return (value as InstanceType<DuckDbModule["DuckDBDecimalValue"]>).toDouble();
      case id.TIMESTAMP:
      case id.TIMESTAMP_TZ:
        return isoFromMicros(
          (value as InstanceType<DuckDbModule["DuckDBTimestampValue"]>).micros,
          value,
        );
      case id.TIMESTAMP_MS:
        return isoFromMicros(
          (value as InstanceType<DuckDbModule["DuckDBTimestampMillisecondsValue"]>).millis * 1000n,
          value,
        );
      case id.TIMESTAMP_S:
        return isoFromMicros(
          (value as InstanceType<DuckDbModule["DuckDBTimestampSecondsValue"]>).seconds * 1000000n,
          value,
        );
      case id.TIMESTAMP_NS:
        return isoFromMicros(
          (value as InstanceType<DuckDbModule["DuckDBTimestampNanosecondsValue"]>).nanos / 1000n,
          value,
        );
      case id.MAP:
        return mapValue(value as InstanceType<DuckDbModule["DuckDBMapValue"]>, type, self);
      default:
        return json(value, type, self);
    }
  };
  return convert;
}

function exactNumber(value: bigint): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : String(value);
}

function isoFromMicros(micros: bigint, value: DuckDBValue): string {
  // Infinite and out-of-range timestamps have no ISO form: DuckDB's text (`infinity`) is kept.
  const date = new Date(Number(micros / 1000n));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

function mapValue(
  value: InstanceType<DuckDbModule["DuckDBMapValue"]>,
  type: DuckDBType,
  self: Converter,
): unknown {
  const mapType = type as unknown as { keyType: DuckDBType; valueType: DuckDBType };
  const entries = value.entries.map((entry) =>
    [
      self(entry.key, mapType.keyType, self),
      self(entry.value, mapType.valueType, self),
    ] as const
  );
  if (entries.every(([key]) => typeof key === "string")) {
    return Object.fromEntries(entries);
  }
  return entries.map(([key, item]) => ({ key, value: item }));
}
