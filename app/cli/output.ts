/**
 * Where a command's lines go. Its own module so commands and the progress display share it
 * without importing each other.
 */
export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The process's stdout and stderr. */
export const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
