import { Form, Link } from "@remix-run/react";

/** The instructor's top bar: where they are, their debates, account and log out. */
export function AccountBar({ name }: { name: string }) {
  return (
    <nav aria-label="Account" className="account-bar">
      <Link to="/debates">Your debates</Link>
      <span className="account-name">{name}</span>
      <Link to="/account">Account</Link>
      <Form method="post" action="/logout">
        <button type="submit" className="link-button">
          Log out
        </button>
      </Form>
    </nav>
  );
}
