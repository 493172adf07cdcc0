import { resultsExportLoader } from "../lib/results-export.server";

/** The results as a CSV file (columns in docs/protocol.md). */
export const loader = resultsExportLoader("csv");
