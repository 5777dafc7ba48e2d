import { createHash } from "node:crypto";

/** The largest image a product may carry: a phone photo resized by the merchant's gallery app. */
export const MAX_IMAGE_BYTES = 1024 * 1024;

export type ImageType = "image/png" | "image/jpeg" | "image/webp";

const ascii = (bytes: Uint8Array, start: number, text: string) => [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

/**
 * What the bytes are, by their signature: the browser's content type and the file's name are
 * the uploader's word, and a page served as an image must be one.
 */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 12 && ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "image/webp";
  return null;
}

export type CheckedImage = { bytes: Uint8Array; contentType: ImageType; sha256: string };

/** An upload accepted as a product image, or the field error code that refuses it. */
export function checkImage(bytes: Uint8Array): CheckedImage | { error: "image_too_large" | "image_type" } {
  if (bytes.length > MAX_IMAGE_BYTES) return { error: "image_too_large" };
  const contentType = sniffImage(bytes);
  if (!contentType) return { error: "image_type" };
  return { bytes, contentType, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** An upload as the action read it: its bytes, or only its size when it was too large to read. */
export type Upload = { bytes: Uint8Array } | { tooLarge: true } | null;

/** A form's file field (a product's "image", a store's "logo"), read only when it is small enough to be one: an empty file input (or a text field of that name) is no image. */
export async function readUpload(form: FormData, field = "image"): Promise<Upload> {
  const file = form.get(field);
  if (!(file instanceof Blob) || file.size === 0) return null;
  if (file.size > MAX_IMAGE_BYTES) return { tooLarge: true };
  return { bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** What an upload is: nothing sent (null), an accepted image, or the error code that refuses it. */
export function checkUpload(upload: Upload): ReturnType<typeof checkImage> | null {
  if (upload === null) return null;
  return "tooLarge" in upload ? { error: "image_too_large" } : checkImage(upload.bytes);
}

/** Content-addressed: new bytes, new URL, so a response can be cached for good. */
export const productImageUrl = (sha256: string) => `/products/images/${sha256}`;
