/**
 * How a proposal is named in VS Code: its URI (the file's own workspace path, so the tab and breadcrumbs show
 * where it lives; the review id rides in the query, never in what the user reads) and the diff editor's title.
 * Pure: unit-tested without VS Code.
 */

/** The path and query of a review's proposal / original document. */
export function proposalLocation(id: string, relPath: string): { path: string; query: string } {
  const clean = relPath.replace(/^\/+/, '') || 'file';
  return { path: `/${clean}`, query: id };
}

/** The key of a proposal document in the in-memory file system (path and query: two reviews of one file differ). */
export function proposalKey(uri: { path: string; query: string }): string {
  return uri.query ? `${uri.path}?${uri.query}` : uri.path;
}

/** "parser.ts ↔ Cairn proposed edit" (file name, never an internal id). */
export function diffTitle(relPath: string, isNew: boolean): string {
  const name = relPath.split('/').filter(Boolean).at(-1) ?? relPath;
  return `${name} ↔ Cairn proposed edit${isNew ? ' (new file)' : ''}`;
}
