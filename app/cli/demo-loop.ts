/**
 * The demo's Plan-Do-Check-Act loop over its simulated weeks, through the same commands a person
 * would type: a management review recorded on the first day, corrective actions recorded for the
 * nonconformities the runs open, and at the end the management review pack and an audit sample.
 */
import type { LoadedConfig } from "../../src/config/load.js";
import { nonconformitiesInStore } from "../../src/store/registers.js";
import { auditResultCommand, auditSampleCommand } from "./audit.js";
import { ncAddCommand, ncUpdateCommand } from "./nc.js";
import type { Output } from "./output.js";
import { reviewCommand, reviewRecordCommand } from "./review.js";
import { withStore } from "./store.js";

/** The corrective actions people record in the demo, by the check whose nonconformity they answer. */
const ACTIONS: Record<string, { owner: string; correction: string; rootCause: string; action: string }> = {
  "aws.config.ebs-default-encryption": {
    owner: "Head of Infrastructure",
    correction: "Encrypted the two unencrypted volumes of the data account by snapshot and restore.",
    rootCause: "The data account was created before the account baseline turned on EBS encryption by default.",
    action: "Turn on EBS encryption by default in every region through the Production OU's account baseline.",
  },
  "github.org.two-factor-required": {
    owner: "Engineering Manager",
    correction: "Asked Ivan and Peter to enrol two-factor authentication within a day.",
    rootCause: "2FA enforcement was switched off to let two new members join before they had enrolled.",
    action: "Onboarding asks new members to enrol 2FA before the invitation; enforcement stays on.",
  },
};

function day(clock: () => Date): string {
  return clock().toISOString().slice(0, 10);
}

/** After each simulated run: record what people would, for the step just run. */
export async function demoLoopStep(loaded: LoadedConfig, stepIndex: number, clock: () => Date, io: Output): Promise<void> {
  if (stepIndex === 0) {
    const quarterStart = new Date(clock().getTime() - 91 * 86_400_000).toISOString().slice(0, 10);
    await reviewRecordCommand(
      loaded,
      {
        id: "MR-2026-Q3",
        heldOn: day(clock),
        from: quarterStart,
        to: day(clock),
        attendee: ["CEO", "CISO", "Head of IT"],
        decision: ["Bring the data account under the organisation's guardrails before the audit."],
        action: [`Enrol every console user in MFA | CISO | ${new Date(clock().getTime() + 60 * 86_400_000).toISOString().slice(0, 10)}`],
        now: clock,
      },
      io,
    );
  }
  if (stepIndex === 1) {
    // An internal audit of the data account finds what a run has shown for two weeks.
    await ncAddCommand(
      loaded,
      {
        title: "Internal audit: the data account's EBS volumes are not encrypted by default in eu-west-1.",
        severity: "medium",
        checks: "aws.config.ebs-default-encryption",
        controls: "A.8.24",
        now: clock,
      },
      io,
    );
  }
  const open = await withStore(loaded, "read", (store) => nonconformitiesInStore(store));
  for (const nc of open) {
    const planned = nc.checks.map((c) => ACTIONS[c]).find((a) => a !== undefined);
    if (!planned || nc.correctiveAction !== null || nc.status === "closed") continue;
    await ncUpdateCommand(
      loaded,
      { id: nc.id, owner: planned.owner, correction: planned.correction, rootCause: planned.rootCause, action: planned.action, now: clock },
      io,
    );
  }
}

/** After the last run: the management review pack for the weeks, and an audit sample. */
export async function demoLoopFinish(loaded: LoadedConfig, from: string, clock: () => Date, io: Output): Promise<void> {
  await auditSampleCommand(
    loaded,
    { control: "A.8.5", size: "5", seed: "northwind-internal-audit-2026", auditor: "Internal auditor (Finance)", now: clock },
    io,
  );
  // The auditor checks the first two items: one holds, one does not, which opens a nonconformity.
  await auditResultCommand(loaded, { sample: "SAMPLE-0001", item: "1", result: "conforming", note: "Sign-in logs show MFA on every sign-in.", now: clock }, io);
  await auditResultCommand(
    loaded,
    { sample: "SAMPLE-0001", item: "2", result: "nonconforming", note: "The account signs in with a password alone.", now: clock },
    io,
  );
  await reviewCommand(
    loaded,
    {
      from,
      to: day(clock),
      issues: "A new customer contract requires ISO/IEC 27001 certification by the end of next year.",
      now: clock,
    },
    io,
  );
}
