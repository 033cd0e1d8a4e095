/** The hash split rule lives in the library (kernel-lib/data/split.ts); the builder uses it from there. */
export * from "../kernel-lib/data/split.js";
