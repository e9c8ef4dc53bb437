/**
 * `content-disposition: attachment` with the file's name (RFC 6266): an ASCII
 * fallback for old clients and the exact UTF-8 name in `filename*` (RFC 8187).
 */
export function attachmentDisposition(fileName: string): string {
  // Quotes, backslashes, controls and non-ASCII cannot sit in the quoted fallback.
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'attachment';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
