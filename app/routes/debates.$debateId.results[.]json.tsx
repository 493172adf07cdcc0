import { resultsExportLoader } from "../lib/results-export.server";

/** The results as a JSON file (shape in docs/protocol.md). */
export const loader = resultsExportLoader("json");
