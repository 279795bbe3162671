/**
 * The portal's security headers, one definition for CloudFront's response
 * headers policy (infra/constructs/portal.ts) and the local server.
 * The CSP allows scripts, styles and API calls from the portal's own origin
 * only, plus the POST of the file straight to the submissions bucket.
 */
export function contentSecurityPolicy(uploadOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${uploadOrigin}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The others, as header name → value (HSTS is added where the portal is served over HTTPS). */
export const OTHER_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;
