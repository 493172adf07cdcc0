/** A team's position paper is the Yjs document `paper.<teamId>`. */
const PAPER_PREFIX = "paper.";

export function paperDocumentId(teamId: string): string {
  return `${PAPER_PREFIX}${teamId}`;
}

/** The team id of a paper document id, or null when the id names no paper. */
export function teamIdOfPaper(docId: string): string | null {
  if (!docId.startsWith(PAPER_PREFIX)) return null;
  const teamId = docId.slice(PAPER_PREFIX.length);
  return /^[A-Za-z0-9_-]{1,64}$/.test(teamId) ? teamId : null;
}
