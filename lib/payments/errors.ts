/** A failure the shopper or merchant can read; `code` is stable for tests and translations. */
export class PaymentError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: { fr: string; en: string },
  ) {
    super(code);
    this.name = "PaymentError";
  }
}

