/**
 * Capabilities: named groups of tasks (by domain or task name), each scored as the mean of its
 * tasks' chance-normalised accuracy (acc − chance)/(1 − chance) — 0 at chance, 1 when perfect —
 * so tasks with 4 and 5 choices average fairly. The MergeMix utility is the macro-average of
 * capability scores (or one capability).
 */
import { DOMAIN_KINDS, type DomainKind } from "../../data/kind.js";
import { MixlabError } from "../../util/errors.js";
import type { TaskScore } from "./score.js";
import type { ChoiceTask, SuiteMetric } from "./types.js";

/** capability name → members (a member is a domain name or a task name). */
export type CapabilityMap = Readonly<Record<string, readonly string[]>>;

/**
 * The default grouping: one capability per domain kind present (prose, code, structured,
 * dictionary, qa), holding that kind's domains — so a task counts toward the kind of the text
 * it was built from, for any corpus.
 *
 * @example
 * kindCapabilities(domainKinds(corpus)); // { prose: ["books", …], code: ["code_ts_js", …], structured: […], dictionary: […], qa: ["math"] }
 */
export function kindCapabilities(kinds: Readonly<Record<string, DomainKind>>): CapabilityMap {
  const out: Record<string, string[]> = {};
  for (const kind of DOMAIN_KINDS) {
    const ds = Object.keys(kinds).filter((d) => kinds[d] === kind);
    if (ds.length > 0) out[kind] = ds;
  }
  return out;
}

/** Scores of one capability. */
export interface CapabilityScore {
  capability: string;
  tasks: string[];
  /** mean chance-normalised accuracy of its tasks under the chosen metric */
  score: number;
  /** plain means, for tables */
  acc: number;
  accNorm: number;
  prob: number;
}

/**
 * Chance-normalised accuracy: 0 at chance, 1 at perfect, negative below chance.
 *
 * @example
 * normalisedAccuracy(0.625, 0.25); // 0.5
 */
export function normalisedAccuracy(acc: number, chance: number): number {
  return (acc - chance) / (1 - chance);
}

/**
 * Which capability each task belongs to (first capability that lists its name or domain);
 * tasks no capability lists map to undefined.
 *
 * @example
 * capabilityOf(task, kindCapabilities(kinds)); // "prose"
 */
export function capabilityOf(task: Pick<ChoiceTask, "name" | "domain">, caps: CapabilityMap): string | undefined {
  for (const [cap, members] of Object.entries(caps)) {
    if (members.includes(task.name) || members.includes(task.domain)) return cap;
  }
  return undefined;
}

/**
 * Per-capability scores from task scores; capabilities with no scored task are left out.
 *
 * @example
 * capabilityScores(taskScores, suite.capabilities, "acc_norm").map((c) => [c.capability, c.score]);
 */
export function capabilityScores(scores: readonly TaskScore[], caps: CapabilityMap, metric: SuiteMetric = "acc_norm"): CapabilityScore[] {
  const out: CapabilityScore[] = [];
  for (const cap of Object.keys(caps)) {
    const mine = scores.filter((s) => capabilityOf({ name: s.task, domain: s.domain }, caps) === cap);
    if (mine.length === 0) continue;
    const mean = (f: (s: TaskScore) => number): number => mine.reduce((a, s) => a + f(s), 0) / mine.length;
    out.push({
      capability: cap,
      tasks: mine.map((s) => s.task),
      score: mean((s) => normalisedAccuracy(metric === "acc" ? s.acc : metric === "prob" ? s.prob : s.accNorm, s.chance)),
      acc: mean((s) => s.acc),
      accNorm: mean((s) => s.accNorm),
      prob: mean((s) => s.prob),
    });
  }
  return out;
}

/**
 * The utility MergeMix maximises: the macro-average of capability scores, or one named
 * capability's score.
 *
 * @example
 * suiteUtility(capScores);          // macro-average
 * suiteUtility(capScores, "code");  // code only
 */
export function suiteUtility(caps: readonly CapabilityScore[], capability?: string): number {
  if (capability !== undefined) {
    const c = caps.find((x) => x.capability === capability);
    if (!c) throw new MixlabError("SUITE_UNKNOWN_CAPABILITY", `no capability "${capability}" (have: ${caps.map((x) => x.capability).join(", ")})`);
    return c.score;
  }
  if (caps.length === 0) throw new MixlabError("SUITE_EMPTY", "no capability has a scored task");
  return caps.reduce((a, c) => a + c.score, 0) / caps.length;
}
