/**
 * `sources.aws[]`: one AWS account or Organization. Read by collectors/aws/.
 */
import { z } from "zod";
import {
  collectorSelection,
  requestConcurrency,
  awsRegion,
  controlId,
  httpUrl,
  maxResponseMiB,
  name,
  sourceSchedule,
  type ConfigVocabulary,
} from "../fields.js";

const awsAccountId = z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id (quote it in YAML)");

/** The fragment, its control ids judged by `control` (configRules map rules to controls). */
function awsSourceWith(control: z.ZodType<string>) {
  return z
    .object({
      name: name.describe("Your name for this source; it appears in every finding."),
      schedule: sourceSchedule,
      regions: z
        .union([z.literal("all"), z.array(awsRegion).min(1, "expected at least one region")], {
          error: 'expected "all" or a list of regions such as [eu-west-1]',
        })
        .describe('Regions to collect from, or "all" for every region enabled in each account. IAM is global and is collected once per account.'),
      globalRegion: awsRegion
        .default("us-east-1")
        .describe("Region for global services (IAM, STS, Organizations) and for listing regions: us-gov-west-1 in GovCloud, cn-north-1 in China."),
      profile: z.string().min(1).optional().describe("A named profile from ~/.aws/config; the SDK's default credential chain otherwise."),
      endpoint: httpUrl.optional().describe("Endpoint override for every AWS client of this source (GovCloud, VPC endpoints, tests)."),
      organization: z
        .object({
          roleName: z.string().min(1).describe("The read-only role in every member account, e.g. IsmsAgentReadOnly."),
          externalId: z.string().min(1).optional().describe("The role's external id; read it from the environment."),
        })
        .strict()
        .optional()
        .describe("Collect every ACTIVE account of the AWS Organization, assuming this role in each."),
      accounts: z
        .array(
          z
            .object({
              id: awsAccountId,
              roleArn: z
                .string()
                .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "expected an IAM role ARN")
                .optional(),
              externalId: z.string().min(1).optional(),
            })
            .strict(),
        )
        .min(1)
        .optional()
        .describe("An explicit list of accounts, each with the role to assume (none: use the source's own credentials)."),
      configRules: z
        .record(z.string().min(1), z.array(control))
        .default({})
        .describe("Your own AWS Config rules, by name, mapped to the Annex A controls they support."),
      concurrency: z.number().int().min(1).max(64).default(4).describe("How many collectors of this source run at once."),
      requestConcurrency,
      maxResponseMiB,
      collectors: collectorSelection,
    })
    .strict()
    .superRefine((source, ctx) => {
      if (source.organization && source.accounts) {
        ctx.addIssue({ code: "custom", path: ["accounts"], message: "give either organization or accounts, not both" });
      }
      source.accounts?.forEach((account, index) => {
        const arnAccount = account.roleArn ? /::(\d{12}):role\//.exec(account.roleArn)?.[1] : undefined;
        if (arnAccount && arnAccount !== account.id) {
          ctx.addIssue({ code: "custom", path: ["accounts", index, "roleArn"], message: `the role ARN is in account ${arnAccount}, not ${account.id}` });
        }
      });
    });
}

/** In the config: configRules name controls of the vocabulary's catalog. */
export function awsSource(vocabulary: ConfigVocabulary) {
  return awsSourceWith(controlId(vocabulary, "A.8.24"));
}

/** The fragment alone (collector tests): configRules' control ids are judged only by the assembled config schema. */
export const awsSourceSchema = awsSourceWith(z.string());
export type AwsSourceConfig = z.output<typeof awsSourceSchema>;
