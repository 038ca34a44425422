/**
 * The shape of AWS IAM evidence, shared by the collector (which validates what the API sent)
 * and the checks (which validate what the store gives back). Values stay exactly as AWS wrote
 * them (`N/A`, `not_supported`, `no_information`); the typed readers below interpret them.
 */
import { z } from "zod";

export const IAM_EVIDENCE = {
  credentialReport: "aws.iam.credential-report",
  passwordPolicy: "aws.iam.password-policy",
  accountSummary: "aws.iam.account-summary",
} as const;

export const ROOT_USER = "<root_account>";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const boolField = z.enum(["true", "false", "not_supported"]);
const dateField = z.string().refine((v) => v === "N/A" || v === "no_information" || v === "not_supported" || ISO_DATE.test(v), {
  message: "expected an ISO 8601 date, N/A, no_information or not_supported",
});
/** Region and service of last use: free text as AWS writes it (a region name, a service name, or N/A). */
const textField = z.string();

/**
 * One credential report row. The 16-column format (before April 2015) lacks the *_last_used_*
 * columns; they are optional here so old reports still parse.
 */
export const credentialReportRowSchema = z.object({
  user: z.string().min(1),
  arn: z.string().startsWith("arn:"),
  user_creation_time: dateField,
  password_enabled: boolField,
  password_last_used: dateField,
  password_last_changed: dateField,
  password_next_rotation: dateField,
  mfa_active: boolField,
  access_key_1_active: boolField,
  access_key_1_last_rotated: dateField,
  access_key_1_last_used_date: dateField.optional(),
  access_key_1_last_used_region: textField.optional(),
  access_key_1_last_used_service: textField.optional(),
  access_key_2_active: boolField,
  access_key_2_last_rotated: dateField,
  access_key_2_last_used_date: dateField.optional(),
  access_key_2_last_used_region: textField.optional(),
  access_key_2_last_used_service: textField.optional(),
  cert_1_active: boolField,
  cert_1_last_rotated: dateField,
  cert_2_active: boolField,
  cert_2_last_rotated: dateField,
});
export type CredentialReportRow = z.infer<typeof credentialReportRowSchema>;

export const REQUIRED_CREDENTIAL_REPORT_COLUMNS = Object.entries(credentialReportRowSchema.shape)
  .filter(([, schema]) => !schema.safeParse(undefined).success)
  .map(([name]) => name);

export const credentialReportEvidenceSchema = z.object({
  generatedTime: z.string().nullable(),
  reportFormat: z.string(),
  columns: z.array(z.string()),
  rows: z.array(credentialReportRowSchema),
});
export type CredentialReportEvidence = z.infer<typeof credentialReportEvidenceSchema>;

/** GetAccountPasswordPolicy. `passwordPolicy: null` records NoSuchEntity: the account has none. */
export const passwordPolicyEvidenceSchema = z.object({
  passwordPolicy: z
    .object({
      MinimumPasswordLength: z.number().int().optional(),
      RequireSymbols: z.boolean().optional(),
      RequireNumbers: z.boolean().optional(),
      RequireUppercaseCharacters: z.boolean().optional(),
      RequireLowercaseCharacters: z.boolean().optional(),
      AllowUsersToChangePassword: z.boolean().optional(),
      ExpirePasswords: z.boolean().optional(),
      MaxPasswordAge: z.number().int().optional(),
      PasswordReusePrevention: z.number().int().optional(),
      HardExpiry: z.boolean().optional(),
    })
    .nullable(),
});
export type PasswordPolicyEvidence = z.infer<typeof passwordPolicyEvidenceSchema>;

/** GetAccountSummary: the SummaryMap, e.g. AccountMFAEnabled, AccountAccessKeysPresent. */
export const accountSummaryEvidenceSchema = z.object({
  summaryMap: z.record(z.string(), z.number()),
});
export type AccountSummaryEvidence = z.infer<typeof accountSummaryEvidenceSchema>;

/** `true`/`false`; `null` for not_supported (e.g. root's password_enabled). */
export function reportBool(value: string | undefined): boolean | null {
  if (value === "true") return true;
  if (value === "false") return false;
  return null;
}

/** A date, or null for N/A, no_information, not_supported or a missing column. */
export function reportDate(value: string | undefined): Date | null {
  if (value === undefined || !ISO_DATE.test(value)) return null;
  return new Date(value);
}

/** The IAM user name for findings: root is shown as "root" rather than AWS's `<root_account>`. */
export function displayUser(row: CredentialReportRow): string {
  return row.user === ROOT_USER ? "root" : row.user;
}

export interface AccessKey {
  slot: 1 | 2;
  active: boolean;
  lastRotated: Date | null;
  lastUsed: Date | null;
}

export function accessKeys(row: CredentialReportRow): AccessKey[] {
  return [
    {
      slot: 1,
      active: row.access_key_1_active === "true",
      lastRotated: reportDate(row.access_key_1_last_rotated),
      lastUsed: reportDate(row.access_key_1_last_used_date),
    },
    {
      slot: 2,
      active: row.access_key_2_active === "true",
      lastRotated: reportDate(row.access_key_2_last_rotated),
      lastUsed: reportDate(row.access_key_2_last_used_date),
    },
  ];
}

/**
 * One row per principal. Real reports can list a user twice (seen in a recorded report: a user
 * deleted and re-created while the report was built); the later row describes the current user.
 */
export function principals(report: CredentialReportEvidence): CredentialReportRow[] {
  const byArn = new Map<string, CredentialReportRow>();
  for (const row of report.rows) byArn.set(row.arn, row);
  return [...byArn.values()];
}

/** IAM users (not root). */
export function iamUsers(report: CredentialReportEvidence): CredentialReportRow[] {
  return principals(report).filter((row) => row.user !== ROOT_USER);
}

/** Users who can sign in to the console: password_enabled true (never root, whose value is not_supported). */
export function consoleUsers(report: CredentialReportEvidence): CredentialReportRow[] {
  return iamUsers(report).filter((row) => row.password_enabled === "true");
}

export function rootRow(report: CredentialReportEvidence): CredentialReportRow | undefined {
  return report.rows.find((row) => row.user === ROOT_USER);
}
