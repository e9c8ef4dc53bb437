/**
 * The mentions inbox screen: filters (status, channel, language), the list,
 * the convert dialog, and the open case beside it. Keyboard: ↑/↓ move,
 * Enter or c converts, d dismisses, Esc closes the case, n a new case.
 */
import { useTranslation } from 'react-i18next';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Group, Kbd, SegmentedControl, Select, Text } from '@mantine/core';
import type { MentionItem } from '../../../../shared/api';
import { CHANNELS, type Channel, type MentionStatus } from '../../../../shared/domain';
import { api } from '../../api/client';
import { useConvertMention, useDismissMention } from '../../api/mutations';
import { type MentionFilter, useMentions } from '../../api/queries';
import { languageName } from '../../lib/format';
import { useHighlight } from '../../lib/useHighlight';
import { stepSelection, useQueueKeys } from '../../lib/useQueueKeys';
import { channelLabel } from '../ChannelIcon';
import { SplitView, ViewToolbar } from '../ListView';
import { ConvertMentionModal } from './ConvertMentionModal';
import { MentionList } from './MentionList';

type StatusFilter = MentionStatus | 'all';

// Posts come from the networks (and the web); phone, mail and devices never mention.
const channelOptions = () => CHANNELS.filter((c) => c !== 'phone' && c !== 'email' && c !== 'device').map((value) => ({ value, label: channelLabel(value) }));

interface Props {
  /** The case open beside the list, if any. */
  openCase: ReactNode;
  onOpenCase: (caseId: string) => void;
  /** A new case the hub is opening for a converted mention: open it when it arrives. */
  onAwaitCase: (caseId: string) => void;
  onCloseCase: () => void;
  onNewCase: () => void;
  /** Only while no other screen owns the keyboard. */
  keysEnabled: boolean;
}

export function MentionsView({ openCase, onOpenCase, onAwaitCase, onCloseCase, onNewCase, keysEnabled }: Props) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>('new');
  const [channel, setChannel] = useState<Channel | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [converting, setConverting] = useState<MentionItem | null>(null);
  const [fresh, highlight] = useHighlight();
  useEffect(() => api.on('mentions:changed', ({ arrived }) => highlight(arrived.map((m) => m.id))), [highlight]);

  const base: MentionFilter = { ...(status === 'all' ? {} : { status }), ...(channel ? { channel } : {}) };
  const filter: MentionFilter = { ...base, ...(language ? { language } : {}) };
  const mentions = useMentions(filter);
  // The languages to filter by: those of the posts the other filters show.
  const unfiltered = useMentions(base);
  const tags = useMemo(() => {
    const found = new Set((unfiltered.data?.items ?? []).map((m) => m.language.split('-')[0]!));
    if (language) found.add(language);
    return [...found].sort();
  }, [unfiltered.data, language]);
  // Named at each render: in the language the console shows.
  const languages = tags.map((tag) => ({ value: tag, label: languageName(tag) }));
  const items = mentions.data?.items ?? [];
  const selected = items.find((m) => m.id === selectedId) ?? null;

  const convert = useConvertMention((result, input) => {
    setConverting(null);
    if (input.caseId) onOpenCase(result.caseId);
    else onAwaitCase(result.caseId);
  });
  const dismiss = useDismissMention();

  useQueueKeys(
    {
      move(step) {
        const next = stepSelection(items, selectedId, step);
        if (next) setSelectedId(next);
      },
      open() {
        if (selected?.status === 'new') setConverting(selected);
        else if (selected?.caseId) onOpenCase(selected.caseId);
      },
      convert() {
        if (selected?.status === 'new') setConverting(selected);
      },
      dismiss() {
        if (selected?.status === 'new') dismiss.mutate({ id: selected.id });
      },
      focusSearch: () => undefined,
      close: onCloseCase,
      newCase: onNewCase,
    },
    keysEnabled && converting === null,
  );

  return (
    <>
      <ViewToolbar
        title={t('mentions.title')}
        total={mentions.data?.total}
        noun="post"
        hint={
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} visibleFrom="lg">
            <Kbd size="xs">c</Kbd> {t('mentions.keyConvert')} · <Kbd size="xs">d</Kbd> {t('mentions.keyDismiss')}
          </Text>
        }
        testId="mentions-view"
      >
        <Group gap={8} wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(value) => setStatus(value as StatusFilter)}
            data={[
              { value: 'new', label: t('mentions.status.new') },
              { value: 'converted', label: t('mentions.status.converted') },
              { value: 'dismissed', label: t('mentions.status.dismissed') },
              { value: 'all', label: t('mentions.status.all') },
            ]}
            aria-label={t('fields.status')}
            data-testid="mentions-status"
          />
          <Select size="xs" w={140} placeholder={t('mentions.anyChannel')} clearable data={channelOptions()} value={channel} onChange={(value) => setChannel(value as Channel | null)} aria-label={t('case.facts.channel')} data-testid="mentions-channel" />
          <Select size="xs" w={140} placeholder={t('mentions.anyLanguage')} clearable data={languages} value={language} onChange={setLanguage} aria-label={t('case.facts.language')} data-testid="mentions-language" />
        </Group>
      </ViewToolbar>
      <SplitView detail={openCase}>
        <MentionList
          items={items}
          loading={mentions.isPending}
          error={mentions.error}
          onRetry={() => void mentions.refetch()}
          filtered={status !== 'all' || channel !== null || language !== null}
          selectedId={selectedId}
          fresh={fresh}
          onSelect={setSelectedId}
          onConvert={setConverting}
          onDismiss={(mention) => dismiss.mutate({ id: mention.id })}
          onOpenCase={onOpenCase}
        />
      </SplitView>
      <ConvertMentionModal
        mention={converting}
        onClose={() => setConverting(null)}
        busy={convert.isPending}
        onConvert={(mention, caseId) => convert.mutate({ id: mention.id, ...(caseId ? { caseId } : {}) })}
      />
    </>
  );
}
