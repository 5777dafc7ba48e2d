"use client";
import { buttonClass } from "@/components/ui/button";
import { whatsappShareUrl } from "@/lib/share";
import { CopyButton } from "./copy-button";

type Labels = { copy: string; copied: string; whatsapp: string };

/**
 * Copy and WhatsApp buttons for a link the merchant passes on by hand (payment links, team
 * invitations); the copy button only once scripts run (copy-button.tsx). Test ids are `<prefix>-copy` and `<prefix>-whatsapp`.
 */
export function ShareButtons({ url, shareText, labels, testIdPrefix }: { url: string; shareText: string; labels: Labels; testIdPrefix: string }) {
  return (
    <>
      <CopyButton text={url} labels={labels} testId={`${testIdPrefix}-copy`} />
      <a href={whatsappShareUrl(shareText)} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")} data-testid={`${testIdPrefix}-whatsapp`}>
        {labels.whatsapp}
      </a>
    </>
  );
}
