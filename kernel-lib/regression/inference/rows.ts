/**
 * From the inference rules to the cells of a verdict-table row (`ClaimRow` in verdicts.ts), so
 * the three studies name corrections, intervals and sensitivities in the same words.
 *
 * A family's row shows each comparison's interval at its Holm step level (the interval that
 * agrees with the verdict, family.ts), and says so: those intervals are not simultaneous 95 %
 * intervals; the Bonferroni intervals (simultaneous ≥ 95 %) are listed in the correction cell.
 * The verdict is Holm's; the uncorrected verdict (every comparison at 95 %) sits beside it —
 * for an "all" claim its "holds" is already a level-α intersection–union test (Berger 1982),
 * so Holm's "holds" there is conservative, while its "does not hold" needs the correction.
 */
import { allOf, anyOf, formatInterval, type ClaimRow, type Verdict } from "../verdicts.js";
import { holmFamily, judge, type FamilyClaim, type FamilyMember, type FamilyResult } from "./family.js";
import { pointEstimate } from "./sensitivity.js";

/**
 * The value, verdict, correction and uncorrected cells of a family's row.
 *
 * @example
 * const f = holmFamily(members, { claim: "all" });
 * rows.push({ claim, measure, estimate: worst, ...familyCells(f, 4) });
 */
export function familyCells(f: FamilyResult, digits = 3): Pick<ClaimRow, "value" | "verdict" | "correction" | "uncorrected"> {
  const value = f.parts.map((x) => `${x.label}: ${formatInterval(x.interval, digits)} (${(100 * x.level).toFixed(1)} %, Holm p = ${x.adjustedP.toPrecision(2)})`).join("; ");
  const correction = f.m === 1
    ? `${f.correction}; ${f.parts[0].method}, 95 % interval`
    : `${f.correction} (${f.parts[0].method}; not simultaneous 95 % intervals); Bonferroni, simultaneous ≥ ${(100 * (1 - f.alpha)).toFixed(0)} %: ${f.parts.map((x) => `${x.label} ${formatInterval(x.bonferroni, digits)}`).join("; ")}`;
  return { value, verdict: f.verdict, correction, uncorrected: f.uncorrected };
}

/**
 * The sensitivity cell of a family: at each threshold `t`, the family `build(t)` re-judged
 * under Holm (on the intervals) and on the members' point estimates (each against its own
 * threshold, no interval).
 *
 * @example
 * familySensitivity((t) => [tMember("vs best", d, { threshold: t, side: "below" })], "all", [0.005, 0.01], "margin <");
 */
export function familySensitivity(build: (threshold: number) => readonly FamilyMember[], claim: FamilyClaim, thresholds: readonly number[], relation: string, digits = 3): string {
  const combine = claim === "all" ? allOf : anyOf;
  return thresholds.map((t) => {
    const members = build(t);
    const interval = holmFamily(members, { claim }).verdict;
    const point: Verdict = combine(members.map((m) => judge(pointEstimate(m.intervalAt(0.95)), m.threshold, m.side)));
    return `${relation} ${t.toFixed(digits).replace(/0+$/, "").replace(/\.$/, "")}: ${interval} (point: ${point})`;
  }).join("; ");
}
