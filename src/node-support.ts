/**
 * Which Node.js release lines this agent is tested on (.ci/run runs the whole suite on each), and
 * the notice `init` and `demo` print on an older one, where the first failure would otherwise be
 * some library's cryptic error. Pure: the version is an argument.
 */

/** The Node.js majors CI runs the whole suite on; keep in step with .ci/run, README and `engines`. */
export const TESTED_NODE_MAJORS: readonly number[] = [20, 24];

/** The notice for a Node.js older than the lowest tested major; null on a tested or newer one. */
export function nodeSupportNotice(version: string): string | null {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  const lowest = Math.min(...TESTED_NODE_MAJORS);
  // An unreadable version is not claimed to be old: say nothing rather than something wrong.
  if (!Number.isInteger(major) || major >= lowest) return null;
  const tested = TESTED_NODE_MAJORS.join(" and ");
  return (
    `isms-agent needs Node.js ${lowest} or newer and is tested on Node.js ${tested} ` +
    `(supported: every Node.js release in active or maintenance LTS); this is Node.js ${version.replace(/^v/, "")}. ` +
    `Install a current LTS release (https://nodejs.org/en/download) and run it again.`
  );
}
