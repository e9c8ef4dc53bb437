import type { ConsoleApi } from '../../shared/api';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser shell. */
    switchboard?: ConsoleApi;
  }
}
