/** Under the toolbar while cases are selected: how many, select all that match, reassign, clear. */
import { useTranslation } from 'react-i18next';
import { Anchor, Button, Kbd, Text } from '@mantine/core';
import { IconArrowsExchange, IconX } from '@tabler/icons-react';
import { MOVE_CAP } from './people';
import classes from './Reassign.module.css';

interface Props {
  selected: number;
  /** How many cases the list holds (all of them match the view's filter). */
  matching: number;
  onSelectAll: () => void;
  onReassign: () => void;
  onClear: () => void;
}

export function SelectionBar({ selected, matching, onSelectAll, onReassign, onClear }: Props) {
  const { t } = useTranslation();
  const all = Math.min(matching, MOVE_CAP);
  return (
    <div className={classes.bar} data-testid="selection-bar" data-count={selected}>
      <Text size="sm" fw={600} className="tabular" data-testid="selection-count">
        {t('selection.selected', { count: selected })}
      </Text>
      {selected < all ? (
        <Anchor component="button" size="sm" onClick={onSelectAll} data-testid="select-all-matching">
          {t('selection.selectAllMatching', { count: matching })}
        </Anchor>
      ) : (
        matching > 1 && (
          <Text size="xs" c="dimmed">
            {matching > MOVE_CAP ? t('selection.firstOf', { cap: MOVE_CAP, count: matching }) : t('selection.allMatching')}
          </Text>
        )
      )}
      <Button
        size="compact-sm"
        leftSection={<IconArrowsExchange size={14} />}
        rightSection={
          <Kbd size="xs" style={{ background: 'transparent', color: 'inherit', borderColor: 'rgba(255,255,255,.5)' }}>
            a
          </Kbd>
        }
        onClick={onReassign}
        data-testid="selection-reassign"
      >
        {t('selection.reassign')}
      </Button>
      <Button size="compact-sm" variant="subtle" color="gray" leftSection={<IconX size={14} />} rightSection={<Kbd size="xs">{t('keys.esc')}</Kbd>} onClick={onClear} data-testid="selection-clear">
        {t('selection.clear')}
      </Button>
      <Text size="xs" c="dimmed" ml="auto" visibleFrom="lg">
        {t('selection.hintBefore')} <Kbd size="xs">x</Kbd> {t('selection.hintAfter')}
      </Text>
    </div>
  );
}
