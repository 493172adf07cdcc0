/** What the services need of the live connections, to cut or re-decide them when access changes. */
export interface LiveConnections {
  /** Re-decides every open /yjs connection to a document (closing those that lost access). */
  refreshAccess(docId: string): Promise<void>;
  /** Closes every /yjs and socket.io connection of a session at once: the one way a session ends live. */
  endSession(sessionId: string): void;
  /** Session ids connected to a document and when each last changed it. */
  presence(docId: string): Promise<{ sessionId: string; lastEditAt: number | null }[]>;
  /** What a paper holds and its limit, in bytes. */
  size(docId: string): Promise<{ bytes: number; limit: number }>;
  /** Makes a paper's content equal to a snapshot's, as one stored change; open editors follow. */
  restore(docId: string, state: Uint8Array, sessionId: string): Promise<void>;
  /** Session ids following the debate's round (socket.io): a judge in the judge room is online. */
  followers(debateId: string): Promise<string[]>;
  /** Something the debate's control room shows has changed: its live channel pushes the view again. */
  controlChanged(debateId: string): void;
}
