/**
 * The channel settings that are not secrets: the brand's public handles,
 * the keywords the hub listens and watches for, and the consent policy
 * replies follow. Saved to the hub at once (admins; audited), live on every
 * console; the hub's word on a bad value is shown here, beside Save.
 */
import { useState } from 'react';
import { Alert, Box, Button, Group, Paper, Radio, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { IconBrandBluesky, IconBrandFacebook, IconBrandInstagram, IconBrandMastodon, IconBrandX, IconDeviceFloppy, IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type BrandHandles, type ChannelSettings, type ConsentChoice, type ConsentPolicy, MAX_KEYWORDS } from '../../../../shared/channel-settings';
import { call } from '../../api/client';
import { apiKey } from '../../api/queries';
import { useChannelSettings } from './useChannelSettings';

export function ChannelsTab() {
  const settings = useChannelSettings();
  if (!settings.data) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {settings.error ? settings.error.message : 'Loading…'}
      </Text>
    );
  }
  // A save (here or by another admin) starts the form again from what the hub keeps.
  return <ChannelsForm key={JSON.stringify(settings.data)} saved={settings.data} />;
}

const HANDLES: { key: keyof BrandHandles; label: string; icon: ReactNode; placeholder: string }[] = [
  { key: 'x', label: 'X', icon: <IconBrandX size={16} />, placeholder: '@brand' },
  { key: 'mastodon', label: 'Mastodon', icon: <IconBrandMastodon size={16} />, placeholder: '@brand@mastodon.social' },
  { key: 'bluesky', label: 'Bluesky', icon: <IconBrandBluesky size={16} />, placeholder: 'brand.bsky.social' },
  { key: 'facebook', label: 'Facebook page', icon: <IconBrandFacebook size={16} />, placeholder: 'Brand Support' },
  { key: 'instagram', label: 'Instagram', icon: <IconBrandInstagram size={16} />, placeholder: '@brand' },
];

const CONSENT: { key: keyof ConsentPolicy; title: string; choices: Record<ConsentChoice, { label: string; explain: string }> }[] = [
  {
    key: 'unaddressed',
    title: 'Posts not addressed to the brand',
    choices: {
      'opt-in': { label: 'Only with the author’s opt-in', explain: 'A keyword match or a post naming the brand in passing is answered only if its author opted in.' },
      allowed: { label: 'Allowed', explain: 'Agents may answer any public post about the brand, addressed to it or not.' },
    },
  },
  {
    key: 'firstContact',
    title: 'First contact on a public network',
    choices: {
      'opt-in': { label: 'Only with the customer’s opt-in', explain: 'Agents write first on X, Mastodon, Bluesky, Facebook or Instagram only to customers who opted in.' },
      allowed: { label: 'Allowed', explain: 'Agents may write first to any customer with a handle on the network.' },
    },
  },
];

function ChannelsForm({ saved }: { saved: ChannelSettings }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<ChannelSettings>(saved);
  const save = useMutation({
    mutationFn: (next: ChannelSettings) => call('admin.settings.channels.update', next),
    onSuccess: (value) => client.setQueryData(apiKey('settings.channels', {}), value),
  });
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const issues = save.error ? issuesOf(save.error.message) : new Map<string, string>();
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
          <Section title="Brand handles" hint="Shown to agents as the brand’s accounts. For display only: tokens, app passwords and account ids stay in the hub’s configuration.">
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="xs">
              {HANDLES.map(({ key, label, icon, placeholder }) => (
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

          <Section title="Keywords" hint="In any case. Press Enter or type a comma after each.">
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              <TagsInput
                label="Listening keywords"
                description="A Bluesky post with one of these words is a mention even when it does not name the brand"
                error={fieldError(issues, 'listeningKeywords')}
                value={draft.listeningKeywords}
                onChange={(listeningKeywords) => setDraft((d) => ({ ...d, listeningKeywords }))}
                maxTags={MAX_KEYWORDS}
                clearable
                wrapperProps={{ 'data-testid': 'admin-channels-listening' }}
                data-testid="admin-channels-listening-input"
              />
              <TagsInput
                label="Surge keywords"
                description="Supervisors are alerted when arrivals containing one of these jump far above the usual"
                error={fieldError(issues, 'surgeKeywords')}
                value={draft.surgeKeywords}
                onChange={(surgeKeywords) => setDraft((d) => ({ ...d, surgeKeywords }))}
                maxTags={MAX_KEYWORDS}
                clearable
                wrapperProps={{ 'data-testid': 'admin-channels-surge' }}
                data-testid="admin-channels-surge-input"
              />
            </SimpleGrid>
          </Section>

          <Section title="Consent policy" hint="What agents may answer on public networks. The composer, the console and the hub all apply it.">
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              {CONSENT.map(({ key, title, choices }) => (
                <Radio.Group
                  key={key}
                  label={title}
                  value={draft.consent[key]}
                  onChange={(value) => setDraft((d) => ({ ...d, consent: { ...d.consent, [key]: value as ConsentChoice } }))}
                  data-testid={`admin-channels-consent-${key}`}
                >
                  <Stack gap={6} mt={6}>
                    {(Object.keys(choices) as ConsentChoice[]).map((choice) => (
                      <Radio.Card key={choice} value={choice} radius="sm" p={8} withBorder data-testid={`admin-channels-consent-${key}-${choice}`}>
                        <Group wrap="nowrap" align="flex-start" gap={8}>
                          <Radio.Indicator size="xs" mt={2} />
                          <div>
                            <Text size="sm" fw={500}>
                              {choices[choice].label}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {choices[choice].explain}
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
                A customer marked do-not-engage is never answered, whatever the policy — only a supervisor may override a refusal, with a reason kept in the audit log.
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
                    The hub refused the settings
                  </Text>
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                    {[...new Set(issues.values())].join('; ') || save.error.message}
                  </Text>
                </Alert>
              ) : (
                <Text size="xs" c="dimmed">
                  {dirty ? 'Unsaved changes' : 'Saved settings reach every console at once and are kept in the audit log'}
                </Text>
              )}
            </Box>
            <Group gap="xs" wrap="nowrap">
              <Button variant="default" size="xs" disabled={!dirty || save.isPending} onClick={() => (setDraft(saved), save.reset())} data-testid="admin-channels-reset">
                Discard
              </Button>
              <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} />} disabled={!dirty} loading={save.isPending} data-testid="admin-channels-save">
                Save
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
