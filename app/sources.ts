/**
 * The source types, one registration line each: how `validate` names it, and the module of its
 * collectors (collectors/<source>.ts), imported only when a source of that type is planned, so an
 * AWS-only run never loads the Azure or GitHub SDKs. SOURCE_TYPES (src/domain.ts) declares the
 * types; this map and the config fragments (src/config/sources/) must name each, or nothing compiles.
 */
import type { CollectorJob, CollectorPermissions, SourcePlugin } from "../src/collect.js";
import type { Config, SourceConfigOf } from "../src/config/schema.js";
import { SOURCE_TYPES, type SourceType } from "../src/domain.js";
import { ConfigError, type ConfigIssue } from "../src/errors.js";

interface SourceRegistration<K extends SourceType> {
  label: string;
  load: () => Promise<{ source: SourcePlugin<SourceConfigOf<K>, never> }>;
}

export const SOURCES = {
  aws: { label: "AWS", load: () => import("../collectors/aws.js") },
  azure: { label: "Azure", load: () => import("../collectors/azure.js") },
  github: { label: "GitHub", load: () => import("../collectors/github.js") },
} as const satisfies { [K in SourceType]: SourceRegistration<K> };

type PluginOf<K extends SourceType> = Awaited<ReturnType<(typeof SOURCES)[K]["load"]>>["source"];

/** Per source type, options for planning its jobs (tests and the demo shorten polling, for instance). */
export type PlanOptions = { [K in SourceType]?: Parameters<PluginOf<K>["plan"]>[1] };

/**
 * The jobs for the configured sources (only `wanted` ones, if given), loading each source type's
 * collectors when it has one. A source's `collectors` list keeps only those collectors' jobs; an
 * unknown name is a ConfigError naming the field and the names its source type offers.
 */
export async function planCollectorJobs(config: Config, options: PlanOptions = {}, wanted?: ReadonlySet<string>): Promise<CollectorJob[]> {
  const planned = await Promise.all(SOURCE_TYPES.map((type) => planType(type, config, options, wanted)));
  const issues = planned.flatMap((p) => p.issues);
  // The commands check the selection first, naming the file (collectorSelectionIssues); this is the backstop.
  if (issues.length > 0) throw new ConfigError("config", issues);
  return planned.flatMap((p) => p.jobs);
}

/** Each `sources.<type>[i].collectors` name that its source type has no collector of (loads only the types whose sources select collectors). */
export async function collectorSelectionIssues(config: Config): Promise<ConfigIssue[]> {
  const checked = await Promise.all(
    SOURCE_TYPES.filter((type) => config.sources[type].some((s) => s.collectors)).map(async (type) =>
      selectionIssues(type, config, (await SOURCES[type].load()).source),
    ),
  );
  return checked.flat();
}

interface Planned {
  jobs: CollectorJob[];
  issues: ConfigIssue[];
}

async function planType<K extends SourceType>(type: K, config: Config, options: PlanOptions, wanted: ReadonlySet<string> | undefined): Promise<Planned> {
  // config.sources[type] is that type's list; TypeScript cannot follow a generic key through the union.
  const sources = (config.sources[type] as unknown as readonly SourceConfigOf<K>[]).filter((s) => !wanted || wanted.has(s.name));
  if (sources.length === 0) return { jobs: [], issues: [] };
  const { source: plugin } = (await SOURCES[type].load()) as { source: SourcePlugin<SourceConfigOf<K>, PlanOptions[K]> };
  const issues = selectionIssues(type, config, plugin);
  if (issues.length > 0) return { jobs: [], issues };
  const jobs = sources.flatMap((s) => {
    const job = plugin.plan(s, options[type]);
    return s.collectors ? selectCollectors(job, new Set(s.collectors), plugin.collectors) : [job];
  });
  return { jobs, issues: [] };
}

function selectionIssues(type: SourceType, config: Config, plugin: { collectors: readonly CollectorPermissions[] }): ConfigIssue[] {
  // A discovery (no `produces`) is not a choice: every run of the source needs it.
  const names = plugin.collectors.filter((c) => c.produces).map((c) => c.name);
  return config.sources[type].flatMap((source, index) =>
    (source.collectors ?? []).flatMap((name, at) =>
      names.includes(name)
        ? []
        : [
            {
              path: `sources.${type}[${index}].collectors[${at}]`,
              message: `"${name}" is not one of the ${SOURCES[type].label} collectors, which are ${names.join(", ")}`,
            },
          ],
    ),
  );
}

/**
 * A source's job with only the selected collectors: collect jobs of others are dropped, and a
 * discovery answers (should it fail) for the selected collectors' evidence only, its children
 * filtered the same way when they are planned.
 */
function selectCollectors(job: CollectorJob, selected: ReadonlySet<string>, collectors: readonly CollectorPermissions[]): CollectorJob[] {
  if (job.kind === "collect") return selected.has(job.collector) ? [job] : [];
  const kinds = new Set(collectors.filter((c) => selected.has(c.name)).flatMap((c) => c.produces ?? []));
  return [
    {
      ...job,
      produces: job.produces.filter((kind) => kinds.has(kind)),
      discover: async (context) => {
        const found = await job.discover(context);
        return { evidence: found.evidence, jobs: found.jobs.flatMap((child) => selectCollectors(child, selected, collectors)) };
      },
    },
  ];
}

/** Every collector of every source type with its permissions (policy documents and their tests); loads every source. */
export async function allCollectors(): Promise<CollectorPermissions[]> {
  const plugins = await Promise.all(SOURCE_TYPES.map((type) => SOURCES[type].load()));
  return plugins.flatMap((p) => [...p.source.collectors]);
}
