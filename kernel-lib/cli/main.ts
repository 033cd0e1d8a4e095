/**
 * `mixlab <command> [...]` — the one CLI. Each command lives in its own file under
 * `kernel-lib/cli/commands/<name>.ts` and exports `run(argv): Promise<number>` (the exit code),
 * so the CLI stays a thin caller of kernel-lib functions.
 *
 * Exit codes: 0 ok, 1 internal error (a bug), 2 bad input (a `MixlabError`: the message names
 * the problem).
 */
import { isMixlabError } from "../util/errors.js";

export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

/** Command name → [module loader, one-line help]. */
const COMMANDS: Record<string, [() => Promise<CommandModule>, string]> = {
  demo: [() => import("./commands/demo.js"), "build the corpus if absent, train a tiny proxy, print per-domain tables"],
  data: [() => import("./commands/data.js"), "build the default corpus (same as `npm run data`); data import … — your own documents"],
  mixture: [() => import("./commands/mixture.js"), "mixture export SRC --format json|csv|regmix-yaml|megatron|nanogpt — the mixture to your trainer"],
  regmix: [() => import("./commands/regmix.js"), "regmix fit|propose|choose … — RegMix's sampler, regression and choice on any runs"],
  chameleon: [() => import("./commands/chameleon.js"), "chameleon weights … — leverage scores and PT/FT weights"],
  mergemix: [() => import("./commands/mergemix.js"), "mergemix propose|merge|search … — seed weights, safetensors merges, surrogate search"],
  run: [() => import("./commands/run.js"), "run experiments/X.json [--profile ci|full] [--out DIR] [--workers N]"],
  "run-task": [() => import("./commands/run-task.js"), "run-task RESULTS_DIR INDEX — one run of a sweep (Slurm array task)"],
  report: [() => import("./commands/report.js"), "report RESULTS_DIR — rebuild report.md from stored runs"],
  verify: [() => import("./commands/verify.js"), "verify RESULTS_DIR --retrain N — retrain N runs in a scratch copy, compare with the store"],
  doctor: [() => import("./commands/doctor.js"), "print backend, adapter and a 10-step throughput figure"],
};

function usage(): string {
  const lines = ["usage: mixlab <command> [options]", "", "commands:"];
  for (const [name, [, help]] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${help}`);
  return lines.join("\n");
}

/**
 * Run the CLI with `argv` (without node and script) and return the exit code.
 *
 * @example
 * await main(["chameleon", "weights", "--kernel", "K.csv"]); // 0
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`error[UNKNOWN_COMMAND]: no command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    // kinds defined outside kernel-lib; loaded only when asked (the registry imports every kind)
    if (process.env.MIXLAB_KIND_MODULES) await (await import("../experiment/registry.js")).loadKindModules();
    const mod = await entry[0]();
    return await mod.run(rest);
  } catch (e) {
    if (isMixlabError(e)) {
      console.error(`error[${e.code}]: ${e.message}`);
      return 2;
    }
    console.error(e instanceof Error ? e.stack ?? e.message : String(e));
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /kernel-lib[\\/]cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
