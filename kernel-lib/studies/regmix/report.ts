/**
 * The study's report: progress by stage, the verdict table, the noise measures and one section
 * per claim, as markdown and CSV text; figures go through a sink. Everything is recomputed from
 * the stored runs by `analyseStudy`.
 */
import type { Figure } from "../../viz/figure.js";
import { toMarkdown } from "../../viz/table.js";
import { studyCsvFiles, verdictSection, verdictTable } from "../../regression/verdicts.js";
import { formatInterval, NOISE_TARGET, PREDICTS_RHO, type StudyAnalysis } from "./claims.js";
import type { RegmixStudyConfig } from "./config.js";
import { studyFigures } from "./figures.js";
import type { StudyRuns } from "./runs.js";

const f = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : "—");

/** The verdict table as rows (shared with the Chameleon study: regression/verdicts.ts). */
export { verdictTable };

/** Runs finished per stage against the plan. */
export function stageProgress(config: RegmixStudyConfig, s: StudyRuns): Record<string, string | number>[] {
  const cross = config.crossScale.mixtures;
  const count = (m: Map<unknown, Map<number, unknown>>) => [...m.values()].reduce((a, x) => a + x.size, 0);
  return [
    { stage: "sweep (one shared seed)", finished: s.sweep.size, planned: config.sweep.fit + config.sweep.heldOut },
    { stage: "seed repeats", finished: count(s.seeds), planned: config.seedRepeats * cross },
    { stage: `${config.tokensPerProxy.factor}× tokens per proxy`, finished: s.tokens.size, planned: config.tokensPerProxy.proxies },
    ...config.crossScale.scales.map((x) => ({ stage: `scale ${x.name}`, finished: s.scales.get(x.name)?.size ?? 0, planned: cross })),
    { stage: "final models", finished: count(s.finals), planned: 4 * config.finals.seeds },
  ];
}

/** The noise measures as rows. */
export function noiseTable(a: StudyAnalysis): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = a.noise.proxy.map((n) => ({ scale: "proxy", domain: n.domain, models: n.models, "noise (nats)": f(n.noise, 5), "spread (nats)": f(n.spread, 5), ratio: pct(n.ratio) }));
  for (const x of a.noise.scales) rows.push({ scale: x.scale, domain: x.ratio.domain, models: x.ratio.models, "noise (nats)": f(x.ratio.noise, 5), "spread (nats)": f(x.ratio.spread, 5), ratio: pct(x.ratio.ratio) });
  return rows;
}

export function regmixStudyMarkdown(config: RegmixStudyConfig, s: StudyRuns, a: StudyAnalysis, figure?: (name: string, fig: Figure, alt: string) => string): string {
  const t = a.target;
  const md = [
    "## RegMix study",
    "",
    `Target: **${t}** validation loss (nats/byte). Runs finished: ${s.done} of ${s.total}.`,
    "",
    ...verdictSection(stageProgress(config, s), a.rows, findings(config, a)),
    "### Noise",
    "",
  ];
  const tn = a.noise.proxy.find((n) => n.domain === t);
  if (tn) {
    const worst = a.noise.proxy.reduce((m, n) => (n.ratio > m.ratio ? n : m));
    md.push(`Validation noise (two disjoint halves of the windows, same model) against the spread between mixtures, proxy scale: ${t} ${pct(tn.ratio)}, largest ${worst.domain} ${pct(worst.ratio)} (target < ${pct(NOISE_TARGET)}).`);
  }
  for (const x of a.noise.scales) md.push(`At ${x.scale}: ${t} ${pct(x.ratio.ratio)}.`);
  if (a.noise.seed) {
    const sn = a.noise.seed;
    md.push(`Seed noise at the proxy scale (${sn.mixtures} mixtures × ${config.seedRepeats + 1} seeds): pooled sd ${f(sn.noise, 5)} (each seed's mean offset removed: the seed × mixture interaction) against a spread of ${f(sn.spread, 5)} (${pct(sn.ratio)}); rank agreement with seed 0: ${sn.rankVsSeed0.map((r) => formatInterval(r)).join(", ")}.`);
  }
  md.push("");
  if (a.claim1) {
    md.push("### 1 · Learning curve", "", toMarkdown(a.claim1.curve.map((p) => ({ proxies: p.n, "GBDT ρ [95 %]": formatInterval(p.gbdt), "linear ρ [95 %]": formatInterval(p.linear) }))), "");
  }
  if (a.claim3) {
    md.push("### 3 · Across scales", "", toMarkdown(a.claim3.scales.map((x) => ({ scale: x.scale, mixtures: x.mixtures.length, "rank ρ proxy→scale [95 %]": formatInterval(x.rank), "proxy GBDT ρ [95 %]": formatInterval(x.gbdt) }))), "");
  }
  if (a.claim4) {
    md.push(`### 4 · Final models (${a.claim4.scale})`, "", toMarkdown(a.claim4.arms.map((x) => ({ arm: x.arm, seeds: x.seeds, [`${t} mean ± sd`]: `${f(x.target.mean)} ± ${f(x.target.sd)}`, "average mean ± sd": `${f(x.average.mean)} ± ${f(x.average.sd)}` }))), "");
    md.push(toMarkdown(a.claim4.differences.map((d) => ({ "RegMix − baseline": d.baseline, [`${t} [95 %]`]: formatInterval(d.target, 4), "average [95 %]": formatInterval(d.average, 4) }))), "");
  }
  if (a.claim5) {
    const c = a.claim5;
    md.push("### 5 · Domain interactions", "",
      `Strongest cross-domain help: ${c.strongestHelp.domain} → ${c.strongestHelp.target} loss, coefficient ${formatInterval(c.strongestHelp.coef)}. Strongest cross-domain harm: ${c.strongestHurt.domain} → ${c.strongestHurt.target}, ${formatInterval(c.strongestHurt.coef)}.`, "");
  }
  if (figure) for (const x of studyFigures(a)) md.push(figure(x.name, x.figure, x.alt), "");
  return md.join("\n");
}

