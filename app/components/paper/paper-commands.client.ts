/**
 * What the room's buttons do to the editor, for the browser only: as a `.client` module it keeps
 * Tiptap and ProseMirror out of the server's Remix build, which renders no editor (idle memory,
 * decision 178). Call these from event handlers only.
 */
export { insertEvidenceQuote } from "./evidence";
export { addArgument } from "./paper-extensions";
