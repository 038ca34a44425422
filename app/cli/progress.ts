/**
 * The progress display of an interactive `run`: a status line on a terminal (collectors done /
 * started, API calls, elapsed) with finished collectors printed above it; plain lines otherwise.
 */
import { countHttpRequests } from "../../src/http-stats.js";
import type { RunEvent } from "../runner.js";
import type { Output } from "./output.js";

export class Progress {
  private started = 0;
  private finished = 0;
  private readonly begin = Date.now();
  private readonly requests = countHttpRequests();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: Output,
    private readonly terminal: NodeJS.WriteStream | undefined,
  ) {
    if (terminal) {
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    }
  }

  private line(): string {
    const seconds = Math.floor((Date.now() - this.begin) / 1000);
    const elapsed = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    return `collectors ${this.finished}/${this.started} · API calls ${this.requests.count()} · ${elapsed}`;
  }

  private draw(): void {
    this.terminal?.write(`\r\x1b[2K${this.line()}`);
  }

  private print(text: string): void {
    if (this.terminal) this.terminal.write("\r\x1b[2K");
    this.io.err(text);
    this.draw();
  }

  onEvent(event: RunEvent): void {
    if (event.type === "recovered")
      this.print(`Marked run${event.runIds.length > 1 ? "s" : ""} ${event.runIds.join(", ")} as interrupted (left unfinished by an earlier crash).`);
    if (event.type === "started") this.print(`Run ${event.runId}: collecting from ${event.sources} source job${event.sources === 1 ? "" : "s"}.`);
    if (event.type === "collector-started") this.started++;
    if (event.type === "collector-skipped") this.print(`  – ${event.collector} ${event.source}: not started (stopping)`);
    if (event.type === "collector-finished") {
      this.finished++;
      const o = event.outcome;
      this.print(
        o.status === "ok"
          ? `  ✓ ${o.collector} ${o.source} (account ${o.account}, ${o.region}): ${event.evidence} evidence records`
          : `  ✗ ${o.collector} ${o.source}: ${o.error ?? "failed"}`,
      );
    }
  }

  /** Clears the status line and prints the totals once. */
  end(): void {
    clearInterval(this.timer);
    this.requests.stop();
    if (this.terminal) this.terminal.write("\r\x1b[2K");
    this.io.err(`Collected: ${this.line()}.`);
  }
}
