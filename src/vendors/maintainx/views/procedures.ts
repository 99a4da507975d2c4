/** Procedure templates and their rows. */
import type { Mx } from '../http.js';
import { templateRows } from '../ops/procedures.js';
import type { Json, Row } from '../store/index.js';
import { filesView } from './common.js';

/** A row of a procedure template, with its attachments. */
export function templateRowView(mx: Mx, origin: string, r: Row): Json {
  const files = filesView(mx, origin, r).attachments;
  return {
    id: r.id, label: r.data.label, type: r.data.type, description: r.data.description ?? null, choices: r.data.choices ?? null,
    meterId: r.data.meterId ?? null, isDateAndTime: r.data.isDateAndTime ?? false, attachmentId: (files[0]?.id as number) ?? null,
    attachments: files, urls: r.data.urls ?? [],
  };
}

/** A procedure template, with its rows when asked. */
export const procedureTemplateView = (mx: Mx, origin: string, t: Row, rows: boolean): Json => ({
  id: t.id, title: t.data.title, createdAt: t.createdAt, deletedAt: t.deletedAt, updatedAt: t.updatedAt,
  ...(rows ? { rows: templateRows(mx, t).map((r) => templateRowView(mx, origin, r)) } : {}),
});

/** A procedure template as list items show it. */
export const procedureTemplateItemView = (mx: Mx, origin: string, t: Row, rows: boolean): Json => ({
  id: t.id, title: t.data.title, ...(rows ? { rows: templateRows(mx, t).map((r) => templateRowView(mx, origin, r)) } : {}),
});
