import { type ReactNode, Suspense, useEffect, useState } from "react";

/**
 * Renders `children` in the browser only, once the page has hydrated; the server and the first
 * client render show `fallback`. With React.lazy around the component, the server never loads its
 * libraries: the editor, ProseMirror and the Yjs providers stay out of the server's memory
 * (docs/performance.md), and the room's page loads its editor chunk after the page itself.
 */
export function ClientOnly({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated ? <Suspense fallback={fallback}>{children}</Suspense> : fallback;
}
