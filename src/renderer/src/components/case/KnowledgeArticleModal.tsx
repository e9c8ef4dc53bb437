/** An article to read in full, and to insert into the reply. A community answer says so: check it before sending it to a customer. */
import { useTranslation } from 'react-i18next';
import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconDeviceMobile, IconTextPlus, IconUsersGroup } from '@tabler/icons-react';
import type { Article } from '../../../../shared/domain';
import { languageName } from '../../lib/format';
import classes from './Knowledge.module.css';

interface Props {
  /** The article shown; kept while the modal fades out. */
  article: Article | null;
  opened: boolean;
  /** Back to the article's row on close; not after an insert (the reply has focus then). */
  returnFocus: boolean;
  caseTags: string[];
  /** The case's language: an article in another one is said to be. */
  caseLanguage: string;
  onClose: () => void;
  onInsert: (article: Article) => void;
}

export function KnowledgeArticleModal({ article, opened, returnFocus, caseTags, caseLanguage, onClose, onInsert }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened && article !== null} returnFocus={returnFocus} onClose={onClose} size="lg" title={article && <ArticleTitle article={article} />} data-testid="knowledge-article-modal">
      {article && (
        <Stack gap={12}>
          <Group gap={6}>
            {article.deviceModels.map((model) => (
              <Badge key={model} size="sm" variant="light" color="gray" tt="none" fw={500} leftSection={<IconDeviceMobile size={11} />}>
                {model}
              </Badge>
            ))}
            {article.tags.map((tag) => (
              <Badge key={tag} size="sm" variant={caseTags.includes(tag) ? 'light' : 'outline'} color={caseTags.includes(tag) ? 'indigo' : 'gray'} tt="none" fw={500}>
                {tag}
              </Badge>
            ))}
          </Group>
          {article.source === 'community' && (
            <Text size="xs" className={classes.community}>
              {t('knowledge.communityWarning')}
            </Text>
          )}
          <div className={classes.body} data-testid="knowledge-article-body">
            {article.body}
          </div>
          <Group justify="space-between" gap={8} mt={4}>
            <Text size="xs" c="dimmed">
              {article.source === 'community' ? t('knowledge.communityAnswer') : t('knowledge.internal')} · {languageName(article.language)}
              {article.language !== caseLanguage && t('knowledge.caseLanguage', { language: languageName(caseLanguage) })}
            </Text>
            <Group gap={8}>
              <Button variant="default" size="xs" onClick={onClose}>
                {t('common.close')}
              </Button>
              <Button size="xs" leftSection={<IconTextPlus size={14} />} onClick={() => onInsert(article)} data-testid="knowledge-insert">
                {t('knowledge.insert')}
              </Button>
            </Group>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function ArticleTitle({ article }: { article: Article }) {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap" align="flex-start">
      <Text fw={600} size="md" style={{ overflowWrap: 'anywhere' }}>
        {article.title}
      </Text>
      {article.source === 'community' && (
        <Badge size="sm" variant="light" color="grape" leftSection={<IconUsersGroup size={11} />} style={{ flex: 'none', marginTop: 2 }}>
          {t('knowledge.community')}
        </Badge>
      )}
    </Group>
  );
}
