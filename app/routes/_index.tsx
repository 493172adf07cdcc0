import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Caucus — live classroom debates" },
  { name: "description", content: "Teams co-write position papers live, then debate them on the clock." },
];

export default function Landing() {
  return (
    <main className="page narrow landing">
      <h1>Caucus</h1>
      <p className="lede">
        Live classroom debates: teams co-write their position papers together, the instructor runs the round on one
        shared clock, and judges score every argument.
      </p>
      <nav aria-label="Get started" className="choices">
        <Link className="choice" to="/create">
          <span className="choice-title">Create a debate</span>
          <span className="choice-detail">For instructors: set up the motion, teams and codes.</span>
        </Link>
        <Link className="choice" to="/join">
          <span className="choice-title">Join a debate</span>
          <span className="choice-detail">For students and judges: you need a join code.</span>
        </Link>
      </nav>
      <p>
        Instructor with an account? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}
