import type { Server } from 'node:net';

export class PortInUseError extends Error {
  constructor(label: string, port: number) {
    super(`${label}: port ${port} is already in use; choose another port (0 picks a free one)`);
    this.name = 'PortInUseError';
  }
}

function listenOnce(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Listens on the port. A port asked for explicitly that is taken is an error;
 * a default port that is taken falls back to any free port with a warning.
 */
export async function listenWithFallback(
  server: Server,
  opts: { port: number; host: string; explicit: boolean; label: string; warn: (message: string) => void },
): Promise<number> {
  try {
    return await listenOnce(server, opts.port, opts.host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (opts.explicit) throw new PortInUseError(opts.label, opts.port);
    opts.warn(`${opts.label}: default port ${opts.port} is taken, using a free port instead`);
    return listenOnce(server, 0, opts.host);
  }
}
