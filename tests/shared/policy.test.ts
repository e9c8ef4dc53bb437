/**
 * The domain policy (src/shared/policy.ts): who may take, hand back, assign
 * and open a case, who oversees, which statuses are done. One table of
 * verdicts over roles × where the case is × whom it goes to: the hub enforces
 * exactly these, and the console offers exactly these.
 */
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, ROLES, type Role } from '../../src/shared/domain';
import {
  type CaseActor,
  DONE_STATUSES,
  isDone,
  mayAssign,
  mayHandBack,
  mayOversee,
  mayReassignInBulk,
  mayTake,
  newCaseAssignee,
  OVERSEER_ROLES,
  type Placement,
  type RefusalName,
  refuseAssignment,
  refuseNewAssignee,
  refuseNewCase,
} from '../../src/shared/policy';
import { canOverrideConsent } from '../../src/shared/replies';

const MINE = 'q-mine';
const OTHER_QUEUE = 'q-other';
const OTHER_PERSON = 'u-other';
const THIRD_PERSON = 'u-third';

/** The actors: an agent and a technician as the hub knows them (with their queues) and as their consoles do (without), and the overseers. */
const ACTORS = {
  'agent (hub)': { id: 'u-agent', role: 'agent', queueIds: [MINE] },
  'agent (console)': { id: 'u-agent', role: 'agent' },
  // A technician may be a member of a queue (the demo's Tess works Field Service): still not one who takes.
  'technician (hub)': { id: 'u-tech', role: 'technician', queueIds: [MINE] },
  'technician (console)': { id: 'u-tech', role: 'technician' },
  supervisor: { id: 'u-sup', role: 'supervisor', queueIds: [] },
  admin: { id: 'u-admin', role: 'admin', queueIds: [] },
} satisfies Record<string, CaseActor>;
type Who = keyof typeof ACTORS;

/** Where the case is, relative to the actor. */
type State = 'unassigned, my queue' | 'unassigned, other queue' | 'mine' | 'someone else’s';
const STATES: State[] = ['unassigned, my queue', 'unassigned, other queue', 'mine', 'someone else’s'];
const placement = (actor: CaseActor, state: State): Placement =>
  ({
    'unassigned, my queue': { queueId: MINE, assigneeId: null },
    'unassigned, other queue': { queueId: OTHER_QUEUE, assigneeId: null },
    mine: { queueId: MINE, assigneeId: actor.id },
    'someone else’s': { queueId: MINE, assigneeId: OTHER_PERSON },
  })[state];

/** Whom it goes to. */
type To = 'me' | 'nobody' | 'another person';
const TOS: To[] = ['me', 'nobody', 'another person'];
const assigneeOf = (actor: CaseActor, to: To, c: Placement): string | null =>
  to === 'me' ? actor.id : to === 'nobody' ? null : c.assigneeId === OTHER_PERSON ? THIRD_PERSON : OTHER_PERSON;

/**
 * mayAssign, same queue: one row per actor and case state; columns me / nobody / another person.
 * Agents take unassigned work of their queues (a console does not know the queues: it lets the
 * hub decide those); everyone hands back their own; technicians never take; overseers do anything.
 */
const ASSIGN: Record<Who, Record<State, [me: boolean, nobody: boolean, another: boolean]>> = {
  'agent (hub)': {
    'unassigned, my queue': [true, false, false],
    'unassigned, other queue': [false, false, false],
    mine: [false, true, false],
    'someone else’s': [false, false, false],
  },
  'agent (console)': {
    'unassigned, my queue': [true, false, false],
    'unassigned, other queue': [true, false, false],
    mine: [false, true, false],
    'someone else’s': [false, false, false],
  },
  'technician (hub)': {
    'unassigned, my queue': [false, false, false],
    'unassigned, other queue': [false, false, false],
    mine: [false, true, false],
    'someone else’s': [false, false, false],
  },
  'technician (console)': {
    'unassigned, my queue': [false, false, false],
    'unassigned, other queue': [false, false, false],
    mine: [false, true, false],
    'someone else’s': [false, false, false],
  },
  supervisor: {
    'unassigned, my queue': [true, true, true],
    'unassigned, other queue': [true, true, true],
    mine: [true, true, true],
    'someone else’s': [true, true, true],
  },
  admin: {
    'unassigned, my queue': [true, true, true],
    'unassigned, other queue': [true, true, true],
    mine: [true, true, true],
    'someone else’s': [true, true, true],
  },
};

