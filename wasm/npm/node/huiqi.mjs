// ES-module face of the node build. In node the wasm is compiled synchronously when huiqi.js loads,
// so `init` has nothing to do: it is here so that code written for the browser build
// (`await init()` first) runs unchanged in node.
export * from "./huiqi.js";

/** Nothing to load in node; resolves at once. */
export default async function init() {}
