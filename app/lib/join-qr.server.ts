/** How to join, for the projector: the code, the link it fills in, and that link as a QR code. */
export interface JoiningInfo {
  studentCode: string;
  joinLink: string;
  joinQr: string;
  /** The audience link that opens the vote page, and its QR code. */
  voteLink: string;
  voteQr: string;
}

/**
 * A QR code as an SVG data URL, drawn on the server so the projector page ships no QR code library.
 * The library is loaded by the first projector, not at start (idle memory, decision 178).
 */
async function qrDataUrl(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

export async function joiningInfo(origin: string, studentCode: string, audienceKey: string): Promise<JoiningInfo> {
  const joinLink = `${origin}/join?code=${studentCode}`;
  const voteLink = `${origin}/watch/${audienceKey}?to=vote`;
  return { studentCode, joinLink, joinQr: await qrDataUrl(joinLink), voteLink, voteQr: await qrDataUrl(voteLink) };
}
