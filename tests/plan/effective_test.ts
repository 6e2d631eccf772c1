import assert from "node:assert/strict";
import type { JsonObject } from "../../lib/config/model.ts";
import { effectiveParams } from "../../lib/plan/effective.ts";

Deno.test("effectiveParams() puts a trial's own config over its dependencies'", async (t) => {
  const cases: [string, JsonObject, JsonObject[], JsonObject][] = [
    ["no dependencies: the config itself", { a: 1 }, [], { a: 1 }],
    ["inherits keys it does not have", { a: 1 }, [{ b: 2 }], { a: 1, b: 2 }],
    ["its own value wins", { a: 1 }, [{ a: 2 }], { a: 1 }],
    ["maps merge deeply, own leaves win", { m: { depth: 4 } }, [{ m: { depth: 2, width: 8 } }], {
      m: { depth: 4, width: 8 },
    }],
    ["a list replaces, it is not merged", { l: [1] }, [{ l: [2, 3] }], { l: [1] }],
    ["a map over a scalar replaces it", { m: { a: 1 } }, [{ m: 3 }], { m: { a: 1 } }],
    ["a later dependency wins over an earlier one", {}, [{ a: 1, b: 1 }, { a: 2 }], {
      a: 2,
      b: 1,
    }],
    ["null is a value that wins", { a: null }, [{ a: 1 }], { a: null }],
  ];
  for (const [name, own, deps, expected] of cases) {
    await t.step(name, () => assert.deepEqual(effectiveParams(own, deps), expected));
  }
  await t.step("changes neither input", () => {
    const own = { m: { a: 1 } };
    const dep = { m: { b: 2 } };
    effectiveParams(own, [dep]);
    assert.deepEqual(own, { m: { a: 1 } });
    assert.deepEqual(dep, { m: { b: 2 } });
  });
  await t.step("keeps a __proto__ key as a key", () => {
    const own = JSON.parse('{"__proto__": {"x": 1}}') as JsonObject;
    const result = effectiveParams(own, [{ y: 2 }]);
    assert.deepEqual(Object.keys(result).sort(), ["__proto__", "y"]);
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
  });
});
