"use client";
import { useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { whatsappShareUrl } from "@/lib/share";

type Labels = { copy: string; copied: string; whatsapp: string };

/**
 * Copy and WhatsApp buttons for a link the merchant passes on by hand (payment links, team
 * invitations). Test ids are `<prefix>-copy` and `<prefix>-whatsapp`.
 */
export function ShareButtons({ url, shareText, labels, testIdPrefix }: { url: string; shareText: string; labels: Labels; testIdPrefix: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        data-testid={`${testIdPrefix}-copy`}
        onClick={() =>
          // A refused clipboard (insecure origin, permission) just leaves the label as it was.
          navigator.clipboard?.writeText(url).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? labels.copied : labels.copy}
      </Button>
      <a href={whatsappShareUrl(shareText)} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")} data-testid={`${testIdPrefix}-whatsapp`}>
        {labels.whatsapp}
      </a>
    </>
  );
}
