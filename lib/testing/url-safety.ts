/**
 * The simulators' outgoing network for tests (SandboxDeps.fetch): it records every URL a
 * simulator asked for and reaches 127.0.0.1 only. A test can then show that a foreign target
 * (http://10.0.0.1/, http://example.com/) was never asked for, without ever contacting it, even
 * while the code under test is still wrong.
 */
export function loopbackOnlyFetch() {
  const asked: string[] = [];
  const guarded: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    asked.push(url);
    if (new URL(url).hostname !== "127.0.0.1") throw new Error(`test network: ${url} is not contacted`);
    return fetch(input, init);
  };
  return { fetch: guarded, asked };
}

/** URLs that run script when a browser follows them: never accepted anywhere. */
export const SCRIPT_URLS = ["javascript:alert(document.domain)", "JavaScript:fetch('/dashboard')", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"];

/**
 * Well-formed http(s) targets outside the app's origin and loopback (a private network, a cloud
 * metadata service, the internet, and hosts that only look local): never followed, never fetched.
 */
export const FOREIGN_TARGETS = [
  "http://10.0.0.1/notify",
  "http://169.254.169.254/latest/meta-data/",
  "http://example.com/notify",
  "https://127.0.0.1.example.com/notify",
  "http://localhost.example.com/notify",
  "http://127.0.0.1@example.com/notify",
];

/** Reads an attribute's value back as a browser would (our pages escape with &amp; &lt; &gt; &quot; &#39;). */
export function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}
