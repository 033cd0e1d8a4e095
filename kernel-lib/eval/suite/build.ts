/**
 * The suite: which tasks to build (a plain config), built deterministically from a seed and
 * the corpus's held-out test split, plus the capability grouping used to score it.
 */
import type { Corpus } from "../../data/corpus.js";
import { MixlabError } from "../../util/errors.js";
import { createRng, deriveSeed } from "../../util/rng.js";
import { capabilityOf, DEFAULT_CAPABILITIES, type CapabilityMap } from "./capabilities.js";
import { buildCodeLineTask } from "./tasks/code-line.js";
import { buildDefinitionWordTask } from "./tasks/definition-word.js";
import { buildMathAnswerTask } from "./tasks/math-answer.js";
import { buildNextSegmentTask } from "./tasks/next-segment.js";
import { DEFAULT_TEXT_TASK_OPTIONS, type TextTaskOptions } from "./tasks/options.js";
import type { ChoiceTask, TaskKind } from "./types.js";

/** One task to build: its kind, its domain and any size option that differs from the suite's. */
export interface TaskSpec extends Partial<TextTaskOptions> {
  name: string;
  kind: TaskKind;
  /** corpus domain ("math" for the generated math task, which needs no corpus text) */
  domain: string;
}

/** Everything that determines a suite. Same config + same corpus → byte-identical items. */
export interface SuiteConfig {
  seed: number;
  tasks: TaskSpec[];
  capabilities: CapabilityMap;
  /** size options every task uses unless its spec overrides them */
  defaults: TextTaskOptions;
  /** task name → size options that replace the defaults and the spec's (e.g. a longer math context) */
  taskOverrides: Readonly<Record<string, Partial<TextTaskOptions>>>;
}

/** A built suite. */
export interface Suite {
  seed: number;
  tasks: ChoiceTask[];
  capabilities: CapabilityMap;
}

const PROSE = ["books", "speeches", "email", "legal", "encyclopedic", "multilingual", "math_docs"];
const CODE = ["code_ts_js", "code_python", "code_c"];

/**
 * The default task list for the given corpus domains: next-sentence choice for the prose-like
 * domains, next-line choice for code, next-field choice for (minified) JSON, definition → word for the dictionary, and the
 * generated math answer choice (always). Domains the corpus lacks are left out.
 *
 * @example
 * defaultTaskSpecs(corpus.domains).map((t) => t.name); // ["cloze_books", …, "math_answer"]
 */
export function defaultTaskSpecs(domains: readonly string[]): TaskSpec[] {
  const has = new Set(domains);
  const specs: TaskSpec[] = [];
  for (const d of PROSE) if (has.has(d)) specs.push({ name: `cloze_${d}`, kind: "next_segment", domain: d });
  for (const d of CODE) if (has.has(d)) specs.push({ name: `nextline_${d}`, kind: "code_line", domain: d });
  if (has.has("structured_json")) specs.push({ name: "nextfield_structured_json", kind: "json_field", domain: "structured_json" });
  if (has.has("dictionary")) specs.push({ name: "dictionary_word", kind: "definition_word", domain: "dictionary" });
  specs.push({ name: "math_answer", kind: "math_answer", domain: "math" });
  return specs;
}

/**
 * A full suite config for a corpus, with overrides (e.g. fewer items for a quick profile).
 *
 * @example
 * suiteConfig(corpus, { seed: 7, defaults: { ...DEFAULT_TEXT_TASK_OPTIONS, items: 24 } });
 */
export function suiteConfig(corpus: Pick<Corpus, "domains">, overrides: Partial<SuiteConfig> = {}): SuiteConfig {
  return {
    seed: overrides.seed ?? 0,
    tasks: overrides.tasks ?? defaultTaskSpecs(corpus.domains),
    capabilities: overrides.capabilities ?? DEFAULT_CAPABILITIES,
    defaults: { ...DEFAULT_TEXT_TASK_OPTIONS, ...overrides.defaults },
    taskOverrides: overrides.taskOverrides ?? {},
  };
}

function checkOptions(name: string, o: TextTaskOptions): void {
  for (const k of Object.keys(DEFAULT_TEXT_TASK_OPTIONS) as (keyof TextTaskOptions)[]) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new MixlabError("SUITE_BAD_CONFIG", `task ${name}: ${k} must be a positive integer, got ${o[k]}`);
  }
  if (o.numChoices < 2) throw new MixlabError("SUITE_BAD_CONFIG", `task ${name}: numChoices must be ≥ 2, got ${o.numChoices}`);
}

/**
 * Build every task of a config from the corpus's test split. Each task draws from its own
 * stream `deriveSeed(seed, name)`, so adding or removing a task does not change the others.
 *
 * @example
 * const suite = buildSuite(loadCorpus(fixtureCorpusDir()), { seed: 1 });
 * suite.tasks.map((t) => [t.name, t.items.length, t.chance]);
 */
export function buildSuite(corpus: Corpus, overrides: Partial<SuiteConfig> = {}): Suite {
  const cfg = suiteConfig(corpus, overrides);
  const names = new Set<string>();
  const tasks = cfg.tasks.map((spec) => {
    if (names.has(spec.name)) throw new MixlabError("SUITE_BAD_CONFIG", `duplicate task name "${spec.name}"`);
    names.add(spec.name);
    const { name, kind, domain, ...sizes } = spec;
    const opts: TextTaskOptions = { ...cfg.defaults, ...sizes, ...cfg.taskOverrides[name] };
    checkOptions(name, opts);
    const rng = createRng(deriveSeed(cfg.seed, `suite-task:${name}`));
    switch (kind) {
      case "next_segment":
        return buildNextSegmentTask(corpus.split(domain, "test"), name, domain, opts, rng);
      case "json_field":
        return buildNextSegmentTask(corpus.split(domain, "test"), name, domain, opts, rng, "json");
      case "code_line":
        return buildCodeLineTask(corpus.split(domain, "test"), name, domain, opts, rng);
      case "definition_word":
        return buildDefinitionWordTask(corpus.split(domain, "test"), name, domain, opts, rng);
      case "math_answer":
        return buildMathAnswerTask(name, opts, rng);
      default:
        throw new MixlabError("SUITE_BAD_CONFIG", `task ${name}: unknown kind "${String(kind)}"`);
    }
  });
  return { seed: cfg.seed, tasks, capabilities: cfg.capabilities };
}

/** One row of the suite's description table. */
export interface TaskSummary {
  task: string;
  kind: TaskKind;
  domain: string;
  capability: string;
  items: number;
  numChoices: number;
  chance: number;
}

/**
 * A table of the suite's tasks with their capability and chance level.
 *
 * @example
 * console.table(describeSuite(suite));
 */
export function describeSuite(suite: Suite): TaskSummary[] {
  return suite.tasks.map((t) => ({
    task: t.name, kind: t.kind, domain: t.domain,
    capability: capabilityOf(t, suite.capabilities) ?? "(none)",
    items: t.items.length, numChoices: t.numChoices, chance: t.chance,
  }));
}
