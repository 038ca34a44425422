/**
 * The end of the calendar quarter after the one `now` falls in (UTC), as YYYY-MM-DD: the starter
 * objective's deadline, always ahead of the day `init` runs, with at least a quarter to meet it.
 */
export function starterDeadline(now: Date): string {
  const nextQuarter = Math.floor(now.getUTCMonth() / 3) + 1;
  // Day 0 of the month after the quarter is the quarter's last day; Date.UTC rolls the year over.
  return new Date(Date.UTC(now.getUTCFullYear(), nextQuarter * 3 + 3, 0)).toISOString().slice(0, 10);
}

/** The commented starter config `isms-agent init` writes on `now`. Kept valid by a test. */
export function starterConfig(now: Date): string {
  return `# isms-agent configuration. Check it with: isms-agent validate
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
    deadline: ${starterDeadline(now)}     # YYYY-MM-DD; init sets the end of next quarter
    owner: CISO
    controls: [A.5.17, A.8.5]

runner:
  collectorTimeoutSeconds: 600
  concurrency: 4

# --- Continuous monitoring (isms-agent daemon) --------------------------------------------
# When the daemon runs every source (a source may have its own \`schedule:\`).
schedule:
  cron: "0 2 * * *"
  timezone: Europe/London
# /healthz and /metrics (Prometheus); loopback only by default.
# daemon: { host: 127.0.0.1, port: 9464, staleAfterHours: 48 }

# Where drift goes: regressions, objective status changes, failed collectors, stale evidence.
alerts:
  reminderHours: 24          # a condition that stays open is sent again after this long
  channels: []
  #  - name: security-webhook
  #    type: webhook          # JSON POST signed with X-Isms-Signature: sha256=<HMAC>
  #    url: https://hooks.example.com/isms
  #    secret: \${ISMS_WEBHOOK_SECRET}
  #  - name: security-channel
  #    type: slack            # or teams
  #    webhookUrl: \${SLACK_WEBHOOK_URL}
  #    minSeverity: high
  #  - name: isms-owner
  #    type: email
  #    host: smtp.example.com
  #    username: isms-agent
  #    password: \${SMTP_PASSWORD}
  #    from: isms-agent@example.com
  #    to: [isms-owner@example.com]

# Accepted risks: shown as "excepted" (never "pass") until they expire, then failing again.
exceptions: []
#  - id: EXC-2026-001
#    check: aws.iam.console-user-mfa
#    resource: "*/break-glass"
#    reason: Break-glass account; hardware token kept in the safe.
#    owner: Head of IT
#    approvedBy: CISO
#    expires: 2027-03-31

# Statement of Applicability (clause 6.1.3 d): controls that do not apply, each with its
# justification; and for the applicable ones, why each is included and whether it is implemented
# (implemented, partially_implemented, planned, not_implemented). Left out: "not stated".
statementOfApplicability:
  excluded: []
  #  - control: A.7.5
  #    justification: No premises of our own; the co-location provider's certificate covers it.
  controls: {}
  #  A.8.5: { inclusion: "Risk R-3: account takeover of cloud consoles.", implementation: implemented }

# Evidence older than this makes its control "stale" (default: twice the schedule interval).
# freshness: { maxAgeHours: 48 }

# Delete evidence and findings of runs older than this; hashes stay and verify still passes.
# retention: { days: 400 }

# Which reports each run writes into output (default: all seven).
# reports: { formats: [json, md, html, csv, soa, oscal, ocsf] }
`;
}
