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
/**
 * The two destinations are made once per process: each registers an exit handler, and a process
 * that starts many servers (the test suites) would otherwise pile them up.
 */
let destinations: { stdout: pino.DestinationStream; stderr: pino.DestinationStream } | null = null;

export function createLogger(level: "silent" | "error" | "info", base: LogFields = {}): Logger {
  destinations ??= {
    stdout: pino.destination({ dest: 1, sync: true }),
    stderr: pino.destination({ dest: 2, sync: true }),
  };
  const streams = pino.multistream(
    [
      { level: "info", stream: destinations.stdout },
      { level: "error", stream: destinations.stderr },
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
