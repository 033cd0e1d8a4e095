/**
 * `mixlab chameleon weights` — Chameleon leverage scores and pretraining / finetuning weights
 * from a CSV of domain embeddings or a CSV affinity matrix. A thin caller of
 * `kernel-lib/chameleon` (`chameleonWeights`).
 *
 *   mixlab chameleon weights --embeddings X.csv [--lambda 10 --tau-pt 5 --tau-ft 0.2] [--out F]
 *   mixlab chameleon weights --kernel K.csv     [...]
 *
 * X.csv: header `domain,<e1>,…,<ed>`, one row per domain. K.csv: header `domain,<d1>,…,<dk>`
 * (or `row_domain,…`), k rows whose first cells name the same domains in the same order.
 * Prints `domain,leverage,pt_weight,ft_weight` (leverage normalised to sum 1) to stdout and, with
 * `--out`, writes the same CSV atomically. Bad input → `error[CODE]: …` on stderr, exit 2.
 */
import { existsSync, readFileSync } from "node:fs";
import { numberFlag, parseCommandArgs } from "../args.js";
import { chameleonWeights, CHAMELEON_DEFAULTS, pretrainingWeights, ptTemperatureForRatio, type ChameleonOptions, type ChameleonResult } from "../../chameleon/index.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { parseCsv, toCsv } from "../../util/csv.js";
import { isMixlabError, MixlabError } from "../../util/errors.js";

const USAGE = `usage: mixlab chameleon weights (--embeddings X.csv | --kernel K.csv)
         [--lambda ${CHAMELEON_DEFAULTS.lambda}] [--tau-pt ${CHAMELEON_DEFAULTS.tauPt}] [--tau-ft ${CHAMELEON_DEFAULTS.tauFt}] [--pt-weight-ratio R] [--out FILE]
  X.csv: domain,<e1>,...,<ed>   one row per domain (its embedding)
  K.csv: domain,<d1>,...,<dk>   k x k affinity matrix (first column may be row_domain)
  prints: domain,leverage,pt_weight,ft_weight
  --pt-weight-ratio R  adds pt_weight_fitted: τ_pt fitted so max/min weight = R (mixlab's option, not the
                       official method; the official example's ratio is 4.08), beside pt_weight at --tau-pt`;

/** A CSV whose first column holds domain names and whose other cells are numbers. */
export interface LabelledMatrix {
  /** Header of the first column (`domain` or `row_domain`). */
  labelColumn: string;
  /** Headers of the numeric columns. */
  columns: string[];
  /** First cell of each row. */
  domains: string[];
  /** Numeric part, rows × columns. */
  rows: Float64Array[];
}

/**
 * Parse a labelled numeric CSV: first column `domain` (or one of `labelNames`), the rest finite
 * numbers. Errors: `CSV_EMPTY`, `CSV_MALFORMED`, `CSV_MISSING_COLUMN`, `CSV_NOT_NUMERIC`.
 *
 * @example
 * readLabelledMatrix("domain,x\na,1\nb,2\n", "X.csv").rows; // [[1], [2]]
 */
export function readLabelledMatrix(text: string, source: string, labelNames: readonly string[] = ["domain"]): LabelledMatrix {
  const { header, rows } = parseCsv(text, source);
  if (!labelNames.includes(header[0])) {
    throw new MixlabError("CSV_MISSING_COLUMN", `${source}: first column must be ${labelNames.map((n) => `"${n}"`).join(" or ")}, got "${header[0]}"`);
  }
  if (header.length < 2) throw new MixlabError("CSV_MALFORMED", `${source}: no numeric columns after "${header[0]}"`);
  if (rows.length === 0) throw new MixlabError("CSV_EMPTY", `${source}: header but no data rows`);
  return {
    labelColumn: header[0],
    columns: header.slice(1),
    domains: rows.map((r) => r[0].trim()),
    rows: rows.map((r, i) =>
      Float64Array.from(r.slice(1), (cell, j) => {
        const v = cell.trim() === "" ? NaN : Number(cell);
        if (!Number.isFinite(v)) {
          throw new MixlabError("CSV_NOT_NUMERIC", `${source}: row ${i + 1} (${r[0]}), column "${header[j + 1]}": "${cell}" is not a finite number`);
        }
        return v;
      }),
    ),
  };
}

