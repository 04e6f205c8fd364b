/** The HTTP status of an error from a list (ours) or a watch (client-node's), if any. */
export function statusOf(error: unknown): number | undefined {
  const detail = error as { statusCode?: unknown; code?: unknown } | undefined;
  if (typeof detail?.statusCode === 'number') return detail.statusCode;
  return typeof detail?.code === 'number' ? detail.code : undefined;
}
