// Runs DatoCMS's own datocms-listen (subscribeToQuery) against an emulator's Real-time
// Updates API, unmodified: baseUrl points at the emulator; fetch and EventSource are Node's
// fetch and the `eventsource` package (Node has no EventSource of its own), which is how
// datocms-listen is used outside a browser.
// Usage: node listen_client.mjs <tools/node/package.json> <baseUrl> <token> <query> [drafts]
// Prints one JSON line per callback: {"status"}, {"update"}, {"channelError"}, {"error"}.
// Reads "unsubscribe" on stdin: unsubscribes, prints {"unsubscribed": true} and exits.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const [packageJson, baseUrl, token, query, drafts] = process.argv.slice(2);
const require = createRequire(packageJson);
const { subscribeToQuery } = require("datocms-listen");
const { EventSource } = require("eventsource");

const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

const unsubscribe = subscribeToQuery({
  query,
  token,
  includeDrafts: drafts === "drafts",
  baseUrl,
  fetcher: fetch,
  eventSourceClass: EventSource,
  reconnectionPeriod: 100,
  onStatusChange: (status) => print({ status }),
  onUpdate: (update) => print({ update }),
  onChannelError: (channelError) => print({ channelError }),
  onError: (error) => print({ error: String(error.data ?? error.message ?? error) }),
});

createInterface({ input: process.stdin }).on("line", async (line) => {
  if (line.trim() === "unsubscribe") {
    (await unsubscribe)();
    print({ unsubscribed: true });
    process.exit(0);
  }
});
