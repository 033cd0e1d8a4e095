/**
 * Every experiment kind mixlab knows. To add one: write `kinds/<name>.ts` exporting an
 * `ExperimentKind` (see `../kind.ts`), import it here and append it to the list.
 */
import type { AnyExperimentKind } from "../kind.js";
import { bigramSweep } from "./bigram-sweep.js";
import { proxySweep } from "./proxy-sweep.js";
import { CHAMELEON_KINDS } from "./chameleon.js";
import { mergeMix } from "./mergemix.js";
import { mergeMixStudy } from "./mergemix-study.js";
import { regmixMini } from "./regmix-mini.js";
import { regmixStudy } from "./regmix-study.js";
import { chameleonStudy } from "./chameleon-study.js";
import { compare } from "./compare.js";

export const BUILTIN_KINDS: readonly AnyExperimentKind[] = [proxySweep, bigramSweep, ...CHAMELEON_KINDS, regmixMini, regmixStudy, chameleonStudy, mergeMix, mergeMixStudy, compare];
