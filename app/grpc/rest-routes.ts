// The REST routes: one per google.api.http rule (and additional binding) of every service in the
// schema, compiled from its path template ("/cosmos/bank/v1beta1/balances/{address}/by_denom",
// "/ibc/apps/transfer/v1/denom_traces/{hash=**}"), as grpc-gateway generates them.
import * as protobuf from "protobufjs";
import { fieldByName, RestInputError, valueFromJson } from "./rest-json";

export interface RestRoute {
  httpMethod: string;
  template: string;
  /** The gRPC method it calls, "/cosmos.bank.v1beta1.Query/Balance". */
  grpcPath: string;
  requestType: protobuf.Type;
  responseType: protobuf.Type;
  /** "*" (the whole request from the body), a field name, or "" (no body). */
  body: string;
  /** Field paths bound by the template's variables, in capture order. */
  variables: string[];
  pattern: RegExp;
  /** Sort key: more literal segments first, then templates without "**". */
  literals: number;
  greedy: boolean;
}

interface HttpRule {
  get?: string;
  post?: string;
  put?: string;
  delete?: string;
  patch?: string;
  body?: string;
  additional_bindings?: HttpRule | HttpRule[];
}

/** Every route of every service in `schema`, most specific first. */
export function routesOf(schema: protobuf.Root): RestRoute[] {
  const routes: RestRoute[] = [];
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      if (obj instanceof protobuf.Service) {
        for (const method of obj.methodsArray) {
          const rule = httpRuleOf(method);
          if (!rule) continue;
          const grpcPath = `/${obj.fullName.slice(1)}/${method.name}`;
          method.resolve();
          for (const binding of [rule, ...toArray(rule.additional_bindings)]) {
            const route = compile(binding, grpcPath, method);
            if (route) routes.push(route);
          }
        }
      }
      if (obj instanceof protobuf.Namespace) visit(obj);
    }
  };
  visit(schema);
  return routes.sort((a, b) => b.literals - a.literals || Number(a.greedy) - Number(b.greedy));
}

function toArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function httpRuleOf(method: protobuf.Method): HttpRule | undefined {
  for (const option of method.parsedOptions ?? []) {
    const rule = (option as Record<string, unknown>)["(google.api.http)"];
    if (rule) return rule as HttpRule;
  }
  return undefined;
}

function compile(rule: HttpRule, grpcPath: string, method: protobuf.Method): RestRoute | undefined {
  const verb = (["get", "post", "put", "delete", "patch"] as const).find((v) => typeof rule[v] === "string");
  if (!verb) return undefined;
  const template = rule[verb]!;
  const { source, variables, literals, greedy } = templateRegex(template);
  return {
    httpMethod: verb.toUpperCase(),
    template,
    grpcPath,
    requestType: method.resolvedRequestType!,
    responseType: method.resolvedResponseType!,
    body: rule.body ?? "",
    variables,
    pattern: new RegExp(`^${source}$`),
    literals,
    greedy,
  };
}

/** A path template as a regular expression over the raw (still percent-encoded) path. */
export function templateRegex(template: string): { source: string; variables: string[]; literals: number; greedy: boolean } {
  let rest = template;
  let verb = "";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("}") && colon > rest.lastIndexOf("/")) {
    verb = rest.slice(colon);
    rest = rest.slice(0, colon);
  }
  const variables: string[] = [];
  let literals = 0;
  let greedy = false;
  const segmentRegex = (seg: string): string => {
    if (seg === "*") return "[^/]+";
    if (seg === "**") {
      greedy = true;
      return ".+";
    }
    literals++;
    return escape(seg);
  };
  const parts: string[] = [];
  for (const token of rest.match(/\{[^}]*\}|[^/{}]+/g) ?? []) {
    if (token.startsWith("{")) {
      const [field, sub] = token.slice(1, -1).split("=", 2) as [string, string | undefined];
      variables.push(field);
      parts.push(`(${sub === undefined ? "[^/]+" : sub.split("/").map(segmentRegex).join("/")})`);
    } else parts.push(segmentRegex(token));
  }
  return { source: `/${parts.join("/")}${escape(verb)}`, variables, literals, greedy };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Sets a (dotted) field path of the request object from a parameter's text, as grpc-gateway's
 * PopulateQueryParameters does: a repeated field gathers every value; unknown names are ignored.
 */
export function setFieldPath(type: protobuf.Type, obj: Record<string, unknown>, fieldPath: string, text: string): void {
  const names = fieldPath.split(".");
  let current = obj;
  let currentType = type;
  for (let i = 0; i < names.length; i++) {
    const field = fieldByName(currentType, names[i]);
    if (!field) return;
    field.resolve();
    if (i < names.length - 1) {
      if (!(field.resolvedType instanceof protobuf.Type) || field.repeated) return;
      const next = (current[field.name] as Record<string, unknown> | undefined) ?? {};
      current[field.name] = next;
      current = next;
      currentType = field.resolvedType;
      continue;
    }
    if (field.resolvedType instanceof protobuf.Type) {
      throw new RestInputError(`${fieldPath}: a message field cannot be set from a parameter`);
    }
    const value = valueFromJson(field, text, fieldPath);
    if (field.repeated) {
      const list = (current[field.name] as unknown[] | undefined) ?? [];
      list.push(value);
      current[field.name] = list;
    } else current[field.name] = value;
  }
}
