/**
 * The study's report: progress by stage, the verdict table first, the findings in words (written
 * from the numbers), one section per claim, as markdown and CSV text; figures go through a sink.
 * Everything is recomputed from the stored runs by `analyseChameleonStudy`.
 */
import { METHOD_LABELS } from "../../compare/config.js";
import { formatInterval, studyCsvFiles, verdictSection } from "../../regression/verdicts.js";
import type { Interval } from "../../regression/intervals.js";
import type { Figure } from "../../viz/figure.js";
import { exponentForm, toMarkdown } from "../../viz/table.js";
import { OFFICIAL_PT_WEIGHT_RATIO } from "../../chameleon/temperature.js";
import { scaled, type ChameleonStudyAnalysis } from "./claims.js";
import type { ChameleonStudyConfig } from "./config.js";
import { studyFigures } from "./figures.js";
import type { ChameleonStudyRuns } from "./runs.js";

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const ms = (x: { mean: number; sd: number }, d = 3) => `${f(x.mean, d)} ± ${f(x.sd, d)}`;
const pct = (i: Interval) => `${formatInterval(scaled(i, 100), 2)} %`;

/** Search tasks a config plans (one per searched method, one per RegMix proxy). */
function plannedSearches(config: ChameleonStudyConfig): number {
  const m = config.pretrain.methods;
  return (m.includes("chameleon") || m.includes("chameleon-official") ? 1 : 0) + (m.includes("doremi") ? 1 : 0) + (m.includes("doge") ? 1 : 0) + (m.includes("regmix") ? config.pretrain.regmix?.proxies ?? 0 : 0);
}

/**
 * Runs finished per stage against the plan.
 *
 * @example
 * toMarkdown(stageProgress(config, runs));
 */
export function stageProgress(config: ChameleonStudyConfig, s: ChameleonStudyRuns): Record<string, string | number>[] {
  const count = (m: Map<unknown, Map<number, unknown>>) => [...m.values()].reduce((a, x) => a + x.size, 0);
  return [
    { stage: "comparison searches", finished: s.searches.length, planned: plannedSearches(config) },
    { stage: "transfer proxy (frozen, held-out domains embedded)", finished: s.transferWeights ? 1 : 0, planned: 1 },
    { stage: "regime proxies", finished: count(s.regime), planned: config.regime.proxies.length * config.regime.seeds },
    { stage: "finetuning repeats", finished: s.finetune.size, planned: config.finetune.repeats },
    { stage: "comparison final models", finished: count(s.finals), planned: config.pretrain.methods.length * config.seeds },
    { stage: "final models on transferred weights", finished: s.transferFinals.size, planned: config.seeds },
  ];
}

