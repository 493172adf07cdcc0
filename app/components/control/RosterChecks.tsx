import { Form } from "@remix-run/react";
import type { ControlView } from "../../../shared/classroom/views";

const DOUBT_TEXT: Record<ControlView["doubts"][number]["kind"], string> = {
  "same-name": "have the same name",
  "same-browser": "joined from the same browser",
};

const listNames = (names: string[]) =>
  names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

/**
 * What a second identity looks like on the roster (one name twice, several people on one browser),
 * and the browsers removed from the debate, each with a way back. Shown only when there is
 * something to check, so an ordinary class sees nothing here.
 */
export function RosterChecks({ doubts, removed }: Pick<ControlView, "doubts" | "removed">) {
  if (doubts.length === 0 && removed.length === 0) return null;
  return (
    <section aria-labelledby="roster-checks-heading" className="roster-checks">
      <h2 id="roster-checks-heading">Check the roster</h2>
      {doubts.length > 0 ? (
        <ul aria-label="People to check">
          {doubts.map((doubt) => (
            <li key={`${doubt.kind}-${doubt.names.join("|")}`}>
              {listNames(doubt.names.map((name) => `“${name}”`))} {DOUBT_TEXT[doubt.kind]}. Remove anyone who should not
              be here.
            </li>
          ))}
        </ul>
      ) : null}
      {removed.length > 0 ? (
        <>
          <h3>Removed from this debate</h3>
          <p>Their browsers cannot join again until you let them back.</p>
          <ul aria-label="Removed people">
            {removed.map((person) => (
              <li key={person.banId}>
                {person.displayName}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="let-back" />
                  <input type="hidden" name="banId" value={person.banId} />
                  <button type="submit" className="secondary">
                    Let {person.displayName} back in
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
