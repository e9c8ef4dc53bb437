/** The hub over HTTP, for e2e checks of what reached it. */
export { hubToken as hubLogin } from '../core/hub-fixture';

export async function hubGet<T>(hubUrl: string, token: string, path: string): Promise<T> {
  const response = await fetch(new URL(path, hubUrl), { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}
