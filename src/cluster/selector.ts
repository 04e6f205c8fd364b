/**
 * Kubernetes label selectors in their string form (`env in (staging, qa),app=nginx,!legacy`), as
 * the `labels` and `namespace_labels` options take them. The API source sends the text to the API
 * server; the in-memory cluster filters with {@link LabelSelector.matches}.
 * @module
 */
import type { Labels } from './types.js';

type Operator = 'exists' | 'notexists' | 'in' | 'notin' | 'gt' | 'lt';

interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A parsed label selector. */
export interface LabelSelector {
  /** The selector as written. */
  readonly text: string;
  /** True when every requirement holds for these labels (absent labels: none). */
  matches(labels: Labels | undefined): boolean;
}

// Qualified names and values, as Kubernetes validates them (prefix/name, at most 63 characters per part).
const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part.length > 253))
    throw new Error(`invalid label key "${key}"`);
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63) throw new Error(`invalid label value: "${value}"`);
  return value;
}

/** Splits on commas outside parentheses. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

function parseSet(key: string, operator: 'in' | 'notin', list: string): Requirement {
  const values = list.split(',').map((value) => checkValue(value.trim()));
  return { key: checkKey(key), operator, values };
}

function parseRequirement(part: string): Requirement {
  if (part === '') throw new Error('found empty requirement');
  let match = /^!\s*(\S+)$/.exec(part);
  if (match) return { key: checkKey(match[1] as string), operator: 'notexists', values: [] };
  match = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
  if (match) return parseSet(match[1] as string, match[2] as 'in' | 'notin', match[3] as string);
  match = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(part);
  if (match) {
    const key = checkKey(match[1] as string);
    const operator = match[2] as string;
    const value = match[3] as string;
    if (operator === '<' || operator === '>') {
      if (!/^-?\d+$/.test(value)) throw new Error(`for 'Gt', 'Lt' operators, the value must be an integer`);
      return { key, operator: operator === '<' ? 'lt' : 'gt', values: [value] };
    }
    return { key, operator: operator === '!=' ? 'notin' : 'in', values: [checkValue(value)] };
  }
  if (/^\S+$/.test(part)) return { key: checkKey(part), operator: 'exists', values: [] };
  throw new Error(`unable to parse requirement: "${part}"`);
}

function holds(requirement: Requirement, labels: Labels | undefined): boolean {
  const value = labels?.[requirement.key];
  switch (requirement.operator) {
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case 'notin':
      return value === undefined || !requirement.values.includes(value);
    case 'gt':
    case 'lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const bound = Number(requirement.values[0]);
      return requirement.operator === 'gt' ? Number(value) > bound : Number(value) < bound;
    }
  }
}

/** Parses a label selector; throws an `Error` saying what is wrong. The empty selector matches everything. */
export function parseLabelSelector(text: string): LabelSelector {
  const trimmed = text.trim();
  const requirements = trimmed === '' ? [] : splitRequirements(trimmed).map(parseRequirement);
  return {
    text: trimmed,
    matches: (labels) => requirements.every((requirement) => holds(requirement, labels)),
  };
}
