/** Sign in to the hub through the console core; the hub address hides under "Advanced". */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Alert, Box, Button, Collapse, Group, Paper, PasswordInput, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconChevronRight, IconHeadset, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, errorCode } from '../api/client';
import { apiKey } from '../api/queries';
import { SignInSyncProgress } from '../components/SyncProgress';
import classes from './Login.module.css';

function loginErrorText(error: Error, t: TFunction): string {
  switch (errorCode(error)) {
    case 'unauthorized':
      return t('login.error.unauthorized');
    case 'unavailable':
      return t('login.error.unavailable', { detail: error.message });
    case 'invalid_input':
      return t('login.error.invalidInput', { detail: error.message });
    default:
      return error.message;
  }
}

export function Login({ notice = null }: { notice?: string | null }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [hubUrl, setHubUrl] = useState('');
  const [advanced, setAdvanced] = useState(false);
  const login = useMutation({
    mutationFn: () => call('session.login', { username: username.trim(), password, ...(hubUrl.trim() ? { hubUrl: hubUrl.trim() } : {}) }),
    onSuccess: (session) => client.setQueryData(apiKey('session.current', {}), session),
  });

  return (
    <div className={classes.page}>
      <Paper w={384} p={32} radius="md" withBorder shadow="md">
        <form
          data-testid="login-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (username.trim() && password) login.mutate();
          }}
        >
          <Stack gap="md">
            <Group gap={10} wrap="nowrap">
              <Box className={classes.logo}>
                <IconHeadset size={22} />
              </Box>
              <div>
                <Title order={3} fz={20} lh={1.2}>
                  {t('app.name')}
                </Title>
                <Text size="xs" c="dimmed">
                  {t('login.tagline')}
                </Text>
              </div>
            </Group>
            {notice && !login.isError && (
              <Alert data-testid="login-notice" color="yellow" variant="light" icon={<IconInfoCircle size={16} />} py={8} px="sm">
                {notice}
              </Alert>
            )}
            {login.isError && (
              <Alert data-testid="login-error" data-code={errorCode(login.error) ?? 'internal'} color="red" variant="light" icon={<IconAlertCircle size={16} />} py={8} px="sm">
                {loginErrorText(login.error, t)}
              </Alert>
            )}
            <TextInput
              data-testid="login-username"
              label={t('login.username')}
              autoComplete="username"
              autoFocus
              spellCheck={false}
              autoCapitalize="none"
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <PasswordInput
              data-testid="login-password"
              label={t('login.password')}
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <div>
              <UnstyledButton onClick={() => setAdvanced((open) => !open)} aria-expanded={advanced} data-testid="login-advanced">
                <Group gap={4}>
                  <IconChevronRight size={14} className={classes.chevron} data-open={advanced || undefined} />
                  <Text size="xs" c="dimmed" fw={500}>
                    {t('login.advanced')}
                  </Text>
                </Group>
              </UnstyledButton>
              <Collapse in={advanced}>
                <TextInput
                  mt="xs"
                  size="xs"
                  label={t('login.hubAddress')}
                  description={t('login.hubAddressHint')}
                  placeholder="https://hub.example.com"
                  spellCheck={false}
                  value={hubUrl}
                  onChange={(event) => setHubUrl(event.currentTarget.value)}
                  data-testid="login-hub-url"
                />
              </Collapse>
            </div>
            <Button data-testid="login-submit" type="submit" loading={login.isPending} disabled={!username.trim() || !password} fullWidth>
              {t('login.submit')}
            </Button>
            <SignInSyncProgress active={login.isPending} />
          </Stack>
        </form>
      </Paper>
    </div>
  );
}
