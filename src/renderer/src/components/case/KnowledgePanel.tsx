/**
 * Knowledge beside the case: the articles that fit it (its tags, its device's
 * model, words of its subject), and a search of the whole base with the
 * fitting ones first. All of it comes from the console's cache, so it works
 * offline. An article opens to read; "Insert in reply" puts it into the
 * reply's draft.
 */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { CloseButton, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import type { Article } from '../../../../shared/domain';
import { useArticleSearch } from '../../api/queries';
import { KnowledgeArticleModal } from './KnowledgeArticleModal';
import { KnowledgeArticleRow } from './KnowledgeArticleRow';
import { SideSection } from './SideSection';

const SEARCH_DEBOUNCE_MS = 250;

interface Props {
  caseId: string;
  caseTags: string[];
  caseLanguage: string;
  /** The articles that fit the case, best first (from the case view). */
  suggested: Article[];
  onInsert: (article: Article) => void;
}

export function KnowledgePanel({ caseId, caseTags, caseLanguage, suggested, onInsert }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const search = useArticleSearch(caseId, debounced);
  const [reading, setReading] = useState<Article | null>(null);
  const [opened, setOpened] = useState(false);
  const [inserted, setInserted] = useState(false);
  const open = (article: Article) => {
    setReading(article);
    setInserted(false);
    setOpened(true);
  };

  const searching = query.trim() !== '';
  const articles = searching ? (search.data ?? []) : suggested;
  const waiting = searching && (debounced !== query.trim() || search.isFetching);

  let hint: string | null = null;
  if (searching && search.isError) hint = t('knowledge.searchFailed');
  else if (searching && !waiting && articles.length === 0) hint = t('knowledge.noMatch', { query: query.trim() });
  else if (!searching && articles.length === 0) hint = t('knowledge.noneFit');

  return (
    <SideSection
      title={t('knowledge.title')}
      testId="knowledge"
      right={
        <Text size="11px" c="dimmed">
          {searching ? (waiting && !search.data ? '' : t('knowledge.found', { count: articles.length })) : articles.length > 0 ? t('knowledge.suggested') : ''}
        </Text>
      }
    >
      <TextInput
        size="xs"
        placeholder={t('knowledge.searchPlaceholder')}
        aria-label={t('knowledge.searchLabel')}
        leftSection={<IconSearch size={13} />}
        rightSection={
          waiting ? <Loader size={12} /> : query ? <CloseButton size="xs" aria-label={t('knowledge.clearSearch')} onClick={() => setQuery('')} data-testid="knowledge-search-clear" /> : null
        }
        value={query}
        maxLength={200}
        onChange={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          // Esc empties the search.
          if (event.key === 'Escape' && query) setQuery('');
        }}
        data-testid="knowledge-search"
        mb={6}
      />
      {hint && (
        <Text size="xs" c="dimmed" py={4} data-testid="knowledge-empty">
          {hint}
        </Text>
      )}
      <Stack gap={2} style={{ opacity: waiting && search.data ? 0.6 : 1 }}>
        {articles.map((article) => (
          <KnowledgeArticleRow key={article.id} article={article} caseTags={caseTags} onOpen={() => open(article)} />
        ))}
      </Stack>
      <KnowledgeArticleModal
        article={reading}
        opened={opened}
        returnFocus={!inserted}
        caseTags={caseTags}
        caseLanguage={caseLanguage}
        onClose={() => setOpened(false)}
        onInsert={(article) => {
          setInserted(true);
          setOpened(false);
          onInsert(article);
        }}
      />
    </SideSection>
  );
}
