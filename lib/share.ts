/** WhatsApp's documented share URL: the text is prefilled, the sender picks the chat. */
export const whatsappShareUrl = (text: string) => `https://wa.me/?text=${encodeURIComponent(text)}`;
