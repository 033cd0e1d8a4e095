/**
 * The comparison as markdown: the setup, the table (transposed to fit a page), the weights,
 * each method's itemised search cost, what each method's evidence says, and how to read it.
 * Figures are inserted through a callback (the experiment kind saves them next to report.md).
 */
import { toMarkdown } from "../viz/table.js";
import type { Figure } from "../viz/figure.js";
import type { CompareConfig } from "./config.js";
import { proxyBudgetTable } from "./budget.js";
import { costFigure, lossFigure, suiteFigure, weightsFigure, weightsHeatmap } from "./figures.js";
import { comparisonView, costItemsTable, sortArms, weightsTable, type ComparisonArm } from "./table.js";

/** Saves a figure and returns the markdown that shows or links it. */
export type FigureSink = (name: string, figure: Figure, alt: string) => string;

const num = (x: unknown, digits = 3): string => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "n/a");

/** One line per method with what its own evidence says. */
function evidence(arms: readonly ComparisonArm[]): string[] {
  const lines: string[] = [];
  for (const a of sortArms(arms)) {
    const d = a.details;
    if (a.method === "regmix" || a.method === "regmix-mean") {
      lines.push(`- **${a.label}** minimised the **${String(d.target)}** loss: GBDT fitted on ${String(d.fitted)} proxies, held-out Spearman ${num(d.spearmanGbdt, 2)} (linear ${num(d.spearmanLinear, 2)}) on ${String(d.heldOut)}; ${Number(d.candidates).toLocaleString("en-US")} simulated candidates, predicted top-k mean loss ${num(d.predictedTopKMean)}.`);
    } else if (a.method === "chameleon") {
      lines.push(`- **Chameleon (fitted τ)**: τ_pt = ${num(d.tauPt, 1)} chosen so the largest weight is 4.08× the smallest (the official worked example's range; not the official constant), embeddings from layer ${String(d.layer)}.`);
    } else if (a.method === "chameleon-official") {
      lines.push(`- **Chameleon (official τ=5)**: the paper's constants; with ${Object.keys(a.mixture).length} byte-level domains and a small proxy the weights concentrate on the lowest-leverage domain (largest weight ${num(Math.max(...Object.values(a.mixture)))}).`);
    } else if (a.method === "mergemix") {
      const groups = d.groups as Record<string, string[]>;
      const alpha = d.alphaStar as number[];
      lines.push(`- **MergeMix**: α* = ${Object.keys(groups).map((g, i) => `${g} ${num(alpha[i])}`).join(", ")} over ${String(d.seeds)} seed merges; utility on its own search suite: predicted ${num(d.utilityPredicted)}, merged ${num(d.utilityVerified)} (best seed ${num(d.utilityBestSeed)}).`);
    } else if (a.method === "doremi") {
      lines.push(`- **DoReMi**: weights averaged over the Group-DRO proxy's steps (${String(d.perDomainBatch)} window(s) per domain per step); largest weight ${num(Math.max(...Object.values(a.mixture)))}.`);
    } else if (a.method === "doge") {
      const how = d.update === "official" ? "the official `update_domain_weights` (alignment with the other domains' gradients, ÷ mean norm, clipped, ÷ μ)" : "each domain's gradient alignment with the sum of all domains'";
      lines.push(`- **${a.label}**: weights averaged over the proxy's steps, following ${how} (${String(d.perDomainBatch)} window(s) per domain per step); largest weight ${num(Math.max(...Object.values(a.mixture)))}.`);
    }
  }
  return lines;
}

/**
 * The comparison's markdown section.
 *
 * @example
 * comparisonMarkdown(config, arms, corpus.domains, { figure: (name, fig, alt) => savePlotAndLink(name, fig, alt) });
 */
export function comparisonMarkdown(
  config: CompareConfig,
  arms: readonly ComparisonArm[],
  domains: readonly string[],
  opts: { figure?: FigureSink; planned?: number; /** with it, the search cost at one proxy budget (`proxyBudgetTable`) */ corpus?: { vocabSize: number; domains: readonly string[] } } = {},
): string {
  const f = config.final;
  const tokens = f.steps * f.batchSize * f.seqLen;
  const md: string[] = [
    "## All methods compared",
    "",
    `Every arm trains one \`${f.preset}\` model from scratch on its method's mixture with the same recipe — ${f.steps} steps × ${f.batchSize} windows × ${f.seqLen} bytes = ${tokens.toLocaleString("en-US")} training bytes, lr ${f.lr} (${f.schedule}), the same seed (same initialisation and sampler stream) — so the arms differ only in their mixture. ` +
      `Validation loss is nats/byte on ${config.eval.windowsPerDomain} fixed ${config.eval.split} windows per domain (lower is better). ` +
      `The downstream suite (seed ${config.suite.seed}, ${config.suite.sizes.items} items per task, ${config.suite.metric}) reports chance-normalised capability scores (0 = chance, higher is better); ${config.mergemix ? `MergeMix searched on its own suite (seed ${config.mergemix.suite.seed}), so it is not graded on the items it optimised. ` : ""}` +
      `"search" rows are the compute each method spent to find its weights, from the methods' own cost accounting (model FLOPs; forward-only passes at ⅓ of training), and as a multiple of one final model's training.`,
    "",
  ];
  if (opts.planned !== undefined && arms.length < opts.planned) md.push(`**${arms.length} of ${opts.planned} arms finished** — re-run to complete the comparison.`, "");
  if (arms.length === 0) return md.join("\n");
  md.push("### The comparison", "", toMarkdown(comparisonView(arms, domains)), "");
  md.push("### What each method's search found", "", ...evidence(arms), "");
  const weights = weightsTable(arms, domains).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? v.toFixed(3) : v])));
  md.push("### Weights", "", toMarkdown(weights), "");
  if (opts.figure) {
    md.push(opts.figure("weights", weightsFigure(arms, domains), "domain weights by method"), "");
    md.push(opts.figure("weights_heatmap", weightsHeatmap(arms, domains), "domain weights heat map"), "");
    md.push(opts.figure("validation_loss", lossFigure(arms, domains), "per-domain validation loss"), "");
    md.push(opts.figure("suite", suiteFigure(arms), "downstream suite"), "");
    md.push(opts.figure("loss_vs_cost", costFigure(arms), "average loss vs search FLOPs"), "");
  }
  md.push("### Search cost, itemised", "", toMarkdown(costItemsTable(arms)), "");
  if (opts.corpus) {
    const budget = proxyBudgetTable(config, arms, opts.corpus);
    if (budget.length > 0) md.push("### Search cost at one proxy budget", "", "Each method's proxies against Chameleon's proxy (\"reference proxy\": same preset, steps, batch and window length), and its search FLOPs in units of one training of that proxy.", "", toMarkdown(budget), "");
  }
  md.push(
    "### Reading the table",
    "",
    "- Compare the **average** loss and the **utility** first, then look down the per-domain rows: a method that wins on average may buy it with one domain.",
    "- Weigh wins against the **search cost**: the fixed baselines cost nothing, Chameleon one proxy plus forward passes, MergeMix a base, one expert per group and one suite pass per merge, RegMix a whole sweep of proxies.",
    "- At quick sizes differences of a few hundredths of a nat are within seed noise; the `full` profile is the run to cite.",
    "",
  );
  return md.join("\n");
}
