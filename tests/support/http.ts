/** Plain HTTP against a running server, as a browser without JavaScript would send it. */
export interface HttpAnswer {
  status: number;
  location: string | null;
  /** The session cookie set by the answer, as a Cookie header value. */
  sessionCookie: string | null;
  /** The browser's client cookie when the answer set one, as a Cookie header value. */
  clientCookie: string | null;
  body: string;
}

export async function http(
  baseUrl: string,
  path: string,
  options: {
    cookie?: string | null;
    form?: Record<string, string>;
    origin?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const method = options.form ? "POST" : "GET";
  if (method === "POST") headers.origin = options.origin ?? baseUrl;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.form ? new URLSearchParams(options.form) : undefined,
    redirect: "manual",
  });
  const setCookies = response.headers.getSetCookie();
  const session = setCookies.find((value) => value.startsWith("caucus_session="));
  const client = setCookies.find((value) => value.startsWith("caucus_client="));
  return {
    status: response.status,
    location: response.headers.get("location"),
    sessionCookie: session ? session.split(";")[0]! : null,
    clientCookie: client ? client.split(";")[0]! : null,
    body: await response.text(),
  };
}
