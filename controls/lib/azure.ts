/**
 * Shared reading for Azure checks: one finding per resource of a typed list, judged by a
 * predicate over its properties; and the NSG port arithmetic.
 */
import { z } from "zod";
import type { Check, ControlMapping, FindingDraft, Severity } from "../../src/domain.js";
import { defineCheck, readEvidence } from "../../src/engine/check.js";
import { typedListEvidenceSchema, type ArmResource } from "../../src/evidence/azure.js";

/** "/subscriptions/…/resourceGroups/rg/providers/…/name" → "rg/name", for sentences. */
export function shortName(resource: Pick<ArmResource, "id" | "name">): string {
  const group = /\/resourceGroups\/([^/]+)\//i.exec(resource.id)?.[1];
  return group ? `${group}/${resource.name}` : resource.name;
}

interface PropertyCheck {
  id: string;
  title: string;
  severity: Severity;
  controls: readonly ControlMapping[];
  remediation: string;
  kind: string;
  /** What the resource is, in words: "Storage account". */
  noun: string;
  /** null: compliant; otherwise the sentence fragment saying what is wrong. */
  problem(properties: Record<string, unknown>): string | null;
  /** What is right, for the passing sentence. */
  good: string;
}

export function definePropertyCheck(definition: PropertyCheck): Check {
  return defineCheck({
    id: definition.id,
    title: definition.title,
    severity: definition.severity,
    sourceType: "azure",
    controls: definition.controls,
    remediation: definition.remediation,
    requires: [definition.kind],
    settings: z.object({}).strict(),
    evaluate({ evidence }) {
      const { data } = readEvidence(evidence, definition.kind, typedListEvidenceSchema);
      return data.resources.map((resource): FindingDraft => {
        const problem = definition.problem(resource.properties);
        const name = `${definition.noun} ${shortName(resource)}`;
        return problem
          ? { resourceId: resource.id, status: "fail", reason: `${name} ${problem}.` }
          : { resourceId: resource.id, status: "pass", reason: `${name} ${definition.good}.` };
      });
    },
  });
}

/**
 * A TLS version as Azure writes it ("TLS1_2", "1.2", "TLS1_0") → 1.2; null when absent or unreadable.
 * The whole value must have that form: "SSL3_0" or "TLS1_0_or_1_2" is not TLS 1.2 or later.
 */
export function tlsVersion(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^\s*(?:TLS)?(\d)[._](\d)\s*$/i.exec(value);
  return m ? Number(`${m[1]}.${m[2]}`) : null;
}

export interface PortRange {
  from: number;
  to: number;
}

/**
 * NSG port specifications: "*", "22", "20-30", possibly several (destinationPortRanges).
 * Throws on anything else, so a malformed rule is an error finding, not a silent pass.
 */
export function parsePortSpec(spec: string): PortRange {
  const text = spec.trim();
  if (text === "*" || text.toLowerCase() === "any") return { from: 0, to: 65535 };
  const single = /^(\d{1,5})$/.exec(text);
  if (single) {
    const port = Number(single[1]);
    if (port > 65535) throw new Error(`port ${port} is out of range`);
    return { from: port, to: port };
  }
  const range = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(text);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (from > to || to > 65535) throw new Error(`port range "${spec}" is not a valid range`);
    return { from, to };
  }
  throw new Error(`"${spec}" is not a port, a range or *`);
}

/**
 * The ARM SecurityRuleProtocol values (Tcp, Udp, Icmp, Esp, Ah, *), matched case-insensitively
 * because recorded NSGs also say "TCP". ICMP, ESP and AH have no ports, so a rule of theirs opens
 * no port whatever its port range says; `label` is how a sentence names the protocol.
 */
const NSG_PROTOCOLS: Readonly<Record<string, { label: string; carriesPorts: boolean }>> = {
  tcp: { label: "TCP", carriesPorts: true },
  udp: { label: "UDP", carriesPorts: true },
  "*": { label: "any protocol", carriesPorts: true },
  icmp: { label: "ICMP", carriesPorts: false },
  esp: { label: "ESP", carriesPorts: false },
  ah: { label: "AH", carriesPorts: false },
};

/**
 * An NSG rule's protocol. Absent means `*`: older API versions and hand-written templates omit
 * it, and assuming every protocol is the conservative reading. Throws on a value outside the
 * enum, so a protocol this code does not know is an error finding, not a silent pass.
 */
export function nsgProtocol(value: string | null | undefined): { label: string; carriesPorts: boolean } {
  const protocol = NSG_PROTOCOLS[(value ?? "*").trim().toLowerCase()];
  if (!protocol) throw new Error(`protocol ${JSON.stringify(value)}, which is none of Tcp, Udp, Icmp, Esp, Ah or *`);
  return protocol;
}

export function rangesCover(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((r) => r.from <= port && port <= r.to);
}
