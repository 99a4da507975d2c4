/** Team members: they live inside the team document as `{id, teamRole}`. */
import { validation } from '../errors.js';
import type { Mx } from '../http.js';
import type { Json, Row } from '../store/index.js';
import { write } from './common.js';

export interface TeamMember {
  id: number;
  teamRole: string;
}

export const membersOf = (team: Row): TeamMember[] => (team.data.members as TeamMember[]) ?? [];

/** POST /teams/{id}/members: adds a user of the organization (or sets the role of a member). */
export function addTeamMember(mx: Mx, team: Row, b: Json): number {
  if (typeof b.id !== 'number' || !mx.store.records.get('user', b.id, [team.orgId])) {
    throw validation([{ error: 'ID is invalid or user is not part of the organization' }]);
  }
  const id = b.id;
  const list = membersOf(team).filter((m) => m.id !== id);
  list.push({ id, teamRole: (b.teamRole as string) ?? 'MEMBER' });
  write(mx, () => mx.store.records.update(team, { ...team.data, members: list }));
  return id;
}

/** PATCH /teams/{teamId}/members/{userId} → the member as stored. */
export function updateTeamMember(mx: Mx, team: Row, member: TeamMember, b: Json): TeamMember {
  const m = b.teamRole !== undefined ? { ...member, teamRole: b.teamRole as string } : member;
  write(mx, () => mx.store.records.update(team, { ...team.data, members: membersOf(team).map((x) => (x.id === m.id ? m : x)) }));
  return m;
}

/** DELETE /teams/{teamId}/members/{userId}. */
export function removeTeamMember(mx: Mx, team: Row, member: TeamMember): void {
  write(mx, () => mx.store.records.update(team, { ...team.data, members: membersOf(team).filter((x) => x.id !== member.id) }));
}
