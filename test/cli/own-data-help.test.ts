import { describe, expect, it } from "vitest";
import { main } from "../../kernel-lib/cli/main.js";

describe("--help of the own-data commands", () => {
  for (const argv of [["data", "import"], ["regmix", "propose"], ["regmix", "choose"], ["mergemix", "propose"], ["mergemix", "merge"], ["mergemix", "search"], ["mixture", "export"]]) {
    it(`${argv.join(" ")} --help prints its usage and exits 0`, async () => {
      const out: string[] = [];
      const log = console.log;
      console.log = (s: string) => { out.push(s); };
      try {
        expect(await main([...argv, "--help"])).toBe(0);
      } finally {
        console.log = log;
      }
      expect(out.join("\n")).toMatch(new RegExp(`usage: mixlab ${argv[0]}`));
    });
  }
});
