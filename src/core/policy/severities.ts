/**
 * The runbook's incident severities, in order. Kept apart from the policy schema so code that only
 * needs the names does not load the schema (zod, croner, luxon) at start-up.
 */
export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type SeverityName = (typeof SEVERITIES)[number];
