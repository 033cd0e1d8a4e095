/**
 * Reading a swarm's ratios/metrics CSVs: the join by run id (any row order), metadata columns
 * skipped, families averaged; and every bad file a named error — unjoinable ids, NaN or empty
 * values, weights not summing to 1, negative weights, no id column, duplicate runs, an unknown
 * family or target metric.
 */
import { describe, expect, it } from "vitest";
import { familyTargets, metricTargets, readSwarmCsv } from "../../kernel-lib/regression/swarm.js";

const RATIOS = [",run,name,index,web,code,math", "0,r1,swarm-0,0,0.5,0.5,0", "1,r2,swarm-1,1,0.2,0.3,0.5", "2,r3,swarm-2,2,1,0,0"].join("\n") + "\n";
// the same runs in another order, with pandas' unnamed index column
const METRICS = ["Unnamed: 0,run,name,a,b,c", "0,r3,swarm-2,1.5,2.5,9", "1,r1,swarm-0,1.0,2.0,8", "2,r2,swarm-1,3.0,4.0,7"].join("\n") + "\n";

const code = (c: string) => expect.objectContaining({ code: c });

describe("readSwarmCsv", () => {
  it("joins by run id whatever the row order and skips metadata columns", () => {
    const s = readSwarmCsv(RATIOS, METRICS);
    expect(s.runs).toEqual(["r1", "r2", "r3"]);
    expect(s.domains).toEqual(["web", "code", "math"]);
    expect(s.metrics).toEqual(["a", "b", "c"]);
    expect(Array.from(s.X)).toEqual([0.5, 0.5, 0, 0.2, 0.3, 0.5, 1, 0, 0]);
    expect(Array.from(s.values.a)).toEqual([1.0, 3.0, 1.5]);
    expect(Array.from(s.values.c)).toEqual([8, 7, 9]);
  });

  it("accepts run_id, and RegMix's index as the id", () => {
    const r = "run_id,x,y\nA,0.25,0.75\nB,1,0\n";
    const m = "run_id,loss\nB,2\nA,1\n";
    expect(Array.from(readSwarmCsv(r, m).values.loss)).toEqual([1, 2]);
    const r2 = "index,train_a,train_b\n1,0.996,0\n2,0.5,0.5\n"; // 3-decimal rounding: within 0.01
    const m2 = "index,metric/a_val_loss\n1,3.5\n2,3.25\n";
    expect(readSwarmCsv(r2, m2).domains).toEqual(["train_a", "train_b"]);
  });

  it("names unjoinable ids from both sides", () => {
    const m = METRICS.replace("r2,", "r9,");
    expect(() => readSwarmCsv(RATIOS, m)).toThrow(code("SWARM_UNJOINABLE"));
    expect(() => readSwarmCsv(RATIOS, m)).toThrow(/"r2".*"r9"/);
  });

  it("NaN or empty metric values are SWARM_NAN, text is SWARM_NOT_NUMERIC", () => {
    expect(() => readSwarmCsv(RATIOS, METRICS.replace("3.0,4.0,7", "3.0,NaN,7"))).toThrow(code("SWARM_NAN"));
    expect(() => readSwarmCsv(RATIOS, METRICS.replace("3.0,4.0,7", "3.0,,7"))).toThrow(/run "r2", column "b" is empty/);
    expect(() => readSwarmCsv(RATIOS, METRICS.replace("3.0,4.0,7", "3.0,four,7"))).toThrow(code("SWARM_NOT_NUMERIC"));
    expect(() => readSwarmCsv(RATIOS.replace("0.2,0.3,0.5", "0.2,nan,0.5"), METRICS)).toThrow(code("SWARM_NAN"));
  });

  it("weights not summing to 1 (± 0.01, Olmix's tolerance) or negative are named errors", () => {
    expect(() => readSwarmCsv(RATIOS.replace("0.2,0.3,0.5", "0.2,0.3,0.4"), METRICS)).toThrow(code("SWARM_NOT_ON_SIMPLEX"));
    expect(() => readSwarmCsv(RATIOS.replace("0.2,0.3,0.5", "0.2,0.3,0.4"), METRICS)).toThrow(/run "r2": weights sum to 0.9/);
    expect(() => readSwarmCsv(RATIOS.replace("0.2,0.3,0.5", "0.2,0.3,0.505"), METRICS)).not.toThrow();
    expect(() => readSwarmCsv(RATIOS.replace("0.2,0.3,0.5", "0.7,-0.2,0.5"), METRICS)).toThrow(code("SWARM_NEGATIVE_WEIGHT"));
  });

  it("a missing id column, duplicate runs or duplicate columns are named errors", () => {
    expect(() => readSwarmCsv("x,y\n0.5,0.5\n", METRICS)).toThrow(code("SWARM_NO_ID_COLUMN"));
    expect(() => readSwarmCsv(RATIOS + "3,r1,swarm-3,3,1,0,0\n", METRICS)).toThrow(code("SWARM_DUPLICATE_ID"));
    expect(() => readSwarmCsv("run,x,x\nr1,0.5,0.5\n", "run,a\nr1,1\n")).toThrow(code("SWARM_DUPLICATE_COLUMN"));
    expect(() => readSwarmCsv("run,name\nr1,n\n", "run,a\nr1,1\n")).toThrow(code("SWARM_NO_COLUMNS"));
  });
});

describe("familyTargets and metricTargets", () => {
  const s = readSwarmCsv(RATIOS, METRICS);

  it("a family's target is the row mean of its metrics", () => {
    const t = familyTargets(s, { ab: ["a", "b"], c: ["c"] });
    expect(t.names).toEqual(["ab", "c"]);
    expect(Array.from(t.values.ab)).toEqual([1.5, 3.5, 2.0]);
    expect(Array.from(t.values.c)).toEqual([8, 7, 9]);
  });

  it("an unknown family metric is FAMILY_UNKNOWN_METRIC, naming the family and the metric", () => {
    expect(() => familyTargets(s, { qa: ["a", "mmlu_stem"] })).toThrow(code("FAMILY_UNKNOWN_METRIC"));
    expect(() => familyTargets(s, { qa: ["a", "mmlu_stem"] })).toThrow(/family "qa".*"mmlu_stem"/);
    expect(() => familyTargets(s, { qa: [] })).toThrow(code("FAMILY_EMPTY"));
    expect(() => familyTargets(s, { qa: ["a", "a"] })).toThrow(code("FAMILY_DUPLICATE_METRIC"));
    expect(() => metricTargets(s, ["zz"])).toThrow(code("SWARM_UNKNOWN_METRIC"));
    expect(metricTargets(s).names).toEqual(["a", "b", "c"]);
  });
});
