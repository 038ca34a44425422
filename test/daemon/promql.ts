/**
 * Just enough PromQL to say which metric names and label names a query uses, and just enough of
 * the Prometheus text format to say which a scrape has: what keeps the Grafana dashboard's queries
 * to the daemon's real metrics. Not a PromQL parser: functions, aggregation operators, keywords,
 * numbers, durations, strings and Grafana's `$variables` are skipped; anything it does not
 * recognise throws, so a query it cannot read fails the test instead of passing it unread.
 */

export interface QueryNames {
  metrics: string[];
  labels: string[];
}

type Token = { kind: "ident" | "string" | "number" | "variable" | "punct"; text: string };

const IDENT = /^[A-Za-z_:][A-Za-z0-9_:]*/;
// Numbers and durations (5m, 1h30m, 0x1f, 1e3, .5); inf and nan are identifiers below.
const NUMBER = /^(0x[0-9a-fA-F]+|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(ms|[smhdwy])?(\d+(ms|[smhdwy]))*)/;
// Grafana's template variables: $__range, $__rate_interval, ${name}, ${name:format}, [[name]] is not used.
const VARIABLE = /^\$(\{[^}]+\}|[A-Za-z_][A-Za-z0-9_]*)/;
const PUNCT = /^(==|!=|=~|!~|>=|<=|[{}()[\],=<>+\-*/%^@:])/;

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let rest = query;
  while (rest.length > 0) {
    const space = /^(\s+|#[^\n]*)/.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      let end = 1;
      while (end < rest.length && rest[end] !== quote) end += quote !== "`" && rest[end] === "\\" ? 2 : 1;
      if (end >= rest.length) throw new Error(`unterminated string in: ${query}`);
      tokens.push({ kind: "string", text: rest.slice(0, end + 1) });
      rest = rest.slice(end + 1);
      continue;
    }
    const match =
      (
        [
          ["variable", VARIABLE],
          ["number", NUMBER],
          ["ident", IDENT],
          ["punct", PUNCT],
        ] as const
      )
        .map(([kind, re]) => ({ kind, m: re.exec(rest) }))
        .find((x) => x.m !== null) ?? null;
    if (!match?.m) throw new Error(`cannot read PromQL at "${rest.slice(0, 20)}" in: ${query}`);
    tokens.push({ kind: match.kind, text: match.m[0] });
    rest = rest.slice(match.m[0].length);
  }
  return tokens;
}

/** Keywords that take a list of label names in parentheses. */
const LABEL_LIST_KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
/** Words that are never metric names, wherever they stand. */
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan", "atan2"]);

/** The metric names and label names a PromQL expression uses. */
export function namesInQuery(query: string): QueryNames {
  const tokens = tokenize(query);
  const metrics = new Set<string>();
  const labels = new Set<string>();
  const at = (i: number) => tokens[i];
  const expect = (i: number, text: string) => {
    if (at(i)?.text !== text) throw new Error(`expected "${text}" at token ${i} ("${at(i)?.text ?? "end"}") in: ${query}`);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = at(i);
    if (!token) break;
    if (token.text === "[") {
      // A range or subquery: durations and Grafana variables only.
      while (at(i) && at(i)?.text !== "]") i++;
      expect(i, "]");
      continue;
    }
    if (token.text === "{") {
      // Label matchers: name op "value", ...
      for (i++; at(i)?.text !== "}"; i++) {
        const name = at(i);
        if (name?.kind !== "ident") throw new Error(`expected a label name, got "${name?.text ?? "end"}" in: ${query}`);
        const op = at(i + 1)?.text ?? "";
        const value = at(i + 2);
        if (!["=", "!=", "=~", "!~"].includes(op) || value?.kind !== "string") throw new Error(`expected a label matcher after "${name.text}" in: ${query}`);
        if (name.text === "__name__") metrics.add(JSON.parse(value.text.replace(/^'|'$/g, '"')) as string);
        else labels.add(name.text);
        i += 3;
        if (at(i)?.text !== ",") break;
      }
      expect(i, "}");
      continue;
    }
    if (token.kind !== "ident") continue;
    // Keywords are case-insensitive in PromQL (BY, Without).
    const next = at(i + 1)?.text.toLowerCase();
    if (LABEL_LIST_KEYWORDS.has(token.text.toLowerCase())) {
      // group_left / group_right may stand without a list.
      if (next !== "(") continue;
      for (i += 2; at(i)?.text !== ")"; i++) {
        const name = at(i);
        if (name?.kind !== "ident") throw new Error(`expected a label name in ${token.text} (...), got "${name?.text ?? "end"}" in: ${query}`);
        labels.add(name.text);
        if (at(i + 1)?.text === ",") i++;
      }
      expect(i, ")");
      continue;
    }
    if (KEYWORDS.has(token.text.toLowerCase())) continue;
    // A function, or an aggregation operator (followed by its arguments or by `by`/`without`).
    if (next === "(" || next === "by" || next === "without") continue;
    metrics.add(token.text);
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}

/** Label names a Grafana legend format refers to: `{{objective}} target`. */
export function namesInLegend(format: string): string[] {
  return [...format.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1] ?? "");
}

/** Each sampled metric of a Prometheus text exposition and the label names its samples carry. */
export function namesInScrape(text: string): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+\S+/.exec(line);
    if (!sample?.[1]) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels = metrics.get(sample[1]) ?? new Set<string>();
    for (const m of (sample[3] ?? "").matchAll(/([A-Za-z_][A-Za-z0-9_]*)="(?:[^"\\]|\\.)*"/g)) labels.add(m[1] ?? "");
    metrics.set(sample[1], labels);
  }
  return metrics;
}

/**
 * What a query uses that a scrape does not have: metrics with no sample, and label names (in
 * matchers, `by (...)`, `without (...)` or the legend) carried by none of the query's metrics.
 */
export function missingNames(query: string, legend: string, scrape: Map<string, Set<string>>): string[] {
  const { metrics, labels } = namesInQuery(query);
  const problems = metrics.filter((m) => !scrape.has(m)).map((m) => `metric ${m}`);
  const carried = new Set(metrics.flatMap((m) => [...(scrape.get(m) ?? [])]));
  for (const label of new Set([...labels, ...namesInLegend(legend)])) if (!carried.has(label)) problems.push(`label ${label}`);
  return problems;
}
