/** One article in the knowledge panel: its title, a badge for a community answer, its tags (the case's own highlighted). Opens to read. */
import { useTranslation } from 'react-i18next';
import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import { IconFileText, IconUsersGroup } from '@tabler/icons-react';
import type { Article } from '../../../../shared/domain';
import classes from './Knowledge.module.css';

const MAX_TAGS = 3;

export function KnowledgeArticleRow({ article, caseTags, onOpen }: { article: Article; caseTags: string[]; onOpen: () => void }) {
  const { t } = useTranslation();
  const community = article.source === 'community';
  // The tags the case shares first: they say why the article is here.
  const tags = [...article.tags].sort((a, b) => Number(caseTags.includes(b)) - Number(caseTags.includes(a)));
  const shown = tags.slice(0, MAX_TAGS);
  return (
    <UnstyledButton className={classes.row} onClick={onOpen} title={article.title} data-testid="knowledge-article" data-article-id={article.id} data-source={article.source}>
      <Group gap={8} wrap="nowrap" align="flex-start">
        {community ? (
          <IconUsersGroup size={15} className={classes.icon} color="var(--mantine-color-grape-6)" />
        ) : (
          <IconFileText size={15} className={classes.icon} color="var(--mantine-color-indigo-6)" />
        )}
        <div className={classes.rowContent}>
          <Text size="sm" fw={500} lineClamp={2} className={classes.title}>
            {article.title}
          </Text>
          <Group gap={4} mt={4} wrap="wrap">
            {community && (
              <Badge size="xs" variant="light" color="grape" data-testid="knowledge-community">
                {t('knowledge.community')}
              </Badge>
            )}
            {shown.map((tag) => (
              <Badge key={tag} size="xs" variant={caseTags.includes(tag) ? 'light' : 'outline'} color={caseTags.includes(tag) ? 'indigo' : 'gray'} tt="none" fw={500}>
                {tag}
              </Badge>
            ))}
            {tags.length > MAX_TAGS && (
              <Text span size="10px" c="dimmed">
                +{tags.length - MAX_TAGS}
              </Text>
            )}
          </Group>
        </div>
      </Group>
    </UnstyledButton>
  );
}
