import { useEffect, useState } from 'react';
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { api } from './api/client';
import { signedOut } from './api/events';
import { apiKey, methodKey, useSession } from './api/queries';
import { Console } from './screens/Console';
import { Login } from './screens/Login';

/** Signed in → the console; not → login; the core unreachable → say so. */
export function App() {
  const client = useQueryClient();
  const session = useSession();
  const [notice, setNotice] = useState<string | null>(null);

  // Another window, or the hub refusing our token, can change the session under us.
  useEffect(
    () =>
      api.on('session:changed', ({ user }) => {
        if (user !== null) {
          setNotice(null);
          void client.invalidateQueries({ queryKey: methodKey('session.current') });
          return;
        }
        // Our own sign-out clears the session first, so a session still here ended elsewhere.
        if (client.getQueryData(apiKey('session.current', {}))) setNotice('Your session has ended. Please sign in again.');
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
          <Text fw={600}>Switchboard cannot reach its console core</Text>
          <Text size="sm" c="dimmed" ta="center">
            {session.error.message}
          </Text>
          <Button size="xs" variant="default" onClick={() => void session.refetch()}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  return session.data ? <Console session={session.data} /> : <Login notice={notice} />;
}
