/**
 * The study's report: progress by stage, the verdict table first, the findings in words (written
 * from the numbers), one section per claim and the suite's evidence, as markdown and CSV text;
 * figures go through a sink. Everything is recomputed from the stored runs by
 * `analyseMergeMixStudy`.
 */
import type { Interval } from "../../regression/intervals.js";
import { studyCsvFiles, verdictSection } from "../../regression/verdicts.js";
import type { Figure } from "../../viz/figure.js";
import { exponentForm, toMarkdown } from "../../viz/table.js";
import type { MergeMixStudyAnalysis, FinalsSummary } from "./claims.js";
import { ARM_LABELS, EXPERT_KIND_LABELS, EXPERT_KINDS, type MergeMixStudyConfig } from "./config.js";
import { studyFigures } from "./figures.js";
import { studyArms } from "./plan.js";
import type { MergeMixStudyRuns } from "./runs.js";

type Rows = Record<string, string | number>[];
const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const ms = (x: { mean: number; sd: number }, d = 3) => `${f(x.mean, d)} ± ${f(x.sd, d)}`;
const sci = (x: number) => x.toExponential(2);
const iv = (x: Interval, d = 3) => `${f(x.value, d)} (95 % interval ${f(x.lo, d)} to ${f(x.hi, d)})`;

/**
 * Runs finished per stage against the plan.
 *
 * @example
 * toMarkdown(stageProgress(config, runs, corpus.domains.length));
 */
export function stageProgress(config: MergeMixStudyConfig, s: MergeMixStudyRuns, domains: number): Rows {
  const count = (m: Map<unknown, Map<unknown, unknown>>) => [...m.values()].reduce((a, x) => a + x.size, 0);
  const arms = studyArms(config);
  const grid = config.grid.twoDomain.alphas.length + config.grid.multiDomain.mixtures;
  return [
    { stage: "base model", finished: s.base ? 1 : 0, planned: 1 },
    { stage: "experts (per domain and per group)", finished: count(s.experts), planned: domains + Object.keys(config.groups).length },
    { stage: "searches (α*)", finished: s.searches.size, planned: config.search.experts.length },
    { stage: "merged grids (one per expert kind)", finished: s.merged.size, planned: EXPERT_KINDS.length },
    { stage: "trained grid models", finished: s.trained.size, planned: grid },
    { stage: "final models, proxy scale", finished: count(s.finals), planned: arms.finals.length * config.finals.seeds },
    { stage: "final models, larger scale", finished: count(s.scale), planned: arms.scale.length * config.scale.seeds },
  ];
}

const finalsRows = (x: FinalsSummary): Rows => x.arms.map((a) => ({
  arm: a.label, seeds: a.seeds, "judge utility": a.utility.mean, "utility sd": a.utility.sd, "nats/byte": a.loss.mean, "nats sd": a.loss.sd,
  "search FLOPs": a.searchFlops ?? "—", "chosen grid mixture": a.chosen ?? "—",
  ...Object.fromEntries(Object.entries(a.capabilities).map(([c, v]) => [c, v.mean])),
}));
const differenceRows = (x: FinalsSummary): Rows => x.differences.map((d) => ({
  "α*": EXPERT_KIND_LABELS[d.kind], baseline: ARM_LABELS[d.baseline],
  "Δ utility": d.utility.value, "utility lo": d.utility.lo, "utility hi": d.utility.hi,
  "Δ nats/byte": d.loss.value, "nats lo": d.loss.lo, "nats hi": d.loss.hi,
}));

