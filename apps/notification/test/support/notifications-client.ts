export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
}

/** GET /api/notifications over real HTTP. */
export async function getNotifications(
  baseUrl: string,
  token: string | undefined,
  query: Record<string, string> = {},
): Promise<Reply> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${baseUrl}/api/notifications${search ? `?${search}` : ''}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
