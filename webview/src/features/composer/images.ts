/** Pasted images: only the types the model reads, each at most MAX_IMAGE_BYTES, at most MAX_IMAGES per message. */
import type { ImageAttachment } from '../../protocol';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGES = 10;

export type ImageResult = { ok: true; image: ImageAttachment; name: string; bytes: number } | { ok: false; error: string };

export function checkImage(type: string, bytes: number, count: number): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(type)) return `Images must be PNG, JPEG, GIF or WebP (this one is ${type || 'of an unknown type'}).`;
  if (bytes > MAX_IMAGE_BYTES) return `That image is ${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB. Crop or compress it and paste again.`;
  if (count >= MAX_IMAGES) return `At most ${MAX_IMAGES} images per message.`;
  return null;
}

export function readImage(file: File, count: number): Promise<ImageResult> {
  const error = checkImage(file.type, file.size, count);
  if (error) return Promise.resolve({ ok: false, error });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      const data = url.slice(url.indexOf(',') + 1);
      resolve({ ok: true, image: { mediaType: file.type as ImageAttachment['mediaType'], data }, name: file.name || 'pasted image', bytes: file.size });
    };
    reader.onerror = () => resolve({ ok: false, error: 'Could not read the pasted image.' });
    reader.readAsDataURL(file);
  });
}
