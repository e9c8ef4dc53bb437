/** Encrypts what the console keeps at rest with a key the OS guards (Electron: safeStorage). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
