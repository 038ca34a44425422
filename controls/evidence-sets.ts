/**
 * Each control's evidence set: the kinds of evidence that together would show the control, as
 * data beside the catalog. A control is `automated` in a report only when every element was
 * collected in that run (by its checks, or by manual evidence filed for the element with
 * `isms-agent evidence add --element`); `partial` names what is missing. An element with no
 * checks is one no API shows (a documented process, a restore test, review records).
 *
 * Every control a check supports has a set here, and every check feeds an element of each control
 * it supports: test/controls/evidence-sets.test.ts keeps both true.
 */
import type { EvidenceElement, EvidenceSet } from "../src/domain.js";

const manual = (id: string, description: string): EvidenceElement => ({ id, description, checks: [] });
const by = (id: string, description: string, checks: readonly string[]): EvidenceElement => ({ id, description, checks });

export const EVIDENCE_SETS: readonly EvidenceSet[] = [
  {
    control: "A.5.3",
    elements: [
      by("approval-by-another", "Changes approved by someone other than their author, and pipelines unable to approve them", [
        "github.repo.last-push-approval",
        "github.repo.stale-reviews-dismissed",
        "github.org.workflows-cannot-approve",
      ]),
      manual("segregation-of-duties", "The conflicting duties and areas of responsibility identified, and how they are segregated"),
    ],
  },
  {
    control: "A.5.9",
    elements: [
      by(
        "cloud-inventory",
        "An inventory of cloud resources kept by the platform in every account in scope (a configuration recorder or a tagged resource list)",
        ["aws.config.recorder-on", "azure.inventory.owner-tag", "aws.config.required-tags"],
      ),
      by("asset-owners", "An owner recorded for each asset", ["azure.inventory.owner-tag"]),
      manual("inventory-register", "The inventory register of information and other assets the cloud APIs do not list (devices, SaaS, records), with owners"),
    ],
  },
  {
    control: "A.5.12",
    elements: [
      by("classification-labels", "A classification recorded on each resource or repository", ["azure.inventory.owner-tag", "github.repo.public-visibility"]),
      manual("classification-scheme", "The classification scheme approved by the organisation"),
    ],
  },
  {
    control: "A.5.14",
    elements: [
      by("encrypted-transfer", "Transfer endpoints accept encrypted connections only, and deliveries verify TLS", [
        "azure.storage.https-only",
        "azure.storage.min-tls-1-2",
        "github.org.webhooks-tls",
        "aws.config.s3-tls-only",
        "aws.config.load-balancer-tls",
      ]),
      manual("transfer-rules", "Rules, procedures or agreements for information transfer"),
    ],
  },
  {
    control: "A.5.15",
    elements: [
      by("access-restrictions", "Access to resources restricted by default (no public buckets, least base permission)", [
        "aws.config.s3-public-access",
        "github.org.default-permission",
        "aws.config.iam-admin-policies",
        "aws.config.iam-user-policies",
        "aws.iam.admin-policies",
        "aws.iam.cross-account-trust",
      ]),
      manual("access-control-policy", "The topic-specific access control policy"),
    ],
  },
  {
    control: "A.5.16",
    elements: [
      by("unused-identities", "Identities no longer used are detected", ["aws.iam.unused-credentials", "azure.entra.stale-users"]),
      by("identity-registration", "Who may add identities to the directory (e.g. invite guests) is restricted", ["azure.entra.guest-access-restricted"]),
      by("identity-inventory", "The identities of each identity provider in scope, and where each is managed", ["aws.identity-center.users-known"]),
      manual("identity-life-cycle-records", "Records of identities registered, changed and removed (joiners, movers, leavers)"),
    ],
  },
  {
    control: "A.5.17",
    elements: [
      by("strong-authentication-enrolment", "Every user's enrolment in multi-factor authentication, per identity provider in scope", [
        "aws.iam.console-user-mfa",
        "aws.config.iam-mfa",
        "azure.entra.user-mfa-registered",
        "github.org.members-2fa",
        "github.org.two-factor-required",
      ]),
      by("credential-hygiene", "Password policy, key rotation and leaked-secret detection", [
        "aws.iam.password-policy",
        "aws.iam.access-key-rotation",
        "github.repo.secret-scanning",
        "aws.config.secrets-rotation",
        "github.repo.secret-scanning-alerts",
        "azure.entra.app-credential-expiry",
        "azure.entra.app-credential-lifetime",
      ]),
      manual("authentication-information-process", "The process for allocating and managing authentication information, and users' instructions for it"),
    ],
  },
  {
    control: "A.5.18",
    elements: [
      by("access-rights-review", "Access rights that are unused or granted to outsiders, detected", [
        "aws.iam.unused-credentials",
        "github.org.outside-collaborators",
        "aws.config.iam-user-policies",
        "azure.rbac.privileged-roles-via-groups",
        "azure.entra.stale-users",
      ]),
      manual("access-review-records", "Records of the periodic review of access rights, and of their provision and removal"),
    ],
  },
  {
    control: "A.5.19",
    elements: [
      by("third-party-access", "Access held by people outside the organisation", [
        "github.org.outside-collaborators",
        "aws.iam.cross-account-trust",
        "azure.entra.guest-access-restricted",
      ]),
      by("supplier-applications", "Suppliers' applications installed with access to the organisation's systems, and the broad ones approved", [
        "github.org.app-installations",
      ]),
      manual("supplier-process", "The process for managing the information security risks of suppliers"),
    ],
  },
  {
    control: "A.5.21",
    elements: [
      by(
        "third-party-components",
        "Third-party components that run with the organisation's access limited to approved ones: build actions, installed apps, pipeline tokens",
        ["github.org.actions-allowed", "github.org.app-installations", "github.org.workflow-token-read-only"],
      ),
      manual("ict-supply-chain-process", "The process for managing the security risks of ICT products and services and their supply chain"),
    ],
  },
  {
    control: "A.5.23",
    elements: [
      by("cloud-guardrails", "Limits set centrally on what the cloud accounts in scope may do (service control policies, management-group policies)", [
        "aws.organizations.scp-guardrails",
      ]),
      manual(
        "cloud-services-process",
        "The processes for acquiring, using, managing and exiting cloud services, and the responsibilities shared with each provider",
      ),
    ],
  },
  {
    control: "A.5.25",
    elements: [
      by("event-triage", "Security events from the detection services assessed and decided within a deadline", ["aws.config.guardduty-findings"]),
      manual("event-assessment-records", "The criteria for categorising events as incidents, and the records of each decision"),
    ],
  },
  {
    control: "A.5.28",
    elements: [
      by("evidence-integrity", "Logs kept so that their integrity can be shown: signed log files and write-once storage", [
        "aws.config.cloudtrail-log-validation",
        "aws.config.s3-object-lock",
      ]),
      manual("evidence-procedures", "Procedures for identifying, collecting, acquiring and preserving evidence, and their chain-of-custody records"),
    ],
  },
  {
    control: "A.5.30",
    elements: [
      by("recovery-points", "Backup plans covering the systems, meeting the recovery-point objectives in frequency and retention", ["aws.config.backup-plans"]),
      manual("ict-continuity-plan", "The business continuity plan with ICT continuity requirements and recovery-time and recovery-point objectives"),
      manual("ict-readiness-tests", "Records of the ICT readiness tests (failover and restore exercises) and what was done about their results"),
    ],
  },
  {
    control: "A.5.33",
    elements: [
      by("records-retention", "Logs and records protected from deletion and kept for their retention period", [
        "aws.config.s3-object-lock",
        "aws.config.log-retention",
      ]),
      manual("records-schedule", "The records retention schedule and the rules for protecting records from loss, falsification and unauthorised access"),
    ],
  },
  {
    control: "A.5.34",
    elements: [
      by("pii-discovery", "Where personal data is stored, discovered by a data-discovery service", ["aws.config.macie"]),
      manual(
        "privacy-requirements",
        "The legal, regulatory and contractual requirements for privacy and PII protection, and how each is met (e.g. records of processing)",
      ),
    ],
  },
  {
    control: "A.5.13",
    elements: [
      by("labels-applied", "A classification label on each resource, from the scheme's levels", ["azure.inventory.classification-label"]),
      manual("labelling-procedures", "The labelling procedures for information in every format (documents, email, physical media)"),
    ],
  },
  {
    control: "A.5.24",
    elements: [
      by("alert-recipients", "Detection services' alerts routed to named responders", ["azure.defender.security-contacts"]),
      manual("incident-management-plan", "The incident management process, roles and responsibilities, and how they are communicated"),
    ],
  },
  {
    control: "A.5.36",
    elements: [
      by("policy-compliance-state", "Technical rules evaluated continuously against resources, with their non-compliance counted", ["azure.policy.compliance"]),
      manual("compliance-reviews", "Records of the regular reviews of compliance with the policies, rules and standards, and their follow-up"),
    ],
  },
  {
    control: "A.6.7",
    elements: [
      by("remote-access-devices", "Remote access to the organisation's services only from managed, compliant devices", [
        "azure.entra.compliant-device-required",
      ]),
      manual("remote-working-rules", "The topic-specific policy on remote working and its measures (places, networks, physical protection, reporting)"),
    ],
  },
  {
    control: "A.8.1",
    elements: [
      by("endpoint-compliance", "Each user endpoint device under management and compliant with the device rules, and access only from such devices", [
        "azure.entra.device-compliant",
        "azure.entra.compliant-device-required",
      ]),
      by("endpoint-encryption", "Storage encryption on every user endpoint device", ["azure.entra.device-encrypted"]),
      manual("endpoint-device-rules", "The topic-specific policy on user endpoint devices, and the devices outside management (BYOD, unenrolled)"),
    ],
  },
  {
    control: "A.8.2",
    elements: [
      by("privileged-accounts", "Privileged accounts and credentials: root users, owners, write-capable keys", [
        "aws.iam.root-mfa",
        "aws.iam.root-access-keys",
        "github.org.admin-count",
        "github.repo.deploy-keys-read-only",
        "aws.config.iam-admin-policies",
        "aws.iam.admin-policies",
        "azure.rbac.privileged-roles-via-groups",
        "azure.rbac.owner-count",
        "azure.entra.privileged-role-count",
        "azure.entra.privileged-role-guests",
        "azure.entra.permanent-global-admin",
      ]),
      manual("privileged-access-authorisation", "Authorisation records for privileged access rights and their review"),
    ],
  },
  {
    control: "A.8.3",
    elements: [
      by("public-exposure", "Storage and repositories not readable by anyone", [
        "aws.config.s3-public-access",
        "azure.storage.no-public-blob-access",
        "github.repo.public-visibility",
        "github.org.default-permission",
        "aws.config.s3-account-public-access-block",
        "aws.config.rds-public-access",
        "aws.s3.account-public-access-block",
        "aws.config.public-snapshots",
      ]),
    ],
  },
  {
    control: "A.8.4",
    elements: [
      by("source-code-access", "Who can read and write source code: visibility, base permission, outside collaborators, deploy keys, protected branches", [
        "github.repo.public-visibility",
        "github.org.default-permission",
        "github.org.outside-collaborators",
        "github.repo.deploy-keys-read-only",
        "github.repo.default-branch-protected",
        "github.repo.admins-not-exempt",
        "github.repo.code-owner-review",
      ]),
    ],
  },
  {
    control: "A.8.5",
    elements: [
      by("mfa-per-identity", "Multi-factor authentication of every user, per identity provider in scope", [
        "aws.iam.console-user-mfa",
        "aws.iam.root-mfa",
        "aws.config.iam-mfa",
        "azure.entra.user-mfa-registered",
        "github.org.members-2fa",
        "github.org.two-factor-required",
        "aws.identity-center.user-mfa",
      ]),
      by("mfa-enforcement", "Sign-in policies that require MFA (e.g. Entra Conditional Access, an IAM policy denying access without MFA)", [
        "azure.entra.mfa-enforced",
        "azure.entra.legacy-auth-blocked",
      ]),
    ],
  },
  {
    control: "A.8.6",
    elements: [
      by("capacity-adjustment", "Capacity adjusted to use automatically, and watched against service limits", ["aws.config.dynamodb-capacity"]),
      manual("capacity-plan", "Capacity requirements and the capacity plan, reviewed against monitored use"),
    ],
  },
  {
    control: "A.8.7",
    elements: [
      by("anti-malware", "Anti-malware provisioned for machines and stored files in every environment in scope", [
        "azure.defender.servers-plan",
        "azure.defender.storage-malware-scanning",
      ]),
      manual("malware-awareness", "User awareness of malware, and the procedures for responding to it"),
    ],
  },
  {
    control: "A.8.8",
    elements: [
      by("vulnerability-findings", "Vulnerability findings with a remediation deadline for every in-scope source", [
        "github.repo.dependabot",
        "aws.config.patch-compliance",
        "azure.defender.vulnerability-findings",
        "aws.inspector.findings-sla",
        "github.repo.code-scanning-alerts",
      ]),
      by("vulnerability-scanning", "Vulnerability scanning switched on for the workloads in scope", ["aws.inspector.scanning-enabled"]),
      manual(
        "vulnerability-management-process",
        "The vulnerability management process: sources of vulnerability information, evaluation and remediation records",
      ),
    ],
  },
  {
    control: "A.8.9",
    elements: [
      by("configuration-recording", "Configurations of resources recorded and evaluated continuously", [
        "aws.config.recorder-on",
        "aws.config.securityhub",
        "azure.policy.compliance",
        "aws.config.systems-manager",
      ]),
      manual("baseline-configurations", "Documented secure baseline configurations"),
    ],
  },
  {
    control: "A.8.10",
    elements: [
      by("data-expiry", "Stored data expired automatically after its retention period", ["aws.config.s3-lifecycle"]),
      manual("deletion-records", "The retention schedule, and records of deletion of information no longer required (including media disposal)"),
    ],
  },
  {
    control: "A.8.12",
    elements: [
      by("leak-prevention", "Controls that stop data leaking: secret scanning with push protection, no public or anonymous storage access", [
        "github.repo.secret-scanning",
        "github.repo.secret-scanning-alerts",
        "azure.storage.no-public-blob-access",
        "aws.config.s3-public-access",
        "aws.config.s3-account-public-access-block",
        "aws.config.macie",
        "aws.s3.account-public-access-block",
        "aws.config.public-snapshots",
      ]),
    ],
  },
  {
    control: "A.8.13",
    elements: [
      by("backup-configuration", "Backup configuration of every data store in scope", ["aws.config.backups", "aws.config.backup-plans"]),
      manual("restore-test", "A record of a restore test"),
    ],
  },
  {
    control: "A.8.14",
    elements: [
      by("multi-zone-deployment", "Databases, load balancers and compute spread over several availability zones", ["aws.config.redundancy"]),
      manual("availability-requirements", "The availability requirements of each service, and failover tests showing the redundancy meets them"),
    ],
  },
  {
    control: "A.8.15",
    elements: [
      by("audit-logs", "Audit logs of activity, network traffic and configuration changes", [
        "aws.config.cloudtrail",
        "aws.config.recorder-on",
        "aws.config.vpc-flow-logs",
        "aws.config.service-logging",
        "azure.monitor.activity-log-exported",
        "azure.monitor.keyvault-diagnostics",
      ]),
      by("log-protection", "Logs protected from tampering and deletion, and kept for their retention period", [
        "aws.config.cloudtrail-log-validation",
        "aws.config.s3-object-lock",
        "aws.config.log-retention",
      ]),
      manual("log-review", "Log retention and review arrangements"),
    ],
  },
  {
    control: "A.8.16",
    elements: [
      by("threat-detection", "Monitoring of networks, systems and applications for anomalous behaviour", [
        "aws.config.guardduty",
        "aws.config.securityhub",
        "aws.config.cloudtrail",
        "aws.config.vpc-flow-logs",
        "azure.defender.plans-standard",
      ]),
      by("alert-evaluation", "Alerts of the detection services evaluated within a deadline", ["aws.config.guardduty-findings"]),
      manual("monitoring-response", "Who watches the alerts and how they are acted on"),
    ],
  },
  {
    control: "A.8.19",
    elements: [
      by("installed-software", "Software on servers checked against the approved and prohibited lists", ["aws.config.instance-software"]),
      manual(
        "software-installation-procedure",
        "The procedure for installing and updating software on operational systems (who may install, approval, rollback)",
      ),
    ],
  },
  {
    control: "A.8.20",
    elements: [
      by("network-filtering", "Network filters in front of systems: security groups, network security groups, public endpoints", [
        "aws.config.firewall-rules",
        "azure.network.nsg-admin-ports-closed",
        "azure.sql.no-public-network-access",
        "aws.config.rds-public-access",
        "aws.config.public-ips",
      ]),
    ],
  },
  {
    control: "A.8.21",
    elements: [
      by("network-service-security", "Security mechanisms of network services: TLS-only listeners, current TLS policies, authenticated backends", [
        "aws.config.load-balancer-tls",
        "aws.config.api-gateway-backend-certificate",
      ]),
      manual("network-service-agreements", "The service levels and security requirements agreed for network services, and their monitoring"),
    ],
  },
  {
    control: "A.8.22",
    elements: [
      by(
        "network-segregation",
        "Internal networks separated from the internet (default security groups closed, databases and instances without public endpoints)",
        ["aws.config.firewall-rules", "azure.sql.no-public-network-access", "aws.config.public-ips"],
      ),
      manual("network-design", "The network segregation design (domains, trust boundaries)"),
    ],
  },
  {
    control: "A.8.24",
    elements: [
      by("encryption-at-rest", "Encryption at rest of every data store in scope", [
        "aws.config.encryption-at-rest",
        "aws.config.ebs-default-encryption",
        "azure.compute.disk-encryption",
        "azure.entra.device-encrypted",
      ]),
      by("encryption-in-transit", "Encryption in transit with current TLS", [
        "azure.storage.https-only",
        "azure.storage.min-tls-1-2",
        "azure.sql.min-tls-1-2",
        "github.org.webhooks-tls",
        "aws.config.s3-tls-only",
        "aws.config.load-balancer-tls",
      ]),
      by("key-management", "Cryptographic keys protected against loss and deletion, rotated, and certificates renewed before expiry", [
        "azure.keyvault.soft-delete-purge-protection",
        "aws.config.kms-key-rotation",
        "aws.config.certificate-expiry",
      ]),
      manual("cryptography-rules", "Rules for the effective use of cryptography, including key management"),
    ],
  },
  {
    control: "A.8.25",
    elements: [
      by("reviewed-changes", "Changes to code reviewed before they are merged", [
        "github.repo.default-branch-protected",
        "github.org.workflows-cannot-approve",
      ]),
      by("pipeline-privileges", "The build pipeline's rights limited to what each job needs", ["github.org.workflow-token-read-only"]),
      manual("secure-development-rules", "Rules for the secure development of software and systems"),
    ],
  },
  {
    control: "A.8.28",
    elements: [
      by("no-secrets-in-code", "No credentials committed to source code", ["github.repo.secret-scanning"]),
      by("static-analysis", "Code scanned for insecure patterns, and what the scans find fixed within a deadline", [
        "github.repo.code-scanning-enabled",
        "github.repo.code-scanning-alerts",
      ]),
      manual("secure-coding-principles", "Secure coding principles applied to development"),
    ],
  },
  {
    control: "A.8.29",
    elements: [
      by("security-testing-in-pipeline", "Security tests run in the development life cycle and required to pass before changes merge", [
        "github.repo.required-status-checks",
        "github.repo.code-scanning-enabled",
      ]),
      manual("security-testing-plan", "Security testing plans, and acceptance test results for new and changed systems"),
    ],
  },
  {
    control: "A.8.30",
    elements: [
      by("outsourced-access", "Access of external developers to source code", ["github.org.outside-collaborators"]),
      manual("outsourced-development-oversight", "Direction, monitoring and review of outsourced development"),
    ],
  },
  {
    control: "A.8.31",
    elements: [
      by("environment-separation", "Production kept apart from development and test: separate accounts, subscriptions or deployment environments", [
        "aws.organizations.environment-separation",
        "github.repo.production-environment-reviewers",
      ]),
      manual("environment-rules", "The rules for separating environments and for what may move between them (data, credentials, changes)"),
    ],
  },
  {
    control: "A.8.32",
    elements: [
      by("code-change-review", "Changes to code reviewed and protected branches not rewritten; deployments to production approved", [
        "github.repo.default-branch-protected",
        "github.repo.admins-not-exempt",
        "github.repo.stale-reviews-dismissed",
        "github.repo.production-environment-reviewers",
      ]),
      manual("change-records", "Change records for infrastructure and production changes (requests, approvals, tests)"),
    ],
  },
];

export function evidenceSetOf(controlId: string): EvidenceSet | undefined {
  return EVIDENCE_SETS.find((set) => set.control === controlId);
}
