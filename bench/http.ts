/** JSON over HTTP to a hub, for the benchmarks. */
export function poster(hubUrl: string) {
  return (path: string, body: unknown, token?: string) =>
    fetch(new URL(path, hubUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
}

export async function loginAs(hubUrl: string, username: string): Promise<string> {
  const response = await poster(hubUrl)('/api/auth/login', { username, password: 'demo' });
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
