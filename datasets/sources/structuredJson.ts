/** structured_json: MDN browser-compat-data, one compact-JSON document per feature subtree. */
import { splitJsonTree, type JsonValue } from "../clean/json.js";
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

export const structuredJson: DomainSpec = {
  domain: "structured_json",
  description:
    'MDN browser-compat-data data.json cut into feature subtrees: compact JSON {"<dotted.path>":<subtree>}, a subtree is split into its own fields + children when over 32 KB; __meta dropped',
  licence: "CC0-1.0 (MDN browser-compat-data)",
  tier: "default",
  packages: [{ pkg: PACKAGES.browserCompat, paths: "data.json" }],
  // subtrees are already ≤32 KB; the chunker only guards a pathological leaf
  maxDocBytes: 4 * DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) => {
    const [file] = ctx.files(PACKAGES.browserCompat, (p) => p === "data.json");
    const root = JSON.parse(decodeBytes(file.data)) as JsonValue;
    // keys are zero-padded positions so the builder's sort keeps data.json's own order
    return splitJsonTree(root, DEFAULT_MAX_DOC_BYTES, ["__meta"]).map((d, i) => ({ key: `data.json#${String(i).padStart(7, "0")}`, text: d.text }));
  },
};
