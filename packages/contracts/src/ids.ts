import { customAlphabet, nanoid } from "nanoid";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

/** Entity ids: 21-character nanoids. */
export function newId(): string {
  return nanoid();
}

const shortId = customAlphabet(ALPHABET, 10);

/** Account and workspace ids follow the reference schema: 10 characters of `[A-Za-z0-9_-]`. */
export function newWorkspaceId(): string {
  return shortId();
}
export const newAccountId = newWorkspaceId;

export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9_-]{10}$/;
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isWorkspaceId(value: unknown): value is string {
  return typeof value === "string" && WORKSPACE_ID_PATTERN.test(value);
}

/** Request ids: short, URL-safe, unique enough to grep logs by. */
export function newRequestId(): string {
  return nanoid(16);
}
