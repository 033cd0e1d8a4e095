/**
 * Cutting one large JSON tree (MDN browser-compat-data's data.json, 20 MB) into documents.
 * A node whose compact JSON fits in `maxBytes` is one document; a larger node is split: its own
 * scalar fields and `__compat` block form one document, and each object-valued child is cut
 * recursively. Each document is compact JSON `{"<dotted.path>":<subtree>}`, so it is valid
 * JSON on its own and says where it came from.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface JsonDocument {
  /** dotted path of the subtree, e.g. "api.AbortController" */
  path: string;
  text: string;
}

function isPlainObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Split a JSON tree into feature documents of compact JSON (see module comment). Keys listed in
 * `skipTopLevel` (e.g. "__meta", which holds a build timestamp) are left out.
 *
 * @example
 * splitJsonTree({ api: { A: { __compat: { x: 1 } }, B: { __compat: { y: 2 } } } }, 24);
 * // [{ path: "api.A", text: '{"api.A":{"__compat":{"x":1}}}' }, { path: "api.B", text: '{"api.B":{"__compat":{"y":2}}}' }]
 */
export function splitJsonTree(root: JsonValue, maxBytes: number, skipTopLevel: string[] = []): JsonDocument[] {
  const out: JsonDocument[] = [];
  const visit = (node: JsonValue, path: string): void => {
    const text = JSON.stringify({ [path]: node });
    if (Buffer.byteLength(text, "utf8") <= maxBytes || !isPlainObject(node)) {
      out.push({ path, text });
      return;
    }
    const own: { [key: string]: JsonValue } = {};
    const children: [string, JsonValue][] = [];
    for (const [k, v] of Object.entries(node)) {
      if (k === "__compat" || !isPlainObject(v)) own[k] = v;
      else children.push([k, v]);
    }
    if (children.length === 0) {
      out.push({ path, text }); // an oversized leaf object: keep it whole (the chunker bounds it)
      return;
    }
    if (Object.keys(own).length > 0) out.push({ path, text: JSON.stringify({ [path]: own }) });
    for (const [k, v] of children) visit(v, `${path}.${k}`);
  };
  if (!isPlainObject(root)) return [{ path: "", text: JSON.stringify(root) }];
  for (const [k, v] of Object.entries(root)) if (!skipTopLevel.includes(k)) visit(v, k);
  return out;
}
