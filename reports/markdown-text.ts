/**
 * Text from outside the agent — resource names, API error messages, titles and notes from config,
 * exception texts — written into Markdown so that GitHub, GitLab or a wiki shows it as written:
 * never as HTML, a link, an image, emphasis, a heading or an extra table column.
 */

/** Characters that open inline constructs: code, emphasis, links and images, GFM strikethrough, table cells, math. */
const INLINE = /[\\`*_[\]()!|~$]/g;
/** At the start of a line (a list item, a quote) these would open a block: heading, list, rule. */
const BLOCK_START = /^(\s*)([#+\-=]|\d+[.)])/;

/** One line of inert Markdown text; safe in a paragraph, a list item, a heading or a table cell. */
export function mdText(text: string): string {
  return (
    text
      // A line break would end a table row or start a new block.
      .replace(/\r\n|\r|\n/g, " ")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(INLINE, "\\$&")
      // GFM links bare URLs and www. names by itself; a broken scheme or dot leaves them text.
      .replace(/:(?=\/\/)/g, "\\:")
      .replace(/(www)\./gi, "$1\\.")
      .replace(BLOCK_START, (_all, space: string, marker: string) => `${space}${marker.replace(/[#+\-=.)]$/, "\\$&")}`)
  );
}

/**
 * An inline code span holding `text` literally, for ids. The fence is longer than any run of
 * backticks inside; `|` is escaped because GFM splits table cells even inside code.
 */
export function mdCode(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
  if (flat === "") return "";
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
