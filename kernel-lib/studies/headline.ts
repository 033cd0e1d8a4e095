/**
 * The README's headline table: every claim of the three committed studies with its verdict, its
 * value with interval and the study's scale, linking the notebooks — generated from the stores'
 * `verdicts.csv` and `scale.csv`, so the README says what the committed numbers say.
 * `bin/readme-headline.ts` writes it between the markers; a test checks the README's block equals
 * `headlineBlock()` of the committed files.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "../util/csv.js";
import { MixlabError } from "../util/errors.js";
import { projectRoot } from "../util/paths.js";

export const HEADLINE_BEGIN = "<!-- headline: generated from results/studies/*/verdicts.csv by `npm run readme:headline`; do not edit by hand -->";
export const HEADLINE_END = "<!-- /headline -->";

/** The studies in the README's order, with the notebook that explains each. */
export const HEADLINE_STUDIES = [
  { name: "RegMix", store: "results/studies/regmix", notebook: "notebooks/01-regmix.ipynb" },
  { name: "Chameleon", store: "results/studies/chameleon", notebook: "notebooks/02-chameleon.ipynb" },
  { name: "MergeMix", store: "results/studies/mergemix", notebook: "notebooks/03-mergemix.ipynb" },
] as const;

/** A value cell's longest length before it is cut at a separator (the full text is in verdicts.csv). */
const MAX_VALUE = 200;

const column = (header: string[], name: string, file: string): number => {
  const i = header.findIndex((h) => h === name);
  if (i < 0) throw new MixlabError("HEADLINE_BAD_CSV", `${file}: no column "${name}" (has: ${header.join(", ")})`);
  return i;
};

/** "1.2M", "445k", "512": a count in three significant digits. */
function compact(x: number): string {
  if (x >= 1e9) return `${Number((x / 1e9).toPrecision(3))}B`;
  if (x >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (x >= 1e3) return `${Number((x / 1e3).toPrecision(3))}k`;
  return String(x);
}

/**
 * A study's scale in one phrase, from its `scale.csv`.
 *
 * @example
 * studyScale("rung,parameters,training_tokens,tokens_per_parameter,models\nx,100096,512000,5.1,368\n"); // "368 models: 100k params, 512k bytes"
 */
export function studyScale(scaleCsv: string, file = "scale.csv"): string {
  const t = parseCsv(scaleCsv, file);
  const [p, tok, m] = ["parameters", "training_tokens", "models"].map((c) => column(t.header, c, file));
  const params = t.rows.map((r) => Number(r[p])), tokens = t.rows.map((r) => Number(r[tok]));
  const models = t.rows.reduce((s, r) => s + Number(r[m]), 0);
  const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? compact(xs[0]) : `${compact(Math.min(...xs))}–${compact(Math.max(...xs))}`);
  return `${models} models: ${range(params)} params, ${range(tokens)} bytes`;
}

/**
 * A value cell: the step-level annotations "(97.5 %, Holm p = 0.43)" left to verdicts.csv, and a
 * long value cut at a "; " or ". " boundary.
 *
 * @example
 * headlineValue("vs a: 0.1 [0.0, 0.2] (97.5 %, Holm p = 0.43)"); // "vs a: 0.1 [0.0, 0.2]"
 */
export function headlineValue(value: string): string {
  const v = value.replace(/ \((?:\d+(?:\.\d+)? %)(?:, Holm p = [^)]*)?\)/g, "").trim();
  if (v.length <= MAX_VALUE) return v;
  const cuts = [...v.slice(0, MAX_VALUE).matchAll(/[;.] /g)].map((x) => x.index!);
  const at = cuts.length ? cuts[cuts.length - 1] : MAX_VALUE;
  return `${v.slice(0, at)} …`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * The markdown block, markers included, from the committed stores under `root`.
 *
 * @example
 * readFileSync("README.md", "utf8").includes(headlineBlock()); // true when the README is current
 */
export function headlineBlock(root = projectRoot()): string {
  const lines = [
    HEADLINE_BEGIN,
    "| study | claim | verdict | value [interval] | scale |",
    "|---|---|---|---|---|",
  ];
  for (const s of HEADLINE_STUDIES) {
    const file = join(s.store, "verdicts.csv");
    const t = parseCsv(readFileSync(join(root, file), "utf8"), file);
    const [c, v, val] = ["claim", "verdict", "value [interval]"].map((n) => column(t.header, n, file));
    const scale = studyScale(readFileSync(join(root, s.store, "scale.csv"), "utf8"), join(s.store, "scale.csv"));
    for (const r of t.rows) lines.push(`| [${s.name}](${s.notebook}) | ${cell(r[c])} | **${cell(r[v])}** | ${cell(headlineValue(r[val]))} | ${scale} |`);
  }
  lines.push("", "Multi-comparison claims are Holm-corrected, and their intervals are at each comparison's Holm step level; the noise ceilings, threshold sensitivity, outlier flags and the cut values are in each store's `verdicts.csv` and `report.md`. Parameters are non-embedding; a token is a byte.", HEADLINE_END);
  return lines.join("\n");
}

/**
 * The README with its headline block replaced by `block` (the markers must be there once).
 *
 * @example
 * spliceHeadline(readme, headlineBlock());
 */
export function spliceHeadline(readme: string, block: string): string {
  const a = readme.indexOf(HEADLINE_BEGIN), b = readme.indexOf(HEADLINE_END);
  if (a < 0 || b < a || readme.indexOf(HEADLINE_BEGIN, a + 1) >= 0) throw new MixlabError("HEADLINE_NO_MARKERS", `the README needs the headline markers once, in order: ${HEADLINE_BEGIN} … ${HEADLINE_END}`);
  return readme.slice(0, a) + block + readme.slice(b + HEADLINE_END.length);
}