/** The claims' tables as rows (the report's sections and CSV files). */
export function studyTables(config: ChameleonStudyConfig, a: ChameleonStudyAnalysis): Record<string, Record<string, string | number>[]> {
  const t: Record<string, Record<string, string | number>[]> = {};
  if (a.pretrain) {
    t.pretrain = a.pretrain.arms.map((x) => ({
      arm: x.label, seeds: x.seeds, "average perplexity": x.averagePerplexity.mean, "sd": x.averagePerplexity.sd, "average nats/byte": x.averageLoss.mean,
      "search ÷ final FLOPs": x.searchFraction, ...Object.fromEntries(a.domains.map((d) => [d, x.perDomain[d].mean])),
    }));
    t.differences = a.pretrain.differences.map((d) => ({
      arm: METHOD_LABELS[d.arm], baseline: METHOD_LABELS[d.baseline], "Δ average perplexity": d.perplexity.value, lo: d.perplexity.lo, hi: d.perplexity.hi,
      "Δ nats/byte": d.loss.value, "nats lo": d.loss.lo, "nats hi": d.loss.hi,
    }));
    t.weights = a.pretrain.arms.map((x) => ({ arm: x.label, ...Object.fromEntries(a.domains.map((d) => [d, x.mixture[d] ?? 0])) }));
    if (a.transfer) t.weights.push({ arm: "Chameleon, transferred (frozen proxy)", ...Object.fromEntries(a.domains.map((d) => [d, a.transfer!.arms[0].mixture[d] ?? 0])) });
  }
  if (a.cost.length) t.cost = a.cost.map((c) => ({ method: c.label, "search FLOPs": c.flops, "÷ one final training": c.fraction }));
  if (a.regime) {
    const g = a.regime;
    t.regime = [
      { proxy: "official example (7 SlimPajama domains, GPT-2)", preset: "—", recipe: "—", "training FLOPs": "—", seeds: "—", "S max/min": g.reference.spread, "Σ S_raw": g.reference.effectiveDimension, "trace(K_c)/λk": "—", "max weight τ=5": g.reference.maxOfficialWeight, "lo": "—", "hi": "—", [`τ for ratio ${g.ratio}`]: g.reference.tauForRatio, "out of collapse": "—" },
      ...g.proxies.map((x) => ({
        proxy: x.name, preset: x.preset, recipe: `${x.steps} × ${x.batchSize} × ${x.seqLen}`, "training FLOPs": x.flops, seeds: x.repeats,
        "S max/min": x.spread.mean, "Σ S_raw": x.effectiveDimension.mean, "trace(K_c)/λk": x.kernelToRidge.mean,
        "max weight τ=5": x.maxWeight.value, lo: x.maxWeight.lo, hi: x.maxWeight.hi, [`τ for ratio ${g.ratio}`]: x.tauForRatio.mean, "out of collapse": x.outOfCollapse,
      })),
    ];
  }
  if (a.transfer) {
    t.transfer = a.transfer.arms.map((x) => ({
      arm: x.arm, "new-domain perplexity": x.newPerplexity.mean, sd: x.newPerplexity.sd,
      ...Object.fromEntries(a.transfer!.heldOut.map((d) => [d, x.perDomain[d].mean])),
      "suite (new-domain tasks)": x.newSuite ? x.newSuite.mean : "—",
    }));
  }
  if (a.finetune) {
    t.finetune = a.finetune.perDomain.map((d) => ({
      domain: d.domain, "FT weight (mean)": a.finetune!.weights[d.domain], "uniform perplexity": d.uniform.mean, "Chameleon FT perplexity": d.chameleon.mean,
      "Δ (Chameleon − uniform)": d.difference.value, lo: d.difference.lo, hi: d.difference.hi, verdict: d.verdict,
    }));
  }
  return t;
}

/**
 * What the runs show, one sentence per claim, written from the numbers (so the notebook's and
 * the report's prose cannot drift from the committed runs).
 *
 * @example
 * findings(config, analysis); // ["**1a. Chameleon (fitted τ) …: inconclusive.** …", …]
 */
export function findings(config: ChameleonStudyConfig, a: ChameleonStudyAnalysis): string[] {
  const head = (i: number) => `**${a.rows[i].claim}: ${a.rows[i].verdict}.**`;
  const iv = (x: Interval, d = 3) => `${f(x.value, d)} (95 % interval ${f(x.lo, d)} to ${f(x.hi, d)})`;
  const out: string[] = [];
  const p = a.pretrain;
  for (const [i, arm] of [[0, "chameleon"], [1, "chameleon-official"]] as const) {
    if (!p) { out.push(head(i)); continue; }
    const me = p.arms.find((x) => x.method === arm)!;
    const d = p.differences.filter((x) => x.arm === arm);
    const best = p.arms.reduce((m, x) => (x.averagePerplexity.mean < m.averagePerplexity.mean ? x : m));
    out.push(`${head(i)} ${me.label}: average perplexity ${ms(me.averagePerplexity)} over ${me.seeds} seeds; paired differences ${d.map((x) => `vs ${METHOD_LABELS[x.baseline]} ${iv(x.perplexity, 4)}`).join(", ")}. Lowest average: ${best.label} (${f(best.averagePerplexity.mean)}).`);
  }
  out.push(a.cost.length ? `${head(2)} Search FLOPs ÷ one final model's: ${a.cost.map((c) => `${c.label} ${c.fraction.toPrecision(3)}`).join(", ")}.` : head(2));
  const g = a.regime;
  out.push(g
    ? `${head(3)} Largest official weight: ${g.proxies.map((x) => `${x.name} ${iv(x.maxWeight)}`).join("; ")} (official example ${f(g.reference.maxOfficialWeight)}). S max/min: ${g.proxies.map((x) => `${x.name} ${f(x.spread.mean, 1)}`).join(", ")} (official example ${f(g.reference.spread, 2)}); Σ S_raw: ${g.proxies.map((x) => `${x.name} ${f(x.effectiveDimension.mean)}`).join(", ")} (official example ${f(g.reference.effectiveDimension)}); the τ that gives the official example's range: ${g.proxies.map((x) => `${x.name} ${f(x.tauForRatio.mean, 1)}`).join(", ")} (official 5).`
    : head(3));
  const t = a.transfer;
  out.push(t
    ? `${head(4)} On the held-out domains (${t.heldOut.join(", ")}), the model on the frozen proxy's weights has perplexity ${ms(t.arms[0].newPerplexity)}, the retrained proxy's ${ms(t.arms[1].newPerplexity)}, uniform's ${ms(t.arms[2].newPerplexity)}; relative difference vs retrained ${pct(t.vsRetrained)}, vs uniform ${pct(t.vsUniform)}${t.suiteVsUniform ? `; suite score on the new domains' tasks vs uniform ${iv(t.suiteVsUniform)}` : ""}. The two weight vectors: Spearman ${f(t.weights.spearman)}, L1 ${f(t.weights.l1)}.`
    : head(4));
  const ft = a.finetune;
  out.push(ft
    ? `${head(5)} Improved (interval below 0) on ${ft.improved} of ${ft.domains.length} finetuning domains over ${ft.repeats} repeats: ${ft.perDomain.map((d) => `${d.domain} ${iv(d.difference, 4)}`).join("; ")}.`
    : head(5));
  return out;
}

