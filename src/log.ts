/**
 * Structured logs: JSON lines (pino) for machines, one readable line per record on a terminal.
 * Secrets are redacted before a message is built, never here.
 */
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

export type { Logger };

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** Turns pino's JSON lines into `HH:MM:SS level message key=value ...` for people. */
function humanStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString("utf8").split("\n")) {
        if (!text) continue;
        try {
          const { time, level, msg, pid: _pid, hostname: _host, ...rest } = JSON.parse(text) as Record<string, unknown>;
          const when = typeof time === "number" ? new Date(time).toISOString().slice(11, 19) : "";
          const extra = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
            .join(" ");
          out.write(
            `${when} ${(LEVELS[Number(level)] ?? String(level)).padEnd(5)} ${typeof msg === "string" ? msg : JSON.stringify(msg ?? "")}${extra ? `  ${extra}` : ""}\n`,
          );
        } catch {
          out.write(`${text}\n`);
        }
      }
      done();
    },
  });
}

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines; default when stderr is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const pretty = options.pretty ?? Boolean((destination as { isTTY?: boolean }).isTTY);
  return pino(
    { level: options.level ?? process.env["ISMS_LOG_LEVEL"] ?? "info", base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.epochTime },
    pretty ? humanStream(destination) : destination,
  );
}
