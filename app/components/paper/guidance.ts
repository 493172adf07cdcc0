import { Extension, type NodeViewRendererProps } from "@tiptap/core";
import { type DOMOutputSpec, DOMSerializer, type Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import type { EditorView, NodeView } from "@tiptap/pm/view";

/**
 * Guidance is what the scaffold tells students (an argument's title and prompt, the thesis
 * heading and its prompt, the part labels). It lives in node attributes and is drawn next to the
 * node's content with contenteditable=false, so no keystroke can reach it. The browser may still
 * put its caret beside such an element, in the node's own DOM but outside its content; text typed
 * there used to make ProseMirror re-read the whole block from the DOM, which copied the block. The
 * pieces below keep the caret out of there:
 *
 * - guidance elements carry `data-guidance`; the element their node's content goes in carries
 *   `data-guided-content`;
 * - a press or tap on guidance puts the caret at the end of the first line of that content;
 * - text typed while the browser's caret sits outside any content goes to the nearest line;
 * - the node views ignore DOM changes outside their content instead of re-reading the block.
 */

export const GUIDANCE = { "data-guidance": "", contenteditable: "false" } as const;
export const GUIDED_CONTENT = { "data-guided-content": "" } as const;

/** A node view drawn from the node's own renderHTML spec that ignores DOM changes outside its content. */
export function guidedNodeView(render: (node: ProseMirrorNode, attributes: Record<string, unknown>) => DOMOutputSpec) {
  return ({ node, HTMLAttributes }: NodeViewRendererProps): NodeView => {
    const { dom, contentDOM } = DOMSerializer.renderSpec(document, render(node, HTMLAttributes));
    const original = node;
    return {
      dom,
      contentDOM,
      ignoreMutation: (mutation) => mutation.type !== "selection" && !contentDOM?.contains(mutation.target),
      // Guidance changes only when the server's scaffold does; draw the node again then.
      update: (next) => next.type === original.type && next.sameMarkup(original),
    };
  };
}

/** The end of the first line inside `content`, an element marked `data-guided-content`. */
function caretInto(view: EditorView, content: Element): TextSelection | null {
  const start = view.posAtDOM(content, 0);
  const found = TextSelection.findFrom(view.state.doc.resolve(start), 1, true);
  if (!found) return null;
  return TextSelection.create(view.state.doc, found.$from.end());
}

/** The content a guidance element or a node's wrapper belongs with. */
function contentFor(element: Element): Element | null {
  const wrapper = element.hasAttribute("data-guidance") ? element.parentElement : element;
  return wrapper?.querySelector(":scope > [data-guided-content]") ?? null;
}

/** Where the browser's caret is, when it sits in guidance or between a node's guidance and content. */
function strayCaretElement(view: EditorView): Element | null {
  const selection = view.dom.ownerDocument.getSelection();
  const anchor = selection?.anchorNode;
  if (!anchor || !view.dom.contains(anchor)) return null;
  const element = anchor instanceof Element ? anchor : anchor.parentElement;
  if (!element || element === view.dom) return null;
  const guidance = element.closest("[data-guidance]");
  if (guidance && view.dom.contains(guidance)) return guidance;
  return element.querySelector(":scope > [data-guided-content]") ? element : null;
}

function moveCaretInto(view: EditorView, element: Element): boolean {
  const content = contentFor(element);
  const selection = content ? caretInto(view, content) : null;
  if (!selection) return false;
  view.dispatch(view.state.tr.setSelection(selection).scrollIntoView());
  view.focus();
  return true;
}

export const GuidanceCaret = Extension.create({
  name: "guidanceCaret",
  addKeyboardShortcuts() {
    return {
      // The browser's own Ctrl+Home lands before the thesis heading, outside anything editable.
      "Mod-Home": ({ editor }) => editor.commands.focus("start"),
    };
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("guidanceCaret"),
        // Yjs re-renders keep the old caret position, which a freshly loaded scaffold puts inside
        // the thesis block but outside its paragraph; move it to the nearest line.
        appendTransaction: (_transactions, _old, state) => {
          const { selection } = state;
          if (!(selection instanceof TextSelection) || selection.$head.parent.inlineContent) return null;
          const near =
            TextSelection.findFrom(selection.$head, 1, true) ?? TextSelection.findFrom(selection.$head, -1, true);
          return near ? state.tr.setSelection(near) : null;
        },
        props: {
          handleDOMEvents: {
            mousedown: (view, event) => {
              if (!view.editable || !(event.target instanceof Element)) return false;
              const guidance = event.target.closest("[data-guidance]");
              if (!guidance || !view.dom.contains(guidance)) return false;
              // A link in a prompt still opens its paragraph of the reading: that is the click.
              event.preventDefault();
              return moveCaretInto(view, guidance);
            },
            beforeinput: (view, event) => {
              if (!view.editable) return false;
              const stray = strayCaretElement(view);
              if (!stray) return false;
              event.preventDefault();
              if (!moveCaretInto(view, stray)) return true;
              if (event.inputType === "insertText" && event.data) view.dispatch(view.state.tr.insertText(event.data));
              return true;
            },
          },
        },
      }),
    ];
  },
});