/** What the case view offers: "Take" (or "Assign to me") and "Hand back", per case state. */
const BUTTONS: Record<Who, Record<State, [take: boolean, handBack: boolean]>> = {
  'agent (hub)': { 'unassigned, my queue': [true, false], 'unassigned, other queue': [false, false], mine: [false, true], 'someone else’s': [false, false] },
  'agent (console)': { 'unassigned, my queue': [true, false], 'unassigned, other queue': [true, false], mine: [false, true], 'someone else’s': [false, false] },
  'technician (hub)': { 'unassigned, my queue': [false, false], 'unassigned, other queue': [false, false], mine: [false, true], 'someone else’s': [false, false] },
  'technician (console)': { 'unassigned, my queue': [false, false], 'unassigned, other queue': [false, false], mine: [false, true], 'someone else’s': [false, false] },
  supervisor: { 'unassigned, my queue': [true, false], 'unassigned, other queue': [true, false], mine: [false, true], 'someone else’s': [true, false] },
  admin: { 'unassigned, my queue': [true, false], 'unassigned, other queue': [true, false], mine: [false, true], 'someone else’s': [true, false] },
};

const whos = Object.keys(ACTORS) as Who[];
const grid = whos.flatMap((who) => STATES.flatMap((state) => TOS.map((to, k) => ({ who, state, to, expected: ASSIGN[who][state][k]! }))));

describe('who may put a case in whose hands', () => {
  it.each(grid)('$who, case $state, to $to: $expected', ({ who, state, to, expected }) => {
    const actor = ACTORS[who];
    const c = placement(actor, state);
    const assigneeId = assigneeOf(actor, to, c);
    expect(mayAssign(actor, c, assigneeId)).toBe(expected);
    // The hub's and the core's check says the same, with the reason when it refuses.
    expect(refuseAssignment(actor, c, { assigneeId })).toBe(expected ? null : 'reassign');
  });

  it.each(whos.flatMap((who) => STATES.map((state) => ({ who, state, take: BUTTONS[who][state][0], handBack: BUTTONS[who][state][1] }))))(
    '$who, case $state: take $take, hand back $handBack',
    ({ who, state, take, handBack }) => {
      const actor = ACTORS[who];
      const c = placement(actor, state);
      expect(mayTake(actor, c)).toBe(take);
      expect(mayHandBack(actor, c)).toBe(handBack);
      // The console offers nothing the hub refuses: a button shown means the hub's rule lets it through.
      if (take) expect(refuseAssignment(actor, c, { assigneeId: actor.id })).toBeNull();
      if (handBack) expect(refuseAssignment(actor, c, { assigneeId: null })).toBeNull();
    },
  );

  it('lets only supervisors and admins move a case between queues, even when handing back their own', () => {
    for (const who of whos) {
      const actor = ACTORS[who];
      const own = placement(actor, 'mine');
      const verdict = refuseAssignment(actor, own, { assigneeId: null, queueId: OTHER_QUEUE });
      expect(verdict).toBe(mayOversee(actor.role) ? null : 'moveQueue');
      expect(mayAssign(actor, own, null, OTHER_QUEUE)).toBe(mayOversee(actor.role));
      // Naming the queue it is already in is no move.
      expect(mayAssign(actor, own, null, MINE)).toBe(true);
    }
  });

  it('does not look at the status: a done case is taken and handed back like any other (the hub does the same)', () => {
    const agent = ACTORS['agent (hub)'];
    for (const status of CASE_STATUSES) {
      const c = { queueId: MINE, assigneeId: null, status };
      expect(mayTake(agent, c)).toBe(true);
      expect(mayHandBack(agent, { ...c, assigneeId: agent.id })).toBe(true);
    }
  });
});

