// A small protobuf → TypeScript generator for the chain's own .proto files (no protoc needed).
// It reads proto/**/*.proto (skipping proto/gen and proto/third_party) and writes proto/gen/<path>.ts in the style of
// cosmjs-types (ts-proto / telescope): per message an interface and a const with typeUrl, encode,
// decode, fromJSON, toJSON and fromPartial; enums as TS enums with xFromJSON / xToJSON; services
// as a method path map, request/response pairs, an interface and a ClientImpl over an Rpc.
//
// Supported: proto3 syntax, package, import (cosmjs-types' coin, pagination and duration, or our
// own files), top-level messages and enums, options and `reserved` (ignored), field options in [...] (ignored),
// repeated fields (numeric scalars and enums packed), all integer scalars, float, double, bool,
// string, bytes, message- and enum-typed fields, services with unary rpcs.
// Not supported (the parser rejects them): proto2, nested messages/enums, oneof, map, the proto3
// `optional` keyword, groups, extensions, streaming rpcs, imports of other external files.
//
// Run: `npm run proto:gen` (= tsc + node dist/proto/gen.js). Output is deterministic.
import fs from "node:fs";
import path from "node:path";

// ---------------------------------------------------------------------------------------------
// Model

export type ScalarType =
  | "double"
  | "float"
  | "int32"
  | "int64"
  | "uint32"
  | "uint64"
  | "sint32"
  | "sint64"
  | "fixed32"
  | "fixed64"
  | "sfixed32"
  | "sfixed64"
  | "bool"
  | "string"
  | "bytes";

export const SCALARS: readonly ScalarType[] = [
  "double",
  "float",
  "int32",
  "int64",
  "uint32",
  "uint64",
  "sint32",
  "sint64",
  "fixed32",
  "fixed64",
  "sfixed32",
  "sfixed64",
  "bool",
  "string",
  "bytes",
];

export interface FieldDef {
  name: string; // as in the .proto (snake_case)
  type: string; // a scalar name or the type name as written
  number: number;
  repeated: boolean;
  comment: string[];
}

export interface MessageDef {
  kind: "message";
  name: string;
  fields: FieldDef[];
  comment: string[];
}

export interface EnumValueDef {
  name: string;
  number: number;
  comment: string[];
}

export interface EnumDef {
  kind: "enum";
  name: string;
  values: EnumValueDef[];
  comment: string[];
}

export interface RpcDef {
  name: string;
  requestType: string;
  responseType: string;
  comment: string[];
}

export interface ServiceDef {
  name: string;
  methods: RpcDef[];
  comment: string[];
}

