/** MACHHUB's fixed-table rows and ids: record ids, domains, users, features, schemas, processes; key and name rules. */
import type { Rng } from '../../../core/rng.js';

export interface RecordID {
  Table: string;
  ID: string;
}

export interface DomainRow {
  id: string;
  name: string;
  display_name: string;
  system: number;
  created_dt: string;
}

export interface UserRow {
  id: string;
  username: string;
  /** `scrypt$…` (core/passwords.ts). */
  password_hash: string;
  first_name: string;
  last_name: string;
  email: string;
  number: string;
  user_image: string | null;
  created_dt: string;
}

export interface Feature {
  name: string;
  action: string;
  scope: string;
}

export const RESERVED_GROUPS = ['superuser', 'member'] as const;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A SurrealDB-like record key: 20 characters of [a-z0-9]. */
export function newKey(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += ID_ALPHABET[rng.int(0, 35)];
  return s;
}

/** `domains:<name>` from a display name, as MACHHUB derives it: lower-cased, spaces → `_`. */
export function domainNameFrom(display: string): string {
  return display.trim().toLowerCase().replace(/ /g, '_');
}

export const DOMAIN_NAME = /^[a-z0-9_-]{1,64}$/;

/** A declared collection field (designer). */
export interface SchemaField {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'datetime' | 'object' | 'array' | 'record' | 'enum' | 'file';
  required: boolean;
  enumOptions?: string[];
}

export interface ProcessRow {
  id: string;
  domain_id: string;
  name: string;
  handler: string;
  data: string;
  created_dt: string;
  updated_dt: string;
}
