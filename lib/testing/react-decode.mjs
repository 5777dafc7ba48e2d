// Decodes server action replies as Next does on `next start` (React's server build, which needs
// node's react-server condition, hence a child process): stdin is a JSON list of replies, each a
// string (a text body) or a list of [name, value] rows (a multipart body, streamed through busboy
// in order); stdout is, for each, "ok" or the error React threw.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { decodeReply, decodeReplyFromBusboy, createTemporaryReferenceSet } = require("next/dist/compiled/react-server-dom-webpack/server.node");
const busboyOf = require("next/dist/compiled/busboy");

async function decode(reply) {
  const temporaryReferences = createTemporaryReferenceSet();
  if (typeof reply === "string") return decodeReply(reply, {}, { temporaryReferences });
  const form = new FormData();
  for (const [name, value] of reply) form.append(name, value);
  const encoded = new Response(form);
  const busboy = busboyOf({ defParamCharset: "utf8", headers: { "content-type": encoded.headers.get("content-type") } });
  const decoded = decodeReplyFromBusboy(busboy, {}, { temporaryReferences });
  // Next awaits the root as the body streams in, so a row is read as soon as it arrives.
  const settled = Promise.resolve(decoded);
  busboy.end(Buffer.from(await encoded.arrayBuffer()));
  return settled;
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const results = [];
for (const reply of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
  try {
    await Promise.race([decode(reply), new Promise((_, reject) => setTimeout(() => reject(new Error("never settled")), 2000))]);
    results.push("ok");
  } catch (error) {
    results.push(String(error?.message ?? error));
  }
}
process.stdout.write(JSON.stringify(results));
