import { describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { paperDocumentId } from "../../shared/papers/documents";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";
import { caucusClient } from "../support/caucus-client";
import { serverForSuite, sessionCookie } from "../support/test-server";

describe("contribution counts", () => {
  const suite = serverForSuite();

  it("attributes characters written and deleted to the student who sent them", async () => {
    const { store } = suite.running.server;
    const [debate] = await store.listDebates();
    const [team] = await store.listTeams(debate!.id);
    const docId = paperDocumentId(team!.id);
    const amira = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate!.id,
      teamId: team!.id,
      displayName: "Amira",
    });
    const ben = await sessionCookie(suite.running.server, {
      role: "student",
      debateId: debate!.id,
      teamId: team!.id,
      displayName: "Ben",
    });
    const amiraClient = caucusClient(suite.running.wsUrl, docId, amira.cookie);
    const benClient = caucusClient(suite.running.wsUrl, docId, ben.cookie);
    await Promise.all([amiraClient.synced(), benClient.synced()]);

    amiraClient.write("Credibility first.");
    await amiraClient.saved();
    benClient.write("Hi");
    await benClient.saved();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Ben deletes "Credibility " from Amira's paragraph, the second-to-last one.
    const fragment = benClient.doc.getXmlFragment(PAPER_FRAGMENT);
    const amiraParagraph = fragment.get(fragment.length - 2) as Y.XmlElement;
    (amiraParagraph.get(0) as Y.XmlText).delete(0, "Credibility ".length);
    await benClient.saved();

    const instructor = await sessionCookie(suite.running.server, { role: "instructor", debateId: debate!.id });
    const view = await suite.running.server.services.contributionsView(instructor.session, debate!.id);
    if (!view.ok) throw new Error(view.reason);
    const paper = view.view.papers.find((entry) => entry.team.id === team!.id)!;
    const counts = Object.fromEntries(paper.contributors.map((c) => [c.displayName, [c.inserted, c.deleted]]));
    expect(counts).toEqual({ Amira: [18, 0], Ben: [2, 12] });
    expect(paper.contributors[0]!.insertedPerMinute.reduce((sum, count) => sum + count, 0)).toBe(18);

    const student = await suite.running.server.services.contributionsView(amira.session, debate!.id);
    expect(student).toMatchObject({ ok: false, status: 403 });
    amiraClient.destroy();
    benClient.destroy();
  });
});
