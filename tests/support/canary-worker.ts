import { parentPort, workerData } from "node:worker_threads";
import { type CanaryOptions, runCanary } from "./canary";

const options = workerData as CanaryOptions;
const canary = await runCanary(
  options.wsUrl,
  options.docId,
  options.writerCookie,
  options.readerCookie,
  options.intervalMs,
);
parentPort!.postMessage("ready");
parentPort!.on("message", async (request: { type: "reset" | "measure" | "stop" }) => {
  switch (request.type) {
    case "reset":
      canary.reset();
      parentPort!.postMessage(null);
      return;
    case "measure":
      parentPort!.postMessage(await canary.measure());
      return;
    case "stop":
      canary.stop();
      parentPort!.postMessage(null);
      return;
  }
});
