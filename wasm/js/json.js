// JS values into JSON text for the engine, which then reads them with the very parser the CLI
// uses (same unknown-field refusals, same field paths). `JSON.stringify` would silently turn what
// JSON cannot hold into null or drop it; here it is refused with its path instead.

/**
 * `JSON.stringify(value)` (properties holding `undefined` are left out, as there), or
 * `{ path, message }` for the first value JSON cannot hold: NaN, ±Infinity, a BigInt beyond
 * 2^53, a function, a symbol, a Date object, or a cycle.
 */
export function toJson(value) {
  const found = scan(value, "", [], new Set());
  if (found === BIGINT) {
    // Only here does JSON.stringify need help: it throws on every BigInt, even a small one.
    return JSON.stringify(value, (_, item) => (typeof item === "bigint" ? Number(item) : item));
  }
  return found ?? JSON.stringify(value) ?? refusal([], "undefined is not a JSON value");
}

/** `scan` found BigInts, all of them within 2^53. */
const BIGINT = Symbol("bigint");

/**
 * The first value under `value` that JSON cannot hold, as `{ path, message }`; `BIGINT` when
 * there are only BigInts JSON can hold as numbers; else undefined. `path` holds the keys down to
 * `value`, `ancestors` the objects on the way (a cycle is an object that is its own ancestor).
 */
function scan(value, key, path, ancestors) {
  if (value instanceof Date) return refusal(path, 'a Date object; expected a "YYYY-MM-DD" string');
  if (typeof value?.toJSON === "function") value = value.toJSON(key);
  switch (typeof value) {
    case "number":
      return Number.isFinite(value)
        ? undefined
        : refusal(path, `${value} is not a finite number; expected a number or a decimal string`);
    case "bigint":
      return Number.isSafeInteger(Number(value))
        ? BIGINT
        : refusal(path, `${value} is a BigInt beyond 2^53; expected a number or a decimal string`);
    case "function":
    case "symbol":
      return refusal(path, `a ${typeof value} is not a JSON value`);
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return undefined;
  if (ancestors.has(value)) return refusal(path, "a cyclic object: it contains itself");
  ancestors.add(value);
  let found;
  const items = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [k, item] of items) {
    // JSON.stringify leaves out object properties holding undefined, functions or symbols.
    if (item === undefined) continue;
    path.push(k);
    const here = scan(item, String(k), path, ancestors);
    path.pop();
    if (here && here !== BIGINT) return here;
    found ??= here;
  }
  ancestors.delete(value);
  return found;
}

function refusal(path, message) {
  const at = path.map((k, i) => (typeof k === "number" ? `[${k}]` : i ? `.${k}` : k)).join("");
  return { path: at, message };
}
