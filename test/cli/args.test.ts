import { describe, expect, it } from "vitest";
import { parseCommandArgs } from "../../kernel-lib/cli/args.js";

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
