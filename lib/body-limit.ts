/** A request body longer than its route accepts. */
export class BodyTooLarge extends Error {}
