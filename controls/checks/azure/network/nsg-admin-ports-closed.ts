import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_EVIDENCE, typedListEvidenceSchema } from "../../../../src/evidence/azure.js";
import { nsgProtocol, parsePortSpec, rangesCover, shortName, type PortRange } from "../../../lib/azure.js";

/** Sources that mean "anyone on the internet". */
const OPEN_SOURCES = new Set(["*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0"]);

const ruleSchema = z.object({
  name: z.string(),
  properties: z.object({
    // Only the documented values: a rule read as neither Allow nor Deny must not be skipped as harmless.
    access: z.string().regex(/^(allow|deny)$/i),
    direction: z.string().regex(/^(inbound|outbound)$/i),
    protocol: z.string().nullable().optional(),
    sourceAddressPrefix: z.string().nullable().optional(),
    sourceAddressPrefixes: z.array(z.string()).nullable().optional(),
    destinationPortRange: z.string().nullable().optional(),
    destinationPortRanges: z.array(z.string()).nullable().optional(),
  }),
});

export default defineCheck({
  id: "azure.network.nsg-admin-ports-closed",
  title: "Network security groups do not open administrative ports to the internet",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.20",
      rationale:
        '"Networks and network devices shall be secured, managed and controlled": NSGs are the network filter of Azure, and SSH or RDP open to the internet is the commonest exposure. (Not A.8.22: an ingress rule says nothing about how internal networks are segregated from each other.)',
    },
  ],
  remediation:
    "Remove or narrow the listed inbound Allow rules: restrict the source to known address ranges, or use Azure Bastion or just-in-time VM access instead of opening SSH (22) or RDP (3389).",
  requires: [AZURE_EVIDENCE.networkSecurityGroups],
  settings: z
    .object({ ports: z.array(z.number().int().min(0).max(65535)).default([22, 3389]).describe("Ports that must not be open to the internet.") })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_EVIDENCE.networkSecurityGroups, typedListEvidenceSchema);
    return data.resources.map((nsg): FindingDraft => {
      const name = `Network security group ${shortName(nsg)}`;
      const rules = z.array(ruleSchema).safeParse(nsg.properties["securityRules"] ?? []);
      if (!rules.success)
        return { resourceId: nsg.id, status: "error", reason: `${name} has security rules in an unexpected shape, so they cannot be judged.` };
      const open: string[] = [];
      // Rules from the internet whose protocol has no ports (ICMP, ESP, AH): named in the passing sentence.
      const portless: { rule: string; protocol: string; from: string }[] = [];
      for (const rule of rules.data) {
        const p = rule.properties;
        if (p.access.toLowerCase() !== "allow" || p.direction.toLowerCase() !== "inbound") continue;
        const sources = [p.sourceAddressPrefix, ...(p.sourceAddressPrefixes ?? [])].filter((s): s is string => Boolean(s));
        const from = sources.find((s) => OPEN_SOURCES.has(s.toLowerCase()));
        if (!from) continue;
        let protocol: { label: string; carriesPorts: boolean };
        try {
          protocol = nsgProtocol(p.protocol);
        } catch (error) {
          return { resourceId: nsg.id, status: "error", reason: `${name} rule ${rule.name} has ${(error as Error).message}, so it cannot be judged.` };
        }
        if (!protocol.carriesPorts) {
          portless.push({ rule: rule.name, protocol: protocol.label, from });
          continue;
        }
        let ranges: PortRange[];
        try {
          ranges = [p.destinationPortRange, ...(p.destinationPortRanges ?? [])].filter((s): s is string => Boolean(s)).map(parsePortSpec);
        } catch (error) {
          return {
            resourceId: nsg.id,
            status: "error",
            reason: `${name} rule ${rule.name} has a port specification that cannot be read: ${(error as Error).message}.`,
          };
        }
        const exposed = ranges.some((r) => r.from === 0 && r.to === 65535)
          ? ["any port"]
          : settings.ports.filter((port) => rangesCover(ranges, port)).map(String);
        if (exposed.length > 0) open.push(`${rule.name} allows ${exposed.join(", ")} from ${from}`);
      }
      return open.length > 0
        ? { resourceId: nsg.id, status: "fail", reason: `${name} is open to the internet: ${open.join("; ")}.` }
        : {
            resourceId: nsg.id,
            status: "pass",
            reason: `${name} opens none of ports ${settings.ports.join(", ")} to the internet${portlessClause(portless)}.`,
          };
    });
  },
});

/** "; rule x allows only ICMP from Internet, which carries no ports", or "" when there is none. */
function portlessClause(rules: readonly { rule: string; protocol: string; from: string }[]): string {
  const [only] = rules;
  if (!only) return "";
  if (rules.length === 1) return `; rule ${only.rule} allows only ${only.protocol} from ${only.from}, which carries no ports`;
  const named = rules.map((r) => `${r.rule} (${r.protocol} from ${r.from})`);
  return `; rules ${named.slice(0, -1).join(", ")} and ${named.at(-1)} allow only protocols that carry no ports`;
}
