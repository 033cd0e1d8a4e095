/**
 * The paper's scale beside the study's (the table each study notebook opens with): the numbers a
 * paper states for its models, from `datasets/reference/<method>/paper-scale.json` (each with the
 * sentence or file it comes from, and whether it was verified), next to the study's `scaleRows`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { MixlabError } from "../util/errors.js";
import { projectRoot } from "../util/paths.js";
import type { ScaleRow } from "./scale.js";

const fact = z.strictObject({ value: z.union([z.string(), z.number(), z.null()]), note: z.string(), verified: z.boolean().optional() });
const paperScaleSchema = z.strictObject({
  method: z.string(),
  paper: z.string(),
  parameterCount: z.string(),
  rungs: z.array(z.strictObject({
    rung: z.string(),
    parameters: z.number().positive().nullable(),
    training_tokens: z.number().positive().nullable(),
    models: z.number().int().positive().nullable(),
    source: z.string(),
    verified: z.boolean(),
  })).min(1),
  tokenizer: fact,
  domains: fact,
  seeds: fact,
});
export type PaperScale = z.infer<typeof paperScaleSchema>;

/**
 * Read and check a method's `paper-scale.json`.
 *
 * @example
 * loadPaperScale("regmix").rungs[0].models; // 512
 */
export function loadPaperScale(method: "regmix" | "chameleon" | "mergemix"): PaperScale {
  const file = join(projectRoot(), "datasets", "reference", method, "paper-scale.json");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new MixlabError("PAPER_SCALE_UNREADABLE", `${file}: ${(e as Error).message}`);
  }
  const parsed = paperScaleSchema.safeParse(raw);
  if (parsed.success === false) throw new MixlabError("PAPER_SCALE_INVALID", `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

const unknown = "not verified";

/** The study's own settings for the second table (its tokenizer, domains and seeds, in words). */
export interface StudySettings {
  tokenizer: string;
  domains: number;
  seeds: string;
}

/**
 * Two tables: every rung of the paper and of the study (parameters, training tokens, tokens per
 * parameter, models), and the settings beside each other (tokenizer, domains, seeds).
 *
 * @example
 * const t = scaleComparison(loadPaperScale("regmix"), scaleRows(trainings), { tokenizer: "bytes", domains: 13, seeds: "3" });
 * t.rungs[0].side; // "paper"
 */
export function scaleComparison(paper: PaperScale, study: readonly ScaleRow[], settings: StudySettings): { rungs: Record<string, string>[]; settings: Record<string, string>[] } {
  // display strings: counts with thousands separators, ratios to 3 significant digits
  const count = (x: number | null) => (x === null ? unknown : x.toLocaleString("en-US"));
  const ratio = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3));
  const rungs = [
    ...paper.rungs.map((r) => ({
      side: "paper", rung: r.rung, parameters: count(r.parameters), "training tokens": count(r.training_tokens),
      "tokens per parameter": r.parameters !== null && r.training_tokens !== null ? ratio(r.training_tokens / r.parameters) : unknown,
      models: count(r.models), source: `${r.verified ? "" : "(not verified) "}${r.source}`,
    })),
    ...study.map((r) => ({
      side: "this study", rung: r.rung, parameters: count(r.parameters), "training tokens": count(r.training_tokens),
      "tokens per parameter": ratio(r.tokens_per_parameter), models: count(r.models), source: "scale.csv (non-embedding parameters; tokens are bytes)",
    })),
  ];
  const said = (f: PaperScale["tokenizer"]) => `${f.value === null ? unknown : f.value}${f.verified === false && f.value !== null ? " (not verified)" : ""}${f.note ? ` — ${f.note}` : ""}`;
  return {
    rungs,
    settings: [
      { setting: "tokenizer", paper: said(paper.tokenizer), "this study": settings.tokenizer },
      { setting: "domains", paper: said(paper.domains), "this study": String(settings.domains) },
      { setting: "seeds", paper: said(paper.seeds), "this study": settings.seeds },
    ],
  };
}
