/**
 * Sign in to the hub through the console core; the hub address hides under
 * "Advanced" — or, when the workstation's policy fixes it, shows read-only,
 * "Set by your administrator" (the core says so through `session.hub`).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n, TFunction } from 'i18next';
import { Alert, Box, Button, Collapse, Group, Paper, PasswordInput, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconChevronRight, IconHeadset, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, errorCode } from '../api/client';
import { apiKey, useApiQuery } from '../api/queries';
import { errorWords } from '../i18n/wording';
import { SignInSyncProgress } from '../components/SyncProgress';
import classes from './Login.module.css';

function loginErrorText(error: Error, t: TFunction, i18n: I18n): string {
  switch (errorCode(error)) {
    case 'unauthorized':
      return t('login.error.unauthorized');
    case 'unavailable':
      return t('login.error.unavailable', { detail: errorWords(i18n, error) });
    case 'invalid_input':
      return t('login.error.invalidInput', { detail: errorWords(i18n, error) });
    default:
      return errorWords(i18n, error);
  }
}

export function Login({ notice = null }: { notice?: string | null }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [hubUrl, setHubUrl] = useState('');
  const [advanced, setAdvanced] = useState(false);
  // Fixed by policy: the field is read-only and the sign-in names no hub (the core sends it to the policy's).
  const hubSetting = useApiQuery('session.hub', {});
  const locked = hubSetting.data?.lockedByPolicy ? hubSetting.data.hubUrl : null;
  const login = useMutation({
    mutationFn: () => call('session.login', { username: username.trim(), password, ...(!locked && hubUrl.trim() ? { hubUrl: hubUrl.trim() } : {}) }),
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
                {loginErrorText(login.error, t, i18n)}
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
            {locked !== null ? (
              <TextInput
                size="xs"
                label={t('login.hubAddress')}
                description={t('login.hubLocked')}
                value={locked}
                readOnly
                variant="filled"
                leftSection={<IconLock size={14} aria-hidden />}
                spellCheck={false}
                data-testid="login-hub-locked"
              />
            ) : (
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
            )}
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
