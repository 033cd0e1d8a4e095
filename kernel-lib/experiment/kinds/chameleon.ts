/**
 * The Chameleon experiment kinds, listed once so `kinds/index.ts` registers them in one entry.
 */
import { chameleonFinetune } from "./chameleon-finetune.js";
import { chameleonTransfer } from "./chameleon-transfer.js";

export const CHAMELEON_KINDS = [chameleonTransfer, chameleonFinetune] as const;
