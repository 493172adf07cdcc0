/** One value of a running server's Prometheus metrics (`/metrics`), NaN when it is not there. */
export async function serverMetric(serverUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
}

/**
 * The longest the server's own event loop was held since the last call, from its metrics (the
 * histogram restarts at every scrape; 10 ms resolution): what the server did, apart from what
 * the cores shared by the server and its clients made everyone wait.
 */
export async function serverLoopMaxMs(serverUrl: string): Promise<number> {
  return (await serverMetric(serverUrl, "caucus_process_nodejs_eventloop_lag_max_seconds")) * 1000;
}
