import { describe, expect, it } from "vitest";
import { stripStdlibLicenceHeader } from "../../datasets/clean/code.js";
import { cleanEmail, decodeEncodedWords, decodeQuotedPrintable, parseHeaders } from "../../datasets/clean/email.js";
import { factbookToText } from "../../datasets/clean/factbook.js";
import { decodeEntities, htmlToText } from "../../datasets/clean/html.js";
import { splitJsonTree } from "../../datasets/clean/json.js";
import { cleanStdlibReadme } from "../../datasets/clean/markdown.js";
import { chunkText, decodeBytes, decodeCp1252, normaliseText, truncateUtf8, utf8Length } from "../../datasets/clean/text.js";
import { formatSynset, parseWordnetLine, wordnetToText } from "../../datasets/clean/wordnet.js";
import { speechTitle } from "../../datasets/sources/speeches.js";
import { brownToText, detagBrownSentence } from "../../datasets/clean/brown.js";
import { chapterToText } from "../../datasets/sources/scripture.js";
import { poemToText } from "../../datasets/sources/poetry.js";
import { udhrToText } from "../../datasets/sources/multilingual.js";

describe("text hygiene", () => {
  it("removes NUL and control characters, normalises line endings", () => {
    const out = normaliseText("a\r\nb\0c  \r\rd\u0007\u0085e\t\n\n\n\n\nf");
    expect(out).toBe("a\nbc\n\nde\n\nf");
    expect(out.includes("\0")).toBe(false);
  });

  it("decodes UTF-8, and Windows-1252 (with its 0x80–0x9F punctuation) when bytes are not UTF-8", () => {
    expect(decodeBytes(Buffer.from("café ✓", "utf8"))).toBe("café ✓");
    expect(decodeBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x93, 0x71, 0x94]))).toBe("café – “q”");
    expect(decodeCp1252(Buffer.from([0x80, 0x99, 0x41]))).toBe("€™A");
    expect(decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe("A"); // BOM dropped
  });

  it("chunks at paragraph, then line, then word boundaries within the byte bound", () => {
    expect(chunkText("para one\n\npara two", 16)).toEqual(["para one", "para two"]);
    const text = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} ${"é".repeat(i % 50)}.`).join("\n\n");
    const chunks = chunkText(text, 1000);
    for (const c of chunks) expect(utf8Length(c)).toBeLessThanOrEqual(1000);
    // nothing lost but the blank lines at the cuts
    expect(chunks.join("\n\n")).toBe(text);
    // a single huge line without boundaries is hard-cut between code points
    const hard = chunkText("ä".repeat(5000), 999);
    expect(hard.every((c) => utf8Length(c) <= 999)).toBe(true);
    expect(hard.join("")).toBe("ä".repeat(5000));
    expect(truncateUtf8("héllo", 2)).toBe("h");
    expect(truncateUtf8("a😀b", 4)).toBe("a"); // never splits a surrogate pair
  });
});

describe("email", () => {
  it("keeps Subject + body; drops other headers and quoted lines", () => {
    const raw = "From sender Thu Aug 22 2002\nReturn-Path: <x@y>\nFrom: A <a@b>\nSubject: Re: New\n  sequences\nDate: today\n\nI can't reproduce this.\n> old quoted text\n  > indented quote\nkre\n";
    expect(cleanEmail(raw)).toBe("Subject: Re: New sequences\n\nI can't reproduce this.\nkre");
  });

  it("walks MIME multipart: prefers text/plain in alternative, drops base64 and attachments, decodes QP", () => {
    const raw = [
      "Subject: =?iso-8859-1?Q?Caf=E9?= news",
      'Content-Type: multipart/mixed; boundary="OUTER"',
      "",
      "This is a multi-part message in MIME format.",
      "--OUTER",
      'Content-Type: multipart/alternative; boundary="INNER"',
      "",
      "--INNER",
      "Content-Type: text/plain; charset=iso-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Caf=E9 au lait is a soft line=",
      " break.",
      "--INNER",
      "Content-Type: text/html",
      "",
      "<p>HTML duplicate</p>",
      "--INNER--",
      "--OUTER",
      "Content-Type: text/plain",
      "Content-Transfer-Encoding: base64",
      "",
      "SGVsbG8gYmFzZTY0",
      "--OUTER",
      "Content-Type: image/gif",
      "",
      "GIF89a....",
      "--OUTER--",
      "epilogue",
    ].join("\r\n");
    expect(cleanEmail(Buffer.from(raw, "latin1"))).toBe("Subject: Café news\n\nCafé au lait is a soft line break.");
  });

  it("strips HTML bodies and decodes entities", () => {
    const raw = "Subject: Deal\nContent-Type: text/html\n\n<html><head><style>p{color:red}</style></head><body><h1>Win&nbsp;big</h1><p>Click <a href='x'>here</a> &amp; save<br>today</p></body></html>";
    expect(cleanEmail(raw)).toBe("Subject: Deal\n\nWin big\n\nClick here & save\ntoday");
  });

  it("drops an Outlook 'Original Message' tail, decodes relabelled QP and Latin-1 punctuation", () => {
    const raw = Buffer.concat([
      Buffer.from("Subject: x\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\nCrop Idol "),
      Buffer.from([0x96]),
      Buffer.from(" your chance to cho=\nose the most out-of-this-wor=\nld circle=\n today.\n\n  ----- Original Message -----\n  From: Dino\n  old text\n"),
    ]);
    expect(cleanEmail(raw)).toBe("Subject: x\n\nCrop Idol \u2013 your chance to choose the most out-of-this-world circle today.");
  });

  it("decodes header words and quoted-printable", () => {
    expect(decodeEncodedWords("=?utf-8?B?4pyT?= =?iso-8859-1?Q?ok=21?=")).toBe("✓ok!");
    expect(decodeQuotedPrintable("a=3Db=\nc").toString("latin1")).toBe("a=bc");
    expect(parseHeaders("Subject: a\n b\nX-Y: z\nSubject: second").get("subject")).toBe("a b");
  });
});

describe("dictionary (WordNet)", () => {
  it("reads the hex word count, words, pos and gloss", () => {
    // w_cnt "0a" = 10 words; a decimal reader would take 0 and lose them
    const line =
      "00280484 00 s 0a aglitter(p) 0 coruscant 0 fulgid 0 glinting 0 glistering 0 glittering 0 glittery 0 scintillant 0 scintillating 0 sparkly 0 001 & 00279417 a 0000 | having brief brilliant points or flashes of light; \"bugle beads all aglitter\"  ";
    const s = parseWordnetLine(line)!;
    expect(s.words).toHaveLength(10);
    expect(s.words[0]).toBe("aglitter");
    expect(s.words[9]).toBe("sparkly");
    expect(s.pos).toBe("adj");
    expect(formatSynset(s)).toBe(
      'aglitter, coruscant, fulgid, glinting, glistering, glittering, glittery, scintillant, scintillating, sparkly (adj): having brief brilliant points or flashes of light; "bugle beads all aglitter"',
    );
    expect(wordnetToText("  1 This software and database is being provided\n00001740 02 r 02 a_cappella 0 a_capella 0 000 | without musical accompaniment\n")).toBe(
      "a cappella, a capella (adv): without musical accompaniment",
    );
  });
});

describe("encyclopedic (factbook)", () => {
  it("writes 'Section - Field: text' lines for .text leaves, named after the country", () => {
    const doc = {
      Introduction: { Background: { text: "A federal republic." } },
      Geography: { Area: { total: { text: "357,022 sq km" }, water: { text: null } } },
      Government: { "Country name": { "conventional short form": { text: "Germany" } } },
    };
    expect(factbookToText(doc, "gm")).toBe(
      "Germany\nIntroduction - Background: A federal republic.\nGeography - Area - total: 357,022 sq km\nGovernment - Country name - conventional short form: Germany",
    );
  });
});

describe("HTML → text", () => {
  it("turns blocks into lines and decodes entities", () => {
    expect(decodeEntities("caf&eacute; &amp; &#x263A; &#8212; &bogus; &amp")).toBe("café & ☺ — &bogus; &");
    expect(htmlToText("<!-- c --><script>x()</script><h2>Article 1</h2><p>All human beings&nbsp;are <b>born</b> free.</p><ul><li>one</li><li>two</li></ul>")).toBe(
      "Article 1\n\nAll human beings are born free.\n\none\ntwo",
    );
    expect(udhrToText("<html><head><title>Deutsch</title></head><body><h1>Allgemeine Erklärung</h1><p>Artikel 1</p></body></html>")).toBe(
      "Deutsch\n\nAllgemeine Erklärung\n\nArtikel 1",
    );
  });
});

describe("math_docs (stdlib README)", () => {
  it("keeps equations as $$…$$, drops comments, details, related/link sections; code fences untouched", () => {
    const md = [
      "<!--\n\n@license Apache-2.0\n\n-->",
      "# erf",
      '<section class="intro">',
      "The [error function][erf-fn] is",
      '<!-- <equation class="equation" label="eq:erf" align="center" raw="\\operatorname{erf}(x) = \\frac{2}{\\sqrt\\pi}\\int_0^x e^{-t^2}\\,dt &amp; more" alt="Error function."> -->',
      '<div class="equation" align="center" data-raw-text="x"><img src="e.svg" alt="Error function."><br></div>',
      "<!-- </equation> -->",
      "</section>",
      "<details><summary>Notes</summary>hidden</details>",
      "```c\n#include <stdio.h>\n```",
      "* * *",
      '<section class="related">\n\n## See Also\n\n-   <span class="package-name">[erfc][erfc]</span>\n\n</section>',
      '<section class="links">\n\n[erf-fn]: https://en.wikipedia.org/wiki/Error_function\n\n</section>',
    ].join("\n\n");
    expect(cleanStdlibReadme(md)).toBe(
      "# erf\n\nThe error function is\n\n$$\\operatorname{erf}(x) = \\frac{2}{\\sqrt\\pi}\\int_0^x e^{-t^2}\\,dt & more$$\n\n```c\n#include <stdio.h>\n```",
    );
  });
});

