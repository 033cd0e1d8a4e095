/**
 * Two suites that never share an item: one to choose with (MergeMix's search for α*, any
 * method that ranks mixtures by the suite) and one to judge with (the comparison's final
 * models). By construction:
 *
 *   1. each domain's test split is cut into two disjoint parts — its documents alternate,
 *      choose, judge, choose, … in split order (a split of one document is cut at the line
 *      nearest its middle) — and a role's tasks are built from its part only;
 *   2. text repeated across documents (licence headers, boilerplate) could still put the same
 *      item in both parts, so an item is accepted only when its text — the context followed by
 *      the right answer — occurs in its own part and nowhere in the other part;
 *   3. generated items (the math generator's problems) go to the role given by one bit of a
 *      hash of their prompt and answer.
 *
 * Neither rule depends on the suite's seed, so a choose suite and a judge suite built with any
 * two seeds share no item.
 */
import { EOS_BYTE } from "../../data/format.js";
import { hashString } from "../../util/rng.js";
import { bytesKey, concatBytes, documentSpans } from "./text.js";

export const SUITE_ROLES = ["choose", "judge"] as const;
/** Which part of the held-out data a suite's items come from. */
export type SuiteRole = (typeof SUITE_ROLES)[number];

/** The text a task is built from, and which of its candidate items the task may keep. */
export interface TaskSource {
  /** documents separated by byte 0 */
  bytes: Uint8Array;
  /** whether an item whose context is `context` and whose right answer is `correct` may be used */
  accept(context: Uint8Array, correct: Uint8Array): boolean;
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Documents joined by the separator byte. */
function joinDocuments(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
    out[at++] = EOS_BYTE;
  }
  return out;
}

/** Where to cut one document in two: the newline nearest the middle, else the nearest space, else the middle. */
function cutPoint(doc: Uint8Array): number {
  const mid = doc.length >> 1;
  for (const sep of [0x0a, 0x20]) {
    for (let d = 0; d < mid; d++) {
      if (doc[mid + d] === sep) return mid + d + 1;
      if (mid - d > 0 && doc[mid - d] === sep) return mid - d + 1;
    }
  }
  let at = mid;
  while (at > 0 && (doc[at] & 0xc0) === 0x80) at--; // not inside a UTF-8 character
  return at;
}

/**
 * The two disjoint parts of a split: alternate documents (choose takes the 1st, 3rd, …), or the
 * two halves of a single document.
 *
 * @example
 * const { choose, judge } = roleParts(corpus.split("books", "test"));
 */
export function roleParts(bytes: Uint8Array): Record<SuiteRole, Uint8Array> {
  const docs = documentSpans(bytes).map((s) => bytes.subarray(s.start, s.end));
  if (docs.length === 1) {
    const at = cutPoint(docs[0]);
    return { choose: joinDocuments([docs[0].subarray(0, at)]), judge: joinDocuments([docs[0].subarray(at)]) };
  }
  return { choose: joinDocuments(docs.filter((_, i) => i % 2 === 0)), judge: joinDocuments(docs.filter((_, i) => i % 2 === 1)) };
}

/**
 * A role's source for a domain: its part, accepting an item only when the item's text
 * (context + answer) occurs in that part and not in the other.
 *
 * @example
 * const src = roleSource(roleParts(corpus.split("books", "test")), "judge");
 */
export function roleSource(parts: Record<SuiteRole, Uint8Array>, role: SuiteRole): TaskSource {
  const own = asBuffer(parts[role]);
  const other = asBuffer(parts[role === "choose" ? "judge" : "choose"]);
  return {
    bytes: parts[role],
    accept(context, correct) {
      const text = asBuffer(concatBytes(context, correct));
      return own.indexOf(text) >= 0 && other.indexOf(text) < 0;
    },
  };
}

/**
 * The role of a generated item: one bit of a hash of its prompt and answer.
 *
 * @example
 * generatedRole(utf8("Question: 1+1?\nAnswer:"), utf8(" 2\n")); // "choose" or "judge", the same every time
 */
export function generatedRole(context: Uint8Array, correct: Uint8Array): SuiteRole {
  // the top bit: FNV-1a's lowest bit is only the parity of the odd bytes
  return hashString(`${bytesKey(context)}\u0000${bytesKey(correct)}`) >>> 31 === 0 ? "choose" : "judge";
}

/**
 * The source of a generated task for a role (no text; items accepted by `generatedRole`).
 *
 * @example
 * generatedSource("choose").accept(ctx, answer);
 */
export function generatedSource(role: SuiteRole): TaskSource {
  return { bytes: new Uint8Array(0), accept: (context, correct) => generatedRole(context, correct) === role };
}
