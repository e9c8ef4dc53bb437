/**
 * Whether the Electron shell seals the cache key and the session's tokens (access and refresh) with
 * safeStorage. On Linux without a secret service (gnome-keyring, KWallet),
 * safeStorage falls back to `basic_text`: a key written in Chromium's source,
 * the same on every machine, so "sealed" would protect nothing while
 * claiming to. There, and wherever encryption is unavailable, the console
 * keeps the key as the headless console does — a file only its user can read
 * (mode 0600) — and says so. Plain Node (no electron import), so it is unit-tested.
 */

/** safeStorage.getSelectedStorageBackend() on Linux; null elsewhere (the call is Linux-only). */
export type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface SealingDecision {
  seal: boolean;
  /** For the log when the key is not sealed: why, and what protects it instead. */
  warning: string | null;
}

const LINUX_KEYCHAINS = new Set<StorageBackend>(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

const FALLBACK = 'the cache key is kept unsealed in cache.key, readable only by your user (mode 0600), as the headless console keeps it, and the session tokens (access and refresh) only inside the encrypted cache';

export function keySealing(opts: { platform: NodeJS.Platform; backend: StorageBackend | null; encryptionAvailable: boolean }): SealingDecision {
  if (!opts.encryptionAvailable) return { seal: false, warning: `this system offers no OS keychain to Electron's safeStorage: ${FALLBACK}` };
  if (opts.platform !== 'linux' || (opts.backend !== null && LINUX_KEYCHAINS.has(opts.backend))) return { seal: true, warning: null };
  const why =
    opts.backend === 'basic_text'
      ? "no secret service (gnome-keyring, KWallet) is available to this session, and safeStorage's basic_text fallback uses a key that is the same on every machine"
      : `safeStorage reports the storage backend "${opts.backend ?? 'none'}"`;
  return { seal: false, warning: `${why}: ${FALLBACK}; start a keyring (or pass --password-store=gnome-libsecret / kwallet6) to seal it` };
}