export interface ProtoFile {
  path: string; // relative to the proto root, with forward slashes
  package: string;
  imports: string[];
  options: Record<string, string>;
  messages: MessageDef[];
  enums: EnumDef[];
  services: ServiceDef[];
  /** Declaration order of messages and enums (names), for output order. */
  order: string[];
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

interface Token {
  kind: "ident" | "number" | "string" | "punct";
  text: string;
  line: number;
  /** `//` or block comments directly above this token (no blank line between). */
  comment: string[];
}

function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let pending: string[] = [];
  let pendingEndLine = -1;
  const fail = (msg: string): never => {
    throw new Error(`${file}:${line}: ${msg}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      const text = src.slice(i + 2, end === -1 ? src.length : end);
      const trailing = out.length > 0 && out[out.length - 1]!.line === line;
      if (!trailing) {
        // A trailing comment (after a token on the same line) documents nothing here.
        if (pendingEndLine !== line - 1) pending = [];
        pending.push(text.startsWith(" ") ? text.slice(1) : text);
        pendingEndLine = line;
      }
      i = end === -1 ? src.length : end;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end === -1) fail("unterminated comment");
      const body = src.slice(i + 2, end);
      if (pendingEndLine !== line - 1) pending = [];
      for (const l of body.split("\n")) {
        const t = l.replace(/^\s*\*?\s?/, "").trimEnd();
        if (t !== "" || pending.length > 0) pending.push(t);
      }
      while (pending.length > 0 && pending[pending.length - 1] === "") pending.pop();
      line += body.split("\n").length - 1;
      pendingEndLine = line;
      i = end + 2;
      continue;
    }
    const comment = pendingEndLine === line - 1 || pendingEndLine === line ? pending : [];
    pending = [];
    pendingEndLine = -1;
    if (/[A-Za-z_.]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_.]/.test(src[j]!)) j++;
      out.push({ kind: "ident", text: src.slice(i, j), line, comment });
      i = j;
      continue;
    }
    if (/[0-9-]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z_.]/.test(src[j]!)) j++;
      out.push({ kind: "number", text: src.slice(i, j), line, comment });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\n") fail("newline in string");
        if (src[j] === "\\") {
          s += src[j + 1] ?? "";
          j += 2;
        } else {
          s += src[j];
          j++;
        }
      }
      if (j >= src.length) fail("unterminated string");
      out.push({ kind: "string", text: s, line, comment });
      i = j + 1;
      continue;
    }
    if ("{}[]()<>;=,".includes(c)) {
      out.push({ kind: "punct", text: c, line, comment });
      i++;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly file: string,
  ) {}

  private fail(msg: string, tok?: Token): never {
    const t = tok ?? this.toks[this.pos] ?? this.toks[this.toks.length - 1];
    throw new Error(`${this.file}:${t ? t.line : 0}: ${msg}`);
  }
  private peek(): Token | undefined {
    return this.toks[this.pos];
  }
  private next(): Token {
    const t = this.toks[this.pos];
    if (!t) this.fail("unexpected end of file");
    this.pos++;
    return t;
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || t.kind === "string") this.fail(`expected '${text}', got '${t.text}'`, t);
    return t;
  }
  private ident(): string {
    const t = this.next();
    if (t.kind !== "ident") this.fail(`expected a name, got '${t.text}'`, t);
    return t.text;
  }
  private int(): number {
    const t = this.next();
    if (t.kind !== "number") this.fail(`expected a number, got '${t.text}'`, t);
    const n = Number(t.text);
    if (!Number.isInteger(n)) this.fail(`bad integer '${t.text}'`, t);
    return n;
  }
  private atEnd(): boolean {
    return this.pos >= this.toks.length;
  }
  /** Skips a constant (option value): a string, number, identifier or aggregate { ... }. */
  private constant(): string {
    const t = this.next();
    if (t.kind === "punct" && t.text === "{") {
      let depth = 1;
      while (depth > 0) {
        const u = this.next();
        if (u.text === "{" && u.kind === "punct") depth++;
        if (u.text === "}" && u.kind === "punct") depth--;
      }
      return "{...}";
    }
    return t.text;
  }
  private optionName(): string {
    const t = this.next();
    if (t.kind === "punct" && t.text === "(") {
      const n = this.ident();
      this.expect(")");
      let rest = "";
      const p = this.peek();
      if (p && p.kind === "ident" && p.text.startsWith(".")) rest = this.ident();
      return `(${n})${rest}`;
    }
    if (t.kind !== "ident") this.fail(`expected an option name, got '${t.text}'`, t);
    return t.text;
  }

  parse(relPath: string): ProtoFile {
    const f: ProtoFile = { path: relPath, package: "", imports: [], options: {}, messages: [], enums: [], services: [], order: [] };
    let sawSyntax = false;
    while (!this.atEnd()) {
      const t = this.next();
      if (t.kind === "punct" && t.text === ";") continue;
      switch (t.text) {
        case "syntax": {
          this.expect("=");
          const s = this.next();
          if (s.kind !== "string" || s.text !== "proto3") this.fail(`only proto3 is supported, got '${s.text}'`, s);
          this.expect(";");
          sawSyntax = true;
          break;
        }
        case "package":
          f.package = this.ident();
          this.expect(";");
          break;
        case "import": {
          let s = this.next();
          if (s.kind === "ident" && (s.text === "public" || s.text === "weak")) s = this.next();
          if (s.kind !== "string") this.fail("expected an import path", s);
          f.imports.push(s.text);
          this.expect(";");
          break;
        }
        case "option": {
          const name = this.optionName();
          this.expect("=");
          f.options[name] = this.constant();
          this.expect(";");
          break;
        }
        case "message": {
          const m = this.message(t.comment);
          f.messages.push(m);
          f.order.push(m.name);
          break;
        }
        case "enum": {
          const e = this.enumDef(t.comment);
          f.enums.push(e);
          f.order.push(e.name);
          break;
        }
        case "service":
          f.services.push(this.service(t.comment));
          break;
        default:
          this.fail(`unsupported top-level statement '${t.text}'`, t);
      }
    }
    if (!sawSyntax) this.fail('missing `syntax = "proto3";`');
    if (!f.package) this.fail("missing package");
    return f;
  }

  /** Skips `[ name = value, ... ]` after a field or enum value. */
  private fieldOptions(): void {
    const p = this.peek();
    if (!p || p.kind !== "punct" || p.text !== "[") return;
    this.next();
    for (;;) {
      this.optionName();
      this.expect("=");
      this.constant();
      const t = this.next();
      if (t.text === "]") break;
      if (t.text !== ",") this.fail(`expected ',' or ']', got '${t.text}'`, t);
    }
  }

  private reservedOrSkip(): void {
    // `reserved 2, 15, 9 to 11;` or `reserved "foo", "bar";`: accepted and ignored.
    for (;;) {
      const t = this.next();
      if (t.text === ";" && t.kind === "punct") return;
    }
  }

  private message(comment: string[]): MessageDef {
    const name = this.ident();
    const m: MessageDef = { kind: "message", name, fields: [], comment };
    this.expect("{");
    for (;;) {
      const t = this.next();
      if (t.kind === "punct" && t.text === "}") break;
      if (t.kind === "punct" && t.text === ";") continue;
      if (t.kind !== "ident") this.fail(`unexpected '${t.text}' in message ${name}`, t);
      if (t.text === "option") {
        this.optionName();
        this.expect("=");
        this.constant();
        this.expect(";");
        continue;
      }
      if (t.text === "reserved") {
        this.reservedOrSkip();
        continue;
      }
      if (["message", "enum", "oneof", "map", "optional", "required", "group", "extensions", "extend"].includes(t.text)) {
        this.fail(`'${t.text}' is not supported by this generator (in message ${name})`, t);
      }
      let repeated = false;
      let type = t.text;
      if (t.text === "repeated") {
        repeated = true;
        type = this.ident();
      }
      const fname = this.ident();
      this.expect("=");
      const num = this.int();
      if (num < 1 || num > 536870911 || (num >= 19000 && num <= 19999)) this.fail(`bad field number ${num}`);
      this.fieldOptions();
      this.expect(";");
      if (m.fields.some((x) => x.number === num)) this.fail(`duplicate field number ${num} in ${name}`);
      if (m.fields.some((x) => x.name === fname)) this.fail(`duplicate field ${fname} in ${name}`);
      m.fields.push({ name: fname, type, number: num, repeated, comment: t.comment });
    }
    return m;
  }

  private enumDef(comment: string[]): EnumDef {
    const name = this.ident();
    const e: EnumDef = { kind: "enum", name, values: [], comment };
    this.expect("{");
    for (;;) {
      const t = this.next();
      if (t.kind === "punct" && t.text === "}") break;
      if (t.kind === "punct" && t.text === ";") continue;
      if (t.text === "option") {
        this.optionName();
        this.expect("=");
        this.constant();
        this.expect(";");
        continue;
      }
      if (t.text === "reserved") {
        this.reservedOrSkip();
        continue;
      }
      if (t.kind !== "ident") this.fail(`unexpected '${t.text}' in enum ${name}`, t);
      this.expect("=");
      const num = this.int();
      this.fieldOptions();
      this.expect(";");
      e.values.push({ name: t.text, number: num, comment: t.comment });
    }
    if (e.values.length === 0 || e.values[0]!.number !== 0) this.fail(`enum ${name}: the first value must be 0 in proto3`);
    return e;
  }

  private service(comment: string[]): ServiceDef {
    const name = this.ident();
    const s: ServiceDef = { name, methods: [], comment };
    this.expect("{");
    for (;;) {
      const t = this.next();
      if (t.kind === "punct" && t.text === "}") break;
      if (t.kind === "punct" && t.text === ";") continue;
      if (t.text === "option") {
        this.optionName();
        this.expect("=");
        this.constant();
        this.expect(";");
        continue;
      }
      if (t.text !== "rpc") this.fail(`unexpected '${t.text}' in service ${name}`, t);
      const mname = this.ident();
      this.expect("(");
      const req = this.ident();
      if (req === "stream") this.fail("streaming rpcs are not supported");
      this.expect(")");
      this.expect("returns");
      this.expect("(");
      const res = this.ident();
      if (res === "stream") this.fail("streaming rpcs are not supported");
      this.expect(")");
      const after = this.next();
      if (after.text === "{") {
        for (;;) {
          const u = this.next();
          if (u.text === "}" && u.kind === "punct") break;
          if (u.text === "option") {
            this.optionName();
            this.expect("=");
            this.constant();
            this.expect(";");
          } else if (!(u.kind === "punct" && u.text === ";")) this.fail(`unexpected '${u.text}' in rpc ${mname}`, u);
        }
      } else if (after.text !== ";") this.fail(`expected ';' after rpc ${mname}`, after);
      s.methods.push({ name: mname, requestType: req, responseType: res, comment: t.comment });
    }
    return s;
  }
}

export function parseProto(src: string, relPath: string): ProtoFile {
  return new Parser(tokenize(src, relPath), relPath).parse(relPath);
}

// ---------------------------------------------------------------------------------------------
// External (cosmjs-types) files we know about

interface ExternalFile {
  module: string;
  package: string;
  messages: string[];
  enums: string[];
}

export const EXTERNAL: Record<string, ExternalFile> = {
  "cosmos/base/v1beta1/coin.proto": {
    module: "cosmjs-types/cosmos/base/v1beta1/coin",
    package: "cosmos.base.v1beta1",
    messages: ["Coin", "DecCoin", "IntProto", "DecProto"],
    enums: [],
  },
  "cosmos/base/query/v1beta1/pagination.proto": {
    module: "cosmjs-types/cosmos/base/query/v1beta1/pagination",
    package: "cosmos.base.query.v1beta1",
    messages: ["PageRequest", "PageResponse"],
    enums: [],
  },
  // Only the google.api.http options of the rpcs (read by the REST gateway); no types to import.
  "google/api/annotations.proto": { module: "", package: "google.api", messages: [], enums: [] },
  "google/protobuf/duration.proto": {
    module: "cosmjs-types/google/protobuf/duration",
    package: "google.protobuf",
    messages: ["Duration"],
    enums: [],
  },
  "google/protobuf/timestamp.proto": {
    module: "cosmjs-types/google/protobuf/timestamp",
    package: "google.protobuf",
    messages: ["Timestamp"],
    enums: [],
  },
  "google/protobuf/any.proto": {
    module: "cosmjs-types/google/protobuf/any",
    package: "google.protobuf",
    messages: ["Any"],
    enums: [],
  },
};

// ---------------------------------------------------------------------------------------------
// Type resolution

interface TypeRef {
  kind: "message" | "enum";
  fullName: string; // package.Name
  name: string; // Name
  /** Module specifier to import from, or "" for the file itself. */
  module: string;
}

interface Scope {
  /** fullName → ref, for the file itself and its direct imports. */
  visible: Map<string, TypeRef>;
}

function relModule(fromProto: string, toProto: string): string {
  const from = path.posix.dirname(fromProto);
  let rel = path.posix.relative(from, toProto.replace(/\.proto$/, ""));
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}

function buildScope(file: ProtoFile, own: Map<string, ProtoFile>): Scope {
  const visible = new Map<string, TypeRef>();
  const addFile = (f: ProtoFile, module: string): void => {
    for (const m of f.messages) visible.set(`${f.package}.${m.name}`, { kind: "message", fullName: `${f.package}.${m.name}`, name: m.name, module });
    for (const e of f.enums) visible.set(`${f.package}.${e.name}`, { kind: "enum", fullName: `${f.package}.${e.name}`, name: e.name, module });
  };
  addFile(file, "");
  for (const imp of file.imports) {
    const ext = EXTERNAL[imp];
    if (ext) {
      for (const m of ext.messages) visible.set(`${ext.package}.${m}`, { kind: "message", fullName: `${ext.package}.${m}`, name: m, module: ext.module });
      for (const e of ext.enums) visible.set(`${ext.package}.${e}`, { kind: "enum", fullName: `${ext.package}.${e}`, name: e, module: ext.module });
      continue;
    }
    const f = own.get(imp);
    if (!f) throw new Error(`${file.path}: import "${imp}" is neither one of our .proto files nor a known cosmjs-types file`);
    addFile(f, relModule(file.path, imp));
  }
  return { visible };
}

function resolveType(name: string, file: ProtoFile, scope: Scope): TypeRef {
  if (name.startsWith(".")) {
    const r = scope.visible.get(name.slice(1));
    if (!r) throw new Error(`${file.path}: unknown type ${name}`);
    return r;
  }
  const parts = file.package.split(".");
  for (let n = parts.length; n >= 0; n--) {
    const candidate = [...parts.slice(0, n), name].join(".");
    const r = scope.visible.get(candidate);
    if (r) return r;
  }
  throw new Error(`${file.path}: unknown type ${name} (is its file imported?)`);
}

// ---------------------------------------------------------------------------------------------
// Code generation helpers

export function camelCase(s: string): string {
  return s.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const LONG = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const NUM32 = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const FLOAT = new Set(["float", "double"]);

function wireType(type: string, ref: TypeRef | undefined): number {
  if (ref) return ref.kind === "enum" ? 0 : 2;
  switch (type) {
    case "double":
    case "fixed64":
    case "sfixed64":
      return 1;
    case "float":
    case "fixed32":
    case "sfixed32":
      return 5;
    case "string":
    case "bytes":
      return 2;
    default:
      return 0;
  }
}

function docLines(comment: string[], indent: string): string[] {
  if (comment.length === 0) return [];
  const esc = comment.map((l) => l.replace(/\*\//g, "* /"));
  if (esc.length === 1) return [`${indent}/** ${esc[0]} */`];
  return [`${indent}/**`, ...esc.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`];
}

class Emitter {
  readonly lines: string[] = [];
  /** module → Map<name, local alias> */
  private readonly imports = new Map<string, Map<string, string>>();
  private readonly localNames: Set<string>;
  private readonly taken = new Set<string>();
  private readonly scope: Scope;

  constructor(
    readonly file: ProtoFile,
    own: Map<string, ProtoFile>,
  ) {
    this.scope = buildScope(file, own);
    this.localNames = new Set<string>();
    for (const m of file.messages) this.localNames.add(m.name);
    for (const e of file.enums) {
      this.localNames.add(e.name);
      this.localNames.add(`${lowerFirst(e.name)}FromJSON`);
      this.localNames.add(`${lowerFirst(e.name)}ToJSON`);
    }
    for (const s of file.services) {
      this.localNames.add(s.name);
      this.localNames.add(`${s.name}Methods`);
      this.localNames.add(`${s.name}MethodTypes`);
      this.localNames.add(`${s.name}ClientImpl`);
    }
    this.localNames.add("protobufPackage");
    for (const n of ["BinaryReader", "BinaryWriter", "DeepPartial", "Exact", "isSet", "bytesFromBase64", "base64FromBytes", "Rpc", "JsonSafe"]) {
      this.localNames.add(n);
    }
    for (const n of this.localNames) this.taken.add(n);
  }

  use(module: string, name: string): string {
    let m = this.imports.get(module);
    if (!m) {
      m = new Map();
      this.imports.set(module, m);
    }
    const existing = m.get(name);
    if (existing) return existing;
    let alias = name;
    const isHelper = module === "cosmjs-types/binary" || module === "cosmjs-types/helpers" || module === "cosmjs-types/json-safe";
    if (!isHelper && this.taken.has(alias)) {
      const prefix = module
        .replace(/^cosmjs-types\//, "")
        .replace(/^[./]+/, "")
        .replace(/[^A-Za-z0-9]+/g, "_");
      alias = `${prefix}_${name}`;
      let k = 2;
      while (this.taken.has(alias)) alias = `${prefix}_${name}${k++}`;
    }
    this.taken.add(alias);
    m.set(name, alias);
    return alias;
  }

  ref(type: string): TypeRef | undefined {
    if ((SCALARS as readonly string[]).includes(type)) return undefined;
    return resolveType(type, this.file, this.scope);
  }

  /** The TS identifier for a message / enum const, importing it when foreign. */
  typeName(ref: TypeRef): string {
    return ref.module === "" ? ref.name : this.use(ref.module, ref.name);
  }
  enumFromJSON(ref: TypeRef): string {
    const fn = `${lowerFirst(ref.name)}FromJSON`;
    return ref.module === "" ? fn : this.use(ref.module, fn);
  }
  enumToJSON(ref: TypeRef): string {
    const fn = `${lowerFirst(ref.name)}ToJSON`;
    return ref.module === "" ? fn : this.use(ref.module, fn);
  }

  importLines(): string[] {
    const helpersOrder = ["cosmjs-types/binary", "cosmjs-types/helpers", "cosmjs-types/json-safe"];
    const modules = [...this.imports.keys()];
    const rank = (m: string): number => (helpersOrder.includes(m) ? 2 : m.startsWith(".") ? 1 : 0);
    modules.sort((a, b) => rank(a) - rank(b) || helpersOrder.indexOf(a) - helpersOrder.indexOf(b) || (a < b ? -1 : a > b ? 1 : 0));
    const out: string[] = [];
    for (const mod of modules) {
      const names = [...this.imports.get(mod)!.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`));
      const typeOnly = mod === "cosmjs-types/json-safe";
      out.push(`import ${typeOnly ? "type " : ""}{ ${names.join(", ")} } from "${mod}";`);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-field code

interface FieldInfo {
  f: FieldDef;
  js: string; // camelCase property name
  ref: TypeRef | undefined;
  long: boolean;
  packed: boolean;
}

function tsType(e: Emitter, fi: FieldInfo): string {
  let base: string;
  if (fi.ref) base = e.typeName(fi.ref);
  else if (fi.long) base = "bigint";
  else if (fi.f.type === "bool") base = "boolean";
  else if (fi.f.type === "string") base = "string";
  else if (fi.f.type === "bytes") base = "Uint8Array";
  else base = "number";
  return fi.f.repeated ? `${base}[]` : base;
}

function defaultValue(fi: FieldInfo): string {
  if (fi.f.repeated) return "[]";
  if (fi.ref) return fi.ref.kind === "enum" ? "0" : "undefined";
  if (fi.long) return "BigInt(0)";
  switch (fi.f.type) {
    case "bool":
      return "false";
    case "string":
      return '""';
    case "bytes":
      return "new Uint8Array()";
    default:
      return "0";
  }
}

/** The BinaryWriter / BinaryReader method for a scalar or enum. */
function scalarMethod(fi: FieldInfo): string {
  if (fi.ref && fi.ref.kind === "enum") return "int32";
  return fi.f.type;
}

function emitEncode(e: Emitter, fi: FieldInfo, out: string[]): void {
  const I = "    ";
  const v = `message.${fi.js}`;
  const wt = fi.packed ? 2 : wireType(fi.f.type, fi.ref);
  const tag = (fi.f.number << 3) | wt;
  if (fi.ref && fi.ref.kind === "message") {
    const T = e.typeName(fi.ref);
    if (fi.f.repeated) {
      out.push(`${I}for (const v of ${v}) {`, `${I}  ${T}.encode(v, writer.uint32(${tag}).fork()).ldelim();`, `${I}}`);
    } else {
      out.push(`${I}if (${v} !== undefined) {`, `${I}  ${T}.encode(${v}, writer.uint32(${tag}).fork()).ldelim();`, `${I}}`);
    }
    return;
  }
  const meth = scalarMethod(fi);
  if (fi.packed) {
    // Unlike ts-proto, an empty packed field is omitted (as Go / gogoproto do).
    out.push(
      `${I}if (${v}.length > 0) {`,
      `${I}  writer.uint32(${tag}).fork();`,
      `${I}  for (const v of ${v}) {`,
      `${I}    writer.${meth}(v);`,
      `${I}  }`,
      `${I}  writer.ldelim();`,
      `${I}}`,
    );
    return;
  }
  if (fi.f.repeated) {
    out.push(`${I}for (const v of ${v}) {`, `${I}  writer.uint32(${tag}).${meth}(v);`, `${I}}`);
    return;
  }
  let cond: string;
  if (fi.long) cond = `${v} !== BigInt(0)`;
  else if (fi.f.type === "bool") cond = `${v} === true`;
  else if (fi.f.type === "string") cond = `${v} !== ""`;
  else if (fi.f.type === "bytes") cond = `${v}.length !== 0`;
  else cond = `${v} !== 0`;
  out.push(`${I}if (${cond}) {`, `${I}  writer.uint32(${tag}).${meth}(${v});`, `${I}}`);
}

function emitDecode(e: Emitter, fi: FieldInfo, out: string[]): void {
  const I = "          ";
  const v = `message.${fi.js}`;
  out.push(`        case ${fi.f.number}:`);
  if (fi.ref && fi.ref.kind === "message") {
    const T = e.typeName(fi.ref);
    if (fi.f.repeated) out.push(`${I}${v}.push(${T}.decode(reader, reader.uint32()));`);
    else out.push(`${I}${v} = ${T}.decode(reader, reader.uint32());`);
  } else {
    const read = `reader.${scalarMethod(fi)}()`;
    const cast = fi.ref && fi.ref.kind === "enum" ? ` as any` : "";
    if (fi.packed) {
      out.push(
        `${I}if ((tag & 7) === 2) {`,
        `${I}  const end2 = reader.uint32() + reader.pos;`,
        `${I}  while (reader.pos < end2) {`,
        `${I}    ${v}.push(${read}${cast});`,
        `${I}  }`,
        `${I}} else {`,
        `${I}  ${v}.push(${read}${cast});`,
        `${I}}`,
      );
    } else if (fi.f.repeated) {
      out.push(`${I}${v}.push(${read}${cast});`);
    } else {
      out.push(`${I}${v} = ${read}${cast};`);
    }
  }
  out.push(`${I}break;`);
}

function fromJsonExpr(e: Emitter, fi: FieldInfo, x: string): string {
  if (fi.ref) return fi.ref.kind === "enum" ? `${e.enumFromJSON(fi.ref)}(${x})` : `${e.typeName(fi.ref)}.fromJSON(${x})`;
  if (fi.long) return `BigInt(${x}.toString())`;
  switch (fi.f.type) {
    case "bool":
      return `Boolean(${x})`;
    case "string":
      return `String(${x})`;
    case "bytes":
      return `${e.use("cosmjs-types/helpers", "bytesFromBase64")}(${x})`;
    default:
      return `Number(${x})`;
  }
}

function toJsonExpr(e: Emitter, fi: FieldInfo, x: string): string {
  if (fi.ref) {
    if (fi.ref.kind === "enum") return `${e.enumToJSON(fi.ref)}(${x})`;
    return `${x} ? ${e.typeName(fi.ref)}.toJSON(${x}) : undefined`;
  }
  if (fi.long) return `(${x} || BigInt(0)).toString()`;
  if (fi.f.type === "bytes") return `${e.use("cosmjs-types/helpers", "base64FromBytes")}(${x} !== undefined ? ${x} : new Uint8Array())`;
  if (NUM32.has(fi.f.type)) return `Math.round(${x})`;
  return x;
}

function emitFromJSON(e: Emitter, fi: FieldInfo, out: string[]): void {
  const I = "    ";
  if (fi.f.repeated) {
    out.push(`${I}if (Array.isArray(object?.${fi.js})) obj.${fi.js} = object.${fi.js}.map((e: any) => ${fromJsonExpr(e, fi, "e")});`);
  } else {
    out.push(`${I}if (${e.use("cosmjs-types/helpers", "isSet")}(object.${fi.js})) obj.${fi.js} = ${fromJsonExpr(e, fi, `object.${fi.js}`)};`);
  }
}

function emitToJSON(e: Emitter, fi: FieldInfo, out: string[]): void {
  const I = "    ";
  const v = `message.${fi.js}`;
  if (fi.f.repeated) {
    const simple = !fi.ref && !fi.long && fi.f.type !== "bytes" && !NUM32.has(fi.f.type);
    const mapped = simple
      ? `${v}.map((e) => e)`
      : `${v}.map((e) => ${fi.ref && fi.ref.kind === "message" ? `(${toJsonExpr(e, fi, "e")})` : toJsonExpr(e, fi, "e")})`;
    out.push(`${I}if (${v}) {`, `${I}  obj.${fi.js} = ${mapped};`, `${I}} else {`, `${I}  obj.${fi.js} = [];`, `${I}}`);
  } else {
    out.push(`${I}${v} !== undefined && (obj.${fi.js} = ${toJsonExpr(e, fi, v)});`);
  }
}

function emitFromPartial(e: Emitter, fi: FieldInfo, out: string[]): void {
  const I = "    ";
  const o = `object.${fi.js}`;
  const m = `message.${fi.js}`;
  if (fi.f.repeated) {
    let expr = "e";
    if (fi.ref && fi.ref.kind === "message") expr = `${e.typeName(fi.ref)}.fromPartial(e)`;
    else if (fi.long) expr = "BigInt(e.toString())";
    out.push(`${I}${m} = ${o}?.map((e) => ${expr}) || [];`);
    return;
  }
  if (fi.ref && fi.ref.kind === "message") {
    out.push(`${I}if (${o} !== undefined && ${o} !== null) {`, `${I}  ${m} = ${e.typeName(fi.ref)}.fromPartial(${o});`, `${I}}`);
    return;
  }
  if (fi.long) {
    out.push(`${I}if (${o} !== undefined && ${o} !== null) {`, `${I}  ${m} = BigInt(${o}.toString());`, `${I}}`);
    return;
  }
  out.push(`${I}${m} = ${o} ?? ${defaultValue(fi)};`);
}

// ---------------------------------------------------------------------------------------------
// Per-declaration code

function emitEnum(en: EnumDef, out: string[]): void {
  const fromFn = `${lowerFirst(en.name)}FromJSON`;
  const toFn = `${lowerFirst(en.name)}ToJSON`;
  out.push("", ...docLines(en.comment, ""));
  out.push(`export enum ${en.name} {`);
  for (const v of en.values) {
    out.push(...docLines(v.comment.length ? [`${v.name} - ${v.comment[0]}`, ...v.comment.slice(1)] : [], "  "));
    out.push(`  ${v.name} = ${v.number},`);
  }
  out.push(`  UNRECOGNIZED = -1,`, `}`);
  out.push(`export function ${fromFn}(object: any): ${en.name} {`, `  switch (object) {`);
  for (const v of en.values) {
    out.push(`    case ${v.number}:`, `    case ${JSON.stringify(v.name)}:`, `      return ${en.name}.${v.name};`);
  }
  out.push(`    case -1:`, `    case "UNRECOGNIZED":`, `    default:`, `      return ${en.name}.UNRECOGNIZED;`, `  }`, `}`);
  out.push(`export function ${toFn}(object: ${en.name}): string {`, `  switch (object) {`);
  const seen = new Set<number>();
  for (const v of en.values) {
    if (seen.has(v.number)) continue; // allow_alias: the first name wins
    seen.add(v.number);
    out.push(`    case ${en.name}.${v.name}:`, `      return ${JSON.stringify(v.name)};`);
  }
  out.push(`    case ${en.name}.UNRECOGNIZED:`, `    default:`, `      return "UNRECOGNIZED";`, `  }`, `}`);
}

function emitMessage(e: Emitter, msg: MessageDef, out: string[]): void {
  const N = msg.name;
  const infos: FieldInfo[] = msg.fields.map((f) => {
    const ref = e.ref(f.type);
    const long = !ref && LONG.has(f.type);
    const numeric = (!ref && (LONG.has(f.type) || NUM32.has(f.type) || FLOAT.has(f.type) || f.type === "bool")) || (ref !== undefined && ref.kind === "enum");
    return { f, js: camelCase(f.name), ref, long, packed: f.repeated && numeric };
  });
  const BW = e.use("cosmjs-types/binary", "BinaryWriter");
  const BR = e.use("cosmjs-types/binary", "BinaryReader");
  const DP = e.use("cosmjs-types/helpers", "DeepPartial");
  const EX = e.use("cosmjs-types/helpers", "Exact");
  const JS = e.use("cosmjs-types/json-safe", "JsonSafe");
  const empty = infos.length === 0;

  out.push("", ...docLines(msg.comment, ""));
  out.push(`export interface ${N} {`);
  for (const fi of infos) {
    out.push(...docLines(fi.f.comment, "  "));
    const opt = !fi.f.repeated && fi.ref && fi.ref.kind === "message" ? "?" : "";
    out.push(`  ${fi.js}${opt}: ${tsType(e, fi)};`);
  }
  out.push(`}`);
  out.push(`function createBase${N}(): ${N} {`);
  if (empty) out.push(`  return {};`);
  else {
    out.push(`  return {`);
    for (const fi of infos) out.push(`    ${fi.js}: ${defaultValue(fi)},`);
    out.push(`  };`);
  }
  out.push(`}`);
  const pkg = e.file.package;
  const m = empty ? "_" : "message";
  const o = empty ? "_" : "object";
  out.push(`export const ${N} = {`);
  out.push(`  typeUrl: ${JSON.stringify(`/${pkg}.${N}`)},`);
  out.push(`  encode(${m}: ${N}, writer: ${BW} = ${BW}.create()): ${BW} {`);
  for (const fi of infos) emitEncode(e, fi, out);
  out.push(`    return writer;`, `  },`);
  out.push(
    `  decode(input: ${BR} | Uint8Array, length?: number): ${N} {`,
    `    const reader = input instanceof ${BR} ? input : new ${BR}(input);`,
    `    const end = length === undefined ? reader.len : reader.pos + length;`,
    `    const message = createBase${N}();`,
    `    while (reader.pos < end) {`,
    `      const tag = reader.uint32();`,
    `      switch (tag >>> 3) {`,
  );
  for (const fi of infos) emitDecode(e, fi, out);
  out.push(`        default:`, `          reader.skipType(tag & 7);`, `          break;`, `      }`, `    }`, `    return message;`, `  },`);
  out.push(`  fromJSON(${o}: any): ${N} {`, `    const obj = createBase${N}();`);
  for (const fi of infos) emitFromJSON(e, fi, out);
  out.push(`    return obj;`, `  },`);
  out.push(`  toJSON(${m}: ${N}): ${JS}<${N}> {`, `    const obj: any = {};`);
  for (const fi of infos) emitToJSON(e, fi, out);
  out.push(`    return obj;`, `  },`);
  out.push(`  fromPartial<I extends ${EX}<${DP}<${N}>, I>>(${o}: I): ${N} {`, `    const message = createBase${N}();`);
  for (const fi of infos) emitFromPartial(e, fi, out);
  out.push(`    return message;`, `  },`, `};`);
}

function emitService(e: Emitter, svc: ServiceDef, out: string[]): void {
  const pkg = e.file.package;
  const full = `${pkg}.${svc.name}`;
  const resolve = (t: string): string => {
    const r = e.ref(t);
    if (!r || r.kind !== "message") throw new Error(`${e.file.path}: rpc type ${t} is not a message`);
    return e.typeName(r);
  };
  const methods = svc.methods.map((mt) => ({ mt, req: resolve(mt.requestType), res: resolve(mt.responseType) }));
  out.push("", `/** Full gRPC method paths of ${full}. */`);
  out.push(`export const ${svc.name}Methods = {`);
  for (const { mt } of methods) out.push(`  ${mt.name}: ${JSON.stringify(`/${full}/${mt.name}`)},`);
  out.push(`} as const;`);
  out.push(`/** Request and response codecs of each ${full} method. */`);
  out.push(`export const ${svc.name}MethodTypes = {`);
  for (const { mt, req, res } of methods) out.push(`  ${mt.name}: { request: ${req}, response: ${res} },`);
  out.push(`} as const;`);
  out.push(...docLines(svc.comment, ""));
  out.push(`export interface ${svc.name} {`);
  for (const { mt, req, res } of methods) {
    out.push(...docLines(mt.comment, "  "));
    out.push(`  ${lowerFirst(mt.name)}(request: ${req}): Promise<${res}>;`);
  }
  out.push(`}`);
  const Rpc = e.use("cosmjs-types/helpers", "Rpc");
  const BR = e.use("cosmjs-types/binary", "BinaryReader");
  out.push(
    `export class ${svc.name}ClientImpl implements ${svc.name} {`,
    `  private readonly rpc: ${Rpc};`,
    `  constructor(rpc: ${Rpc}) {`,
    `    this.rpc = rpc;`,
  );
  for (const { mt } of methods) out.push(`    this.${lowerFirst(mt.name)} = this.${lowerFirst(mt.name)}.bind(this);`);
  out.push(`  }`);
  for (const { mt, req, res } of methods) {
    out.push(
      `  ${lowerFirst(mt.name)}(request: ${req}): Promise<${res}> {`,
      `    const data = ${req}.encode(request).finish();`,
      `    const promise = this.rpc.request(${JSON.stringify(full)}, ${JSON.stringify(mt.name)}, data);`,
      `    return promise.then((data) => ${res}.decode(new ${BR}(data)));`,
      `  }`,
    );
  }
  out.push(`}`);
}

export function generateFile(file: ProtoFile, own: Map<string, ProtoFile>): string {
  const e = new Emitter(file, own);
  const body: string[] = [];
  body.push(`export const protobufPackage = ${JSON.stringify(file.package)};`);
  for (const name of file.order) {
    const en = file.enums.find((x) => x.name === name);
    if (en) emitEnum(en, body);
    const msg = file.messages.find((x) => x.name === name);
    if (msg) emitMessage(e, msg, body);
  }
  for (const svc of file.services) emitService(e, svc, body);
  const head = [
    `// Code generated by proto/gen.ts from ${file.path}. DO NOT EDIT.`,
    `// Regenerate with \`npm run proto:gen\`.`,
    `/* eslint-disable */`,
    ...e.importLines(),
  ];
  return [...head, ...body].join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Driver

function findProtos(root: string, dir = ""): string[] {
  const abs = path.join(root, dir);
  const out: string[] = [];
  for (const ent of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = dir ? `${dir}/${ent.name}` : ent.name;
    if (ent.isDirectory()) {
      // third_party: schemas of other projects that only the REST gateway reads (app/rest/protos.ts).
      if (rel === "gen" || rel === "third_party" || ent.name === "node_modules") continue;
      out.push(...findProtos(root, rel));
    } else if (ent.isFile() && ent.name.endsWith(".proto")) out.push(rel);
  }
  return out;
}

/** Parses every .proto under protoRoot and returns { "mira/claims/v1/claims.ts": source, ... }. */
export function generateAll(protoRoot: string): Map<string, string> {
  const own = new Map<string, ProtoFile>();
  for (const rel of findProtos(protoRoot)) own.set(rel, parseProto(fs.readFileSync(path.join(protoRoot, rel), "utf8"), rel));
  const out = new Map<string, string>();
  for (const [rel, f] of own) out.set(rel.replace(/\.proto$/, ".ts"), generateFile(f, own));
  return out;
}

/** Generates into outDir (default protoRoot/gen) and returns the files written, relative to outDir. */
export function generate(protoRoot: string, outDir = path.join(protoRoot, "gen")): string[] {
  const files = generateAll(protoRoot);
  const written: string[] = [];
  for (const [rel, src] of files) {
    const target = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, src);
    written.push(rel);
  }
  return written;
}

/** The repository's proto/ folder, from either proto/gen.ts or dist/proto/gen.js. */
export function defaultProtoRoot(): string {
  const fromDist = path.resolve(__dirname, "..", "..", "proto");
  if (fs.existsSync(path.join(fromDist, "gen.ts"))) return fromDist;
  return path.resolve(__dirname);
}

if (require.main === module) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : defaultProtoRoot();
  const out = process.argv[3] ? path.resolve(process.argv[3]) : path.join(root, "gen");
  for (const rel of generate(root, out)) console.log(`wrote ${path.relative(process.cwd(), path.join(out, rel))}`);
}
