/**
 * Each source type's config fragment (`sources.<type>[]`), one line per source type. The map must
 * name every SOURCE_TYPES entry, so adding a source type without its fragment does not compile.
 */
import type { z } from "zod";
import type { SourceType } from "../../domain.js";
import type { ConfigVocabulary } from "../fields.js";
import { awsSource } from "./aws.js";
import { azureSource } from "./azure.js";
import { githubSource } from "./github.js";

export const SOURCE_CONFIG_FRAGMENTS = {
  aws: awsSource,
  azure: azureSource,
  github: githubSource,
} as const satisfies { [K in SourceType]: (vocabulary: ConfigVocabulary) => z.ZodType<{ name: string; schedule?: unknown }> };

export type SourceConfigOf<K extends SourceType> = z.output<ReturnType<(typeof SOURCE_CONFIG_FRAGMENTS)[K]>>;
