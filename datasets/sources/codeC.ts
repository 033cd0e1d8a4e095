/** code_c: C sources and headers of @stdlib/math and @stdlib/stats (licence boilerplate removed). */
import { stripStdlibLicenceHeader } from "../clean/code.js";
import { decodeBytes } from "../clean/text.js";
import { PACKAGES } from "./table.js";
import { DEFAULT_MAX_DOC_BYTES, type DomainSpec } from "./types.js";

const isC = (p: string): boolean => /\.(c|h)$/.test(p);

export const codeC: DomainSpec = {
  domain: "code_c",
  description: "C: @stdlib/math and @stdlib/stats **/*.c, *.h (special functions, distributions, strided kernels, N-API addons); the repeated Apache-2.0 header comment is removed",
  licence: "Apache-2.0 (stdlib); some files carry additional FreeBSD/Sun/Boost notices, kept in place",
  tier: "default",
  packages: [
    { pkg: PACKAGES.stdlibMath, paths: "**/*.c, **/*.h" },
    { pkg: PACKAGES.stdlibStats, paths: "**/*.c, **/*.h" },
  ],
  maxDocBytes: DEFAULT_MAX_DOC_BYTES,
  extract: (ctx) =>
    [PACKAGES.stdlibMath, PACKAGES.stdlibStats].flatMap((pkg) =>
      ctx.files(pkg, isC).map((f) => ({ key: `${pkg.name}/${f.path}`, text: stripStdlibLicenceHeader(decodeBytes(f.data)) })),
    ),
};
