import { randomBytes, randomInt } from "node:crypto";

/** No 0/O or 1/I/L: codes are read off a projector and typed by students. */
export const JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const JOIN_CODE_LENGTH = 6;

export function newJoinCode(): string {
  let code = "";
  for (let index = 0; index < JOIN_CODE_LENGTH; index++) {
    code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  }
  return code;
}

/** Opaque identifier with 128 bits of randomness. */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}
