/**
 * A real IMAP server for the hub's IMAP mailbox channel tests: Debian's
 * Dovecot, started in the foreground from a configuration of our own in a
 * fresh temporary folder (sockets, state, log and Maildir all inside it), on
 * an ephemeral loopback port, with plaintext login and one user. Nothing
 * root-owned and nothing system-wide: it never touches /etc/dovecot or
 * /run/dovecot, so it runs next to a system Dovecot and as any user.
 *
 * Dovecot runs "rootless" (every service as one account). It refuses to run
 * its login processes or mail access as root, so a test run as root (CI)
 * starts it as `nobody` and hands it the folder.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { access, chown, constants, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temporary folder holding the configuration, sockets, log and mail (removed by stop()). */
  dir: string;
  /** Dovecot's master process, also the id of its process group. */
  pid: number;
  /** imap://user:password@host:port/INBOX (URL-encoded) */
  url(mailbox?: string): string;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const HOST = '127.0.0.1';
const USER = 'support@example.com';
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;
const ATTEMPTS = 3;

/** The account every Dovecot service runs as, and whose uid/gid owns the mail. */
interface Account {
  uid: number;
  gid: number;
  user: string;
  /** Dovecot takes group names only (a numeric gid "doesn't exist"). */
  group: string;
}

async function findDovecot(): Promise<string> {
  const candidates = ['/usr/sbin/dovecot', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'dovecot'))];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not this one.
    }
  }
  throw new Error("Dovecot is not installed (no /usr/sbin/dovecot, no dovecot on PATH): install Debian's dovecot-imapd (apt-get install dovecot-imapd); CI's .ci/run installs it.");
}