/** The claims' tables as rows (the report's sections and CSV files). */
export function studyTables(a: MergeMixStudyAnalysis): Record<string, Rows> {
  const t: Record<string, Rows> = {};
  if (a.consistency.length) {
    t.consistency = a.consistency.flatMap((c) => c.table.map((r) => {
      const interval = r.metric === "utility" ? c.utility : r.metric === "valNats" ? c.valNats : null;
      return { experts: EXPERT_KIND_LABELS[c.kind], metric: r.metric, mixtures: r.n, "ρ": r.spearman, lo: interval ? interval.lo : "—", hi: interval ? interval.hi : "—", "trained range": r.trainedRange, "merged range": r.mergedRange };
    }));
    t.families = a.consistency.flatMap((c) => c.perFamily.map((p) => ({
      experts: EXPERT_KIND_LABELS[c.kind], family: p.family === "two" ? "two-domain" : "multi-domain", mixtures: p.n,
      "ρ utility": p.utility.value, "utility lo": p.utility.lo, "utility hi": p.utility.hi, "ρ validation loss": p.valNats.value, "loss lo": p.valNats.lo, "loss hi": p.valNats.hi,
    })));
    t.points = a.consistency.flatMap((c) => c.points.map((p) => ({
      experts: c.kind, mixture: p.label, family: p.family, "merged utility": p.merged.utility, "trained utility": p.trained.utility, "merged nats/byte": p.merged.valNats, "trained nats/byte": p.trained.valNats,
    })));
  }
  if (a.suite.length) t.suite = a.suite.map((r) => ({ population: r.population, metric: r.metric, models: r.models, "split-half reliability": Number.isFinite(r.reliability) ? r.reliability : "—", "spread (points)": r.spread }));
  if (a.search.length) {
    t.search = a.search.map((x) => ({
      experts: EXPERT_KIND_LABELS[x.kind], "α*": x.groups.map((g, i) => `${g} ${x.alphaStar[i].toFixed(3)}`).join(", "),
      "predicted (choose)": x.predicted, "verified (choose)": x.verified, "best seed (choose)": x.bestSeed, "surrogate CV ρ": x.surrogateCv ?? "—",
    }));
  }
  if (a.finals) { t.finals = finalsRows(a.finals); t.differences = differenceRows(a.finals); }
  // "finals-larger", not "scale": scale.csv is every study's table of model sizes × training lengths
  if (a.scale) { t["finals-larger"] = finalsRows(a.scale); t["finals-larger-differences"] = differenceRows(a.scale); }
  if (a.cost.length) {
    t.cost = a.cost.flatMap((c) => [
      ...c.mergeMix.map((r) => ({ experts: EXPERT_KIND_LABELS[c.kind], side: "MergeMix", item: r.item, count: r.count, tokens: r.tokens, FLOPs: r.flops })),
      ...c.grid.map((r) => ({ experts: EXPERT_KIND_LABELS[c.kind], side: "trained grid", item: r.item, count: r.count, tokens: r.tokens, FLOPs: r.flops })),
    ]);
  }
  const weights = a.finals ? a.finals.arms.map((x) => ({ name: x.label, mixture: x.mixture })) : a.search.map((x) => ({ name: ARM_LABELS[`mergemix-${x.kind}`], mixture: x.mixture }));
  if (weights.length) t.weights = weights.map((w) => ({ arm: w.name, ...Object.fromEntries(a.domains.map((d) => [d, w.mixture[d] ?? 0])) }));
  return t;
}

/**
 * What the runs show, one sentence per claim row, then the suite's evidence — written from the
 * numbers, so the notebook's and the report's prose cannot drift from the committed runs.
 *
 * @example
 * findings(config, analysis); // ["**1a. Merged models rank …: inconclusive.** …", …]
 */
export function findings(config: MergeMixStudyConfig, a: MergeMixStudyAnalysis): string[] {
  const out: string[] = [];
  const head = (claim: string) => { const r = a.rows.find((x) => x.claim === claim)!; return `**${r.claim}: ${r.verdict}.**`; };
  const rowsOf = (n: string) => a.rows.filter((r) => r.claim.startsWith(n));
  // 1
  for (const r of rowsOf("1")) {
    const kind = EXPERT_KINDS.find((k) => r.claim.includes(EXPERT_KIND_LABELS[k]))!;
    const c = a.consistency.find((x) => x.kind === kind);
    const metric = r.claim.endsWith("utility") ? "utility" : "valNats";
    if (!c) { out.push(head(r.claim)); continue; }
    const fam = c.perFamily.map((p) => `${p.family === "two" ? "two-domain" : "multi-domain"} ${iv(p[metric])} over ${p.n}`).join("; ");
    const top = c.shifts[0];
    out.push(`${head(r.claim)} ρ = ${iv(c[metric])} over ${c.points.length} mixtures${fam ? ` (${fam})` : ""}.${metric === "utility" && top ? ` Largest utility rank shift: ${top.label} (merged rank ${top.mergedRank}, trained ${top.trainedRank}).` : ""}`);
  }
  // 2–3
  for (const [n, x] of [["2", a.finals], ["3", a.scale]] as const) {
    for (const r of rowsOf(n)) {
      if (!x) { out.push(head(r.claim)); continue; }
      const kind = EXPERT_KINDS.find((k) => r.claim.includes(EXPERT_KIND_LABELS[k]))!;
      const metric = r.claim.endsWith("utility") ? "utility" : "loss";
      const me = x.arms.find((y) => y.arm === `mergemix-${kind}`)!;
      const d = x.differences.filter((y) => y.kind === kind);
      const best = x.arms.reduce((m, y) => ((metric === "utility" ? y.utility.mean > m.utility.mean : y.loss.mean < m.loss.mean) ? y : m));
      out.push(`${head(r.claim)} ${me.label}: ${metric === "utility" ? `utility ${ms(me.utility)}` : `${ms(me.loss, 4)} nats/byte`} over ${me.seeds} seeds (${x.recipe}); paired differences ${d.map((y) => `vs ${ARM_LABELS[y.baseline]} ${iv(metric === "utility" ? y.utility : y.loss, 4)}`).join(", ")}. Best arm on this measure: ${best.label}.`);
    }
  }
  // 4
  for (const r of rowsOf("4")) {
    const kind = EXPERT_KINDS.find((k) => r.claim.includes(EXPERT_KIND_LABELS[k]))!;
    const c = a.cost.find((x) => x.kind === kind);
    out.push(c ? `${head(r.claim)} MergeMix spent ${sci(c.mergeMix.at(-1)!.flops)} FLOPs, ${f(100 * c.fraction, 1)} % of the ${sci(c.grid.at(-1)!.flops)} the trained grid of ${a.gridSize} mixtures cost.` : head(r.claim));
  }
  // the suite's evidence
  const trained = a.suite.filter((r) => r.population === "trained grid models");
  if (trained.length) {
    const u = trained.find((r) => r.metric === "utility")!;
    out.push(`**The judge suite (${config.suite.sizes.items} items per task, ${config.suite.metric}):** over the ${u.models} trained grid models its utility has split-half reliability ${f(u.reliability)} and spans ${f(u.spread, 1)} points; per capability ${trained.filter((r) => r.metric !== "utility").map((r) => `${r.metric} ${f(r.reliability)} / ${f(r.spread, 1)} pts`).join(", ")} (reliability / spread). How well two sets of scores can agree is bounded by the reliability of each: a merged-vs-trained ρ on the suite cannot be read above that bound.`);
  }
  return out;
}

