/**
 * Amazon Inspector, one account and region: whether Inspector scans the account's EC2
 * instances, ECR images and Lambda functions there (BatchGetAccountStatus, one call), and the
 * account's ACTIVE CRITICAL and HIGH findings (ListFindings, filtered by AWS to this account,
 * that status and those severities, 100 a page). Findings are listed only where the account's
 * Inspector is enabled: elsewhere there is nothing to list, and the stored evidence says so.
 * The filter is stored with the findings, so a reader knows what the list cannot contain.
 *
 * The SDK client is imported when a job runs, so a run that plans no such job never loads it.
 * Fetches and validates; never judges.
 */
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import {
  FINDINGS_FILTER,
  INSPECTOR_EVIDENCE,
  INSPECTOR_NOT_ENABLED,
  SCAN_TYPES,
  accountStatusEvidenceSchema,
  findingsEvidenceSchema,
  type InspectorState,
} from "../../src/evidence/aws-inspector.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { awsClientConfig, describeAwsError, type AwsCredentials, type AwsRetryStrategy } from "./clients.js";
import { loadPackage } from "../load-package.js";

export const AWS_INSPECTOR_COLLECTOR = "aws.inspector";

export interface AwsInspectorOptions {
  source: AwsSourceConfig;
  account: string;
  region: string;
  credentials?: AwsCredentials;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

interface SdkState {
  status?: string | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
}

function state(value: SdkState | undefined): InspectorState {
  return { status: value?.status ?? null, errorCode: value?.errorCode ?? null, errorMessage: value?.errorMessage ?? null };
}

export const awsInspectorCollector: CollectorDefinition<AwsInspectorOptions> = {
  name: AWS_INSPECTOR_COLLECTOR,
  sourceType: "aws",
  produces: [INSPECTOR_EVIDENCE.accountStatus, INSPECTOR_EVIDENCE.findings],
  permissions: ["inspector2:BatchGetAccountStatus", "inspector2:ListFindings"],
  async collect(options, context) {
    const { source, account, region } = options;
    const { Inspector2Client, BatchGetAccountStatusCommand, ListFindingsCommand } = await loadPackage(import("@aws-sdk/client-inspector2"));
    const client = new Inspector2Client(awsClientConfig(source, region, options.credentials, options.retryStrategy));
    const call = { abortSignal: context.signal };
    const fail = (apiCall: string, error: unknown, message?: string): never => {
      if (error instanceof CollectorError) throw error;
      // The message names the IAM action to grant, not only the API call.
      throw new CollectorError(
        { collector: AWS_INSPECTOR_COLLECTOR, source: source.name, account, region, apiCall },
        message ?? describeAwsError(error, `inspector2:${apiCall}`),
        { cause: error },
      );
    };
    const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region }, context);

    try {
      const status = await client
        .send(new BatchGetAccountStatusCommand({ accountIds: [account] }), call)
        .catch((e: unknown) => fail("BatchGetAccountStatus", e));
      const accountStatus = accountStatusEvidenceSchema.safeParse({
        accounts: (status.accounts ?? []).map((a) => ({
          accountId: a.accountId ?? "",
          state: state(a.state),
          resourceState: Object.fromEntries(SCAN_TYPES.flatMap((type) => (a.resourceState?.[type] ? [[type, state(a.resourceState[type])]] : []))),
        })),
        failedAccounts: (status.failedAccounts ?? []).map((f) => ({
          accountId: f.accountId ?? "",
          errorCode: f.errorCode ?? null,
          errorMessage: f.errorMessage ?? null,
        })),
      });
      if (!accountStatus.success)
        return fail("BatchGetAccountStatus", accountStatus.error, "malformed response: BatchGetAccountStatus's accounts cannot be read");
      const statusData = accountStatus.data;
      const own = statusData.accounts.find((a) => a.accountId === account);
      const filter = { awsAccountId: account, findingStatus: [...FINDINGS_FILTER.findingStatus], severity: [...FINDINGS_FILTER.severity] };

      // An account whose Inspector is off has no findings to list: one call instead of two.
      if (own?.state.status !== "ENABLED") {
        return [
          evidence(INSPECTOR_EVIDENCE.accountStatus, "BatchGetAccountStatus", statusData),
          evidence(INSPECTOR_EVIDENCE.findings, "BatchGetAccountStatus", { filter, findings: [], notListed: INSPECTOR_NOT_ENABLED }),
        ];
      }

      const equals = (value: string) => ({ comparison: "EQUALS" as const, value });
      const listed = await collectAll("ListFindings", async (nextToken) => {
        const page = await client.send(
          new ListFindingsCommand({
            filterCriteria: {
              awsAccountId: [equals(account)],
              findingStatus: filter.findingStatus.map(equals),
              severity: filter.severity.map(equals),
            },
            maxResults: 100,
            nextToken,
          }),
          call,
        );
        return { items: page.findings ?? [], next: page.nextToken };
      }).catch((e: unknown) => fail("ListFindings", e));
      const findings = findingsEvidenceSchema.safeParse({
        filter,
        findings: listed.map((f) => ({
          findingArn: f.findingArn ?? "",
          severity: f.severity ?? "",
          status: f.status ?? "",
          type: f.type ?? null,
          title: f.title ?? null,
          vulnerabilityId: f.packageVulnerabilityDetails?.vulnerabilityId ?? null,
          firstObservedAt: f.firstObservedAt ? f.firstObservedAt.toISOString() : null,
          lastObservedAt: f.lastObservedAt ? f.lastObservedAt.toISOString() : null,
          fixAvailable: f.fixAvailable ?? null,
          resources: (f.resources ?? []).map((r) => ({ type: r.type ?? null, id: r.id ?? "" })),
        })),
      });
      if (!findings.success) return fail("ListFindings", findings.error, "malformed response: ListFindings' findings cannot be read");
      return [
        evidence(INSPECTOR_EVIDENCE.accountStatus, "BatchGetAccountStatus", statusData),
        evidence(INSPECTOR_EVIDENCE.findings, "ListFindings", findings.data),
      ];
    } finally {
      client.destroy();
    }
  },
};
