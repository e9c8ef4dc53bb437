import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import './global.css';
// Before the first render: the language is chosen and <html lang> set.
import './i18n';
import { App } from './App';
import { contrastResolver } from './contrast';
import { theme } from './theme';

// The core answers from its local cache and pushes what changed, so neither
// polling nor retries help: push events invalidate exactly what they touch.
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: Infinity } },
});

/** The user's pick (System, Light or Dark) is remembered on this machine, like the language; System follows the OS. */
const colorSchemeManager = localStorageColorSchemeManager({ key: 'switchboard.colorScheme' });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={contrastResolver} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      {/* Bottom left, over the rail's key hints and the queue's last rows: never over the queue's first rows and its
          selection bar (top), the composer (bottom, right of the queue) nor the supervisors' surge alerts (top right). */}
      <Notifications position="bottom-left" containerWidth={360} limit={3} classNames={{ root: 'toasts' }} />
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
