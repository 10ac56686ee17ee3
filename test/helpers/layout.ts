// The layout rule of docs/architecture.md as code: the table of which layer may import which, read
// from the page itself (the rule is written once), every relative import of the source files found
// with the TypeScript parser, and the edges and cycles that break the rule.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface Layer {
  name: string;
  /** Folder prefix, with a trailing slash ("modules/<name>/" is kept as "modules/"). */
  folder: string;
  mayImport: Set<string>;
  /** Only for the module layer: another module, type-only, from expected-keepers.ts. */
  otherModulesAsTypes: boolean;
}

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
  line: number;
}

/** The import table of docs/architecture.md: `| layer | folder | may import |` rows after "## The import rule". */
export function readRule(markdown: string): Layer[] {
  const section = markdown.split(/^## The import rule\s*$/m)[1];
  if (section === undefined) throw new Error('docs/architecture.md has no "## The import rule" section');
  const layers: Layer[] = [];
  for (const line of section.split("\n")) {
    const cells = /^\|(.*)\|\s*$/
      .exec(line)?.[1]
      ?.split("|")
      .map((c) => c.trim());
    if (cells === undefined || cells.length !== 3 || cells[0] === "layer" || /^-+$/.test(cells[0]!)) continue;
    const [name, folderCell, allowed] = cells as [string, string, string];
    const folder = /`([^`]+)`/.exec(folderCell)?.[1];
    if (folder === undefined) throw new Error(`the import table's row "${name}" names no folder`);
    const mayImport = new Set(
      allowed
        .replace(/\(nothing of ours\)/, "")
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter((s) => /^[a-z]+$/.test(s)),
    );
    layers.push({ name, folder: folder.replace(/<name>\/$/, ""), mayImport, otherModulesAsTypes: /other modules only with `import type`/.test(allowed) });
  }
  if (layers.length === 0) throw new Error("the import table of docs/architecture.md has no rows");
  return layers;
}

/** The layer a repo-relative path belongs to (the longest folder prefix), or undefined. */
export function layerOf(layers: Layer[], file: string): Layer | undefined {
  let best: Layer | undefined;
  for (const l of layers) if (file.startsWith(l.folder) && (best === undefined || l.folder.length > best.folder.length)) best = l;
  return best;
}

/** "modules/claims/keeper.ts" -> "claims". */
const moduleName = (file: string): string | undefined => /^modules\/([^/]+)\//.exec(file)?.[1];

const parsed = new Map<string, { spec: string; typeOnly: boolean; line: number }[]>();

/** Every relative import of one source file, with whether it is erased at run time. */
export function importsOf(file: string, source: string): { spec: string; typeOnly: boolean; line: number }[] {
  const key = `${file}\0${source}`;
  const hit = parsed.get(key);
  if (hit !== undefined) return hit;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: { spec: string; typeOnly: boolean; line: number }[] = [];
  const add = (lit: ts.Node | undefined, typeOnly: boolean): void => {
    if (lit === undefined || !ts.isStringLiteralLike(lit) || !lit.text.startsWith(".")) return;
    out.push({ spec: lit.text, typeOnly, line: sf.getLineAndCharacterOfPosition(lit.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allNamedTypes = named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (clause.name === undefined && allNamedTypes));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  parsed.set(key, out);
  return out;
}

/** Resolves a relative specifier the way tsc's node16 resolution finds our files. */
export function resolveImport(from: string, spec: string, files: ReadonlySet<string>): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec.replace(/\.js$/, "")));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (files.has(candidate)) return candidate;
  return base;
}

/** Every import edge between the given files (repo-relative path -> source). */
export function importEdges(sources: ReadonlyMap<string, string>): ImportEdge[] {
  const files = new Set(sources.keys());
  const edges: ImportEdge[] = [];
  for (const [from, source] of sources) {
    for (const i of importsOf(from, source)) edges.push({ from, to: resolveImport(from, i.spec, files), typeOnly: i.typeOnly, line: i.line });
  }
  return edges;
}

/** Why an edge breaks the rule, or undefined when it is allowed. */
export function edgeProblem(layers: Layer[], e: ImportEdge): string | undefined {
  const from = layerOf(layers, e.from);
  const to = layerOf(layers, e.to);
  const where = `${e.from}:${e.line} imports ${e.to}`;
  if (from === undefined) return `${where}: ${e.from} is in no layer of docs/architecture.md`;
  if (to === undefined) return `${where}: ${e.to} is in no layer of docs/architecture.md`;
  const fromModule = moduleName(e.from);
  const toModule = moduleName(e.to);
  if (from === to) {
    if (fromModule === toModule) return undefined;
    // One module importing another.
    if (!from.otherModulesAsTypes) return `${where}: a module may not import another module`;
    if (path.posix.basename(e.from) !== "expected-keepers.ts") return `${where}: another module may be named only in expected-keepers.ts`;
    if (!e.typeOnly) return `${where}: another module may be imported only with "import type"`;
    return undefined;
  }
  const target = toModule !== undefined ? "modules" : to.name;
  if (from.mayImport.has(target)) return undefined;
  return `${where}: layer ${from.name} (${from.folder}) may not import layer ${to.name} (${to.folder})`;
}

/** The import cycles between files: each strongly connected group of two or more files, or one that imports itself. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)!.add(e.to);
  }
  // Tarjan's algorithm, iterative so that deep chains cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; it: Iterator<string> }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, it: (next.get(node) ?? new Set<string>()).values() });
    };
    enter(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          group.push(w);
        } while (w !== top.node);
        if (group.length > 1 || next.get(top.node)?.has(top.node)) cycles.push(group.sort());
      }
    }
  }
  return cycles;
}

/** Every break of the rule in these sources: disallowed edges, then cycles. */
export function layoutProblems(layers: Layer[], sources: ReadonlyMap<string, string>): string[] {
  const edges = importEdges(sources);
  const problems = edges.map((e) => edgeProblem(layers, e)).filter((p): p is string => p !== undefined);
  for (const cycle of importCycles(edges)) problems.push(`import cycle: ${cycle.join(" <-> ")}`);
  return problems;
}

/** The non-test TypeScript sources of the repo, by repo-relative path. */
export function readSources(root: string, folders: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(rel);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        out.set(rel, fs.readFileSync(path.join(root, rel), "utf8"));
      }
    }
  };
  for (const folder of folders) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return out;
}
