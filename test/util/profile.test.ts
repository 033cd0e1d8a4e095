import { describe, expect, it } from "vitest";
import { byProfile, profile } from "../../kernel-lib/util/profile.js";

describe("profile", () => {
  it("defaults to ci, reads full, rejects typos", () => {
    expect(profile({})).toBe("ci");
    expect(profile({ MIXLAB_PROFILE: "FULL " })).toBe("full");
    expect(byProfile({ ci: 10, full: 1000 }, { MIXLAB_PROFILE: "full" })).toBe(1000);
    expect(byProfile({ ci: 10, full: 1000 }, {})).toBe(10);
    expect(() => profile({ MIXLAB_PROFILE: "fulll" })).toThrow(/expected "ci", "full" or "study"/);
    // study: a notebook's own study sizes, else its full ones
    expect(byProfile({ ci: 10, full: 1000, study: 0 }, { MIXLAB_PROFILE: "study" })).toBe(0);
    expect(byProfile({ ci: 10, full: 1000 }, { MIXLAB_PROFILE: "study" })).toBe(1000);
  });
});