/** CSV tables of the report. */
export function regmixStudyTables(config: RegmixStudyConfig, s: StudyRuns, a: StudyAnalysis): Record<string, string> {
  const own: Record<string, Record<string, string | number>[]> = {};
  if (a.noise.proxy.length) own.noise = noiseTable(a);
  if (a.claim5) own.coefficients = a.claim5.coef.map((row, i) => ({ target: a.domains[i], ...Object.fromEntries(a.domains.map((d, j) => [d, row[j]])) }));
  return studyCsvFiles(stageProgress(config, s), a.rows, own);
}

/**
 * What the runs show, one sentence per claim, written from the numbers (so the notebook's and
 * the report's prose cannot drift from the committed runs).
 *
 * @example
 * findings(config, analysis); // ["**1. Regression predicts loss: inconclusive.** …", …]
 */
export function findings(config: RegmixStudyConfig, a: StudyAnalysis): string[] {
  const t = a.target, iv = (x: Parameters<typeof formatInterval>[0], d = 3) => `${f(x.value, d)} (95 % interval ${f(x.lo, d)} to ${f(x.hi, d)})`;
  const head = (i: number) => `**${a.rows[i].claim}: ${a.rows[i].verdict}.**`;
  const out: string[] = [];
  const c1 = a.claim1, last = c1?.curve.at(-1);
  if (c1 && last && last.n === config.sweep.fit) {
    const first = c1.curve[0];
    out.push(`${head(0)} Fitted on ${last.n} proxies, the GBDT ranks the ${c1.heldOut.observed.length} held-out mixtures' ${t} loss with Spearman ${iv(last.gbdt)}, linear regression with ${iv(last.linear)}; with ${first.n} proxies the GBDT's is ${f(first.gbdt.value, 3)}. The paper reports ≈ 0.99 for LightGBM on its 1M proxies; the threshold here is ${PREDICTS_RHO} for the interval's lower end.`);
  } else out.push(`${head(0)}`);
  const c2 = a.claim2;
  out.push(c2
    ? `${head(1)} Against the ${c2.judge} models' ${t} loss, ${c2.many.proxies} proxies × T rank with ${iv(c2.many.rho)} and ${c2.few.proxies} proxies × ${c2.few.factor}T with ${iv(c2.few.rho)}; difference ${iv(c2.difference)}.`
    : `${head(1)}`);
  const c3 = a.claim3;
  out.push(c3
    ? `${head(2)} ${c3.scales.map((x) => `Proxy → ${x.scale}: rank Spearman ${iv(x.rank)}, the proxy-fitted GBDT's Spearman with the ${x.scale} losses ${iv(x.gbdt)}`).join("; ")}.`
    : `${head(2)}`);
  const c4 = a.claim4;
  out.push(c4
    ? `${head(3)} At ${c4.scale} (${c4.arms[0].seeds} seeds), ${c4.arms.map((x) => `${x.arm} ${f(x.target.mean)} ± ${f(x.target.sd)}`).join(", ")} nats/byte on ${t}; RegMix − baseline: ${c4.differences.map((d) => `${d.baseline} ${iv(d.target, 4)}`).join(", ")}. On the average over domains: ${c4.differences.map((d) => `${d.baseline} ${iv(d.average, 4)}`).join(", ")}.`
    : `${head(3)}`);
  const c5 = a.claim5;
  out.push(c5
    ? `${head(4)} ${c5.otherDomainBest.length} of ${a.domains.length} targets are helped most by another domain than their own (${c5.otherDomainBest.filter((x) => x.difference.hi < 0).length} with an interval below 0). Strongest cross-domain help: more ${c5.strongestHelp.domain} lowers the ${c5.strongestHelp.target} loss, coefficient ${iv(c5.strongestHelp.coef)}; strongest harm: more ${c5.strongestHurt.domain} raises the ${c5.strongestHurt.target} loss, ${iv(c5.strongestHurt.coef)}.`
    : `${head(4)}`);
  return out;
}
