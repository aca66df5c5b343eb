export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
}

/** GET /api/payments over real HTTP; `orderId` undefined leaves the parameter out. */
export async function getPayment(
  baseUrl: string,
  token: string | undefined,
  orderId: string | undefined,
): Promise<Reply> {
  const query = orderId === undefined ? '' : `?${new URLSearchParams({ orderId }).toString()}`;
  const response = await fetch(`${baseUrl}/api/payments${query}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
