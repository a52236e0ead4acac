// The built npm package under test (scripts/build-npm.sh), as node's ES-module users load it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const entry = new URL('../../wasm/pkg/node/huiqi.mjs', import.meta.url);
if (!existsSync(entry)) {
  throw new Error(`${fileURLToPath(entry)} is missing: run bash scripts/build-npm.sh first`);
}
export const huiqi = await import(entry.href);
/** The date the Rust suites use where a case names none. */
export const AS_OF = '2026-11-22';
