/**
 * HTML → plain text for mail bodies, UDHR declarations and IMDb reviews: drop scripts, styles
 * and comments, turn block elements into line breaks, remove the remaining tags, decode
 * character references, and tidy whitespace.
 */

// Latin-1 named entities in code-point order 160…255 (HTML 4 / HTML5 legacy set).
const LATIN1_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(
    " ",
  );

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'",
  ndash: "\u2013", mdash: "\u2014", lsquo: "\u2018", rsquo: "\u2019", sbquo: "\u201a",
  ldquo: "\u201c", rdquo: "\u201d", bdquo: "\u201e", hellip: "\u2026", bull: "\u2022",
  trade: "\u2122", euro: "\u20ac", dagger: "\u2020", Dagger: "\u2021", permil: "\u2030",
  lsaquo: "\u2039", rsaquo: "\u203a", oelig: "\u0153", OElig: "\u0152", scaron: "\u0161",
  Scaron: "\u0160", Yuml: "\u0178", fnof: "\u0192", circ: "\u02c6", tilde: "\u02dc",
  ensp: " ", emsp: " ", thinsp: " ", zwnj: "\u200c", zwj: "\u200d", larr: "\u2190",
  rarr: "\u2192", uarr: "\u2191", darr: "\u2193", harr: "\u2194", infin: "\u221e",
  ne: "\u2260", le: "\u2264", ge: "\u2265", minus: "\u2212", alpha: "\u03b1", beta: "\u03b2",
  gamma: "\u03b3", delta: "\u03b4", pi: "\u03c0", sigma: "\u03c3", mu: "\u03bc", lambda: "\u03bb",
};
LATIN1_NAMES.forEach((name, i) => { NAMED[name] = String.fromCodePoint(160 + i); });
const LEGACY_NO_SEMICOLON = new Set([...LATIN1_NAMES, "amp", "lt", "gt", "quot"]);

/**
 * Decode HTML character references: named (common set), decimal `&#233;` and hex `&#xE9;`.
 * Unknown names are left as written; references to NUL or invalid code points become U+FFFD.
 *
 * @example
 * decodeEntities("caf&eacute; &amp; &#x263A; &#8212;"); // "café & ☺ —"
 */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?/g, (whole, ref: string) => {
    if (ref[0] === "#") {
      const cp = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(cp);
    }
    const named = NAMED[ref];
    if (named === undefined) return whole;
    // HTML accepts the legacy names without ";" (e.g. "&amp" in old mail); others need it
    return whole.endsWith(";") || LEGACY_NO_SEMICOLON.has(ref) ? named : whole;
  });
}

const BLOCK_PARAGRAPH = /<\/?(?:p|h[1-6]|blockquote|pre|table|ul|ol|dl|header|footer|article|section|center|form|hr)\b[^>]*>/gi;
// line-level elements break before they open (a closing </li> adds nothing, so lists stay tight)
const BLOCK_LINE = /<(?:br|div|li|tr|dt|dd|title|caption)\b[^>]*>|<\/div\s*>/gi;
const PARA = "\u0001P";
const LINE = "\u0001L";

/**
 * Convert an HTML document or fragment to plain text. Source whitespace collapses as a browser
 * would; paragraph-level elements (p, h1–h6, table, lists, …) give a blank line, line-level ones
 * (br, li, tr, div) a line break, two or more line breaks in a row a blank line;
 * head/script/style/comments vanish; other tags are removed; entities are decoded.
 *
 * @example
 * htmlToText("<html><head><style>p{}</style></head><body><h1>Hi</h1><p>a&nbsp;<b>b</b><br>c</p></body></html>");
 * // "Hi\n\na b\nc"
 */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, " ")
    .replace(/<(script|style|head|noscript|xml)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, " ")
    .replace(/<!DOCTYPE[^>]*>/gi, " ")
    .replace(/\s+/g, " ")
    .replace(/<td\b[^>]*>/gi, " ")
    .replace(BLOCK_PARAGRAPH, PARA)
    .replace(BLOCK_LINE, LINE)
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/<\/?[A-Za-z][A-Za-z0-9:-]*\b[^>]*$/g, ""); // a tag cut off at the end
  return decodeEntities(marked)
    .replace(/[ \t\u00a0\r\f\v]+/g, " ")
    .replace(/ ?(?:\u0001[PL] ?)+/g, (run) => (run.includes(PARA) || run.split(LINE).length > 2 ? "\n\n" : "\n"))
    .replace(/\u0001/g, "")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
