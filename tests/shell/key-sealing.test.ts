/**
 * Whether the Electron shell seals the cache key with safeStorage: only with a
 * real OS keychain. Linux's basic_text store (a key written in Chromium's
 * source) or no encryption at all → the key stays a user-only file, as in the
 * headless console, with a warning saying so; a key an earlier version sealed
 * that way is unsealed so the cache still opens.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_KEY_FILE, openCache } from '../../src/main/core/cache';
import { unsealCacheKeyFile } from '../../src/main/core/cache/key';
import type { SecretBox } from '../../src/main/core/secret-box';
import { keySealing } from '../../src/main/key-sealing';
import { aCustomer, tempDir } from '../core/fixtures';

describe('sealing the cache key', () => {
  it('seals with a Linux secret service (libsecret, KWallet), the macOS Keychain and Windows DPAPI', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      expect(keySealing({ platform: 'linux', backend, encryptionAvailable: true })).toEqual({ seal: true, warning: null });
    }
    expect(keySealing({ platform: 'darwin', backend: null, encryptionAvailable: true })).toEqual({ seal: true, warning: null });
    expect(keySealing({ platform: 'win32', backend: null, encryptionAvailable: true })).toEqual({ seal: true, warning: null });
  });

  it("does not pretend with Linux's basic_text store, and says what protects the key instead", () => {
    const decision = keySealing({ platform: 'linux', backend: 'basic_text', encryptionAvailable: true });
    expect(decision.seal).toBe(false);
    expect(decision.warning).toMatch(/basic_text/);
    expect(decision.warning).toMatch(/unsealed in cache\.key, readable only by your user \(mode 0600\)/);
  });

  it('does not seal when the backend is unknown or encryption is unavailable, on any platform', () => {
    expect(keySealing({ platform: 'linux', backend: 'unknown', encryptionAvailable: true })).toMatchObject({ seal: false, warning: expect.stringMatching(/"unknown"/) });
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const decision = keySealing({ platform, backend: platform === 'linux' ? 'gnome_libsecret' : null, encryptionAvailable: false });
      expect(decision).toMatchObject({ seal: false, warning: expect.stringMatching(/no OS keychain.*mode 0600/) });
    }
  });
});

/** Stands in for safeStorage's basic_text store: it seals and opens, with a key anyone could know (another byte: another machine's store). */
function basicText(keyByte = 7): SecretBox {
  const key = Buffer.alloc(32, keyByte);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('a key sealed by an earlier version with a store no longer trusted', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('switchboard-sealing-');
  });
  afterEach(async () => {
    await dir.remove();
  });
  const keyFile = () => JSON.parse(readFileSync(join(dir.path, CACHE_KEY_FILE), 'utf8')) as { sealed: boolean; key: string };

  it('is unsealed into a user-only file, and the cache opens without any keychain, its data intact', () => {
    const box = basicText();
    const customer = aCustomer({ name: 'Ingrid Halvorsen' });
    const before = openCache(dir.path, { secrets: box });
    before.apply('customer', customer, customer.rev);
    before.close();
    expect(keyFile().sealed).toBe(true);

    expect(unsealCacheKeyFile(dir.path, box)).toBe(true);
    expect(keyFile().sealed).toBe(false);
    expect(statSync(join(dir.path, CACHE_KEY_FILE)).mode & 0o777).toBe(0o600);
    const after = openCache(dir.path);
    try {
      expect(after.customers.byId(customer.id)?.name).toBe('Ingrid Halvorsen');
    } finally {
      after.close();
    }
    // Already plain, or no key at all: nothing to do.
    expect(unsealCacheKeyFile(dir.path, box)).toBe(false);
  });

  it('is left as it was when this session cannot open it (sealed by a keychain that is not here)', () => {
    openCache(dir.path, { secrets: basicText() }).close();
    const sealed = readFileSync(join(dir.path, CACHE_KEY_FILE), 'utf8');
    expect(() => unsealCacheKeyFile(dir.path, basicText(8))).toThrow();
    expect(readFileSync(join(dir.path, CACHE_KEY_FILE), 'utf8')).toBe(sealed);
  });
});

