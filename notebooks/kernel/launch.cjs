// The mixlab kernel: tslab's kernel with one change. tslab answers a failed cell with an
// execute_reply of status "error" and nothing else — the error itself goes to the cell's stderr —
// so `jupyter nbconvert --execute` and nbclient report a bare "<Error>:". Here the reply also
// carries ename / evalue / traceback taken from what the cell wrote to stderr: the first
// "SomethingError: message" line (for a MixlabError, its message names the fix, e.g. "… run `npm
// run data`") and the stderr lines as the traceback. Everything else is tslab's own code path.
// Started by the kernel spec (notebooks/kernel/spec.ts) from the project root.
"use strict";
const path = require("node:path");

const dist = path.join(process.cwd(), "node_modules", "tslab", "dist");
const jupyter = require(path.join(dist, "jupyter.js"));

/** ename / evalue / traceback from a failed cell's stderr (tslab prints the error and its stack there). */
function errorFields(stderr) {
  const lines = stderr.split("\n").map((l) => l.replace(/\s+$/, "")).filter((l) => l.length > 0);
  const named = lines.find((l) => /^[A-Za-z_$][\w$]*(?:Error|Exception):/.test(l.trim()) || /^(?:Error|Exception):/.test(l.trim()));
  if (named) {
    const t = named.trim();
    const i = t.indexOf(":");
    return { ename: t.slice(0, i), evalue: t.slice(i + 1).trim(), traceback: lines };
  }
  return { ename: "Error", evalue: lines[0] || "the cell failed without a message on stderr", traceback: lines };
}

const original = jupyter.JupyterHandlerImpl.prototype.handleExecute;
jupyter.JupyterHandlerImpl.prototype.handleExecute = async function (req, writeStream, writeDisplayData) {
  let stderr = "";
  const tap = (name, text) => {
    if (name === "stderr") stderr += text;
    return writeStream(name, text);
  };
  const reply = await original.call(this, req, tap, writeDisplayData);
  return reply && reply.status === "error" ? { ...reply, ...errorFields(stderr) } : reply;
};

module.exports = { errorFields };
if (require.main === module) require(path.join(dist, "main.js")).main();
