import pino from "pino";

/** What a log line carries besides its message: a request or connection id, a document id. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, error?: unknown, fields?: LogFields): void;
}

/**
 * One JSON object per line (pino): information on stdout, errors on stderr, each with its time,
 * level, the node's id and whatever ids the caller adds (decision 130).
 */
export function createLogger(level: "silent" | "error" | "info", base: LogFields = {}): Logger {
  const streams = pino.multistream(
    [
      { level: "info", stream: pino.destination({ dest: 1, sync: true }) },
      { level: "error", stream: pino.destination({ dest: 2, sync: true }) },
    ],
    { dedupe: true },
  );
  const log = pino({ level, base: { pid: process.pid, ...base }, timestamp: pino.stdTimeFunctions.isoTime }, streams);
  return {
    info(message, fields) {
      log.info(fields ?? {}, message);
    },
    error(message, error, fields) {
      log.error({ ...fields, ...(error === undefined || error === "" ? {} : { err: error }) }, message);
    },
  };
}
