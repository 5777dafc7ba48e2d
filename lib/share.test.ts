import { describe, expect, it } from "vitest";
import { whatsappChatUrl, whatsappShareUrl } from "./share";

describe("WhatsApp links", () => {
  it("a chat with the customer's number, digits only, the message prefilled", () => {
    expect(whatsappChatUrl("+254712345678", "Bonjour Awa, 5 000 F CFA ?")).toBe("https://wa.me/254712345678?text=Bonjour%20Awa%2C%205%20000%20F%20CFA%20%3F");
    expect(whatsappShareUrl("a&b")).toBe("https://wa.me/?text=a%26b");
  });
});