describe("code", () => {
  it("removes the stdlib Apache boilerplate but keeps extra notices", () => {
    const boiler = "/**\n* @license Apache-2.0\n*\n* Copyright (c) 2022 The Stdlib Authors.\n*\n* Licensed under the Apache License, Version 2.0 (the \"License\");\n* limitations under the License.\n*/";
    expect(stripStdlibLicenceHeader(`${boiler}\n\n#include <math.h>\n`)).toBe("#include <math.h>\n");
    const withNotice = boiler.replace("*/", "*\n*\n* ## Notice\n*\n* Copyright (C) 1993 by Sun Microsystems, Inc.\n*/");
    expect(stripStdlibLicenceHeader(`${withNotice}\n\nint x;\n`)).toBe("/**\n* ## Notice\n*\n* Copyright (C) 1993 by Sun Microsystems, Inc.\n*/\n\nint x;\n");
    expect(stripStdlibLicenceHeader("int main(void) { return 0; }\n")).toBe("int main(void) { return 0; }\n");
  });

  it("names speeches from their file names", () => {
    expect(speechTitle("data/1861_abraham_lincoln_r.txt")).toBe("State of the Union, 1861, Abraham Lincoln");
    expect(speechTitle("data/2002_george_w_bush_r.txt")).toBe("State of the Union, 2002, George W. Bush");
  });
});

