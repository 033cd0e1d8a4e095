/**
 * Every arm's search cost at one proxy budget (issue 27): the proxies each method trained, whether
 * they are the reference proxy (same preset, steps, batchSize, seqLen — "same model, batch,
 * steps"), and the search FLOPs as a multiple of one reference-proxy training and of one final
 * training. The reference is Chameleon's proxy when the comparison has one: a method whose row
 * says "yes" searched with exactly the proxy Chameleon trained, so its FLOPs compare at equal
 * proxy budget. (A DoGE or DoReMi group proxy with the reference recipe trains k·⌊B/k⌋ windows
 * per step — 13 of 16 with 13 domains — so it costs a little less than the reference itself.)
 */
import { trainingFlops } from "../model/config.js";
import { configForCorpus } from "../model/vocab.js";
import { recipeModelConfig, type TrainRecipe } from "../train/recipe.js";
import type { CompareConfig, CompareMethod } from "./config.js";
import { sortArms, type ComparisonArm, type Row } from "./table.js";

/** A proxy a method trains: its recipe, how many, and the windows a step actually trains (group proxies: k·b). */
type ProxyUse = { role: string; recipe: TrainRecipe; count: number; windowsPerStep: number };

function groupWindows(recipe: TrainRecipe, k: number, perDomainBatch?: number): number {
  return k * (perDomainBatch ?? Math.max(1, Math.floor(recipe.batchSize / k)));
}

/** The proxies `method`'s search trains under `config` (none for the free baselines; empty for a method this table does not know). */
export function proxiesOf(config: CompareConfig, method: CompareMethod, k: number): ProxyUse[] {
  const plain = (role: string, recipe: TrainRecipe, count = 1): ProxyUse => ({ role, recipe, count, windowsPerStep: recipe.batchSize });
  if ((method === "regmix" || method === "regmix-mean") && config.regmix) return [plain("proxies", config.regmix.proxy, config.regmix.proxies)];
  if ((method === "chameleon" || method === "chameleon-official") && config.chameleon) return [plain("proxy", config.chameleon.proxy)];
  if (method === "doremi" && config.doremi) {
    const d = config.doremi;
    return [plain("reference", d.reference), { role: "Group-DRO proxy", recipe: d.proxy, count: 1, windowsPerStep: groupWindows(d.proxy, k, d.perDomainBatch) }];
  }
  if (method === "doge" && config.doge) {
    const d = config.doge;
    return [{ role: "proxy", recipe: d.proxy, count: 1, windowsPerStep: groupWindows(d.proxy, k, d.perDomainBatch) }];
  }
  return [];
}

const sameBudget = (a: TrainRecipe, b: TrainRecipe): boolean =>
  a.preset === b.preset && a.steps === b.steps && a.batchSize === b.batchSize && a.seqLen === b.seqLen && JSON.stringify(a.overrides ?? {}) === JSON.stringify(b.overrides ?? {});

const describe = (p: ProxyUse): string =>
  `${p.count > 1 ? `${p.count} × ` : ""}${p.role} ${p.recipe.preset} ${p.recipe.steps}×${p.windowsPerStep}${p.windowsPerStep !== p.recipe.batchSize ? ` (batchSize ${p.recipe.batchSize})` : ""}×${p.recipe.seqLen}`;

/**
 * One row per arm: `method` (label), `proxies`, `reference proxy` (yes / no / — for none),
 * `search FLOPs`, `÷ reference proxy`, `÷ final training`. `reference` defaults to Chameleon's
 * proxy; without one (and none given) there is no unit and the table is empty.
 *
 * @example
 * toMarkdown(proxyBudgetTable(config, arms, corpus));
 */
export function proxyBudgetTable(config: CompareConfig, arms: readonly ComparisonArm[], corpus: { vocabSize: number; domains: readonly string[] }, reference: TrainRecipe | undefined = config.chameleon?.proxy): Row[] {
  if (!reference) return [];
  const unit = trainingFlops(configForCorpus(recipeModelConfig(reference), corpus), reference.steps, reference.batchSize, reference.seqLen);
  return sortArms(arms).map((a) => {
    const ps = proxiesOf(config, a.method, corpus.domains.length);
    return {
      method: a.label,
      proxies: ps.length === 0 ? "—" : ps.map(describe).join(" + "),
      "reference proxy": ps.length === 0 ? "—" : ps.every((p) => sameBudget(p.recipe, reference)) ? "yes" : "no",
      "search FLOPs": a.cost.flops === 0 ? "0" : a.cost.flops.toExponential(2),
      "÷ reference proxy": (a.cost.flops / unit).toFixed(2),
      "÷ final training": (a.cost.flops / a.final.trainFlops).toFixed(3),
    };
  });
}
