/**
 * The renderer's Content-Security-Policy, written once. The packaged Electron
 * app loads index.html from file://, which has no response headers, so the
 * build writes the policy into the page as a <meta> (renderer.vite.ts calls
 * withContentSecurityPolicy); the browser shell and Electron's session (the
 * dev server) send it as a header. Mantine sets inline styles, nothing else is
 * inline; 'self' in connect-src also covers the browser shell's same-origin
 * WebSocket bridge.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
];

/** Browsers ignore these in a <meta> (and log an error): a header carries them. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The response header's policy. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** The same policy without the header-only directives: what the built index.html carries. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter((directive) => !HEADER_ONLY.has(directive.split(' ')[0] ?? '')).join('; ');

const HAS_CSP_META = /<meta[^>]+http-equiv\s*=\s*["']?content-security-policy/i;

/**
 * index.html with the policy's <meta> right after its charset (or its <head>), before anything it
 * governs. A page that already has one is refused: the policy is written here only.
 */
export function withContentSecurityPolicy(html: string): string {
  if (HAS_CSP_META.test(html)) throw new Error('index.html has its own Content-Security-Policy <meta>: the policy is written once, in src/shared/csp.ts');
  const anchor = /<meta\s+charset\s*=[^>]*>/i.exec(html) ?? /<head(\s[^>]*)?>/i.exec(html);
  if (!anchor) throw new Error('index.html has no <head> to put the Content-Security-Policy in');
  const at = anchor.index + anchor[0].length;
  const content = META_CONTENT_SECURITY_POLICY.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `${html.slice(0, at)}\n    <meta http-equiv="Content-Security-Policy" content="${content}" />${html.slice(at)}`;
}
