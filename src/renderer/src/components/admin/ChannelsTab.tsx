/**
 * The channel settings that are not secrets: the brand's public handles,
 * the keywords the hub listens and watches for, and the consent policy
 * replies follow. Saved to the hub at once (admins; audited), live on every
 * console; the hub's word on a bad value is shown here, beside Save.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Alert, Box, Button, Group, Paper, Radio, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { IconBrandBluesky, IconBrandFacebook, IconBrandInstagram, IconBrandMastodon, IconBrandX, IconDeviceFloppy, IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type BrandHandles, type ChannelSettings, type ConsentChoice, type ConsentPolicy, MAX_KEYWORDS } from '../../../../shared/channel-settings';
import { call } from '../../api/client';
import { apiKey } from '../../api/queries';
import { useChannelSettings } from './useChannelSettings';

export function ChannelsTab() {
  const { t } = useTranslation();
  const settings = useChannelSettings();
  if (!settings.data) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {settings.error ? settings.error.message : t('admin.loading')}
      </Text>
    );
  }
  // A save (here or by another admin) starts the form again from what the hub keeps.
  return <ChannelsForm key={JSON.stringify(settings.data)} saved={settings.data} />;
}

/** The networks by their names (`channels.*`); the examples show each network's handle format. */
const handles = (t: TFunction): { key: keyof BrandHandles; label: string; icon: ReactNode; placeholder: string }[] => [
  { key: 'x', label: t('channels.x'), icon: <IconBrandX size={16} />, placeholder: '@brand' },
  { key: 'mastodon', label: t('channels.mastodon'), icon: <IconBrandMastodon size={16} />, placeholder: '@brand@mastodon.social' },
  { key: 'bluesky', label: t('channels.bluesky'), icon: <IconBrandBluesky size={16} />, placeholder: 'brand.bsky.social' },
  { key: 'facebook', label: t('admin.channels.facebookPage'), icon: <IconBrandFacebook size={16} />, placeholder: t('admin.channels.facebookExample') },
  { key: 'instagram', label: t('channels.instagram'), icon: <IconBrandInstagram size={16} />, placeholder: '@brand' },
];

const CONSENT_KEYS: (keyof ConsentPolicy)[] = ['unaddressed', 'firstContact'];
const CHOICES: ConsentChoice[] = ['opt-in', 'allowed'];
const CHOICE_KEY: Record<ConsentChoice, 'optIn' | 'allowed'> = { 'opt-in': 'optIn', allowed: 'allowed' };

