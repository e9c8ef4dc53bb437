/** The real headless console as a child process, with a minimal JSON-RPC client over its pipes. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'src', 'main', 'headless', 'cli.ts');

export interface RpcMessage {
  jsonrpc: string;
  id?: string | number | null;
  method?: string;
  params?: { name: string; payload: unknown };
  result?: unknown;
  error?: { code: number; message: string; data?: { code: string } };
}

/** One headless console process and a minimal JSON-RPC client over its pipes. */
export class HeadlessConsole {
  readonly lines: string[] = [];
  readonly notifications: RpcMessage[] = [];
  readonly unmatched: RpcMessage[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, (message: RpcMessage) => void>();
  #nextId = 1;

  constructor(args: string[]) {
    const env = { ...process.env };
    delete env.SWITCHBOARD_HUB_URL;
    this.#child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env, stdio: 'pipe' });
    this.exited = new Promise((resolve) => this.#child.once('exit', (code, signal) => resolve({ code, signal })));
    // Writes still queued when a test kills the console break the pipe; the calls learn of it from `exited`.
    this.#child.stdin.on('error', () => undefined);
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    createInterface({ input: this.#child.stdout, crlfDelay: Infinity }).on('line', (line) => this.#receive(line));
  }

  #receive(line: string): void {
    this.lines.push(line);
    let message: RpcMessage;
    try {
      message = JSON.parse(line) as RpcMessage;
    } catch {
      return; // kept in `lines`; the test that checks stdout's purity fails on it
    }
    if (message.method === 'event') this.notifications.push(message);
    else if (typeof message.id === 'number' && this.#pending.has(message.id)) {
      this.#pending.get(message.id)!(message);
      this.#pending.delete(message.id);
    } else this.unmatched.push(message);
  }

  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  call(method: string, params?: unknown): Promise<RpcMessage> {
    const id = this.#nextId++;
    const answered = new Promise<RpcMessage>((resolve, reject) => {
      this.#pending.set(id, resolve);
      void this.exited.then(({ code }) => reject(new Error(`the console exited (${code}) before answering ${method}; stderr:\n${this.stderr}`)));
    });
    this.send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
    return answered;
  }

  async ok<T>(method: string, params?: unknown): Promise<T> {
    const response = await this.call(method, params);
    if (response.error) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
    return response.result as T;
  }

  endInput(): void {
    this.#child.stdin.end();
  }

  signal(name: NodeJS.Signals): void {
    this.#child.kill(name);
  }

  /** Every stdout line is a JSON-RPC 2.0 message: logs never leak into the protocol stream. */
  expectCleanStdout(): void {
    for (const line of this.lines) expect((JSON.parse(line) as RpcMessage).jsonrpc, line).toBe('2.0');
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}

