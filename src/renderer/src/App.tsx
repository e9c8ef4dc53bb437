import { useEffect, useState } from 'react';
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './api/client';
import { signedOut } from './api/events';
import { apiKey, methodKey, useSession } from './api/queries';
import { Console } from './screens/Console';
import { Login } from './screens/Login';

/** Signed in → the console; not → login; the core unreachable → say so. */
export function App() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const session = useSession();
  // A flag, not the text: the notice speaks the language shown when it is read.
  const [sessionEnded, setSessionEnded] = useState(false);

  // Another window, or the hub refusing our token, can change the session under us.
  useEffect(
    () =>
      api.on('session:changed', ({ user }) => {
        if (user !== null) {
          setSessionEnded(false);
          void client.invalidateQueries({ queryKey: methodKey('session.current') });
          return;
        }
        // Our own sign-out clears the session first, so a session still here ended elsewhere.
        if (client.getQueryData(apiKey('session.current', {}))) setSessionEnded(true);
        signedOut(client);
      }),
    [client],
  );

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader size="sm" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh">
        <Stack align="center" gap={8} maw={420} data-testid="core-unavailable">
          <Text fw={600}>{t('app.coreUnavailable')}</Text>
          <Text size="sm" c="dimmed" ta="center">
            {session.error.message}
          </Text>
          <Button size="xs" variant="default" onClick={() => void session.refetch()}>
            {t('common.tryAgain')}
          </Button>
        </Stack>
      </Center>
    );
  }
  return session.data ? <Console session={session.data} /> : <Login notice={sessionEnded ? t('app.sessionEnded') : null} />;
}
