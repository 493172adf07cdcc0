import fc from "fast-check";
import * as Y from "yjs";
import { PAPER_FRAGMENT } from "../../shared/wire/protocol";

/** One step of a class editing: a student edits their replica, or two replicas exchange what they have. */
export type Step =
  | { kind: "insert"; replica: number; at: number; text: string; nested: boolean }
  | { kind: "type"; replica: number; at: number; text: string }
  | { kind: "format"; replica: number; at: number; length: number }
  | { kind: "delete"; replica: number; at: number; length: number }
  | { kind: "attribute"; replica: number; at: number; value: string }
  | { kind: "sync"; from: number; to: number };

const REPLICAS = 4;
const replica = fc.nat(REPLICAS - 1);
export const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    replica,
    at: fc.nat(),
    text: fc.string({ maxLength: 12 }),
    nested: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("type" as const),
    replica,
    at: fc.nat(),
    text: fc.string({ minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant("format" as const), replica, at: fc.nat(), length: fc.nat(5) }),
  fc.record({ kind: fc.constant("delete" as const), replica, at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("attribute" as const), replica, at: fc.nat(), value: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant("sync" as const), from: replica, to: replica }),
);

export const paragraph = (text: string, nested: boolean) => {
  const element = new Y.XmlElement(nested ? "argument" : "paragraph");
  const inner = nested ? new Y.XmlElement("paragraph") : element;
  inner.insert(0, [new Y.XmlText(text)]);
  if (nested) element.insert(0, [inner]);
  return element;
};

/** The first text below a block, however deep. */
function textOf(node: Y.XmlElement): Y.XmlText | undefined {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) return child;
    if (child instanceof Y.XmlElement) {
      const text = textOf(child);
      if (text) return text;
    }
  }
  return undefined;
}

/**
 * Replays the steps on replicas that all send what they make to one server document; `afterStep`
 * sees the server after each step.
 */
export function classOf(steps: Step[], afterStep: (server: Y.Doc, index: number) => void = () => undefined): Y.Doc {
  const server = new Y.Doc();
  const replicas = Array.from({ length: REPLICAS }, () => new Y.Doc());
  for (const doc of replicas) doc.on("update", (update: Uint8Array) => Y.applyUpdate(server, update));
  for (const [index, next] of steps.entries()) {
    afterStep(server, index - 1);
    if (next.kind === "sync") {
      const [from, to] = [replicas[next.from]!, replicas[next.to]!];
      Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
      continue;
    }
    const fragment = replicas[next.replica]!.getXmlFragment(PAPER_FRAGMENT);
    const blocks = fragment.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement);
    const block = blocks.length > 0 ? blocks[next.at % blocks.length]! : undefined;
    switch (next.kind) {
      case "insert":
        fragment.insert(next.at % (fragment.length + 1), [paragraph(next.text, next.nested)]);
        break;
      case "type": {
        const text = block && textOf(block);
        text?.insert(next.at % (text.length + 1), next.text);
        break;
      }
      case "format": {
        const text = block && textOf(block);
        if (text && text.length > 0) text.format(next.at % text.length, next.length, { bold: true });
        break;
      }
      case "delete":
        if (fragment.length > 0) {
          const at = next.at % fragment.length;
          fragment.delete(at, Math.min(next.length, fragment.length - at));
        }
        break;
      case "attribute":
        block?.setAttribute("argumentId", next.value);
        break;
    }
  }
  return server;
}
