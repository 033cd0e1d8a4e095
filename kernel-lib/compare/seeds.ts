/**
 * One comparison repeated over seeds (the final seed of repeat k is shared by every arm, so arms
 * are paired by seed): per arm, the per-domain and average validation loss as mean ± sd over
 * seeds, and each arm's paired difference from a baseline arm with a Student's t interval.
 * One seed gives sd NaN and no interval — a single run says nothing about noise.
 */
import type { Figure } from "../viz/figure.js";
import { groupedBars } from "../viz/bars.js";
import { meanSd, tInterval, type Interval } from "../regression/intervals.js";
import { formatInterval } from "../regression/verdicts.js";
import { METHOD_LABELS, type CompareMethod } from "./config.js";
import { sortArms, type ComparisonArm, type Row } from "./table.js";

type MeanSd = { mean: number; sd: number };

/** One arm over the seed repeats it has. */
export interface ArmAcrossSeeds {
  method: CompareMethod;
  label: string;
  /** seed repeats this arm has */
  seeds: number;
  /** mean over domains of nats/byte: mean ± sd over seeds */
  average: MeanSd;
  /** domain → nats/byte, mean ± sd over seeds */
  perDomain: Record<string, MeanSd>;
  /** arm − baseline average loss, over the seeds both have (null: the baseline itself, or < 2 shared seeds) */
  vsBaseline: Interval | null;
}

/**
 * Summarise repeats of one comparison. `repeats[k]` holds the arms of seed repeat k (any subset
 * of methods; an arm missing from a repeat is left out of that repeat's pairs).
 *
 * @example
 * const rows = armsAcrossSeeds([0, 1, 2].map((k) => comparisonArmsOf(studyRuns, k)), domains, "uniform");
 * rows.find((r) => r.method === "regmix")!.vsBaseline; // { value: −0.01, lo: …, hi: …, n: 3 }
 */
export function armsAcrossSeeds(repeats: readonly (readonly ComparisonArm[])[], domains: readonly string[], baseline: CompareMethod = "uniform"): ArmAcrossSeeds[] {
  const methods = sortArms(repeats.flat()).map((a) => a.method).filter((m, i, all) => all.indexOf(m) === i);
  return methods.map((method) => {
    const mine = repeats.map((r) => r.find((a) => a.method === method));
    const present = mine.filter((a): a is ComparisonArm => a !== undefined);
    const pairs = repeats.flatMap((r, k) => {
      const b = r.find((a) => a.method === baseline);
      return mine[k] && b ? [mine[k]!.final.average - b.final.average] : [];
    });
    return {
      method, label: present[0]?.label ?? METHOD_LABELS[method], seeds: present.length, // the arms' own label (the two RegMix arms say their target)
      average: meanSd(present.map((a) => a.final.average)),
      perDomain: Object.fromEntries(domains.map((d) => [d, meanSd(present.map((a) => a.final.validation[d]))])),
      vsBaseline: method !== baseline && pairs.length >= 2 ? tInterval(pairs) : null,
    };
  });
}

/**
 * The summary as table rows: arm, seeds, average loss mean and sd, difference from the baseline
 * with its 95 % interval (below 0: the arm is better on average).
 *
 * @example
 * showTable(acrossSeedsTable(armsAcrossSeeds(repeats, domains), "uniform"));
 */
export function acrossSeedsTable(rows: readonly ArmAcrossSeeds[], baseline: CompareMethod = "uniform"): Row[] {
  return rows.map((r) => ({
    arm: r.label, seeds: r.seeds,
    "average nats/byte (mean)": r.average.mean, sd: r.seeds > 1 ? r.average.sd : "—",
    [`− ${METHOD_LABELS[baseline]} [95 %]`]: r.vsBaseline ? formatInterval(r.vsBaseline, 4) : "—",
  }));
}

/**
 * Per-domain validation loss and the average, mean ± sd over seeds as error bars.
 *
 * @example
 * show(acrossSeedsFigure(armsAcrossSeeds(repeats, domains), domains));
 */
export function acrossSeedsFigure(rows: readonly ArmAcrossSeeds[], domains: readonly string[]): Figure {
  const keys = [...domains, "average"];
  const values = (r: ArmAcrossSeeds): Record<string, MeanSd> => ({ ...r.perDomain, average: r.average });
  const seeds = Math.max(...rows.map((r) => r.seeds));
  return groupedBars(rows.map((r) => ({ name: r.label, weights: Object.fromEntries(keys.map((k) => [k, values(r)[k].mean])) })), {
    domains: keys, yLabel: "validation loss (nats/byte, lower is better)", values: false,
    title: `Final models: per-domain validation loss, mean ± sd over ${seeds} seeds`,
    errors: rows.map((r) => Object.fromEntries(keys.map((k) => [k, r.seeds > 1 ? values(r)[k].sd : 0]))),
  });
}
