/**
 * Reads YAML into JSON values while remembering where each key was written, so every later
 * error can name `file:line:column`. The only importer of the YAML parser.
 *
 * @module
 */

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parse,
  parseDocument,
} from "yaml";
import { ConfigError, type SourcePosition } from "../errors.ts";
import type { Json, JsonObject } from "./model.ts";

/** A parsed file: its value and where each path in it was written. */
export interface SourceDoc {
  /** The file, as it should appear in messages. */
  file: string;
  /** The document's value; an empty file is an empty object. */
  value: JsonObject;
  /** Where exactly this path was written, if it was. */
  position(path: readonly (string | number)[]): SourcePosition | undefined;
}

/**
 * Parses YAML text into a {@linkcode SourceDoc}.
 *
 * @throws {ConfigError} on a syntax error, a duplicate key, a non-string key, or a value JSON
 * cannot hold (`.nan`, `.inf`)
 */
export function parseYamlSource(text: string, file: string): SourceDoc {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true, // `<<: *base` merge keys, as most YAML users expect
  });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const first = doc.errors[0];
  if (first) {
    throw new ConfigError(`Cannot parse YAML: ${firstLine(first.message)}`, {
      at: at(first.pos[0]),
      hint: first.code === "DUPLICATE_KEY"
        ? "each key may appear once in a map (stage names must be unique)"
        : "check indentation and quoting near that place",
    });
  }
  const positions = new Map<string, number>();
  const value = toJson(doc.contents, [], { positions, resolve: (n) => resolveAlias(n, doc), at });
  if (value === null) return { file, value: {}, position: () => undefined };
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError("Cannot load experiment: the file must be a map of keys", {
      at: at(doc.contents?.range?.[0] ?? 0),
      hint: "start with `name:` and `params:`",
    });
  }
  return {
    file,
    value,
    position(path) {
      const offset = positions.get(pathKey(path));
      return offset === undefined ? undefined : at(offset);
    },
  };
}

/** Parses one YAML scalar as written on a command line (`1e-3`, `true`, `[1,2]`, `'a,b'`). */
export function parseYamlValue(text: string): unknown {
  return parse(text);
}

interface Walk {
  positions: Map<string, number>;
  resolve(node: Node): Node | undefined;
  at(offset: number): SourcePosition;
}

function toJson(node: unknown, path: (string | number)[], walk: Walk): Json {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toJson(walk.resolve(node), path, walk);
  if (isMap(node)) {
    const object: JsonObject = {};
    const merged: Json[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      const offset = isScalar(keyNode) ? keyNode.range?.[0] ?? 0 : 0;
      if (typeof key === "symbol" && isScalar(keyNode) && keyNode.source === "<<") {
        const value = toJson(pair.value, path, walk);
        merged.push(...(Array.isArray(value) ? value : [value]));
        continue;
      }
      if (typeof key !== "string" && typeof key !== "number") {
        throw new ConfigError("Cannot load key: only plain string keys are allowed", {
          at: walk.at(offset),
        });
      }
      const name = String(key);
      const childPath = [...path, name];
      walk.positions.set(pathKey(childPath), offset);
      object[name] = toJson(pair.value, childPath, walk);
    }
    // `<<: *base` (or a list of them): keys written in this map win over merged ones.
    for (const source of merged) {
      if (typeof source !== "object" || source === null || Array.isArray(source)) {
        throw new ConfigError(`Cannot merge "<<" into "${path.join(".")}": it is not a map`, {
          at: walk.at(node.range?.[0] ?? 0),
        });
      }
      for (const [key, value] of Object.entries(source)) if (!(key in object)) object[key] = value;
    }
    return object;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      const childPath = [...path, i];
      const offset = (item as Node | null)?.range?.[0];
      if (offset !== undefined) walk.positions.set(pathKey(childPath), offset);
      return toJson(item, childPath, walk);
    });
  }
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new ConfigError(`Cannot load "${path.join(".")}": ${value} is not a JSON number`, {
        at: walk.at(node.range?.[0] ?? 0),
        hint: 'write it as a string ("NaN") or pick a finite number',
      });
    }
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      return value as Json;
    }
    if (typeof value === "bigint") return Number(value);
    throw new ConfigError(`Cannot load "${path.join(".")}": unsupported YAML value`, {
      at: walk.at(node.range?.[0] ?? 0),
    });
  }
  throw new ConfigError(`Cannot load "${path.join(".")}": unsupported YAML node`);
}

function resolveAlias(node: Node, doc: ReturnType<typeof parseDocument>): Node | undefined {
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}

function pathKey(path: readonly (string | number)[]): string {
  return path.join("\u0000");
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
