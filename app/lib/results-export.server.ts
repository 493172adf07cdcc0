import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import type { ExportFormat } from "../../shared/judging/views";

/**
 * The loader of a results download (`results.csv`, `results.json`): the debate's instructor, and
 * judges who submitted their ballot, get the file; everyone else the service's refusal.
 */
export function resultsExportLoader(format: ExportFormat) {
  return async ({ params, context }: LoaderFunctionArgs) => {
    if (!context.session) throw redirect("/join");
    const result = await context.services.exportResults(context.session, params.debateId ?? "", format);
    if (!result.ok) throw new Response(result.reason, { status: result.status });
    return new Response(result.file.body, {
      headers: {
        "Content-Type": result.file.contentType,
        "Content-Disposition": `attachment; filename="${result.file.filename}"`,
        "Cache-Control": "no-store",
      },
    });
  };
}