/**
 * The report's markdown (figures through `figure`, which returns the markdown that shows one).
 *
 * @example
 * chameleonStudyMarkdown(config, runs, analysis, (name, fig, alt) => figureLink(fig, dir, name, alt, "auto"));
 */
export function chameleonStudyMarkdown(config: ChameleonStudyConfig, s: ChameleonStudyRuns, a: ChameleonStudyAnalysis, figure?: (name: string, fig: Figure, alt: string) => string): string {
  const t = studyTables(config, a);
  const fin = config.pretrain.final;
  const md = [
    "## Chameleon study",
    "",
    `Runs finished: ${s.done} of ${s.total}. Final models: \`${fin.preset}\`, ${fin.steps} steps × ${fin.batchSize} × ${fin.seqLen} bytes, ${config.seeds} seeds shared by every arm; perplexity per byte on ${config.pretrain.eval.windowsPerDomain} ${config.pretrain.eval.split} windows per domain.`,
    "",
    ...verdictSection(stageProgress(config, s), a.rows, findings(config, a)),
  ];
  const table = (rows: Record<string, string | number>[] | undefined, digits = 4) => (rows ? [toMarkdown(exponentForm(rows), { digits }), ""] : []);
  if (a.pretrain) {
    md.push("### 1 · Pretraining at equal budget", "", ...table(t.pretrain), ...table(t.differences), ...table(t.cost));
  }
  if (a.regime) {
    const g = a.regime;
    md.push("### 2 · The official regime", "",
      `The fitted arm's ratio ${g.ratio}: the official pipeline (λ = 10, τ_pt = 5) on the affinity matrix printed in the official repository's pipeline figure gives weights with max/min 0.2756/0.0676 = ${f(OFFICIAL_PT_WEIGHT_RATIO, 3)}; recomputed from that example's S (4 decimals), ${f(g.reference.officialRatio, 3)}. (The paper's own weight tables were not obtained; the figure's example is the official code's regime.)`, "",
      ...table(t.regime));
  }
  if (a.transfer) md.push("### 3 · New data without retraining", "", ...table(t.transfer));
  if (a.finetune) md.push("### 4 · Finetuning", "", ...table(t.finetune));
  if (figure) for (const x of studyFigures(a)) md.push(figure(x.name, x.figure, x.alt), "");
  return md.join("\n");
}

/**
 * CSV tables of the report (`verdicts.csv` is what the committed-store test recomputes).
 *
 * @example
 * chameleonStudyTables(config, runs, analysis)["verdicts.csv"];
 */
export function chameleonStudyTables(config: ChameleonStudyConfig, s: ChameleonStudyRuns, a: ChameleonStudyAnalysis): Record<string, string> {
  return studyCsvFiles(stageProgress(config, s), a.rows, studyTables(config, a));
}
