/**
 * Source-code cleaning. stdlib C files all open with the same 15-line Apache-2.0 boilerplate
 * comment; repeated in ~2,800 files it would be a large block of trivially predictable bytes,
 * so it is removed (the domain's licence is recorded in the manifest). Any extra notice inside
 * the same comment (e.g. the FreeBSD/Sun copyright kept by some ports) is preserved.
 */

/**
 * Remove the stdlib Apache-2.0 boilerplate from the leading comment of a C source or header.
 *
 * @example
 * stripStdlibLicenceHeader("/**\n* @license Apache-2.0\n*\n* Copyright (c) 2022 The Stdlib Authors.\n*\n* Licensed …\n* limitations under the License.\n*\/\n\n#include <math.h>\n");
 * // "#include <math.h>\n"
 */
export function stripStdlibLicenceHeader(src: string): string {
  const m = /^\s*\/\*\*?[\s\S]*?\*\//.exec(src);
  if (!m) return src;
  const comment = m[0];
  const lines = comment.split("\n");
  const start = lines.findIndex((l) => /@license Apache-2\.0/.test(l));
  const end = lines.findIndex((l) => /limitations under the License\./.test(l));
  if (start < 0 || end < start) return src;
  const kept = [...lines.slice(0, start), ...lines.slice(end + 1)];
  const meaningful = kept.filter((l) => !/^\s*(\/\*\*?|\*\/|\*)\s*$/.test(l));
  const rest = src.slice(m.index + comment.length).replace(/^\n+/, "");
  if (meaningful.length === 0) return rest;
  // keep the opening line, drop leading empty "*" lines, keep the remaining notice and closing
  const body = kept.slice(1);
  while (body.length > 0 && /^\s*\*\s*$/.test(body[0])) body.shift();
  return `${[kept[0], ...body].join("\n")}\n\n${rest}`;
}
