/**
 * The source types, one registration line each: how `validate` names it, and the module of its
 * collectors (collectors/<source>.ts), imported only when a source of that type is planned, so an
 * AWS-only run never loads the Azure or GitHub SDKs. SOURCE_TYPES (src/domain.ts) declares the
 * types; this map and the config fragments (src/config/sources/) must name each, or nothing compiles.
 */
import type { CollectorJob, CollectorPermissions, SourcePlugin } from "../src/collect.js";
import type { Config, SourceConfigOf } from "../src/config/schema.js";
import { SOURCE_TYPES, type SourceType } from "../src/domain.js";

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

/** The jobs for the configured sources (only `wanted` ones, if given), loading each source type's collectors when it has one. */
export async function planCollectorJobs(config: Config, options: PlanOptions = {}, wanted?: ReadonlySet<string>): Promise<CollectorJob[]> {
  const planned = await Promise.all(SOURCE_TYPES.map((type) => planType(type, config, options, wanted)));
  return planned.flat();
}

async function planType<K extends SourceType>(type: K, config: Config, options: PlanOptions, wanted: ReadonlySet<string> | undefined): Promise<CollectorJob[]> {
  // config.sources[type] is that type's list; TypeScript cannot follow a generic key through the union.
  const sources = (config.sources[type] as unknown as readonly SourceConfigOf<K>[]).filter((s) => !wanted || wanted.has(s.name));
  if (sources.length === 0) return [];
  const { source: plugin } = (await SOURCES[type].load()) as { source: SourcePlugin<SourceConfigOf<K>, PlanOptions[K]> };
  return sources.map((s) => plugin.plan(s, options[type]));
}

/** Every collector of every source type with its permissions (policy documents and their tests); loads every source. */
export async function allCollectors(): Promise<CollectorPermissions[]> {
  const plugins = await Promise.all(SOURCE_TYPES.map((type) => SOURCES[type].load()));
  return plugins.flatMap((p) => [...p.source.collectors]);
}
