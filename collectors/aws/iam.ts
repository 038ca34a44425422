/**
 * AWS IAM: the credential report (GenerateCredentialReport, then GetCredentialReport: two calls
 * whatever the number of users, more only while AWS is still generating it), read by every IAM
 * user and root check (root MFA included: its row says what GetAccountSummary's AccountMFAEnabled
 * would), and the account password policy, read by the password-policy check. Nothing else: no
 * call per user, no account summary. STS GetCallerIdentity only when used on its own without an
 * account (discovery always knows it). Fetches and validates; never judges.
 */
import {
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  IAMClient,
  NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { Evidence } from "../../src/domain.js";
import { CollectorError } from "../../src/errors.js";
import { IAM_EVIDENCE, REQUIRED_CREDENTIAL_REPORT_COLUMNS, credentialReportRowSchema, type CredentialReportEvidence } from "../../src/evidence/aws-iam.js";
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { evidenceFor, type CollectContext, type CollectorDefinition } from "../types.js";
import { awsClientConfig, describeAwsError, sleep, type AwsCredentials, type AwsRetryStrategy } from "./clients.js";
import { parseCsv } from "./csv.js";

export const AWS_IAM_COLLECTOR = "aws.iam";
export const CALLER_IDENTITY_EVIDENCE = "aws.sts.caller-identity";

export interface AwsIamOptions {
  source: AwsSourceConfig;
  /** Credentials of an assumed role; the source's own otherwise. */
  credentials?: AwsCredentials;
  /** The account, when discovery already knows it (then GetCallerIdentity is not called again). */
  account?: string;
  /** First wait between credential-report polls, doubled each time up to 5 s. Default 500 ms. */
  pollIntervalMs?: number;
  /** Give up waiting for the credential report after this long. Default 120 s. */
  maxWaitMs?: number;
  /** Waits between credential-report polls; default a real timer. Tests pass one that does not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

export const awsIamCollector: CollectorDefinition<AwsIamOptions> = {
  name: AWS_IAM_COLLECTOR,
  sourceType: "aws",
  produces: [IAM_EVIDENCE.credentialReport, IAM_EVIDENCE.passwordPolicy],
  permissions: ["sts:GetCallerIdentity", "iam:GenerateCredentialReport", "iam:GetCredentialReport", "iam:GetAccountPasswordPolicy"],
  async collect(options, context) {
    const { source } = options;
    // IAM is global: one client per account, in the source's global region (its partition).
    const iam = new IAMClient(awsClientConfig(source, source.globalRegion, options.credentials, options.retryStrategy));
    const sts = new STSClient(awsClientConfig(source, source.globalRegion, options.credentials, options.retryStrategy));
    const call = { abortSignal: context.signal };
    let account: string | undefined = options.account;
    const fail = (apiCall: string, error: unknown): never => {
      if (error instanceof CollectorError) throw error;
      throw new CollectorError({ collector: AWS_IAM_COLLECTOR, source: source.name, account, region: "global", apiCall }, describeAwsError(error, apiCall), {
        cause: error,
      });
    };
    const evidence = evidenceFor(() => ({ source: source.name, sourceType: "aws", account: account ?? "unknown", region: "global" }), context);

    try {
      const out: Evidence[] = [];
      if (!account) {
        const identity = await sts.send(new GetCallerIdentityCommand({}), call).catch((e: unknown) => fail("GetCallerIdentity", e));
        if (!identity.Account) fail("GetCallerIdentity", new Error("the response has no Account"));
        account = identity.Account;
        out.push(evidence(CALLER_IDENTITY_EVIDENCE, "GetCallerIdentity", { account: identity.Account, arn: identity.Arn ?? null }));
      }

      // Two independent reads side by side: the report may take a few polls to be ready.
      const [report, passwordPolicy] = await Promise.all([
        fetchCredentialReport(iam, options, context).catch((e: unknown) => fail("GetCredentialReport", e)),
        iam.send(new GetAccountPasswordPolicyCommand({}), call).then(
          (response): unknown => response.PasswordPolicy ?? null,
          // NoSuchEntity is an answer, not a failure: the account has no password policy.
          (error: unknown) => (error instanceof NoSuchEntityException ? null : fail("GetAccountPasswordPolicy", error)),
        ),
      ]);
      out.push(evidence(IAM_EVIDENCE.credentialReport, "GenerateCredentialReport+GetCredentialReport", report));
      out.push(evidence(IAM_EVIDENCE.passwordPolicy, "GetAccountPasswordPolicy", { passwordPolicy }));
      return out;
    } finally {
      iam.destroy();
      sts.destroy();
    }
  },
};

async function fetchCredentialReport(iam: IAMClient, options: AwsIamOptions, context: CollectContext): Promise<CredentialReportEvidence> {
  const call = { abortSignal: context.signal };
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  let delay = options.pollIntervalMs ?? 500;
  const started = Date.now();
  const pause = options.sleep ?? sleep;
  const waitOrGiveUp = async (why: string) => {
    if (Date.now() - started + delay > maxWaitMs) {
      throw new Error(`the credential report was still not ready after ${Math.round(maxWaitMs / 1000)} s (${why})`);
    }
    await pause(delay, context.signal);
    delay = Math.min(delay * 2, 5000);
  };

  // Generate returns COMPLETE when a report younger than four hours exists; otherwise poll it.
  for (;;) {
    const generated = await iam.send(new GenerateCredentialReportCommand({}), call);
    if (generated.State === "COMPLETE") break;
    await waitOrGiveUp(`state ${generated.State ?? "unknown"}`);
  }
  for (;;) {
    try {
      const response = await iam.send(new GetCredentialReportCommand({}), call);
      return parseCredentialReport(response.Content, response.ReportFormat, response.GeneratedTime);
    } catch (error) {
      if (!(error instanceof CredentialReportNotReadyException)) throw error;
      await waitOrGiveUp("ReportInProgress");
    }
  }
}

/** Parses and validates the report CSV; any deviation from AWS's format is a malformed response. */
export function parseCredentialReport(
  content: Uint8Array | undefined,
  reportFormat: string | undefined,
  generatedTime: Date | undefined,
): CredentialReportEvidence {
  if (!content || content.length === 0) throw new Error("malformed credential report: the response has no Content");
  if (reportFormat !== undefined && reportFormat !== "text/csv") {
    throw new Error(`malformed credential report: expected ReportFormat text/csv, got ${reportFormat}`);
  }
  const text = Buffer.from(content).toString("utf8");
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    throw new Error(`malformed credential report: ${(error as Error).message}`, { cause: error });
  }
  const [columns, ...lines] = table;
  if (!columns) throw new Error("malformed credential report: the CSV is empty");
  const missing = REQUIRED_CREDENTIAL_REPORT_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new Error(`malformed credential report: the header lacks ${missing.join(", ")}`);
  const rows = lines
    .filter((line) => !(line.length === 1 && line[0] === ""))
    .map((line, index) => {
      if (line.length !== columns.length) {
        throw new Error(`malformed credential report: line ${index + 2} has ${line.length} fields, the header has ${columns.length}`);
      }
      const record = Object.fromEntries(columns.map((column, i) => [column, line[i] ?? ""]));
      const parsed = credentialReportRowSchema.safeParse(record);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const column = String(issue?.path[0] ?? "");
        throw new Error(
          `malformed credential report: line ${index + 2}, column ${column}: ${issue?.message ?? "invalid"} (got ${JSON.stringify(record[column] ?? "")})`,
        );
      }
      // Keep every column AWS sent, including ones this version does not know.
      return { ...record, ...parsed.data };
    });
  return { generatedTime: generatedTime ? generatedTime.toISOString() : null, reportFormat: reportFormat ?? "text/csv", columns, rows };
}
