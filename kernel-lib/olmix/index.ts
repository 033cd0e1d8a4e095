/**
 * Olmix (Chen et al., 2026, "Olmix: A Framework for Data Mixing Throughout LM Development"):
 * the exact proposer for the log-linear mixing law, and its public DCLM swarm. The law and its
 * fit are method-independent (kernel-lib/regression/log-linear.ts); see README.md for the step
 * table.
 */
export { proposeExact, asLogLinear, EXACT_DEFAULTS, PRIOR_FLOOR, type ExactOptions, type ExactProposal } from "./exact.js";
export { minimiseOnCappedSimplex, BARRIER_DEFAULTS, type BarrierOptions, type BarrierResult, type ConvexObjective } from "./simplex-barrier.js";
export { loadOlmixDclmSwarm, olmixReferenceDir, type OlmixDclmSwarm } from "./released.js";
