/**
 * Decides a file's type from its first bytes (magic numbers), never from its name or declared
 * type, and reads image dimensions when they sit in the header.
 */

export type FileType = "image" | "video" | "audio" | "document";

export interface SniffResult {
  contentType: string;
  fileType: FileType;
  /** Served only as an attachment (types a browser could execute, e.g. SVG). */
  downloadOnly: boolean;
  width?: number;
  height?: number;
}

export type SniffOutcome = { ok: true; result: SniffResult } | { ok: false; reason: string };

/** How many leading bytes the sniffer wants (JPEG dimensions may sit after EXIF blocks). */
export const SNIFF_BYTES = 64 * 1024;

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((b, i) => bytes[offset + i] === b);
}

export function sniff(bytes: Uint8Array): SniffOutcome {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  const accept = (contentType: string, fileType: FileType, extra: Partial<SniffResult> = {}): SniffOutcome => ({
    ok: true,
    result: { contentType, fileType, downloadOnly: false, ...extra },
  });

  if (len >= 24 && startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return accept("image/png", "image", { width: view.getUint32(16), height: view.getUint32(20) });
  }
  if (len >= 3 && startsWith(bytes, [0xff, 0xd8, 0xff])) return accept("image/jpeg", "image", jpegSize(bytes, view));
  if (len >= 10 && (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a")) {
    return accept("image/gif", "image", { width: view.getUint16(6, true), height: view.getUint16(8, true) });
  }
  if (len >= 12 && ascii(bytes, 0, 4) === "RIFF") {
    const form = ascii(bytes, 8, 4);
    if (form === "WEBP") return accept("image/webp", "image", webpSize(bytes, view));
    if (form === "WAVE") return accept("audio/wav", "audio");
    if (form === "AVI ") return accept("video/x-msvideo", "video");
  }
  if (len >= 26 && ascii(bytes, 0, 2) === "BM") {
    return accept("image/bmp", "image", { width: view.getInt32(18, true), height: Math.abs(view.getInt32(22, true)) });
  }
  if (len >= 4 && (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))) {
    return accept("image/tiff", "image");
  }
  if (len >= 12 && ascii(bytes, 4, 4) === "ftyp") {
    const brand = ascii(bytes, 8, 4);
    if (brand === "avif" || brand === "avis") return accept("image/avif", "image");
    if (brand === "heic" || brand === "heix" || brand === "mif1") return accept("image/heic", "image");
    if (brand === "qt  ") return accept("video/quicktime", "video");
    if (brand === "M4A ") return accept("audio/mp4", "audio");
    return accept("video/mp4", "video");
  }
  if (len >= 4 && startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return accept("video/webm", "video");
  if (len >= 4 && (startsWith(bytes, [0x00, 0x00, 0x01, 0xba]) || startsWith(bytes, [0x00, 0x00, 0x01, 0xb3]))) {
    return accept("video/mpeg", "video");
  }
  if (len >= 4 && ascii(bytes, 0, 4) === "OggS") return accept("audio/ogg", "audio");
  if (len >= 4 && ascii(bytes, 0, 4) === "fLaC") return accept("audio/flac", "audio");
  if (len >= 3 && ascii(bytes, 0, 3) === "ID3") return accept("audio/mpeg", "audio");
  if (len >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xf6) === 0xf0) return accept("audio/aac", "audio");
  if (len >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return accept("audio/mpeg", "audio");
  if (len >= 5 && ascii(bytes, 0, 5) === "%PDF-") return accept("application/pdf", "document");
  return sniffText(bytes);
}

/** Types a browser could execute: always served as an attachment, whatever the upload path. */
export const DOWNLOAD_ONLY_TYPES: ReadonlySet<string> = new Set(["image/svg+xml"]);

export function isDownloadOnlyType(contentType: string | undefined): boolean {
  return contentType !== undefined && DOWNLOAD_ONLY_TYPES.has(contentType.split(";")[0]?.trim().toLowerCase() ?? "");
}

/** Text formats: SVG is accepted as download-only unless it carries script; HTML and the rest are refused. */
function sniffText(bytes: Uint8Array): SniffOutcome {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
  const head = text.trimStart().toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(head)) {
    if (/<script|javascript:|\son[a-z]+\s*=|<foreignobject|<iframe|<embed|<object/.test(head)) {
      return { ok: false, reason: "SVG with script or embedded content is not allowed" };
    }
    return { ok: true, result: { contentType: "image/svg+xml", fileType: "image", downloadOnly: true } };
  }
  if (/^(<!doctype html|<html|<head|<body|<script)/.test(head) || /<script[\s>]/.test(head)) {
    return { ok: false, reason: "HTML is not an allowed media type" };
  }
  return { ok: false, reason: "The file's content is not an allowed image, video, audio or PDF type" };
}

function jpegSize(bytes: Uint8Array, view: DataView): Partial<SniffResult> {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return {};
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    if (marker === 0xd9 || marker === 0xda) return {};
    offset += 2 + view.getUint16(offset + 2);
  }
  return {};
}

function webpSize(bytes: Uint8Array, view: DataView): Partial<SniffResult> {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8X" && bytes.length >= 30) {
    const w = 1 + ((bytes[24] ?? 0) | ((bytes[25] ?? 0) << 8) | ((bytes[26] ?? 0) << 16));
    const h = 1 + ((bytes[27] ?? 0) | ((bytes[28] ?? 0) << 8) | ((bytes[29] ?? 0) << 16));
    return { width: w, height: h };
  }
  if (chunk === "VP8 " && bytes.length >= 30) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === "VP8L" && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return {};
}
