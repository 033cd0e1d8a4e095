import { describe, expect, it } from "vitest";
import { intFlag, numberFlag, parseCommandArgs } from "../../kernel-lib/cli/args.js";

describe("parseCommandArgs", () => {
  const options = { steps: { type: "string" }, fast: { type: "boolean" } } as const;

  it("returns parseArgs' values for good flags", () => {
    const { values } = parseCommandArgs({ args: ["--steps", "5", "--fast"], options }, "usage: x");
    expect(values).toEqual({ steps: "5", fast: true });
  });

  it("turns an unknown flag into a named error that ends with the usage", () => {
    expect(() => parseCommandArgs({ args: ["--bogus"], options }, "usage: x")).toThrow(
      expect.objectContaining({ code: "BAD_ARGS", message: expect.stringMatching(/--bogus[\s\S]*\nusage: x$/) }),
    );
  });

  it("uses the caller's error code, also for a missing value and a stray positional", () => {
    expect(() => parseCommandArgs({ args: ["--steps"], options }, "u", "BAD_FLAG")).toThrow(expect.objectContaining({ code: "BAD_FLAG" }));
    expect(() => parseCommandArgs({ args: ["extra"], options }, "u")).toThrow(expect.objectContaining({ code: "BAD_ARGS" }));
  });
});

describe("numberFlag and intFlag (every command's numeric flags)", () => {
  it("returns the fallback when absent and the number when given", () => {
    expect(numberFlag(undefined, "--lambda", 10)).toBe(10);
    expect(numberFlag(undefined, "--lambda")).toBeUndefined();
    expect(numberFlag("1e-3", "--lambda", 10)).toBe(0.001);
    expect(intFlag(undefined, "--steps", { min: 1, fallback: 300 })).toBe(300);
    expect(intFlag(undefined, "--workers", { min: 0 })).toBeUndefined();
    expect(intFlag("0", "--workers", { min: 0 })).toBe(0);
    expect(intFlag("-3", "--seed", { fallback: 42 })).toBe(-3); // no min: any integer
    expect(() => intFlag("4.5", "--seed", { fallback: 42 })).toThrow(expect.objectContaining({ code: "BAD_FLAG", message: '--seed must be an integer, got "4.5"' }));
  });

  it("names the flag in BAD_ARGS / BAD_FLAG for a non-number, a fraction, a value below min and an empty string", () => {
    expect(() => numberFlag("x", "--seed", 1)).toThrow(expect.objectContaining({ code: "BAD_ARGS", message: expect.stringContaining("--seed") }));
    expect(() => numberFlag(" ", "--seed", 1)).toThrow(expect.objectContaining({ code: "BAD_ARGS" }));
    expect(() => intFlag("1.5", "--steps", { min: 1 })).toThrow(expect.objectContaining({ code: "BAD_FLAG", message: expect.stringContaining("--steps") }));
    expect(() => intFlag("0", "--steps", { min: 1 })).toThrow(expect.objectContaining({ code: "BAD_FLAG" }));
    expect(() => intFlag("", "--steps", { min: 0 })).toThrow(expect.objectContaining({ code: "BAD_FLAG" }));
  });
});
