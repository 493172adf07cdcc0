import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { paperDocumentId } from "../../shared/documents";
import { PAPER_FRAGMENT } from "../../shared/protocol";
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

describe("durable papers", () => {
  const database = temporaryDatabasePath();
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  it("keeps everything typed through the stock y-websocket client across a restart", async () => {
    running = await startServer(database.path);
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
    running = await startServer(database.path);
    const reader = yjsClient(running.wsUrl, docId, cookie);
    await reader.synced();
    expect(paperText(reader.doc)).toBe(beforeRestart);
    for (const line of lines) expect(paperText(reader.doc)).toContain(line);
    reader.destroy();
    database.remove();
  });
});