function readText(path: string): string {
  if (!existsSync(path)) throw new MixlabError("FILE_NOT_FOUND", `${path}: no such file`);
  return readFileSync(path, "utf8");
}

async function weights(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      embeddings: { type: "string" },
      kernel: { type: "string" },
      lambda: { type: "string" },
      "tau-pt": { type: "string" },
      "tau-ft": { type: "string" },
      "pt-weight-ratio": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }, USAGE);
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const embeddingsPath = values.embeddings as string | undefined;
  const kernelPath = values.kernel as string | undefined;
  if ((embeddingsPath === undefined) === (kernelPath === undefined)) {
    throw new MixlabError("BAD_ARGS", `give exactly one of --embeddings or --kernel\n${USAGE}`);
  }
  const opts: ChameleonOptions = {
    lambda: numberFlag(values.lambda as string | undefined, "--lambda", CHAMELEON_DEFAULTS.lambda),
    tauPt: numberFlag(values["tau-pt"] as string | undefined, "--tau-pt", CHAMELEON_DEFAULTS.tauPt),
    tauFt: numberFlag(values["tau-ft"] as string | undefined, "--tau-ft", CHAMELEON_DEFAULTS.tauFt),
  };

  let result: ChameleonResult;
  if (embeddingsPath !== undefined) {
    const X = readLabelledMatrix(readText(embeddingsPath), embeddingsPath, ["domain"]);
    result = chameleonWeights({ domains: X.domains, embeddings: X.rows }, opts);
  } else {
    const path = kernelPath as string;
    const K = readLabelledMatrix(readText(path), path, ["domain", "row_domain"]);
    if (K.columns.length !== K.domains.length) {
      throw new MixlabError("KERNEL_NOT_SQUARE", `${path}: ${K.domains.length} rows but ${K.columns.length} matrix columns`);
    }
    K.columns.forEach((c, j) => {
      if (c !== K.domains[j]) {
        throw new MixlabError("KERNEL_LABEL_MISMATCH", `${path}: column ${j + 1} is "${c}" but row ${j + 1} is "${K.domains[j]}"; rows and columns must name the same domains in the same order`);
      }
    });
    result = chameleonWeights({ domains: K.domains, kernel: K.rows }, opts);
  }

  let fitted: Float64Array | undefined;
  if (values["pt-weight-ratio"] !== undefined) {
    const ratio = numberFlag(values["pt-weight-ratio"] as string, "--pt-weight-ratio", NaN);
    const tau = ptTemperatureForRatio(result.leverage, ratio, result.options.epsilon);
    fitted = Float64Array.from(pretrainingWeights(result.leverage, { tau, epsilon: result.options.epsilon }));
    process.stderr.write(`fitted τ_pt = ${tau} (max/min pretraining weight ${ratio}); official τ_pt = ${result.options.tauPt}\n`);
  }
  const csv = toCsv(
    ["domain", "leverage", "pt_weight", "ft_weight", ...(fitted ? ["pt_weight_fitted"] : [])],
    result.domains.map((d, i) => [d, result.leverage[i], result.ptWeights[i], result.ftWeights[i], ...(fitted ? [fitted[i]] : [])]),
  );
  process.stdout.write(csv);
  if (values.out !== undefined) writeFileAtomic(values.out as string, csv);
  return 0;
}

/**
 * Entry point: `run(["weights", ...flags])` → exit code. A `MixlabError` (bad flags, unreadable
 * or malformed CSV, invalid kernel) is printed as `error[CODE]: message` and returns 2, so the
 * command behaves the same whether called from `main` or directly.
 *
 * @example
 * await run(["weights", "--kernel", "datasets/reference/chameleon/pipeline_figure_affinity_matrix.csv"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      (sub === undefined ? process.stderr : process.stdout).write(USAGE + "\n");
      return sub === undefined ? 2 : 0;
    }
    if (sub !== "weights") throw new MixlabError("UNKNOWN_SUBCOMMAND", `no chameleon subcommand "${sub}" (have: weights)\n${USAGE}`);
    return await weights(rest);
  } catch (e) {
    if (isMixlabError(e)) {
      process.stderr.write(`error[${e.code}]: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