function ChannelsForm({ saved }: { saved: ChannelSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState<ChannelSettings>(saved);
  const save = useMutation({
    mutationFn: (next: ChannelSettings) => call('admin.settings.channels.update', next),
    onSuccess: (value) => client.setQueryData(apiKey('settings.channels', {}), value),
  });
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const issues = save.error ? issuesOf(save.error.message) : new Map<string, string>();
  // Each list's problem, under its input.
  const listeningError = fieldError(issues, 'listeningKeywords');
  const surgeError = fieldError(issues, 'surgeKeywords');
  const setHandle = (key: keyof BrandHandles, value: string) => setDraft((d) => ({ ...d, handles: { ...d.handles, [key]: value === '' ? null : value } }));

  return (
    <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }} data-testid="admin-channels">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && !save.isPending) save.mutate(draft);
        }}
      >
        <Stack gap="md" p="md" maw={960}>
          <Section title={t('admin.channels.handles')} hint={t('admin.channels.handlesHint')}>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="xs">
              {handles(t).map(({ key, label, icon, placeholder }) => (
                <TextInput
                  key={key}
                  label={label}
                  leftSection={icon}
                  placeholder={placeholder}
                  value={draft.handles[key] ?? ''}
                  onChange={(event) => setHandle(key, event.currentTarget.value)}
                  error={fieldError(issues, `handles.${key}`)}
                  maxLength={300}
                  data-testid={`admin-channels-handle-${key}`}
                />
              ))}
            </SimpleGrid>
          </Section>

          <Section title={t('admin.channels.keywords')} hint={t('admin.channels.keywordsHint')}>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              <TagsInput
                label={t('admin.channels.listening')}
                description={t('admin.channels.listeningHint')}
                error={listeningError}
                value={draft.listeningKeywords}
                onChange={(listeningKeywords) => setDraft((d) => ({ ...d, listeningKeywords }))}
                maxTags={MAX_KEYWORDS}
                clearable
                wrapperProps={{ 'data-testid': 'admin-channels-listening' }}
                data-testid="admin-channels-listening-input"
              />
              <TagsInput
                label={t('admin.channels.surge')}
                description={t('admin.channels.surgeHint')}
                error={surgeError}
                value={draft.surgeKeywords}
                onChange={(surgeKeywords) => setDraft((d) => ({ ...d, surgeKeywords }))}
                maxTags={MAX_KEYWORDS}
                clearable
                wrapperProps={{ 'data-testid': 'admin-channels-surge' }}
                data-testid="admin-channels-surge-input"
              />
            </SimpleGrid>
          </Section>

          <Section title={t('admin.channels.consent')} hint={t('admin.channels.consentHint')}>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              {CONSENT_KEYS.map((key) => (
                <Radio.Group
                  key={key}
                  label={t(`admin.channels.${key}.title`)}
                  value={draft.consent[key]}
                  onChange={(value) => setDraft((d) => ({ ...d, consent: { ...d.consent, [key]: value as ConsentChoice } }))}
                  data-testid={`admin-channels-consent-${key}`}
                >
                  <Stack gap={6} mt={6}>
                    {CHOICES.map((choice) => (
                      <Radio.Card key={choice} value={choice} radius="sm" p={8} withBorder data-testid={`admin-channels-consent-${key}-${choice}`}>
                        <Group wrap="nowrap" align="flex-start" gap={8}>
                          <Radio.Indicator size="xs" mt={2} />
                          <div>
                            <Text size="sm" fw={500}>
                              {t(`admin.channels.${key}.${CHOICE_KEY[choice]}`)}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {t(`admin.channels.${key}.${CHOICE_KEY[choice]}Explain`)}
                            </Text>
                          </div>
                        </Group>
                      </Radio.Card>
                    ))}
                  </Stack>
                </Radio.Group>
              ))}
            </SimpleGrid>
            <Group gap={6} mt="xs" wrap="nowrap">
              <IconShieldLock size={14} color="var(--mantine-color-dimmed)" />
              <Text size="xs" c="dimmed">
                {t('admin.channels.doNotEngage')}
              </Text>
            </Group>
          </Section>

        </Stack>
        {/* Always in view, however far the form scrolls: Save and the hub's word on it. */}
        <Box px="md" py={8} style={{ position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <Group justify="space-between" gap="xs" wrap="nowrap" maw={960}>
            <Box style={{ minWidth: 0, flex: 1 }}>
              {save.error ? (
                <Alert color="red" variant="light" p={6} data-testid="admin-channels-error">
                  <Text size="xs" fw={600}>
                    {t('admin.channels.refused')}
                  </Text>
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                    {[...new Set(issues.values())].join('; ') || save.error.message}
                  </Text>
                </Alert>
              ) : (
                <Text size="xs" c="dimmed">
                  {dirty ? t('admin.unsaved') : t('admin.channels.savedHint')}
                </Text>
              )}
            </Box>
            <Group gap="xs" wrap="nowrap">
              <Button variant="default" size="xs" disabled={!dirty || save.isPending} onClick={() => (setDraft(saved), save.reset())} data-testid="admin-channels-reset">
                {t('admin.discard')}
              </Button>
              <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} />} disabled={!dirty} loading={save.isPending} data-testid="admin-channels-save">
                {t('common.save')}
              </Button>
            </Group>
          </Group>
        </Box>
      </form>
    </Box>
  );
}

/**
 * The refusal's issues by field (zod's pretty print: "✖ message" then
 * "→ at handles.x"), so each shows under its input; a keyword's index is
 * folded into its list.
 */
function issuesOf(message: string): Map<string, string> {
  const found = new Map<string, string>();
  let pending: string | null = null;
  for (const line of message.split('\n')) {
    const issue = /^\s*✖\s*(.+)$/.exec(line);
    const path = /^\s*→ at (.+)$/.exec(line);
    if (issue) pending = issue[1]!.trim();
    else if (path && pending) {
      found.set(path[1]!.trim().replace(/\[\d+\]$|\.\d+$/, ''), pending);
      pending = null;
    }
  }
  if (pending) found.set('', pending);
  return found;
}
const fieldError = (issues: Map<string, string>, field: string) => issues.get(field);

function Section({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={6}>{title}</Title>
      <Text size="xs" c="dimmed" mb="sm">
        {hint}
      </Text>
      {children}
    </Paper>
  );
}
