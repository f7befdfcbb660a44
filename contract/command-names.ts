/**
 * The names of the case commands (contract/commands.ts defines each). Apart, without imports, so the case
 * view can name them without an import cycle.
 */
export const COMMAND_NAMES = [
  'engineerResponse',
  'internalNote',
  'changeSeverity',
  'requestInfo',
  'customerReply',
  'talkToManager',
  'managerAck',
  'resolve',
  'confirmResolution',
  'closeCase',
  'assign',
  'rcaDelivered',
  'pageAck',
  'customerAvailability',
  'migratePolicy',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
