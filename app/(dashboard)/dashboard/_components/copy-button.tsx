"use client";
import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";

/**
 * Copies `text` to the clipboard. Drawn only once the page runs scripts: without them the text
 * beside it is still there to select by hand, and a button that does nothing is left out.
 */
export function CopyButton({ text, labels, testId }: { text: string; labels: { copy: string; copied: string }; testId: string }) {
  const [copied, setCopied] = useState(false);
  // False in the server's HTML, true once hydrated.
  const scripted = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  if (!scripted) return null;
  return (
    <Button
      type="button"
      variant="secondary"
      data-testid={testId}
      onClick={() =>
        // A refused clipboard (insecure origin, permission) just leaves the label as it was.
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? labels.copied : labels.copy}
    </Button>
  );
}
