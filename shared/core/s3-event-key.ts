/**
 * S3 event notifications carry object keys URL-encoded the way HTML forms
 * are: UTF-8 percent-escapes, spaces as "+". Every consumer must decode them,
 * or a Chinese file name or a space breaks the GetObject that follows.
 */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}