async function account(): Promise<Account> {
  const groupOf = async (user: string) => (await run('id', ['-gn', user])).stdout.trim();
  if (process.getuid?.() === 0) {
    // Root: Dovecot's imap-login dies with "must not be run as root" and a userdb uid of 0 is refused.
    const [uid, gid, group] = await Promise.all([run('id', ['-u', 'nobody']), run('id', ['-g', 'nobody']), groupOf('nobody')]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout), user: 'nobody', group };
  }
  const { uid, gid, username } = userInfo();
  return { uid, gid, user: username, group: await groupOf(username) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function dovecotConf(o: { dir: string; port: number; account: Account; greeting: string }): string {
  const { dir, port, account: a } = o;
  return `\
# Written by tests/support/dovecot.ts: a throw-away rootless Dovecot for tests.
protocols = imap
listen = ${HOST}
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
log_path = ${join(dir, 'dovecot.log')}
info_log_path = ${join(dir, 'dovecot.log')}
# Proves a connection reached this server and not whatever took the port.
login_greeting = ${o.greeting}

# Loopback tests: plain IMAP, passwords in the clear.
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# A wrong password is answered at once instead of after 2 s.
auth_failure_delay = 0

# Rootless: every service runs as the one account that owns this folder.
default_internal_user = ${a.user}
default_internal_group = ${a.group}
default_login_user = ${a.user}
first_valid_uid = 1
first_valid_gid = 1
mail_privileged_group =
login_trusted_networks =

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}
}
userdb {
  driver = static
  args = uid=${a.uid} gid=${a.gid} home=${join(dir, 'home')}/%u
}
mail_location = maildir:~/Maildir

protocol imap {
  # A hub may hold an IDLE connection and more beside it (the default is 10 per user and IP).
  mail_max_userip_connections = 100
}

service imap-login {
  # chroot needs root; the login processes reach the auth sockets under base_dir directly.
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/** Reads the first line the server sends, or '' if it closes or stays silent. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    let data = '';
    const done = () => {
      socket.destroy();
      resolve(data.split('\r\n')[0] ?? '');
    };
    socket.setTimeout(1_000, done);
    socket.on('error', done);
    socket.on('close', done);
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('\r\n')) done();
    });
  });
}

async function tail(path: string, lines = 40): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Whether a live process is left in the group (dovecot -F does not call
 * setsid, so its services stay in it). Dovecot's log service outlives the
 * master by design, so it ends as an orphan that PID 1 reaps when it gets to
 * it: zombies do not count.
 */
export function groupAlive(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    // No /proc: ask the kernel whether the group has any member at all.
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return pids.some((pid) => {
    try {
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
    } catch {
      return false; // Gone meanwhile.
    }
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM lets Dovecot stop its services itself; SIGKILL to the whole group if it does not. */
async function terminate(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    if (!(await waitExit(child, STOP_GRACE_MS))) {
      killGroup(pgid, 'SIGKILL');
      await waitExit(child, STOP_GRACE_MS);
    }
  }
  // Children orphaned by a killed master exit on their own once they notice; make sure they do.
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory()) await chownTree(join(path, entry.name), uid, gid);
    else await chown(join(path, entry.name), uid, gid);
  }
}

type Attempt = { ok: true; child: ChildProcess } | { ok: false; portTaken: boolean; message: string };

async function attempt(binary: string, dir: string, acct: Account, port: number): Promise<Attempt> {
  const confFile = join(dir, 'dovecot.conf');
  const logFile = join(dir, 'dovecot.log');
  const token = `switchboard-test-${randomBytes(6).toString('hex')}`;
  // A failed attempt's sockets and pid file must not confuse the next one.
  await rm(join(dir, 'run'), { recursive: true, force: true });
  const asRoot = process.getuid?.() === 0;
  await writeFile(confFile, dovecotConf({ dir, port, account: acct, greeting: token }));
  // As root, Dovecot runs as `nobody` (see account()), which must own its folder.
  if (asRoot) await chownTree(dir, acct.uid, acct.gid);

  // Its own process group, so stop() can reach every Dovecot service even if the master dies first.
  const child = spawn(binary, ['-F', '-c', confFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(asRoot ? { uid: acct.uid, gid: acct.gid } : {}),
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const exited = child.exitCode !== null || child.signalCode !== null || spawnError !== undefined;
    if (!exited) {
      const line = await greeting(port);
      if (line.startsWith('* OK') && line.includes(token)) return { ok: true, child };
    }
    if (exited || Date.now() > deadline) {
      if (!exited) await terminate(child);
      const log = await tail(logFile);
      const why = spawnError
        ? `could not be spawned (${spawnError.message})`
        : exited
          ? `exited (code ${child.exitCode}, signal ${child.signalCode})`
          : `did not greet with "* OK" on ${HOST}:${port} within ${START_TIMEOUT_MS / 1000} s`;
      return {
        ok: false,
        portTaken: /address already in use/i.test(output + log),
        message: `Dovecot ${why}.\n--- ${logFile} (tail) ---\n${log}\n--- stdout/stderr ---\n${output.trimEnd() || '(none)'}`,
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a private Dovecot with one user and an empty INBOX; stop() it when done. */
export async function startDovecot(): Promise<Dovecot> {
  const binary = await findDovecot();
  const acct = await account();
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-dovecot-'));
  // ':' separates passwd-file fields; base64url has none.
  const password = randomBytes(12).toString('base64url');
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    await writeFile(join(dir, 'passwd'), `${USER}:{PLAIN}${password}\n`, { mode: 0o600 });
    await mkdir(join(dir, 'home'));
    let failure = '';
    // The free port can be taken between our probe and Dovecot's bind: try another.
    for (let i = 0; i < ATTEMPTS && !child; i++) {
      port = await freePort();
      const result = await attempt(binary, dir, acct, port);
      if (result.ok) child = result.child;
      else if (result.portTaken) failure = result.message;
      else throw new Error(result.message);
    }
    if (!child) throw new Error(`${failure}\n(the port was taken ${ATTEMPTS} times)`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const started = child;
  const pgid = started.pid!;
  // A test run that dies without stop() must not leave a server behind.
  const onExit = () => {
    killGroup(pgid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;

  return {
    host: HOST,
    port,
    user: USER,
    password,
    dir,
    pid: pgid,
    url(mailbox = 'INBOX') {
      // Per segment, so a hierarchical name keeps its slashes.
      const path = mailbox.split('/').map(encodeURIComponent).join('/');
      return `imap://${encodeURIComponent(USER)}:${encodeURIComponent(password)}@${HOST}:${port}/${path}`;
    },
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await terminate(started);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
