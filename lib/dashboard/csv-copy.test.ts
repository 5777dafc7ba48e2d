import { describe, expect, it } from "vitest";
import { crlfRecords } from "./csv-copy";

async function through(chunks: string[], first?: string) {
  const encoder = new TextEncoder();
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(crlfRecords(first === undefined ? undefined : encoder.encode(first)))).text();
}

describe("COPY's LF records as CRLF", () => {
  it("ends records with CRLF and leaves line breaks inside quoted fields alone, across chunk boundaries", async () => {
    const copy = 'a,"x\ny",b\n"he said ""hi\n""",2\nplain,\n"\r\n",z\n';
    const expected = 'a,"x\ny",b\r\n"he said ""hi\n""",2\r\nplain,\r\n"\r\n",z\r\n';
    expect(await through([copy], "h1,h2\r\n")).toBe("h1,h2\r\n" + expected);
    // Every split point, including inside a doubled quote and between CR and LF.
    for (let i = 1; i < copy.length; i++) expect(await through([copy.slice(0, i), copy.slice(i)])).toBe(expected);
    expect(await through([...copy])).toBe(expected);
  });
});
