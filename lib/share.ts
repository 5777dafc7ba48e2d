/** WhatsApp's documented share URL: the text is prefilled, the sender picks the chat. */
export const whatsappShareUrl = (text: string) => `https://wa.me/?text=${encodeURIComponent(text)}`;

/**
 * WhatsApp's click-to-chat URL: a chat with that number opens with the text prefilled, for the
 * sender to read and send. wa.me wants the international number as digits only ("+225 07…" → "22507…").
 */
export const whatsappChatUrl = (e164: string, text: string) => `https://wa.me/${e164.replace(/\D/g, "")}?text=${encodeURIComponent(text)}`;
