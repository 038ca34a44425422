/**
 * The shape every collector shares: a name, the evidence kinds it produces, the permissions it
 * uses (least-privilege policies are generated from these), and a `collect` that does I/O only.
 */
import type { CollectContext } from "../src/collect.js";
import type { Evidence, Scope, SourceType } from "../src/domain.js";

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

/**
 * The evidence builder every collector uses: stamps where (scope) and when (the context's clock)
 * on each payload. `scope` may be a function when the account is learnt during collection.
 */
export function evidenceFor(scope: Scope | (() => Scope), context: Pick<CollectContext, "now">) {
  return (kind: string, apiCall: string, payload: unknown): Evidence => ({
    ...(typeof scope === "function" ? scope() : scope),
    kind,
    apiCall,
    collectedAt: context.now().toISOString(),
    payload,
  });
}
