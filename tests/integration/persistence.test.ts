import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { ServerConfig } from "../../server/config";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import {
  eventually,
  type RunningServer,
  sessionCookie,
  startServer,
  temporaryDatabasePath,
  yjsClient,
} from "../support/test-server";

function paperText(doc: Y.Doc): string {
  return doc.getXmlFragment(PAPER_FRAGMENT).toString();
}

function appendParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = doc.getXmlFragment(PAPER_FRAGMENT);
  fragment.insert(fragment.length, [paragraph]);
}

/** Where a server keeps its data: a SQLite file, or a PostgreSQL database of its own. */
interface Engine {
  name: string;
  open(): Promise<{ overrides: Partial<ServerConfig>; remove(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: "SQLite",
    async open() {
      const database = temporaryDatabasePath();
      return { overrides: { databasePath: database.path }, remove: async () => database.remove() };
    },
  },
];
if (await postgresReachable("durable papers: PostgreSQL")) {
  ENGINES.push({
    name: "PostgreSQL",
    async open() {
      const database = await createTestDatabase();
      return { overrides: { databaseUrl: database.url }, remove: database.drop };
    },
  });
}

describe.each(ENGINES)("durable papers: $name", (engine) => {
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  it("keeps everything typed through the stock y-websocket client across a restart", async () => {
    const database = await engine.open();
    const start = () => startServer("", database.overrides);
    running = await start();
    const [debate] = await running.server.store.listDebates();
    const [team] = await running.server.store.listTeams(debate!.id);
    const docId = paperDocumentId(team!.id);
    const { cookie } = await sessionCookie(running.server, { role: "student", debateId: debate!.id, teamId: team!.id });

    const writer = yjsClient(running.wsUrl, docId, cookie);
    const teammate = yjsClient(running.wsUrl, docId, cookie);
    await Promise.all([writer.synced(), teammate.synced()]);
    expect(paperText(writer.doc)).toContain("Thesis");

    const lines = Array.from({ length: 40 }, (_, index) => `Line ${index} of our case.`);
    for (const line of lines) appendParagraph(writer.doc, line);
    await eventually(() => paperText(teammate.doc).includes(lines.at(-1)!), 5000, "the teammate to see every line");
    const beforeRestart = paperText(writer.doc);
    writer.destroy();
    teammate.destroy();

    await running.server.close();
    running = await start();
    const reader = yjsClient(running.wsUrl, docId, cookie);
    await reader.synced();
    expect(paperText(reader.doc)).toBe(beforeRestart);
    for (const line of lines) expect(paperText(reader.doc)).toContain(line);
    reader.destroy();
    await running.server.close();
    running = undefined;
    await database.remove();
  });
});