describe('a new case', () => {
  const rows: { who: Who; queueId: string; assigneeId: string | null; refusal: RefusalName | null; assignee: string | null }[] = [
    { who: 'agent (hub)', queueId: MINE, assigneeId: null, refusal: null, assignee: null },
    { who: 'agent (hub)', queueId: MINE, assigneeId: 'u-agent', refusal: null, assignee: 'u-agent' },
    { who: 'agent (hub)', queueId: MINE, assigneeId: OTHER_PERSON, refusal: 'newAssignee', assignee: OTHER_PERSON },
    { who: 'agent (hub)', queueId: OTHER_QUEUE, assigneeId: null, refusal: 'newCaseQueue', assignee: null },
    // The console does not know its agent's queues: the hub decides that part.
    { who: 'agent (console)', queueId: OTHER_QUEUE, assigneeId: null, refusal: null, assignee: null },
    { who: 'agent (console)', queueId: OTHER_QUEUE, assigneeId: OTHER_PERSON, refusal: 'newAssignee', assignee: OTHER_PERSON },
    // A technician opens a case anywhere, and it stays in their briefcase.
    { who: 'technician (hub)', queueId: OTHER_QUEUE, assigneeId: null, refusal: null, assignee: 'u-tech' },
    { who: 'technician (hub)', queueId: OTHER_QUEUE, assigneeId: OTHER_PERSON, refusal: 'newAssignee', assignee: 'u-tech' },
    { who: 'technician (console)', queueId: MINE, assigneeId: null, refusal: null, assignee: 'u-tech' },
    { who: 'supervisor', queueId: OTHER_QUEUE, assigneeId: OTHER_PERSON, refusal: null, assignee: OTHER_PERSON },
    { who: 'admin', queueId: OTHER_QUEUE, assigneeId: null, refusal: null, assignee: null },
  ];
  it.each(rows)('$who in $queueId for $assigneeId: refused $refusal, assignee $assignee', ({ who, queueId, assigneeId, refusal, assignee }) => {
    const actor = ACTORS[who];
    expect(refuseNewCase(actor, { queueId, assigneeId })).toBe(refusal);
    expect(newCaseAssignee(actor, assigneeId)).toBe(assignee);
  });

  it('lets anyone leave the assignee out or name themselves', () => {
    for (const actor of Object.values(ACTORS)) {
      expect(refuseNewAssignee(actor, undefined)).toBeNull();
      expect(refuseNewAssignee(actor, null)).toBeNull();
      expect(refuseNewAssignee(actor, actor.id)).toBeNull();
    }
  });
});

describe('oversight', () => {
  const OVERSEES: Record<Role, boolean> = { agent: false, technician: false, supervisor: true, admin: true };
  it.each(ROLES.map((role) => ({ role, expected: OVERSEES[role] })))('$role oversees: $expected', ({ role, expected }) => {
    expect(mayOversee(role)).toBe(expected);
    // Bulk reassignment and consent overrides are oversight: the same rule, not copies of it.
    expect(mayReassignInBulk(role)).toBe(expected);
    expect(canOverrideConsent(role)).toBe(expected);
    expect(OVERSEER_ROLES.includes(role)).toBe(expected);
  });
});

describe('done', () => {
  it('means solved or closed', () => {
    expect([...DONE_STATUSES]).toEqual(['solved', 'closed']);
    expect(CASE_STATUSES.filter(isDone)).toEqual(['solved', 'closed']);
  });
});
