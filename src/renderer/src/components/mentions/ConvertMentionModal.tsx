/**
 * Converting a mention: into a new case (the hub opens it in the channel's
 * queue, with the post as its first message), or into an existing case found
 * by number, subject or customer. Enter converts.
 */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { Blockquote, Modal, SegmentedControl, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import type { MentionItem } from '../../../../shared/api';
import { useApiQuery } from '../../api/queries';
import { ChannelIcon } from '../ChannelIcon';
import { DialogForm } from '../DialogForm';

interface Props {
  mention: MentionItem | null;
  onClose: () => void;
  /** `caseId` given: into that case; else into a new one. */
  onConvert: (mention: MentionItem, caseId?: string) => void;
  busy: boolean;
}

export function ConvertMentionModal({ mention, onClose, onConvert, busy }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={mention !== null} onClose={onClose} title={<Text fw={600}>{t('convert.title')}</Text>} size={520} data-testid="convert-mention-modal">
      {mention && <ConvertForm key={mention.id} mention={mention} onCancel={onClose} onConvert={onConvert} busy={busy} />}
    </Modal>
  );
}

function ConvertForm({ mention, onCancel, onConvert, busy }: { mention: MentionItem; onCancel: () => void; onConvert: Props['onConvert']; busy: boolean }) {
  const { t } = useTranslation();
  const [into, setInto] = useState<'new' | 'existing'>('new');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 150);
  const [caseId, setCaseId] = useState<string | null>(null);
  const cases = useApiQuery('cases.list', { search: debounced, limit: 20 }, { enabled: into === 'existing' && debounced !== '', placeholderData: keepPreviousData });
  const options = (cases.data?.items ?? []).filter((c) => !c.localOnly).map((c) => ({ value: c.id, label: `#${c.number} ${c.subject}${c.customerName ? ` · ${c.customerName}` : ''}` }));
  const ready = into === 'new' || caseId !== null;
  const submit = () => {
    if (!ready || busy) return;
    onConvert(mention, into === 'existing' ? caseId! : undefined);
  };

  return (
    <DialogForm
      onSubmit={submit}
      onCancel={onCancel}
      submitLabel={into === 'new' ? t('newCase.submit') : t('convert.addToCase')}
      submitTestId="convert-submit"
      busy={busy}
      disabled={!ready}
      focusSubmit={into === 'new'}
    >
      <Blockquote p="xs" color="grape" icon={<ChannelIcon channel={mention.channel} size={16} tooltip={false} />} iconSize={28}>
        <Text size="xs" fw={600}>
          {mention.author}
        </Text>
        <Text size="sm" lang={mention.language} lineClamp={4}>
          {mention.body}
        </Text>
      </Blockquote>
      <SegmentedControl
        fullWidth
        size="xs"
        value={into}
        onChange={(value) => setInto(value as 'new' | 'existing')}
        data={[
          { value: 'new', label: t('case.newCase') },
          { value: 'existing', label: t('convert.existing') },
        ]}
        data-testid="convert-into"
      />
      {into === 'new' ? (
        <Text size="xs" c="dimmed">
          {t('convert.newHint')}
        </Text>
      ) : (
        <Select
          label={t('convert.case')}
          placeholder={t('convert.casePlaceholder')}
          searchable
          data-autofocus
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={caseId}
          onChange={setCaseId}
          // The core already searched: show what it found, as it ranks it.
          filter={({ options: all }) => all}
          nothingFoundMessage={debounced ? t('convert.noMatch') : t('newCase.typeToSearch')}
          comboboxProps={{ withinPortal: true }}
          data-testid="convert-case"
        />
      )}
    </DialogForm>
  );
}
