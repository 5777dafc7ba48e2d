import type { Readable } from "node:stream";
import type { Sql } from "postgres";

/** Bytes handed on per read: one CopyData message is one row (~150 bytes), too small a unit. */
const BATCH_BYTES = 64 * 1024;

/**
 * The output of one `COPY (…) TO STDOUT` as a web stream, with backpressure all the way to the
 * server: nothing is read from the socket until the consumer pulls (postgres.js pauses the
 * socket when its Readable is full), so memory stays flat however many rows there are.
 *
 * The COPY runs on a reserved connection whose backend pid is known, because cancelling the
 * stream must stop the query: postgres.js's own `query.cancel()` does nothing once a COPY has
 * started (the query already counts as answered), and destroying its Readable leaves the socket
 * paused for good. So a cancel asks the server with pg_cancel_backend() (through another pool
 * connection: the pool needs at least two), then drains what is still in flight, because the
 * backend only notices the cancel once it can write again, and releases the connection after
 * the server has answered. A cancel that arrives after the COPY finished is ignored by an idle
 * backend.
 */
export function copyToStdout(client: Sql, copyQuery: string): ReadableStream<Uint8Array> {
  let opened: Promise<Readable> | undefined;
  let pid = 0;
  let settled = false;
  let failure: unknown;
  let wake = () => {};
  let release = () => {};

  const open = async (): Promise<Readable> => {
    const reserved = await client.reserve();
    let released = false;
    release = () => {
      if (!released) reserved.release();
      released = true;
    };
    try {
      const [backend] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
      pid = backend!.pid;
      const readable = await reserved.unsafe(copyQuery).readable();
      const done = (error?: unknown) => {
        settled = true;
        failure ??= error;
        // postgres.js pauses the socket when this Readable is full and resumes it only from its
        // read(), which Node no longer calls once the stream has ended: had the last row filled
        // it, the connection would never read the answer to its next query.
        (readable as unknown as { _read: () => void })._read();
        release();
        wake();
      };
      readable.on("readable", () => wake());
      readable.on("end", () => done());
      readable.on("error", done);
      return readable;
    } catch (error) {
      release();
      throw error;
    }
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const readable = await (opened ??= open());
      for (;;) {
        const parts: Buffer[] = [];
        let size = 0;
        for (let chunk: Buffer | null; size < BATCH_BYTES && (chunk = readable.read() as Buffer | null) !== null; ) {
          parts.push(chunk);
          size += chunk.length;
        }
        if (size) return controller.enqueue(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
        if (failure) throw failure;
        if (settled) return controller.close();
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async cancel() {
      const readable = await opened?.catch(() => undefined);
      if (!readable || settled) return;
      await client`select pg_cancel_backend(${pid})`;
      // Every event of the Readable calls wake(): from now on it throws the data away.
      await new Promise<void>((resolve) => {
        wake = () => {
          while (readable.read() !== null);
          if (settled) resolve();
        };
        wake();
      });
    },
  });
}
