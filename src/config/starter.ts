/** The commented starter config `isms-agent init` writes. Kept valid by a test. */
export const STARTER_CONFIG = `# isms-agent configuration. Check it with: isms-agent validate
# Every value may use \${ENV_VAR} (or \${ENV_VAR:-default}); secrets belong in the environment,
# never in this file.
# yaml-language-server: $schema=./node_modules/isms-agent/config/isms-agent.schema.json

organization: Example Ltd

# The SQLite evidence store and the folder reports are written to (relative to this file).
database: ./data/evidence.db
output: ./out

sources:
  aws:
    - name: production
      # IAM is global and is collected once; later collectors use every region listed.
      regions: [eu-west-1]
      # Credentials come from the AWS SDK's default chain (environment, SSO, instance role),
      # or from a named profile in ~/.aws/config:
      # profile: prod
      # An endpoint override for every AWS client of this source (GovCloud, VPC endpoints):
      # endpoint: https://iam.amazonaws.com
      # Every ACTIVE account of your AWS Organization, through a read-only role in each
      # (config/permissions/aws-member-role.cfn.yaml):
      # organization:
      #   roleName: IsmsAgentReadOnly
      #   externalId: \${ISMS_EXTERNAL_ID}
      # Your own AWS Config rules, mapped to the Annex A controls they support:
      # configRules:
      #   my-custom-tls-rule: [A.8.24]
  azure: []
  #  - name: corp
  #    tenantId: 00000000-0000-0000-0000-000000000000
  #    subscriptions: all
  #    credential: default          # or a service principal from the environment:
  #    # credential:
  #    #   type: client-secret
  #    #   clientId: 11111111-1111-1111-1111-111111111111
  #    #   clientSecret: \${AZURE_CLIENT_SECRET}
  github: []
  #  - name: acme
  #    org: acme
  #    token: \${GITHUB_TOKEN}      # or app: { appId: 123, privateKeyPath: ./key.pem, installationId: 456 }

# Thresholds per check; the values shown are the defaults.
checks:
  aws.iam.access-key-rotation:
    maxAgeDays: 90
  aws.iam.unused-credentials:
    maxUnusedDays: 90
  aws.iam.password-policy:
    minimumLength: 14
    requireSymbols: true
    requireNumbers: true
    requireUppercase: true
    requireLowercase: true
    reusePrevention: 24
    maxAgeDays: null        # null: password expiry not required (NIST SP 800-63B advises against it)

# SMART objectives: measured every run, judged against the target and the deadline.
objectives:
  - id: mfa-enrolment
    title: All console users enrolled in MFA
    metric: mfa_enrolment
    target: 100            # percent
    deadline: 2026-09-30
    owner: CISO
    controls: [A.5.17, A.8.5]

runner:
  collectorTimeoutSeconds: 600
  concurrency: 4
`;