/**
 * The report's markdown (figures through `figure`, which returns the markdown that shows one).
 *
 * @example
 * mergeMixStudyMarkdown(config, runs, analysis, domains.length, (name, fig, alt) => figureLink(fig, dir, name, alt, "auto"));
 */
export function mergeMixStudyMarkdown(config: MergeMixStudyConfig, s: MergeMixStudyRuns, a: MergeMixStudyAnalysis, figure?: (name: string, fig: Figure, alt: string) => string): string {
  const t = studyTables(a);
  const m = config.model;
  const md = [
    "## MergeMix study",
    "",
    `Runs finished: ${s.done} of ${s.total}. Proxy scale: \`${m.preset}\` base (${config.base.steps} steps × ${config.batchSize} × ${config.seqLen} bytes on the ${config.base.mixture === "token_prior" ? "token prior" : "uniform mix"}), experts and trained grid models continued ${config.experts.steps} steps; ${a.domains.length} per-domain and ${Object.keys(config.groups).length} per-group experts. Suites: choose seed ${config.suite.choose}, judge seed ${config.suite.judge} (${config.suite.metric}, ${config.suite.sizes.items} items per task). Validation: ${config.eval.windowsPerDomain} ${config.eval.split} windows per domain.`,
    "",
    ...verdictSection(stageProgress(config, s, a.domains.length), a.rows, findings(config, a)),
  ];
  const table = (rows: Rows | undefined, digits = 4) => (rows ? [toMarkdown(exponentForm(rows), { digits }), ""] : []);
  if (t.consistency) md.push("### 1 · Rank consistency: merged vs trained", "", ...table(t.consistency), ...table(t.families));
  if (t.suite) md.push("### The judge suite's evidence", "", "Split-half reliability (Spearman–Brown of the even- vs odd-item scores' rank agreement across a population of models) and spread (max − min of the chance-normalised score, in points).", "", ...table(t.suite));
  if (t.search) md.push("### The searches", "", ...table(t.search));
  if (a.best) md.push(`Best trained grid mixture by choose-suite objective: ${a.best.label} (${f(a.best.objective)}).`, "");
  if (t.finals) md.push("### 2 · Search quality: finals at the proxy scale", "", ...table(t.finals), ...table(t.differences));
  if (t["finals-larger"]) md.push("### 3 · Cross-scale transfer: finals at the larger scale", "", ...table(t["finals-larger"]), ...table(t["finals-larger-differences"]));
  if (t.cost) md.push("### 4 · Cost", "", ...table(t.cost));
  if (t.weights) md.push("### Mixtures", "", ...table(t.weights));
  if (figure) for (const x of studyFigures(a)) md.push(figure(x.name, x.figure, x.alt), "");
  return md.join("\n");
}

/**
 * CSV tables of the report (`verdicts.csv` is what the committed-store test recomputes).
 *
 * @example
 * mergeMixStudyTables(config, runs, analysis)["verdicts.csv"];
 */
export function mergeMixStudyTables(config: MergeMixStudyConfig, s: MergeMixStudyRuns, a: MergeMixStudyAnalysis): Record<string, string> {
  const tables = Object.fromEntries(Object.entries(studyTables(a)).filter(([, rows]) => rows.length > 0));
  return studyCsvFiles(stageProgress(config, s, a.domains.length), a.rows, tables);
}