describe("structured_json", () => {
  it("cuts a tree into feature subtrees that are valid JSON and cover every leaf", () => {
    const tree = {
      __meta: { timestamp: "2026" },
      api: {
        A: { __compat: { support: { chrome: { version_added: "1" } } } },
        B: { __compat: { support: { x: "y".repeat(100) } }, sub: { __compat: { z: 1 } } },
      },
    };
    const docs = splitJsonTree(tree, 80, ["__meta"]);
    expect(docs.map((d) => d.path)).toEqual(["api.A", "api.B", "api.B.sub"]);
    expect(JSON.parse(docs[0].text)).toEqual({ "api.A": tree.api.A });
    expect(JSON.parse(docs[1].text)).toEqual({ "api.B": { __compat: tree.api.B.__compat } });
    expect(JSON.parse(docs[2].text)).toEqual({ "api.B.sub": { __compat: { z: 1 } } });
    expect(docs.some((d) => d.text.includes("timestamp"))).toBe(false);
  });
});

describe("research-tier cleaners", () => {
  it("detags and detokenises Brown sentences", () => {
    expect(detagBrownSentence("The/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, too/ql ./.")).toBe("The jury said \u201cno evidence\u201d, too.");
    expect(detagBrownSentence("(/( 1/2/cd )/) It/pps was/bedz n't/* Atlanta's/np$ ./.")).toBe("(1/2) It wasn't Atlanta's.");
    expect(brownToText("\n\n\tThe/at jury/nn said/vbd ./.\n\n\n\tIt/pps ended/vbd ./.\n")).toBe("The jury said.\nIt ended.");
  });

  it("renders Qur'an chapters and Chinese poems", () => {
    const ch = { id: 1, name: "الفاتحة", transliteration: "Al-Fatihah", translation: "The Opener", verses: [{ id: 1, text: "بِسۡمِ", translation: "In the name of Allah" }] };
    expect(chapterToText(ch, true)).toBe("1. Al-Fatihah (The Opener)\n\n1. In the name of Allah");
    expect(chapterToText(ch, false)).toBe("1. الفاتحة\n\n1. بِسۡمِ");
    expect(poemToText({ rhythmic: "瑞鹤仙", author: "侯置", paragraphs: ["楚山无际碧。", "湛一溪晴绿。"] })).toBe("瑞鹤仙\n侯置\n\n楚山无际碧。\n湛一溪晴绿。");
  });
});
