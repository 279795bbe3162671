/**
 * A portal request the use cases refuse, with the HTTP status the router
 * answers and a Chinese message for the person at the page.
 */
export class PortalRequestError extends Error {
  override readonly name = 'PortalRequestError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
