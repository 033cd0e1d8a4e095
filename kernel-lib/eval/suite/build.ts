/**
 * The suite: which tasks to build (a plain config), built deterministically from a seed and
 * one role's part of the corpus's held-out test split (roles.ts: the items a method chooses
 * with and the items a comparison judges with never overlap), plus the capability grouping used
 * to score it. Tasks and capabilities follow each domain's kind (kernel-lib/data/kind.ts), so a
 * corpus with other domains gets a suite without code changes.
 *
 * Items are built from text: a byte corpus's split files themselves, a token corpus's documents
 * decoded by its tokenizer (`splitText`, data/corpus-text.ts), so on either the builders see UTF-8
 * text with documents separated by byte 0 and every size limit is in UTF-8 bytes of that text
 * (tasks/options.ts). On a token corpus every item then also carries its token ids
 * (`ChoiceItem.tokens`, tokens.ts), which is what a model of that corpus is scored on. On a byte
 * corpus nothing of this applies: the items, their order and their seeds are the byte path's.
 */
import { corpusTokenizer, splitText, type TextCorpus } from "../../data/corpus-text.js";
import { domainKinds, type DomainKind } from "../../data/kind.js";
import { MixlabError } from "../../util/errors.js";
import { createRng, deriveSeed } from "../../util/rng.js";
import { capabilityOf, kindCapabilities, type CapabilityMap } from "./capabilities.js";
import { generatedSource, roleParts, roleSource, SUITE_ROLES, type SuiteRole, type TaskSource } from "./roles.js";
import { buildCodeLineTask } from "./tasks/code-line.js";
import { buildContinuationTask } from "./tasks/continuation.js";
import { buildDefinitionWordTask } from "./tasks/definition-word.js";
import { buildMathAnswerTask } from "./tasks/math-answer.js";
import { buildNextSegmentTask } from "./tasks/next-segment.js";
import { DEFAULT_TEXT_TASK_OPTIONS, type TextTaskOptions } from "./tasks/options.js";
import { withItemTokens } from "./tokens.js";
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
  /** which part of every domain's test split the items come from: "choose" to pick a mixture with, "judge" to evaluate the pick */
  role: SuiteRole;
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
  role: SuiteRole;
  tasks: ChoiceTask[];
  capabilities: CapabilityMap;
}

/** What the suite reads of a corpus: its splits, and for a token corpus also its directory (the tokenizer), manifest and ids. */
export type SuiteCorpus = TextCorpus;

/**
 * The default task list for domains of the given kinds: for every domain, cross-domain
 * continuation choice (its text's true continuation against passages of other domains); for
 * structured (JSON-like) domains, also next-field choice. These are the designs that tell
 * models trained on different mixtures apart at the tiny scale (bench/suite-reliability.ts, 16
 * tiny models: split-half reliability 0.96–0.99 and accuracy spreads of 18–82 points per
 * capability); the within-domain designs (next sentence, next code line, definition → word,
 * math answers with near-miss distractors) stay within a few points of chance for every such
 * model and remain available as explicit task specs.
 *
 * @example
 * defaultTaskSpecs(domainKinds(corpus)).map((t) => t.name); // ["continue_books", …, "nextfield_structured_json", …]
 */
export function defaultTaskSpecs(kinds: Readonly<Record<string, DomainKind>>): TaskSpec[] {
  const specs: TaskSpec[] = [];
  for (const [d, kind] of Object.entries(kinds)) {
    specs.push({ name: `continue_${d}`, kind: "continuation", domain: d });
    if (kind === "structured") specs.push({ name: `nextfield_${d}`, kind: "json_field", domain: d });
  }
  return specs;
}

/**
 * A full suite config for a corpus, with overrides (e.g. fewer items for a quick profile). The
 * default tasks and capabilities come from the domains' kinds; the default role is "judge".
 *
 * @example
 * suiteConfig(corpus, { seed: 7, role: "choose", defaults: { ...DEFAULT_TEXT_TASK_OPTIONS, items: 24 } });
 */
export function suiteConfig(corpus: SuiteCorpus, overrides: Partial<SuiteConfig> = {}): SuiteConfig {
  const kinds = overrides.tasks && overrides.capabilities ? null : domainKinds(corpus);
  const role = overrides.role ?? "judge";
  if (!SUITE_ROLES.includes(role)) throw new MixlabError("SUITE_BAD_CONFIG", `role must be one of ${SUITE_ROLES.join(", ")}, got "${String(role)}"`);
  return {
    seed: overrides.seed ?? 0,
    role,
    tasks: overrides.tasks ?? defaultTaskSpecs(kinds!),
    capabilities: overrides.capabilities ?? kindCapabilities(kinds!),
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
 * Build every task of a config from the config's role's part of the corpus's test split (its
 * text: see the module comment). Each task draws from its own stream `deriveSeed(seed, name)`, so
 * adding or removing a task does not change the others. On a token corpus the items carry their
 * token ids; a corpus whose tokenizer is missing, unloadable or not the manifest's is an error
 * (CORPUS_TOKENIZER_MISSING / _BAD / _MISMATCH) before anything is built.
 *
 * @example
 * const choose = buildSuite(loadCorpus(fixtureCorpusDir()), { seed: 1, role: "choose" });
 * const judge = buildSuite(loadCorpus(fixtureCorpusDir()), { seed: 1, role: "judge" }); // no item in common
 * judge.tasks.map((t) => [t.name, t.items.length, t.chance]);
 */
export function buildSuite(corpus: SuiteCorpus, overrides: Partial<SuiteConfig> = {}): Suite {
  const tokenizer = corpusTokenizer(corpus); // null on a byte corpus
  const cfg = suiteConfig(corpus, overrides);
  const parts = new Map<string, ReturnType<typeof roleParts>>();
  const partsOf = (domain: string) => {
    let p = parts.get(domain);
    if (!p) { p = roleParts(splitText(corpus, domain, "test")); parts.set(domain, p); }
    return p;
  };
  const source = (domain: string): TaskSource => roleSource(partsOf(domain), cfg.role);
  const names = new Set<string>();
  const tasks = cfg.tasks.map((spec) => {
    if (names.has(spec.name)) throw new MixlabError("SUITE_BAD_CONFIG", `duplicate task name "${spec.name}"`);
    names.add(spec.name);
    const { name, kind, domain, ...sizes } = spec;
    const opts: TextTaskOptions = { ...cfg.defaults, ...sizes, ...cfg.taskOverrides[name] };
    checkOptions(name, opts);
    const rng = createRng(deriveSeed(cfg.seed, `suite-task:${name}`));
    switch (kind) {
      case "continuation":
        return buildContinuationTask(source(domain), corpus.domains.filter((d) => d !== domain).map((d) => ({ domain: d, bytes: partsOf(d)[cfg.role] })), name, domain, opts, rng);
      case "next_segment":
        return buildNextSegmentTask(source(domain), name, domain, opts, rng);
      case "json_field":
        return buildNextSegmentTask(source(domain), name, domain, opts, rng, "json");
      case "code_line":
        return buildCodeLineTask(source(domain), name, domain, opts, rng);
      case "definition_word":
        return buildDefinitionWordTask(source(domain), name, domain, opts, rng);
      case "math_answer":
        return buildMathAnswerTask(generatedSource(cfg.role), name, opts, rng);
      default:
        throw new MixlabError("SUITE_BAD_CONFIG", `task ${name}: unknown kind "${String(kind)}"`);
    }
  });
  return { seed: cfg.seed, role: cfg.role, tasks: tokenizer ? withItemTokens(tasks, tokenizer) : tasks, capabilities: cfg.capabilities };
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
