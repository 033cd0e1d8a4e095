import ts from "typescript";
import type { Notebook } from "./inspect.js";

/** A `{ name }` shorthand in one cell naming a variable declared by an earlier cell. */
export interface ShorthandHit {
  cell: number;
  name: string;
  line: number;
}

/** Names a cell declares at its top level (variables, functions, classes, imports). */
function topLevelNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const bind = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) names.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
      else if (nb) nb.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/**
 * Find `{ corpus }`-style shorthand properties that name a variable from an earlier cell.
 * tslab 1.0.22 rewrites cross-cell references to its exports object but misses shorthand
 * properties, so such a cell dies with "ReferenceError: corpus is not defined"; write
 * `{ corpus: corpus }` instead.
 *
 * @example
 * crossCellShorthands(nb); // [{ cell: 15, name: "corpus", line: 2 }]
 */
export function crossCellShorthands(nb: Notebook): ShorthandHit[] {
  const hits: ShorthandHit[] = [];
  const earlier = new Set<string>();
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const sf = ts.createSourceFile(`cell${i}.ts`, text, ts.ScriptTarget.ES2022, true);
    const own = topLevelNames(sf);
    const visit = (node: ts.Node) => {
      if (ts.isShorthandPropertyAssignment(node) && earlier.has(node.name.text) && !own.has(node.name.text)) {
        hits.push({ cell: i, name: node.name.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    own.forEach((n) => earlier.add(n));
  });
  return hits;
}
