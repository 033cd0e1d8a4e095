/** legal: full texts of the SPDX licence list. */
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const legal: DomainSpec = {
  domain: "legal",
  description: "SPDX licence texts (727 licences), one document per licence (≤32 KB pieces)",
  licence: "CC0-1.0 (spdx-license-list); licence texts are reproduced verbatim",
  tier: "default",
  packages: [{ pkg: PACKAGES.spdx, paths: "spdx-full.json .licenseText" }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => {
    const [file] = ctx.files(PACKAGES.spdx, (p) => p === "spdx-full.json");
    const all = JSON.parse(decodeBytes(file.data)) as Record<string, { licenseText?: string }>;
    return Object.entries(all)
      .filter(([, v]) => typeof v.licenseText === "string")
      .map(([id, v]) => ({ key: `spdx-full.json#${id}`, text: v.licenseText as string }));
  },
};
