/**
 * The stored form of a run's context (see RunContext): validated when read back, because a report
 * of an old run is rendered from it alone.
 */
import { z } from "zod";
import { IMPLEMENTATION_STATUSES, SEVERITIES, SOURCE_TYPES, type RunContext } from "../domain.js";

const mapping = z.object({ control: z.string(), rationale: z.string() });

export const runContextSchema: z.ZodType<RunContext> = z.object({
  checks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      sourceType: z.enum(SOURCE_TYPES),
      remediation: z.string(),
      controls: z.array(mapping),
    }),
  ),
  catalog: z.array(
    z.object({
      id: z.string(),
      theme: z.enum(["organizational", "people", "physical", "technological"]),
      title: z.string(),
      automation: z.enum(["automated", "partial", "manual"]),
    }),
  ),
  evidenceSets: z.array(
    z.object({
      control: z.string(),
      elements: z.array(z.object({ id: z.string(), description: z.string(), checks: z.array(z.string()) })),
    }),
  ),
  exceptions: z.array(
    z.object({
      id: z.string(),
      checkId: z.string(),
      resource: z.string().nullable(),
      source: z.string().nullable(),
      account: z.string().nullable(),
      reason: z.string(),
      owner: z.string(),
      approvedBy: z.string(),
      expires: z.string(),
      origin: z.enum(["config", "register"]),
      createdAt: z.string().nullable(),
    }),
  ),
  maxAgeHours: z.record(z.string(), z.number()),
  soa: z.array(z.object({ control: z.string(), inclusion: z.string().nullable(), implementation: z.enum(IMPLEMENTATION_STATUSES) })),
});

export const elementResultsSchema = z.array(z.object({ id: z.string(), collected: z.boolean(), checks: z.array(z.string()), missing: z.string().nullable() }));
