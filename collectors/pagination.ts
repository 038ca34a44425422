/**
 * Token pagination shared by every collector: pages are yielded as they arrive (never all held
 * at once), and a token the API already gave is caught, so a broken API cannot loop forever.
 */
export interface Page<T> {
  items: readonly T[];
  next: string | undefined;
}

export async function* pages<T>(what: string, fetchPage: (token: string | undefined) => Promise<Page<T>>, maxPages = 100_000): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let count = 0; ; count++) {
    if (count >= maxPages) throw new Error(`${what}: gave up after ${maxPages} pages`);
    const page = await fetchPage(token);
    yield [...page.items];
    if (!page.next) return;
    if (seen.has(page.next))
      throw new Error(`${what}: the API returned a page token it had already given (${page.next.slice(0, 40)}), so paging would never end`);
    seen.add(page.next);
    token = page.next;
  }
}

/** All items of every page, for lists that are small by nature (rules, accounts, packs). */
export async function collectAll<T>(what: string, fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const items of pages(what, fetchPage)) out.push(...items);
  return out;
}
