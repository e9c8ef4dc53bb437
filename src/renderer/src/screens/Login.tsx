import { useState } from 'react';
import { Alert, Anchor, Box, Button, Center, Collapse, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconHeadset } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call } from '../api/client';
import { keys } from '../api/hooks';

export function Login() {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [hubUrl, setHubUrl] = useState('');
  const [advanced, setAdvanced] = useState(false);
  const login = useMutation({
    mutationFn: () => call('session.login', { username, password, ...(hubUrl.trim() ? { hubUrl: hubUrl.trim() } : {}) }),
    onSuccess: (session) => client.setQueryData(keys.session, session),
  });

  return (
    <Center h="100vh" bg="gray.1">
      <Paper w={380} p="xl" radius="md" withBorder shadow="sm">
        <form
          data-testid="login-form"
          onSubmit={(event) => {
            event.preventDefault();
            login.mutate();
          }}
        >
          <Stack gap="md">
            <Box>
              <IconHeadset size={32} color="var(--mantine-color-blue-6)" />
              <Title order={3} mt={6}>Switchboard</Title>
              <Text size="sm" c="dimmed">Sign in to your contact-center console</Text>
            </Box>
            {login.isError && (
              <Alert data-testid="login-error" color="red" variant="light" icon={<IconAlertCircle size={16} />} p="xs">
                {login.error.message}
              </Alert>
            )}
            <TextInput data-testid="login-username" label="Username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
            <PasswordInput data-testid="login-password" label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Anchor component="button" type="button" size="xs" onClick={() => setAdvanced((v) => !v)} ta="left">
              {advanced ? 'Hide advanced' : 'Advanced: hub address'}
            </Anchor>
            <Collapse in={advanced}>
              <TextInput label="Hub URL" placeholder="default hub" value={hubUrl} onChange={(e) => setHubUrl(e.currentTarget.value)} />
            </Collapse>
            <Button data-testid="login-submit" type="submit" loading={login.isPending} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
