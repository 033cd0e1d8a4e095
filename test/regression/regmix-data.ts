/**
 * Test helper: the RegMix released 1M runs (datasets/reference/regmix) as design matrices.
 * Not a test file itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseNumericCsv, type NumericTable } from "../../kernel-lib/util/csv.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";

export const REGMIX_DIR = join(projectRoot(), "datasets", "reference", "regmix");

export function loadTable(file: string): NumericTable {
  return parseNumericCsv(readFileSync(join(REGMIX_DIR, file), "utf8"), file);
}

export function loadJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(REGMIX_DIR, file), "utf8")) as T;
}

/** Mixture rows without the `index` column. */
export function mixtures(t: NumericTable): Float64Array[] {
  const skip = t.columns.indexOf("index");
  return t.rows.map((r) => Float64Array.from(r.filter((_, j) => j !== skip)));
}

export function columnOf(t: NumericTable, name: string): Float64Array {
  const j = t.columns.indexOf(name);
  if (j < 0) throw new Error(`no column ${name}`);
  return Float64Array.from(t.rows, (r) => r[j]);
}

/** The 1M train/test split at the RegMix repo's HEAD. */
export function headSplit() {
  const trainMix = loadTable("train_mixture_1m.csv");
  const trainLoss = loadTable("train_pile_loss_1m.csv");
  const testMix = loadTable("test_mixture_1m.csv");
  const testLoss = loadTable("test_pile_loss_1m.csv");
  return {
    X: mixtures(trainMix),
    Xt: mixtures(testMix),
    y: (domain: string) => columnOf(trainLoss, `metric/the_pile_${domain}_val_loss`),
    yt: (domain: string) => columnOf(testLoss, `metric/the_pile_${domain}_val_loss`),
  };
}
