import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

/** The results as a JSON file: the debate's instructor, and judges who submitted their ballot. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.session) throw redirect("/join");
  const result = await context.services.exportResults(context.session, params.debateId ?? "", "json");
  if (!result.ok) throw new Response(result.reason, { status: result.status });
  return new Response(result.file.body, {
    headers: {
      "Content-Type": result.file.contentType,
      "Content-Disposition": `attachment; filename="${result.file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
