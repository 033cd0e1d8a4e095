#!/usr/bin/env node
// Entry point for `npx mixlab …`: run the TypeScript CLI through tsx (no build step).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const res = spawnSync(tsx, [join(root, "kernel-lib", "cli", "main.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(res.status ?? 1);
