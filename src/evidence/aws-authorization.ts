/**
 * IAM authorization details (GetAccountAuthorizationDetails), shared by the collector (which
 * validates what it stores) and the checks. Policy documents are stored URL-decoded and parsed
 * (AWS sends them URL-encoded); a document that is not JSON is kept as the decoded text, so a
 * check can say it cannot be read instead of the collector dropping it. The readers below
 * interpret statements strictly: anything IAM's policy grammar does not allow makes the document
 * unreadable, never silently harmless.
 */
import { z } from "zod";

export const AUTHORIZATION_EVIDENCE = "aws.iam.authorization-details";

const inlinePolicySchema = z.object({ name: z.string(), document: z.unknown() });
const attachedPolicySchema = z.object({ name: z.string(), arn: z.string() });

export const authorizationDetailsEvidenceSchema = z.object({
  users: z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      groups: z.array(z.string()),
      inlinePolicies: z.array(inlinePolicySchema),
      attachedPolicies: z.array(attachedPolicySchema),
    }),
  ),
  groups: z.array(
    z.object({ name: z.string(), arn: z.string(), inlinePolicies: z.array(inlinePolicySchema), attachedPolicies: z.array(attachedPolicySchema) }),
  ),
  roles: z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      path: z.string(),
      trustPolicy: z.unknown(),
      inlinePolicies: z.array(inlinePolicySchema),
      attachedPolicies: z.array(attachedPolicySchema),
    }),
  ),
  /** Customer managed policies only (Filter LocalManagedPolicy), every stored version. */
  policies: z.array(
    z.object({
      name: z.string(),
      arn: z.string(),
      defaultVersionId: z.string().nullable(),
      versions: z.array(z.object({ versionId: z.string(), isDefault: z.boolean(), document: z.unknown() })),
    }),
  ),
  /** The organisation's account ids as discovery listed them (ListAccounts); null when the source has no organization. */
  organizationAccounts: z.array(z.string()).nullable(),
});
export type AuthorizationDetailsEvidence = z.infer<typeof authorizationDetailsEvidenceSchema>;

/** AWS managed policies are not downloaded (see the collector): these are recognised by name. */
export const AWS_MANAGED_ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

export interface Statement {
  effect: "Allow" | "Deny";
  /** null when the statement uses NotAction. */
  actions: string[] | null;
  /** null when the statement uses NotResource (or has no Resource, as in a trust policy). */
  resources: string[] | null;
  /** The Principal element as written ("*" or an object of principal types). */
  principal: unknown;
  /** Condition keys, lower-cased, with their values, under any operator. */
  conditionKeys: Map<string, unknown[]>;
}

const stringOrList = (value: unknown): string[] | undefined =>
  typeof value === "string" ? [value] : Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;

/** The statements of a policy document, or why they cannot be read. */
export function statementsOf(document: unknown): Statement[] | string {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return "the document is not a JSON object";
  const raw = (document as Record<string, unknown>)["Statement"];
  const list = Array.isArray(raw) ? (raw as unknown[]) : raw !== undefined ? [raw] : undefined;
  if (!list) return "the document has no Statement";
  const out: Statement[] = [];
  for (const item of list) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return "a statement is not a JSON object";
    const s = item as Record<string, unknown>;
    const effect = s["Effect"];
    // IAM's grammar: exactly "Allow" or "Deny" (case-sensitive).
    if (effect !== "Allow" && effect !== "Deny") return `a statement has an Effect IAM does not define (${JSON.stringify(effect)})`;
    const actions = s["Action"] === undefined ? null : stringOrList(s["Action"]);
    if (actions === undefined || (actions === null && stringOrList(s["NotAction"]) === undefined)) return "a statement's Action cannot be read";
    const resources = s["Resource"] === undefined ? null : stringOrList(s["Resource"]);
    if (resources === undefined) return "a statement's Resource cannot be read";
    const conditionKeys = new Map<string, unknown[]>();
    const condition = s["Condition"];
    if (condition !== undefined) {
      if (typeof condition !== "object" || condition === null || Array.isArray(condition)) return "a statement's Condition cannot be read";
      for (const block of Object.values(condition as Record<string, unknown>)) {
        if (typeof block !== "object" || block === null || Array.isArray(block)) return "a statement's Condition cannot be read";
        for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
          const values = conditionKeys.get(key.toLowerCase()) ?? [];
          values.push(...(Array.isArray(value) ? (value as unknown[]) : [value]));
          conditionKeys.set(key.toLowerCase(), values);
        }
      }
    }
    out.push({ effect, actions, resources, principal: s["Principal"], conditionKeys });
  }
  return out;
}

/** An Allow of every action ("*" or "*:*") on every resource ("*"): full administrator rights. */
export function grantsEverything(statement: Statement): boolean {
  return statement.effect === "Allow" && (statement.actions ?? []).some((a) => a === "*" || a === "*:*") && (statement.resources ?? []).some((r) => r === "*");
}

/** Whether a trust statement allows sts:AssumeRole (directly or through a wildcard). */
export function allowsAssumeRole(statement: Statement): boolean {
  return statement.effect === "Allow" && (statement.actions ?? []).some((a) => /^(\*|sts:\*|sts:assumerole)$/i.test(a));
}

/**
 * The AWS principals a trust statement names: account ids (from an id or an IAM ARN), "*" for
 * anyone, or undefined when the Principal element cannot be read.
 */
export function awsPrincipalAccounts(principal: unknown): string[] | undefined {
  if (principal === "*") return ["*"];
  if (typeof principal !== "object" || principal === null || Array.isArray(principal)) return principal === undefined ? [] : undefined;
  const aws = (principal as Record<string, unknown>)["AWS"];
  if (aws === undefined) return [];
  const list = stringOrList(aws);
  if (!list) return undefined;
  const accounts = list.flatMap((p): (string | undefined)[] => {
    if (p === "*") return ["*"];
    if (/^\d{12}$/.test(p)) return [p];
    const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
    if (account) return [account];
    // A unique id (AROA…, AIDA…) is what IAM shows once the trusted principal was deleted: nobody can use it.
    return /^A[A-Z]{3}[A-Z0-9]{12,}$/.test(p) ? [] : [undefined];
  });
  return accounts.includes(undefined) ? undefined : accounts.filter((a): a is string => a !== undefined);
}
