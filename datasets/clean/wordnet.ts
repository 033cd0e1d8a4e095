/**
 * WordNet data files (`dict/data.{noun,verb,adj,adv}`) → readable dictionary lines
 * "word, other word (pos): definition; "example"". One synset per line; the licence header lines
 * (starting with two spaces) are skipped.
 *
 * Line format (wndb(5)): offset lex_filenum ss_type w_cnt(2 hex digits) [word lex_id]×w_cnt
 * p_cnt(3 decimal digits) [ptr_symbol offset pos source/target]×p_cnt [frames…] | gloss
 */

const POS_NAMES: Record<string, string> = { n: "noun", v: "verb", a: "adj", s: "adj", r: "adv" };

export interface WordnetSynset {
  words: string[];
  pos: string;
  gloss: string;
}

/**
 * Parse one data-file line; `undefined` for header/blank lines. Words have underscores turned
 * into spaces and adjective markers such as "(p)" removed; the word count is read as hex.
 *
 * @example
 * parseWordnetLine("00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04431553 n 0000 | that which is perceived");
 * // { words: ["entity"], pos: "noun", gloss: "that which is perceived" }
 */
export function parseWordnetLine(line: string): WordnetSynset | undefined {
  if (!/^\d{8} /.test(line)) return undefined;
  const bar = line.indexOf(" | ");
  const fields = (bar >= 0 ? line.slice(0, bar) : line).trim().split(/\s+/);
  const gloss = bar >= 0 ? line.slice(bar + 3).trim() : "";
  const pos = POS_NAMES[fields[2]];
  const count = parseInt(fields[3], 16);
  if (!pos || !Number.isFinite(count)) return undefined;
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const w = fields[4 + 2 * i];
    if (w === undefined) break;
    words.push(w.replace(/\([a-z]+\)$/, "").replace(/_/g, " "));
  }
  return { words, pos, gloss };
}

/**
 * Render a synset as one dictionary line.
 *
 * @example
 * formatSynset({ words: ["dog", "domestic dog"], pos: "noun", gloss: "a domesticated canid; \"the dog barked\"" });
 * // 'dog, domestic dog (noun): a domesticated canid; "the dog barked"'
 */
export function formatSynset(s: WordnetSynset): string {
  return `${s.words.join(", ")} (${s.pos}): ${s.gloss}`;
}

/**
 * A whole data file → one line per synset, in file order.
 *
 * @example
 * wordnetToText(readFileSync("dict/data.adv", "utf8")).split("\n")[0]; // "a cappella (adv): without musical accompaniment; …"
 */
export function wordnetToText(data: string): string {
  const out: string[] = [];
  for (const line of data.split("\n")) {
    const s = parseWordnetLine(line);
    if (s) out.push(formatSynset(s));
  }
  return out.join("\n");
}
