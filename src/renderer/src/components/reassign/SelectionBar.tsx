/** Under the toolbar while cases are selected: how many, select all that match, reassign, clear. */
import { Anchor, Button, Kbd, Text } from '@mantine/core';
import { IconArrowsExchange, IconX } from '@tabler/icons-react';
import { MOVE_CAP, plural } from './people';
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
  const all = Math.min(matching, MOVE_CAP);
  return (
    <div className={classes.bar} data-testid="selection-bar" data-count={selected}>
      <Text size="sm" fw={600} className="tabular" data-testid="selection-count">
        {selected.toLocaleString('en')} selected
      </Text>
      {selected < all ? (
        <Anchor component="button" size="sm" onClick={onSelectAll} data-testid="select-all-matching">
          Select all {matching.toLocaleString('en')} matching
        </Anchor>
      ) : (
        matching > 1 && (
          <Text size="xs" c="dimmed">
            {matching > MOVE_CAP ? `The first ${plural(MOVE_CAP, 'case')} of ${matching.toLocaleString('en')}: one move takes at most ${MOVE_CAP.toLocaleString('en')}` : 'All matching'}
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
        Reassign…
      </Button>
      <Button size="compact-sm" variant="subtle" color="gray" leftSection={<IconX size={14} />} rightSection={<Kbd size="xs">Esc</Kbd>} onClick={onClear} data-testid="selection-clear">
        Clear
      </Button>
      <Text size="xs" c="dimmed" ml="auto" visibleFrom="lg">
        Drag them onto a queue or a person · Ctrl/⌘-click or <Kbd size="xs">x</Kbd> adds one · Shift-click a range
      </Text>
    </div>
  );
}
