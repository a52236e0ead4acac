export * from "./huiqi.js";

/** Nothing to load in node; resolves at once (kept so that browser code runs unchanged). */
export default function init(): Promise<void>;
