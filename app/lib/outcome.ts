import { data } from "@remix-run/node";
import type { Outcome } from "../../shared/outcome";

/** A loader's answer to a refused outcome: the status and message the server chose. */
export function orThrow<T extends object>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Response(outcome.reason, { status: outcome.status });
  return outcome;
}

/** An action's answer to a refused outcome: the form shows `error`, the status says why. */
export function refusal<Extra extends Record<string, string>>(
  outcome: { status: number; reason: string },
  extra?: Extra,
) {
  return data({ error: outcome.reason, ...(extra as Extra) }, { status: outcome.status });
}

/** A form's fields as a plain object for the server's zod schemas. */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const [name, value] of await request.formData()) {
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}
