/**
 * Brown corpus files ("The/at Fulton/np-tl County/nn-tl …") → plain text: part-of-speech tags
 * removed, tokens re-joined with English spacing rules (no space before , . ; : ? ! ) and closing
 * quotes, none after opening brackets and quotes), one sentence per line.
 */

/**
 * Detokenise one tagged Brown sentence.
 *
 * @example
 * detagBrownSentence("The/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, too/ql ./.");
 * // "The jury said \u201cno evidence\u201d, too."
 */
export function detagBrownSentence(line: string): string {
  const words = line
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((tok) => {
      const slash = tok.lastIndexOf("/");
      const w = slash > 0 ? tok.slice(0, slash) : tok;
      return w === "``" ? "\u201c" : w === "''" ? "\u201d" : w;
    });
  return words
    .join(" ")
    .replace(/ ([,.;:?!)\]}\u201d]|'s\b|n't\b)/g, "$1")
    .replace(/([(\[{\u201c]) /g, "$1");
}

/**
 * A whole Brown file → one detokenised sentence per line.
 *
 * @example
 * brownToText("\n\n\tThe/at jury/nn said/vbd ./.\n\n\n\tIt/pps ended/vbd ./.\n"); // "The jury said.\nIt ended."
 */
export function brownToText(data: string): string {
  return data
    .split("\n")
    .filter((l) => l.trim())
    .map(detagBrownSentence)
    .join("\n");
}
