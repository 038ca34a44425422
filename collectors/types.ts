/**
 * The shape every collector shares: a name, the evidence kinds it produces, the permissions it
 * uses (least-privilege policies are generated from these), and a `collect` that does I/O only.
 */
import type { CollectContext } from "../src/collect.js";
import type { Evidence, SourceType } from "../src/domain.js";

export type { CollectContext, CollectorJob } from "../src/collect.js";

export interface CollectorDefinition<Options> {
  /** e.g. "aws.iam" */
  name: string;
  sourceType: SourceType;
  produces: readonly string[];
  /** Vendor permission names, e.g. "iam:GenerateCredentialReport". */
  permissions: readonly string[];
  collect(options: Options, context: CollectContext): Promise<Evidence[]>;
}
